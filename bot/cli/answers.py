"""The commands that answer as the bot would: `chat`, `digest` and `query`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from bot.app import open_existing
from bot.cli import tables as report
from bot.config import SAMPLE_FEEDS, Settings
from storage import queries
from storage.db import session_scope
from storage.models import utcnow

DEMO_DATABASE = "sqlite:///data/demo.db"


def frontdesk(settings: Settings, engine):
    """The command answering service on an engine."""
    from bot.app import make_desk

    return make_desk(settings, engine)


def digest_messages(settings: Settings, engine, lang: str, since: datetime, until: datetime) -> tuple[list, list[str]]:
    """The items and the messages of one digest window."""
    from bot.digests import compose
    from bot.items import lookup
    from bot.nlp.gazetteer import shared
    from storage import itemqueries

    with session_scope(engine) as session:
        items = itemqueries.items_updated_between(session, since, until)
        described = lookup.describe_items(session, shared(str(settings.cache_dir)), items, lang)
    return described, compose.compose(described, lang, (since, until), empty_note=True)


def storage_for(settings: Settings, demo: bool):
    """The configured database, or the demo one, as it is: these commands only read, so nothing is
    migrated or added (a word on stderr while `demo` has not filled the demo database)."""
    if not demo:
        return settings, open_existing(settings)
    settings = settings.model_copy(update={"database_url": DEMO_DATABASE, "feeds_file": SAMPLE_FEEDS})
    engine = open_existing(settings, hint="run `make demo` (or `python -m bot demo`)")
    with session_scope(engine) as session:
        if queries.count_articles(session) == 0:
            print("The demo database is empty: run `make demo` (or `python -m bot demo`) first.", file=sys.stderr)
    return settings, engine


def cmd_digest(settings: Settings, args: argparse.Namespace) -> int:
    """`digest`: what a subscriber would get for a window."""
    import json

    from bot.cli import console

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
    from bot.cli import console

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

    from bot.items import lookup
    from bot.nlp.dates import parse_day
    from bot.nlp.gazetteer import shared

    settings, engine = storage_for(settings, args.demo)
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
