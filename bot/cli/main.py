"""Command line: the grammar and the dispatch. Settings are read here, once, and passed down."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import reading as readcli
from bot.cli.answers import cmd_chat, cmd_digest, cmd_query
from bot.cli.groupcli import cmd_eval_grouping
from bot.cli.groupeval import CorpusError
from bot.cli.ingesting import cmd_demo, cmd_feeds, cmd_ingest
from bot.cli.service import cmd_run
from bot.config import ConfigError, load_settings
from bot.ingest.feeds import FeedListError


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
    evaluate.add_argument("--corpus", metavar="FILE.jsonl", help="grouping: a labelled JSONL corpus (default: our own set)")
    evaluate.add_argument("--labels", metavar="FILE.jsonl", help="grouping: a label file (bot/items/data/README.md)")
    evaluate.add_argument("--corpora", metavar="DIR", help="grouping: the folder of the corpora the labels name")
    evaluate.add_argument("--examples", metavar="DIR", help="grouping: the folder of the example texts the labels name")
    evaluate.add_argument("--write", metavar="FILE.jsonl", help="grouping: write the assembled corpus instead of scoring")
    evaluate.add_argument("--json", action="store_true", help="machine-readable output")
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
        if args.command == "eval" and args.what == "grouping":
            return cmd_eval_grouping(args, str(settings.cache_dir))
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
    except (ConfigError, FeedListError, readcli.InputError, CorpusError) as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
