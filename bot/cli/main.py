"""Command line: the grammar and the dispatch. Settings are read here, once, and passed down."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.config import ConfigError, load_settings
from bot.ingest.feeds import FeedListError
from storage.db import SchemaError


def parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    root = argparse.ArgumentParser(prog="python -m bot", description="Frontbrief news bot")
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the Telegram bot (with scheduled ingest)")
    run.add_argument("--no-ingest", action="store_true", help="do not fetch feeds in this process")
    commands.add_parser("demo", help="ingest the bundled sample feeds into a demo SQLite database")
    health = commands.add_parser("healthcheck", help="exit 0 when this machine's /healthz answers 200")
    health.add_argument("--url", help="another /healthz address (default: 127.0.0.1 on METRICS_PORT)")
    commands.add_parser("prepare", help="compile the gazetteer into CACHE_DIR (done at image build time)")
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
    export = verbs.add_parser("export", help="every listed feed as OPML")
    export.add_argument("file", nargs="?", default="-", help="where to write it (default: standard output)")
    load = verbs.add_parser("import", help="add the feeds of an OPML file")
    load.add_argument("file")
    remove = verbs.add_parser("remove", help="stop fetching a feed (its articles stay)")
    remove.add_argument("url")
    extract = commands.add_parser("extract", help="print an article's places, dates and claims")
    extract.add_argument("path", help="a text file, or - for standard input")
    extract.add_argument("--lang", default="auto", help="nl, en or auto (default)")
    extract.add_argument("--published", help="publication date, ISO (default: today)")
    extract.add_argument("--json", action="store_true", help="machine-readable output")
    evaluate = commands.add_parser("eval", help="evaluate reading, places, attribution or grouping, on our sets or a corpus")
    evaluate.add_argument("what", choices=["reading", "grouping", "places", "attribution"])
    evaluate.add_argument("--labels", metavar="FILE", help="places, attribution, grouping: a label file (places: default the project's)")
    evaluate.add_argument("--corpora", metavar="DIR", help="places, grouping: the folder holding the corpora the labels point into")
    evaluate.add_argument("--corpus", metavar="PATH",
                          help="attribution: the JSONL(.gz) corpus the labels point into; grouping: a labelled JSONL corpus")
    evaluate.add_argument("--examples", metavar="DIR", help="grouping: the folder of the example texts the labels name")
    evaluate.add_argument("--write", metavar="FILE.jsonl", help="grouping: write the assembled corpus instead of scoring")
    evaluate.add_argument("--json", action="store_true", help="grouping: machine-readable output")
    evaluate.add_argument("--brat", metavar="DIR", help="attribution: a brat corpus (text/, attributions/)")
    evaluate.add_argument("--lang", default="en", help="attribution: the language of the brat corpus")
    evaluate.add_argument("--every", type=int, default=1, metavar="N", help="attribution: every N-th article only")
    evaluate.add_argument("--verbose", action="store_true", help="places: the worst errors by class")
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
    query.add_argument("--demo", action="store_true", help="on the demo database")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; configuration problems are reported by name, never as a traceback."""
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        from bot import logs
        from bot.items import idf

        idf.use_cache(settings.cache_dir)

        secrets = [v.get_secret_value() for v in (settings.telegram_bot_token, settings.webhook_secret) if v]
        logs.setup(settings.log_level, settings.log_format, secrets)
        return dispatch(settings, args)
    except Exception as exc:
        if not isinstance(exc, _expected_errors()):
            raise
        print(exc, file=sys.stderr)
        return 2


def dispatch(settings, args: argparse.Namespace) -> int:
    """Run the command. Each imports only what it needs: `ingest --once` with nothing new loads
    neither spaCy nor Telegram (a pass every few minutes should cost a fraction of a second)."""
    if args.command == "eval" and args.what == "places":
        from bot.cli import placeeval

        return placeeval.evaluate_command(args.labels, args.corpora, str(settings.cache_dir), args.verbose)
    if args.command == "eval" and args.what == "attribution":
        from bot.cli.attribution import evaluate_attribution

        return evaluate_attribution(args.brat, args.lang, args.labels, args.corpus, str(settings.cache_dir),
                                    max(args.every, 1))
    if args.command == "eval" and args.what == "grouping":
        from bot.cli.groupcli import cmd_eval_grouping

        return cmd_eval_grouping(args, str(settings.cache_dir))
    if args.command in ("extract", "eval"):
        from bot.cli import reading

        if args.command == "extract":
            return reading.extract(args.path, args.lang, args.published, args.json, str(settings.cache_dir))
        return reading.evaluate(args.what, str(settings.cache_dir))
    if args.command in ("query", "chat", "digest"):
        from bot.cli import answers

        return {"query": answers.cmd_query, "chat": answers.cmd_chat, "digest": answers.cmd_digest}[args.command](
            settings, args)
    if args.command in ("run", "healthcheck", "prepare"):
        from bot.cli import service

        return {"run": service.cmd_run, "healthcheck": service.cmd_healthcheck,
                "prepare": service.cmd_prepare}[args.command](settings, args)
    from bot.cli import ingesting

    if args.command == "demo":
        return ingesting.cmd_demo(settings)
    return {"ingest": ingesting.cmd_ingest, "feeds": ingesting.cmd_feeds}[args.command](settings, args)


def _expected_errors() -> tuple[type[Exception], ...]:
    """The errors that are the user's to fix (a message, no traceback). Those of a module the command
    never imported cannot have been raised, so it is not imported to name them."""
    errors: list[type[Exception]] = [ConfigError, FeedListError, SchemaError]
    for module, name in (("bot.cli.reading", "InputError"), ("bot.cli.placeeval", "LabelError"),
                         ("bot.cli.attribution", "CorpusError"), ("bot.cli.groupeval", "CorpusError")):
        if module in sys.modules:
            errors.append(getattr(sys.modules[module], name))
    return tuple(errors)


if __name__ == "__main__":
    sys.exit(main())
