"""Issue 11, items 5 and 14: no secret in any log line, traceback or uncaught exception, plain or
JSON; `run` with a rejected token or an unreachable Bot API says so in one line and exits non-zero."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from telegram.error import InvalidToken

from bot import logs
from tests.botapi import BotApiServer

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "987654:SECRET-TOKEN-NEVER-PRINTED"


@pytest.fixture
def restore_logging():
    hooks = sys.excepthook
    yield
    sys.excepthook = hooks
    logs.setup("WARNING", "plain", [])
    sys.excepthook = hooks


@pytest.mark.parametrize("fmt", ["plain", "json"])
def test_a_traceback_never_shows_a_secret(fmt, capsys, restore_logging):
    logs.setup("INFO", fmt, [TOKEN])
    try:
        try:
            raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
        except InvalidToken as exc:
            raise RuntimeError(f"start failed for bot{TOKEN}") from exc
    except RuntimeError:
        logging.getLogger("telegram.ext").exception("Invalid token. Aborting retry loop.")
    err = capsys.readouterr().err
    assert "InvalidToken" in err and "[redacted]" in err and "SECRET-TOKEN" not in err


def test_an_uncaught_exception_is_logged_without_the_secret(capsys, restore_logging):
    logs.setup("INFO", "json", [TOKEN])
    try:
        raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    except InvalidToken:
        sys.excepthook(*sys.exc_info())
    err = capsys.readouterr().err
    assert '"level": "CRITICAL"' in err and "InvalidToken" in err and "SECRET-TOKEN" not in err


def _run_bot(tmp_path, base_url: str, fmt: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": base_url,
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "LOG_FORMAT": fmt, "LOG_LEVEL": "INFO",
                   "FEEDS_FILE": str(ROOT / "bot" / "samples" / "feeds.toml"), **env}
    return subprocess.run([sys.executable, "-m", "bot", "run", "--no-ingest"], cwd=tmp_path, env=environment,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("code", "fmt"), [(401, "plain"), (404, "json")])
def test_run_with_a_rejected_token_says_so_in_one_line(tmp_path, code, fmt):
    api = BotApiServer().start()
    try:
        api.fail_next("getMe", code, "Unauthorized" if code == 401 else "Not Found", times=5)
        done = _run_bot(tmp_path, api.base_url, fmt)
    finally:
        api.stop()
    output = done.stdout + done.stderr
    assert done.returncode != 0 and "SECRET-TOKEN" not in output and "Traceback" not in output
    assert output.strip().splitlines()[-1].startswith("Telegram rejected TELEGRAM_BOT_TOKEN")
    assert "rejected" not in "\n".join(output.strip().splitlines()[:-1])  # said once


def test_run_with_the_bot_api_unreachable_tries_again_then_says_so_in_one_line(tmp_path):
    done = _run_bot(tmp_path, "http://127.0.0.1:9/bot", "plain", TELEGRAM_START_TRIES="2")
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode == 1 and "Traceback" not in "\n".join(lines)
    assert "trying again in 1 s" in lines[-2] and lines[-1].startswith("The Bot API at http://127.0.0.1:9/bot could not")
