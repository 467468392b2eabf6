"""The service command: `run`, the Telegram bot with its jobs and its metrics port."""

from __future__ import annotations

import argparse
import os
import sys

from bot.app import build_application, open_storage
from bot.config import Settings


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
    from bot.app import run, warn_if_ephemeral

    warn_if_ephemeral(settings, os.environ)
    engine = open_storage(settings)
    start_metrics(settings, engine)
    application = build_application(settings, engine, ingest=not args.no_ingest)
    run(application, settings)
    return 0
