"""The ingest commands: `ingest` (once or on a schedule), `feeds list|add|remove` and `demo`."""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from rich.progress import Progress

from bot.app import make_ingestor, open_storage
from bot.cli import tables as report
from bot.config import SAMPLE_FEEDS, Settings
from bot.ingest.feeds import FeedListError, FeedSpec, resolve_location
from bot.ingest.pipeline import FeedReport, Ingestor
from storage import queries
from storage.db import session_scope
from storage.models import utcnow


async def ingest_with_progress(ingestor: Ingestor, urls: Sequence[str] | None = None) -> list[FeedReport]:
    """One pass with a progress bar and a per-feed summary."""
    console = report.make_console()
    with Progress(console=console, transient=True) as progress:
        bar = progress.add_task("fetching feeds", total=None)
        reports = await ingestor.run_once(
            urls, on_claimed=lambda n: progress.update(bar, total=n),
            on_report=lambda r: progress.update(bar, advance=1, description=f"{r.name[:30]}: {r.status}"),
        )
    console.print(report.run_table(reports))
    console.print(report.run_summary(reports))
    return reports


async def ingest_forever(settings: Settings, ingestor: Ingestor) -> None:
    """Ingest on a schedule (APScheduler) until SIGINT or SIGTERM."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.jobs import run_ingest, schedule_standalone, schedule_upkeep_standalone

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler = AsyncIOScheduler()
    interval = timedelta(minutes=settings.fetch_interval_minutes)
    # a partial, not a lambda: APScheduler awaits a coroutine function (or a partial of one) but runs
    # any other callable in a thread, where the coroutine it returns would never run
    schedule_standalone(scheduler, functools.partial(run_ingest, ingestor), interval, settings.fetch_jitter_seconds)
    schedule_upkeep_standalone(scheduler, ingestor.engine, timedelta(seconds=settings.health_stall_seconds),
                               timedelta(seconds=settings.metrics_count_seconds) if settings.metrics_port else None)
    scheduler.start()
    logging.getLogger(__name__).info("ingesting every %s; Ctrl-C stops", interval)
    await stop.wait()
    scheduler.shutdown(wait=False)


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    """`ingest`: one pass or a schedule."""
    from bot.app import warn_if_ephemeral

    warn_if_ephemeral(settings, os.environ)
    engine = open_storage(settings)
    urls = [resolve_location(u) for u in args.feed]
    with session_scope(engine) as session:  # a feed named on the command line need not be listed yet
        queries.add_missing_feeds(session, [FeedSpec(url=url, name=url) for url in urls])
    ingestor = make_ingestor(settings, engine)
    try:
        if args.once or urls:
            reports = asyncio.run(ingest_with_progress(ingestor, urls or None))
            return 1 if reports and all(r.status == "error" for r in reports) else 0
        from bot.cli.service import start_metrics  # one pass serves no metrics

        start_metrics(settings, engine)
        asyncio.run(ingest_forever(settings, ingestor))
        return 0
    finally:  # closed here, not left to the interpreter's shutdown (see bot.__main__)
        engine.dispose()


def export_feeds(session, path: str) -> int:
    """`feeds export [FILE]`: every listed feed as OPML, to a file or standard output."""
    from bot.ingest import opml

    specs = [FeedSpec(url=f.url, name=f.name, language=f.language, keywords=tuple(f.keywords), fulltext=f.fulltext)
             for f, _ in queries.listed_feeds(session)]
    data = opml.to_opml(specs)
    if path in ("", "-"):
        sys.stdout.write(data.decode("utf-8") + "\n")
    else:
        Path(path).write_bytes(data)
    return 0


def import_feeds(session, path: str) -> int:
    """`feeds import FILE`: add the web feeds an OPML file lists; feeds already listed keep their settings."""
    from bot.ingest import opml

    try:
        specs = opml.from_opml(Path(path).read_bytes())
    except OSError as exc:
        raise FeedListError(f"{path}: {exc.strerror or exc}") from None
    except opml.OpmlError as exc:
        raise FeedListError(f"{path}: {exc}") from None
    web = [s for s in specs if s.url.startswith(("http://", "https://")) and len(s.url) <= 2048]
    added = queries.add_missing_feeds(session, web)
    skipped = f", {len(specs) - len(web)} skipped (not an http(s) address)" if len(web) < len(specs) else ""
    print(f"{len(specs)} feeds in {path}: {added} added, {len(web) - added} already listed{skipped}")
    return 0


def cmd_feeds(settings: Settings, args: argparse.Namespace) -> int:
    """`feeds list|add|remove|export|import`."""
    engine = open_storage(settings)
    console = report.make_console()
    with session_scope(engine) as session:
        if args.verb == "add":
            url = resolve_location(args.url)
            spec = FeedSpec(url=url, name=args.name or url, language=args.language,
                            keywords=tuple(args.keyword), fulltext=args.fulltext)
            queries.upsert_feed(session, spec, utcnow())
            console.print(f"added {url}")
        elif args.verb == "export":
            return export_feeds(session, args.file)
        elif args.verb == "import":
            return import_feeds(session, args.file)
        elif args.verb == "remove":
            if not queries.remove_feed(session, resolve_location(args.url), utcnow()):
                console.print(f"no listed feed has the URL {args.url}")
                return 1
            console.print(f"removed {args.url}; its articles are kept")
        else:
            console.print(report.feeds_table(queries.listed_feeds(session)))
    return 0


def cmd_demo(settings: Settings) -> int:
    """`demo`: the main job on embedded defaults: sample feeds into a demo SQLite database."""
    from bot.cli.answers import DEMO_DATABASE, digest_messages, frontdesk
    from bot.nlp.gazetteer import shared

    settings = settings.model_copy(update={"database_url": DEMO_DATABASE, "feeds_file": SAMPLE_FEEDS})
    engine = open_storage(settings)
    console = report.make_console()
    console.rule("Frontbrief demo: ingesting the bundled sample feeds (sample outlets, written by us)")
    with session_scope(engine) as session:
        urls = [feed.url for feed, _ in queries.listed_feeds(session)]
    asyncio.run(ingest_with_progress(make_ingestor(settings, engine), urls))
    with session_scope(engine) as session:
        total = queries.count_articles(session)
        console.print(report.articles_table(queries.latest_articles(session, 100), f"{total} articles stored"))
        items = report.items_table(session, shared(str(settings.cache_dir)))
    console.print(items)
    from bot.cli import console as chat_console

    for lang in ("nl", "en"):
        _, messages = digest_messages(settings, engine, lang, utcnow() - timedelta(days=1), utcnow())
        console.rule(f"Digest ({lang})")
        for text in messages:
            console.print(chat_console.as_text(chat_console.Reply(text)), markup=False, highlight=False)
    console.print(f"Database: {DEMO_DATABASE.removeprefix('sqlite:///')} (run `make demo` again: nothing new is added).")
    from bot.cli import console as chat

    if settings.telegram_bot_token is None and chat.stdin_is_interactive():
        console.print("No TELEGRAM_BOT_TOKEN set: here is the bot in the console instead.")
        chat.interactive(frontdesk(settings, engine), None)
    else:
        console.print("Talk to the bot without Telegram:")
        print(".venv/bin/python -m bot chat --demo /kramatorsk")  # a line to copy, never wrapped
    return 0
