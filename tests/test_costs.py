"""Costs that must not grow (issue 17): each test pins the mechanism, never a timing. Statements are
counted with SQLAlchemy's cursor events on the real databases; what a process imports is read from
its sys.modules in a subprocess."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, text

from bot.ingest.pipeline import Ingestor
from bot.items.stages import ReadAndGroup
from storage import queries
from storage.db import HEAD, alembic_config, migrate, session_scope
from tests.factories import item, rss
from tests.helpers import Clock, add_feed, feed_row, url_of

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def statements(engine) -> Iterator[list[str]]:
    """Every statement sent to the database while the block runs (one per round trip)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_a_feed_write_issues_the_same_statements_for_5_new_entries_as_for_200(engine, server, ingest_config):
    counts = {}
    for n in (5, 200):
        url = server.route(f"/f{n}", rss([item(n * 1000 + k) for k in range(n)]))
        add_feed(engine, url)
        with statements(engine) as seen:
            (report,) = await Ingestor(engine, ingest_config).run_once([url])
        assert report.new == n
        counts[n] = [s for s in seen if s not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")]
    assert counts[5] == counts[200]
    assert counts[200].count("INSERT") == 1  # the articles of a feed: one executemany, one transaction


def test_claiming_feeds_is_one_statement_however_many_are_due(engine):
    clock = Clock()
    for n in range(30):
        add_feed(engine, f"https://example.test/{n}.xml", clock)
    with statements(engine) as seen, session_scope(engine) as session:
        tasks = queries.claim_feeds(session, clock(), timedelta(minutes=10), holder="h:1:x")
    assert len(tasks) == 30 and [t.id for t in tasks] == sorted(t.id for t in tasks)
    assert [s for s in seen if s not in ("BEGIN", "COMMIT")] == ["UPDATE"]


def test_migrating_a_current_schema_only_reads_its_revision(engine):
    from alembic.script import ScriptDirectory

    assert HEAD == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with statements(engine) as seen:
        migrate(engine)
    assert "CREATE" not in seen and "ALTER" not in seen and "UPDATE" not in seen
    assert sum(1 for s in seen if s == "SELECT") <= 2  # the version table's presence, then its row


PROBE = """
import json, sys
from bot.cli.main import main
code = main(["ingest", "--once"])
print(json.dumps({"code": code, "loaded": sorted(m for m in ("spacy", "alembic", "telegram", "trafilatura")
                                               if m in sys.modules)}))
"""


def ingest_process(engine, tmp_path: Path, cache_dir: str) -> dict:
    """`python -m bot ingest --once` in a fresh process on the test database: its exit code and
    which of the heavy packages it imported."""
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("")
    env = {**os.environ, "DATABASE_URL": url_of(engine), "FEEDS_FILE": str(feeds), "ALLOW_PRIVATE_FEEDS": "true",
           "CACHE_DIR": cache_dir, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=tmp_path, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


async def test_a_pass_with_nothing_new_loads_neither_spacy_nor_alembic(engine, server, ingest_config, cache_dir,
                                                                     tmp_path):
    url = server.route("/feed", rss([item(1), item(2)]), etag='"v1"')
    add_feed(engine, url)
    await Ingestor(engine, ingest_config, stages=[ReadAndGroup(engine, cache_dir)]).run_once()
    with engine.begin() as conn:  # due again, as at its next turn
        conn.execute(text("UPDATE feed SET next_fetch_at = NULL"))
    idle = ingest_process(engine, tmp_path, cache_dir)
    assert feed_row(engine, url).last_status == "not_modified"
    assert server.hits("/feed")[-1].headers.get("if-none-match") == '"v1"'
    assert idle == {"code": 0, "loaded": []}
    # Something new to read: then, and only then, reading is loaded.
    server.route("/feed", rss([item(1), item(2), item(3)]), etag='"v2"')
    with engine.begin() as conn:
        conn.execute(text("UPDATE feed SET next_fetch_at = NULL"))
    busy = ingest_process(engine, tmp_path, cache_dir)
    assert busy == {"code": 0, "loaded": ["spacy"]}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM article WHERE read_at IS NULL")).scalar_one() == 0


def has_statistics(engine, table: str) -> bool:
    """Whether the planner has statistics on a table (ANALYZE ran on it)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            found = conn.execute(text("SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
                                      "AND tablename = :t"), {"t": table}).scalar_one()
        else:
            stat = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar_one()
            found = stat and conn.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"),
                                          {"t": table}).scalar_one()
    return bool(found)


async def test_a_run_that_stores_many_articles_refreshes_the_planner_statistics(engine, server, ingest_config):
    config = dataclasses.replace(ingest_config, analyze_after=20)
    small = server.route("/small", rss([item(n) for n in range(5)]))
    add_feed(engine, small)
    await Ingestor(engine, config).run_once()
    assert not has_statistics(engine, "article")  # a small run leaves it to autovacuum
    add_feed(engine, server.route("/bulk", rss([item(100 + n) for n in range(25)])))
    await Ingestor(engine, config).run_once()
    assert has_statistics(engine, "article")
