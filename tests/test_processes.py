"""Several processes on one PostgreSQL database: no article stored twice, no feed fetched twice at
once, no digest sent twice."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from telegram import Bot

from bot.digests.send import Pacer, Sender
from bot.nlp.gazetteer import shared
from storage import subscribers
from storage.db import make_engine, session_scope
from tests.botapi import BotApiServer
from tests.conftest import POSTGRES_URL
from tests.factories import item, rss
from tests.helpers import Clock
from tests.soak import fresh_database

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pg_url():
    """A fresh schema on the test server, as a URL other processes can use."""
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    with fresh_database(POSTGRES_URL, "p") as url:
        yield url


def test_two_ingest_processes_store_each_article_once(pg_url, server, tmp_path, cache_dir):
    feeds = tmp_path / "feeds.toml"
    lines = []
    for n in range(6):
        url = server.route(f"/f{n}", rss([item(100 * n + k) for k in range(20)]), delay=0.3)
        lines.append(f'[[feed]]\nname = "Feed {n}"\nurl = "{url}"\nlanguage = "en"\n')
    feeds.write_text("\n".join(lines))
    env = {**os.environ, "DATABASE_URL": pg_url, "FEEDS_FILE": str(feeds), "ALLOW_PRIVATE_FEEDS": "true",
           "CACHE_DIR": cache_dir, "LOG_LEVEL": "WARNING"}
    runs = [subprocess.Popen([sys.executable, "-m", "bot", "ingest", "--once"], cwd=tmp_path, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=180)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*), count(DISTINCT identity) FROM article")).one() == (120, 120)
        assert conn.execute(text("SELECT count(*) FROM item WHERE merged_into IS NULL")).scalar() >= 1
    assert all(len(server.hits(f"/f{n}")) == 1 for n in range(6))  # each feed fetched by one process
    engine.dispose()


async def test_two_senders_at_once_send_each_digest_once(pg_url, cache_dir):
    engine = make_engine(pg_url)
    with session_scope(engine) as session:
        for chat in range(1, 41):
            subscribers.get_or_create(session, chat, "private", "en", datetime(2023, 1, 1, tzinfo=UTC))
            subscribers.change(session, chat, datetime(2023, 1, 1, tzinfo=UTC), subscribed=True,
                               times=["12:00"], notify_empty=True)
    api = BotApiServer().start()
    try:
        now = datetime(2023, 1, 8, 11, 5, tzinfo=UTC)
        async with Bot("123:A", base_url=api.base_url) as one, Bot("123:A", base_url=api.base_url) as two:
            senders = [Sender(make_engine(pg_url), bot, lambda: shared(cache_dir), clock=Clock(now),
                              pacer=Pacer(1000, 0)) for bot in (one, two)]
            reports = await asyncio.gather(*(s.run() for s in senders))
        assert sum(r.sent for r in reports) == 40
        assert sorted(m.chat_id for m in api.state.sent) == list(range(1, 41))
    finally:
        api.stop()
        engine.dispose()


def _bot_process(api, url, cache_dir, tmp_path):
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:TERM", "TELEGRAM_API_BASE_URL": api.base_url,
           "DATABASE_URL": url, "CACHE_DIR": cache_dir, "TELEGRAM_POLL_TIMEOUT": "1", "LOG_LEVEL": "WARNING",
           "DIGEST_CHECK_SECONDS": "5", "DELIVERY_LEASE_SECONDS": "1", "SEND_CHAT_INTERVAL": "0", "SEND_RATE": "20"}
    return subprocess.Popen([sys.executable, "-m", "bot", "run", "--no-ingest"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_sigterm_mid_fan_out_then_restart_sends_each_digest_once(pg_url, cache_dir, tmp_path):
    import signal
    import time
    from datetime import timedelta

    engine = make_engine(pg_url)
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        for chat in range(1, 61):
            subscribers.get_or_create(session, chat, "private", "en", now - timedelta(days=3))
            subscribers.change(session, chat, now, subscribed=True, notify_empty=True, timezone="UTC",
                               times=[f"{h:02d}:00" for h in range(0, 24, 4)], last_digest_at=now - timedelta(days=2))
    api = BotApiServer().start()
    try:
        first = _bot_process(api, pg_url, cache_dir, tmp_path)
        api.wait_for(lambda sent: len(sent) >= 10, timeout=60)
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
        stopped_at = len(api.state.sent)
        assert 10 <= stopped_at < 60, stopped_at
        time.sleep(1.5)  # the claim of the digest in flight expires
        second = _bot_process(api, pg_url, cache_dir, tmp_path)
        api.wait_for(lambda sent: len(sent) >= 60, timeout=90)
        time.sleep(6)  # another round of the job: nothing more
        second.send_signal(signal.SIGTERM)
        second.communicate(timeout=30)
        assert sorted(m.chat_id for m in api.state.sent) == list(range(1, 61))  # each exactly once
        with engine.connect() as conn:
            assert conn.execute(text("SELECT DISTINCT status FROM delivery")).scalars().all() == ["sent"]
    finally:
        api.stop()
        engine.dispose()
