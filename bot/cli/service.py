"""The service command: `run`, the Telegram bot with its jobs and its metrics port."""

from __future__ import annotations

import argparse
import os
import sys

from bot.app import build_application, open_storage
from bot.config import Settings


def start_metrics(settings: Settings, engine):
    """/healthz and /metrics on METRICS_HOST:METRICS_PORT, when a port is set; returns the server."""
    if settings.metrics_port:
        from bot.metrics import serve

        return serve(engine, settings.metrics_port, host=settings.metrics_host)
    return None


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """`run`: the Telegram bot with its jobs."""
    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set. Set it to run the bot, or talk to the bot in the console: "
              "`python -m bot chat` (or `make demo`, which ends in that console chat).", file=sys.stderr)
        return 2
    from bot.app import warn_if_ephemeral
    from bot.serve import StartError, run

    warn_if_ephemeral(settings, os.environ)
    engine = open_storage(settings)
    start_metrics(settings, engine)
    application = build_application(settings, engine, ingest=not args.no_ingest)
    try:
        run(application, settings)
    except StartError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def cmd_healthcheck(settings: Settings, args: argparse.Namespace) -> int:
    """`healthcheck`: 0 when this machine's /healthz answers 200 (the container's HEALTHCHECK), else 1."""
    import urllib.error
    import urllib.request

    if not (args.url or settings.metrics_port):
        print("METRICS_PORT is not set: there is no /healthz to ask", file=sys.stderr)
        return 1
    url = args.url or f"http://127.0.0.1:{settings.metrics_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            print(response.read().decode(errors="replace").strip())
            return 0
    except urllib.error.HTTPError as exc:
        print(f"unhealthy: {exc.code} {exc.read().decode(errors='replace').strip()}", file=sys.stderr)
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {url} does not answer ({getattr(exc, 'reason', exc)})", file=sys.stderr)
    return 1


def cmd_prepare(settings: Settings, args: argparse.Namespace) -> int:
    """`prepare`: compile the gazetteer and the word-frequency tables of the languages articles come in
    into CACHE_DIR now (an image does it at build time; another language's table is built when met)."""
    from bot.ingest.language import CANDIDATES
    from bot.items import idf
    from bot.nlp.gazetteer import shared

    places = shared(str(settings.cache_dir))
    for language in CANDIDATES:
        idf.table(language)
    print(f"gazetteer ready in {settings.cache_dir} ({len(places.places)} places); "
          f"word frequencies of {', '.join(CANDIDATES)}")
    return 0
