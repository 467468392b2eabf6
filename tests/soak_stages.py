"""The soak scenarios of the read-and-group stage and of start-up: poison articles among good ones
in many feeds, and processes starting at once on a database with no tables yet. Bounded in count and
time, loopback only; each ends with a count of what was lost (must be 0)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from bot.ingest.fetch import FetchLimits
from bot.ingest.pipeline import IngestConfig, Ingestor
from bot.items.stages import ReadAndGroup
from storage.db import make_engine
from tests.factories import item, rss
from tests.feedserver import FeedServer
from tests.helpers import Clock, add_feed
from tests.soak import NOW, ROOT, Outcome, fresh_database

# Dated at the ends of the calendar, and naming days relative to that date: what once stopped all reading.
POISON_DATES = ("Fri, 31 Dec 9999 12:00:00 +0000", "Mon, 01 Jan 0001 12:00:00 +0000")
POISON_TEXT = "Kramatorsk was shelled on Tuesday and again yesterday; the attacks began on 31 December."


def poison_articles(url: str, cache_dir: str, feeds_n: int, per_feed: int = 10) -> Outcome:
    """Feeds whose every other entry is a poison article among good ones, ingested and read: every
    article stored is read and grouped (or, failing that, marked with its error), none left unread, and
    reading went on for the good ones after each poison one."""
    started = time.monotonic()
    engine = make_engine(url)
    server = FeedServer().start()
    clock = Clock(NOW)
    config = IngestConfig(limits=FetchLimits(timeout=5, allow_private=True), concurrency=4)
    try:
        for n in range(feeds_n):
            add_feed(engine, server.route(f"/p{n}", rss(_entries(n, per_feed))), clock, language="en")
        stage = ReadAndGroup(engine, cache_dir, clock=clock)
        asyncio.run(Ingestor(engine, config, stages=[stage], clock=clock).run_once())
    finally:
        server.stop()
    with engine.connect() as conn:
        stored, grouped, failed, unread = conn.execute(text(
            "SELECT count(*), count(item_id), count(read_error), count(*) - count(read_at) FROM article")).one()
    engine.dispose()
    poisons = feeds_n * (per_feed // 2)
    return Outcome("poison articles", f"{feeds_n} feeds x {per_feed} entries, {poisons} poison",
                   f"{failed} recorded as unreadable", feeds_n * per_feed - grouped - failed + unread, 0,
                   time.monotonic() - started)


def _entries(feed: int, count: int) -> list[str]:
    entries = []
    for k in range(count):
        n = 1000 * feed + k
        if k % 2:
            entries.append(item(n, description=POISON_TEXT, pub=POISON_DATES[(k // 2) % 2]))
        else:
            entries.append(item(n))
    return entries


_GATED_START = """
import sys, time
from pathlib import Path
from bot.cli.main import main  # the import, the slow part, before the gate
gate = Path(sys.argv[1])
(gate.parent / f"ready-{sys.argv[2]}").touch()
while not gate.exists():
    time.sleep(0.005)
sys.exit(main(["feeds", "list"]))
"""


def simultaneous_start(url: str, processes_n: int, workdir: Path, rounds: int = 1) -> Outcome:
    """Processes started at once on a database with no tables yet (as the Procfile's bot and ingest
    do on a first deploy): each migrates and lists the feeds; every one must succeed. Each waits at a
    gate after its imports, so that they really migrate together."""
    started = time.monotonic()
    failed, errors = 0, []
    for n in range(rounds):
        with fresh_database(url, "start", migrated=False) if url.startswith("postgresql") else \
                _fresh_sqlite(workdir / f"start-{n}.db") as fresh:
            codes, outputs = _start_gated(fresh, processes_n, workdir / f"round-{n}")
            failed += sum(code != 0 for code in codes) + (not _at_head(fresh))
        errors += [_error_line(out) for code, out in zip(codes, outputs) if code != 0]
    detail = f"; {errors[0][:60]}" if errors else ""
    return Outcome("simultaneous start", f"{processes_n} processes x {rounds} fresh databases",
                   f"all start at once{detail}", failed, 0, time.monotonic() - started)


def _at_head(url: str) -> bool:
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return version == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    finally:
        engine.dispose()


def _error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if "Error" in line and "sqlalche.me" not in line]
    return (lines or output.splitlines() or ["no output"])[-1].strip()


@contextmanager
def _fresh_sqlite(path: Path) -> Iterator[str]:
    yield f"sqlite:///{path}"


def _start_gated(url: str, processes_n: int, folder: Path) -> tuple[list[int], list[str]]:
    folder.mkdir(parents=True)
    (folder / "feeds.toml").write_text("")
    env = {**os.environ, "DATABASE_URL": url, "FEEDS_FILE": str(folder / "feeds.toml"), "LOG_LEVEL": "WARNING",
           "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    gate = folder / "go"
    runs = [subprocess.Popen([sys.executable, "-c", _GATED_START, str(gate), str(n)], cwd=folder, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for n in range(processes_n)]
    deadline = time.monotonic() + 120
    while len(list(folder.glob("ready-*"))) < processes_n and time.monotonic() < deadline \
            and all(run.poll() is None for run in runs):
        time.sleep(0.02)
    gate.touch()
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    return [run.returncode for run in runs], outputs
