"""Platform conventions: DATABASE_URL as Heroku, Render and Fly set it, LOG_LEVEL in any case, a
warning where SQLite lives on a disk the next deploy wipes, and one start-up line naming the process."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.app import startup_line, warn_if_ephemeral
from bot.config import ConfigError, load_settings
from tests.botapi import BotApiServer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "LOG_LEVEL", "TELEGRAM_BOT_TOKEN", "METRICS_PORT", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("given", ["postgres://u:p@db.example:5432/app", "postgresql://u:p@db.example:5432/app",
                                   "postgresql+psycopg://u:p@db.example:5432/app"])
def test_platform_database_urls_mean_psycopg(monkeypatch, given):
    monkeypatch.setenv("DATABASE_URL", given)
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://u:p@db.example:5432/app"
    assert settings.database_kind == "postgresql"


def test_other_drivers_are_still_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@h/db")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings()


@pytest.mark.parametrize("given", ["info", "Info", " debug "])
def test_log_level_in_any_case(monkeypatch, given):
    monkeypatch.setenv("LOG_LEVEL", given)
    assert load_settings().log_level == given.strip().upper()


@pytest.mark.parametrize("environ, url, warned", [
    ({"DYNO": "web.1"}, "sqlite:///data/x.db", True),
    ({"RENDER": "true"}, "sqlite:///data/x.db", True),
    ({"FLY_APP_NAME": "frontbrief"}, "sqlite:///data/x.db", True),
    ({"DYNO": "web.1"}, "postgres://u@h/db", False),
    ({}, "sqlite:///data/x.db", False),
])
def test_sqlite_on_an_ephemeral_platform_is_warned_about(caplog, environ, url, warned):
    settings = load_settings(database_url=url)
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        warn_if_ephemeral(settings, environ)
    assert ("lost on every restart" in caplog.text) is warned


def test_the_startup_line_names_bot_mode_database_metrics_and_feeds():
    line = startup_line(load_settings(metrics_port=9100), "frontbrief_bot", 7)
    assert line == ("Frontbrief @frontbrief_bot starting: polling, sqlite database, metrics port 9100, "
                    "7 active feeds")
    hooked = startup_line(load_settings(webhook_url="https://example.org/hook",
                                        database_url="postgres://u@h/db"), "b", 0)
    assert "webhook https://example.org/hook" in hooked and "postgresql database" in hooked


def test_the_running_bot_logs_one_startup_line(tmp_path, cache_dir):
    api = BotApiServer().start()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:TEST", "TELEGRAM_API_BASE_URL": api.base_url,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "CACHE_DIR": cache_dir, "TELEGRAM_POLL_TIMEOUT": "1",
           "FEEDS_FILE": str(ROOT / "bot" / "samples" / "feeds.toml"), "LOG_LEVEL": "info", "DYNO": "worker.1"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--no-ingest"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not any(m == "getUpdates" for m, _ in api.state.calls):
            assert process.poll() is None and time.monotonic() < deadline, "the bot did not start"
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=20)[0]
    finally:
        if process.poll() is None:
            process.kill()
        api.stop()
    starts = [line for line in output.splitlines() if "starting: polling, sqlite database" in line]
    assert len(starts) == 1 and "active feeds" in starts[0], output
    assert "lost on every restart" in output and "Traceback" not in output
