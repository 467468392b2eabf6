"""Command line: run, demo, ingest, feeds. Settings are read here, once, and passed down."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from rich.progress import Progress

from bot import readcli, report
from bot.app import build_application, make_ingestor, open_storage
from bot.config import SAMPLE_FEEDS, ConfigError, Settings, load_settings
from bot.feeds import FeedListError, FeedSpec, resolve_location
from bot.pipeline import FeedReport, Ingestor
from storage import queries
from storage.db import session_scope
from storage.models import utcnow

DEMO_DATABASE = "sqlite:///data/demo.db"


def parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    root = argparse.ArgumentParser(prog="python -m bot", description="Frontbrief news bot")
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the Telegram bot (with scheduled ingest)")
    run.add_argument("--no-ingest", action="store_true", help="do not fetch feeds in this process")
    commands.add_parser("demo", help="ingest the bundled sample feeds into a demo SQLite database")
    ingest = commands.add_parser("ingest", help="fetch feeds and store new articles")
    ingest.add_argument("--once", action="store_true", help="one pass, then exit (default: on a schedule)")
    ingest.add_argument("--feed", action="append", default=[], metavar="URL_OR_PATH", help="only this feed")
    feeds = commands.add_parser("feeds", help="list, add or remove feeds")
    verbs = feeds.add_subparsers(dest="verb", required=True)
    verbs.add_parser("list", help="each feed's state and last error")
    add = verbs.add_parser("add", help="add (or revive) a feed")
    add.add_argument("url")
    add.add_argument("--name")
    add.add_argument("--language", help="e.g. nl or en (default: from the feed or detected)")
    add.add_argument("--keyword", action="append", default=[], help="keep only entries naming this")
    add.add_argument("--fulltext", action="store_true", help="fetch the article page for short entries")
    remove = verbs.add_parser("remove", help="stop fetching a feed (its articles stay)")
    remove.add_argument("url")
    extract = commands.add_parser("extract", help="print an article's places, dates and claims")
    extract.add_argument("path", help="a text file, or - for standard input")
    extract.add_argument("--lang", default="auto", help="nl, en or auto (default)")
    extract.add_argument("--published", help="publication date, ISO (default: today)")
    extract.add_argument("--json", action="store_true", help="machine-readable output")
    evaluate = commands.add_parser("eval", help="evaluate on the labelled sets")
    evaluate.add_argument("what", choices=["reading", "grouping"])
    digest = commands.add_parser("digest", help="print the digest of a window")
    digest.add_argument("--lang", choices=["en", "nl"], default="en")
    digest.add_argument("--since", help="window start, ISO (default: 24 hours ago)")
    digest.add_argument("--json", action="store_true", help="machine-readable output")
    digest.add_argument("--demo", action="store_true", help="on the demo database")
    chat = commands.add_parser("chat", help="talk to the bot in the console (no Telegram needed)")
    chat.add_argument("message", nargs="?", help="one message, e.g. /kramatorsk (none: an interactive chat)")
    chat.add_argument("--lang", choices=["en", "nl"], help="your language (as Telegram would tell the bot)")
    chat.add_argument("--demo", action="store_true", help="on the demo database")
    query = commands.add_parser("query", help="items and source-attributed claims about a place or a day")
    query.add_argument("kind", choices=["place", "date"])
    query.add_argument("value", nargs="+", help="any spelling of a place; a date such as 2023-01-08 or 8 januari")
    query.add_argument("--json", action="store_true", help="machine-readable output")
    query.add_argument("--lang", default="en", choices=["en", "nl"], help="language of headlines")
    return root


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

    from bot.jobs import run_ingest, schedule_standalone

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler = AsyncIOScheduler()
    interval = timedelta(minutes=settings.fetch_interval_minutes)
    schedule_standalone(scheduler, lambda: run_ingest(ingestor), interval, settings.fetch_jitter_seconds)
    scheduler.start()
    logging.getLogger(__name__).info("ingesting every %s; Ctrl-C stops", interval)
    await stop.wait()
    scheduler.shutdown(wait=False)


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    """`ingest`: one pass or a schedule."""
    engine = open_storage(settings)
    urls = [resolve_location(u) for u in args.feed]
    with session_scope(engine) as session:  # a feed named on the command line need not be listed yet
        queries.add_missing_feeds(session, [FeedSpec(url=url, name=url) for url in urls])
    ingestor = make_ingestor(settings, engine)
    if not (args.once or urls):
        start_metrics(settings, engine)
    if args.once or urls:
        reports = asyncio.run(ingest_with_progress(ingestor, urls or None))
        return 1 if reports and all(r.status == "error" for r in reports) else 0
    asyncio.run(ingest_forever(settings, ingestor))
    return 0


def cmd_feeds(settings: Settings, args: argparse.Namespace) -> int:
    """`feeds list|add|remove`."""
    engine = open_storage(settings)
    console = report.make_console()
    with session_scope(engine) as session:
        if args.verb == "add":
            url = resolve_location(args.url)
            spec = FeedSpec(url=url, name=args.name or url, language=args.language,
                            keywords=tuple(args.keyword), fulltext=args.fulltext)
            queries.upsert_feed(session, spec, utcnow())
            console.print(f"added {url}")
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
    from bot import console as chat_console

    for lang in ("nl", "en"):
        _, messages = digest_messages(settings, engine, lang, utcnow() - timedelta(days=1), utcnow())
        console.rule(f"Digest ({lang})")
        for text in messages:
            console.print(chat_console.as_text(chat_console.Reply(text)), markup=False, highlight=False)
    console.print(f"Database: {DEMO_DATABASE.removeprefix('sqlite:///')} (run `make demo` again: nothing new is added).")
    from bot import console as chat

    if settings.telegram_bot_token is None and chat.stdin_is_interactive():
        console.print("No TELEGRAM_BOT_TOKEN set: here is the bot in the console instead.")
        chat.interactive(frontdesk(settings, engine), None)
    else:
        console.print("Talk to the bot without Telegram: .venv/bin/python -m bot chat --demo /kramatorsk")
    return 0


def frontdesk(settings: Settings, engine):
    """The command answering service on an engine."""
    from bot.app import make_desk

    return make_desk(settings, engine)


def digest_messages(settings: Settings, engine, lang: str, since: datetime, until: datetime) -> tuple[list, list[str]]:
    """The items and the messages of one digest window."""
    from bot import compose, lookup
    from bot.nlp.gazetteer import shared
    from storage import itemqueries

    with session_scope(engine) as session:
        items = itemqueries.items_updated_between(session, since, until)
        described = lookup.describe_items(session, shared(str(settings.cache_dir)), items, lang)
    return described, compose.compose(described, lang, (since, until), empty_note=True)


def storage_for(settings: Settings, demo: bool):
    """The configured database, or the demo one (with a word on stderr while `demo` has not filled it)."""
    if not demo:
        return settings, open_storage(settings)
    settings = settings.model_copy(update={"database_url": DEMO_DATABASE, "feeds_file": SAMPLE_FEEDS})
    engine = open_storage(settings)
    with session_scope(engine) as session:
        if queries.count_articles(session) == 0:
            print("The demo database is empty: run `make demo` (or `python -m bot demo`) first.", file=sys.stderr)
    return settings, engine


def cmd_digest(settings: Settings, args: argparse.Namespace) -> int:
    """`digest`: what a subscriber would get for a window."""
    import json

    from bot import console

    settings, engine = storage_for(settings, args.demo)
    until = utcnow()
    try:
        since = datetime.fromisoformat(args.since) if args.since else until - timedelta(hours=24)
    except ValueError:
        print(f"--since must be an ISO date or time, not {args.since!r}", file=sys.stderr)
        return 2
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    items, messages = digest_messages(settings, engine, args.lang, since, until)
    if args.json:
        print(json.dumps({"language": args.lang, "since": since.isoformat(), "until": until.isoformat(),
                          "items": items, "messages": messages}, ensure_ascii=False, indent=2))
    else:
        for text in messages:
            print(console.as_text(console.Reply(text)))
            print()
    return 0


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    """`chat`: the bot's answers in the console."""
    from bot import console

    desk = frontdesk(*storage_for(settings, args.demo))
    if args.message:
        for reply in console.chat_once(desk, args.message, args.lang):
            print(console.as_text(reply))
            print()
        return 0
    console.interactive(desk, args.lang)
    return 0


def cmd_query(settings: Settings, args: argparse.Namespace) -> int:
    """`query place NAME` / `query date DATE`."""
    import json

    from bot import lookup
    from bot.nlp.dates import parse_day
    from bot.nlp.gazetteer import shared

    engine = open_storage(settings)
    gazetteer = shared(str(settings.cache_dir))
    value = " ".join(args.value)
    console = report.make_console()
    with session_scope(engine) as session:
        if args.kind == "place":
            try:
                result = lookup.by_place(session, gazetteer, value, args.lang)
            except lookup.UnknownPlace as exc:
                hint = ", ".join(f"{p.name} (/{p.slug})" for p in exc.suggestions)
                print(f"{exc}." + (f" Did you mean: {hint}?" if hint else ""), file=sys.stderr)
                return 1
        else:
            days = parse_day(value, utcnow().date())
            if days is None:
                print(f"{value!r} is not a date I understand; try 2023-01-08, 8 januari 2023 or yesterday",
                      file=sys.stderr)
                return 2
            result = lookup.by_date(session, gazetteer, days[0], days[1], args.lang)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        report.items_view(result, console)
    return 0


def start_metrics(settings: Settings, engine) -> None:
    """/healthz and /metrics on METRICS_PORT, when it is set."""
    if settings.metrics_port:
        from bot.metrics import serve

        serve(engine, settings.metrics_port, host="0.0.0.0")


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """`run`: the Telegram bot with its jobs."""
    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set. Set it to run the bot, or talk to the bot in the console: "
              "`python -m bot chat` (or `make demo`, which ends in that console chat).", file=sys.stderr)
        return 2
    from bot.app import StartError, run

    engine = open_storage(settings)
    start_metrics(settings, engine)
    application = build_application(settings, engine, ingest=not args.no_ingest)
    try:
        run(application, settings)
    except StartError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; configuration problems are reported by name, never as a traceback."""
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        from bot import logs

        secrets = [v.get_secret_value() for v in (settings.telegram_bot_token, settings.webhook_secret) if v]
        logs.setup(settings.log_level, settings.log_format, secrets)
        if args.command == "demo":
            return cmd_demo(settings)
        if args.command == "extract":
            return readcli.extract(args.path, args.lang, args.published, args.json, str(settings.cache_dir))
        if args.command == "eval":
            return readcli.evaluate(args.what, str(settings.cache_dir))
        if args.command == "query":
            return cmd_query(settings, args)
        if args.command == "chat":
            return cmd_chat(settings, args)
        if args.command == "digest":
            return cmd_digest(settings, args)
        commands = {"run": cmd_run, "ingest": cmd_ingest, "feeds": cmd_feeds}
        return commands[args.command](settings, args)
    except (ConfigError, FeedListError, readcli.InputError) as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
