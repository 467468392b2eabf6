"""After a SIGKILL: the leases of the dead process are taken over at once (same host, pid gone), a
feed another live process is fetching is reported as such, and every run reads what was stored and
never read, whether or not it stores anything new."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.cli import tables as report
from bot.leases import holder_name, is_gone
from bot.ingest.pipeline import Ingestor
from bot.items.stages import ReadAndGroup
from storage import queries
from storage.db import make_engine, migrate, session_scope
from storage.models import utcnow
from tests.conftest import POSTGRES_URL
from tests.factories import item, rss
from tests.helpers import Clock, add_feed
from tests.soak import fresh_database


@contextmanager
def _database(backend: str, tmp_path):
    """A migrated database of the kind, as a URL a process of its own can open too."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'kill.db'}"
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
    elif not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    else:
        with fresh_database(POSTGRES_URL, "lease") as url:
            yield url


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _count(engine, where: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM article WHERE {where}")).scalar_one()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_after_a_sigkill_the_next_run_fetches_the_dead_runs_feeds_and_reads_its_articles(
        backend, tmp_path, server, ingest_config, cache_dir):
    with _database(backend, tmp_path) as url:
        fast = server.route("/fast", rss([item(n) for n in range(40)]))
        slow_body = rss([item(100 + n) for n in range(5)])
        slow = server.route("/slow", slow_body, delay=30)
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feed]]\nname = "Fast"\nurl = "{fast}"\nlanguage = "en"\n\n'
                         f'[[feed]]\nname = "Slow"\nurl = "{slow}"\nlanguage = "en"\n')
        env = {**os.environ, "DATABASE_URL": url, "FEEDS_FILE": str(feeds), "ALLOW_PRIVATE_FEEDS": "true",
               "CACHE_DIR": cache_dir, "LOG_LEVEL": "WARNING", "FETCH_TIMEOUT_SECONDS": "120"}
        run = subprocess.Popen([sys.executable, "-m", "bot", "ingest", "--once"], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        engine = make_engine(url)
        try:
            deadline = time.monotonic() + 120
            while not (server.hits("/slow") and _count(engine, "1 = 1") == 40) and time.monotonic() < deadline:
                time.sleep(0.1)
            run.send_signal(signal.SIGKILL)  # the slow feed is leased, the fast feed's articles stored
        finally:
            run.kill()
            run.wait(timeout=30)
        server.route("/slow", slow_body)
        reports = await Ingestor(engine, ingest_config, stages=[ReadAndGroup(engine, cache_dir)]).run_once()
        assert [(r.name, r.status) for r in reports] == [("Slow", "ok")], [r.message for r in reports]  # not left leased
        assert _count(engine, "read_at IS NOT NULL") == 45  # the dead run's 40 too, though not new
        engine.dispose()


async def test_a_feed_another_live_process_is_fetching_is_reported_and_skipped(engine, server, ingest_config):
    clock = Clock()
    url = server.route("/feed", rss(2))
    add_feed(engine, url, clock)
    other = holder_name()  # a live holder: this very process, under another token
    with session_scope(engine) as session:
        assert len(queries.claim_feeds(session, clock(), timedelta(minutes=10), None, other)) == 1
    (leased,) = await Ingestor(engine, ingest_config, clock=clock).run_once()
    assert leased.status == "leased" and other in leased.message and not server.hits("/feed")
    assert "1 being fetched by another process, skipped" in report.run_summary([leased])


async def test_a_dead_holders_feed_lease_is_taken_over_at_once(engine, server, ingest_config):
    clock = Clock()
    url = server.route("/feed", rss(2))
    add_feed(engine, url, clock)
    dead = f"{socket.gethostname()[:60]}:{_dead_pid()}:abcd"
    with session_scope(engine) as session:
        queries.claim_feeds(session, clock(), timedelta(minutes=10), None, dead)
    (fetched,) = await Ingestor(engine, ingest_config, clock=clock).run_once()
    assert fetched.status == "ok" and fetched.new == 2


async def test_every_run_reads_what_was_stored_and_never_read(engine, server, ingest_config, cache_dir):
    clock = Clock()
    url = server.route("/feed", rss(3))
    add_feed(engine, url, clock)
    await Ingestor(engine, ingest_config, clock=clock).run_once()  # stored; its reader was killed, say
    assert _count(engine, "read_at IS NULL") == 3
    clock.advance(minutes=1)  # nothing is due: the run stores nothing
    reports = await Ingestor(engine, ingest_config, stages=[ReadAndGroup(engine, cache_dir)], clock=clock).run_once()
    assert reports == [] and _count(engine, "read_at IS NULL") == 0


def test_liveness_of_holders():
    assert not is_gone(holder_name()) and not is_gone(holder_name(token=False))
    assert is_gone(f"{socket.gethostname()[:60]}:{_dead_pid()}")
    assert is_gone(f"{socket.gethostname()[:60]}:{_dead_pid()}:12345678")  # a token of digits only
    assert not is_gone(f"elsewhere.invalid:{_dead_pid()}")  # another host: not ours to judge
    assert not is_gone(None) and not is_gone("not a holder")


def test_a_dead_holders_job_lease_is_taken_over(engine):
    now, dead = utcnow(), f"{socket.gethostname()[:60]}:{_dead_pid()}"
    with session_scope(engine) as session:
        assert queries.take_lease(session, "alerts", dead, now, timedelta(hours=1))
        assert not queries.take_lease(session, "alerts", "me:1", now, timedelta(hours=1))
        holder = queries.job_lease_holder(session, "alerts")
        assert holder == dead and is_gone(holder)
        assert queries.take_lease(session, "alerts", "me:1", now, timedelta(hours=1), [holder])
