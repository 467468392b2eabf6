"""A feed's write costs the same statements however many entries it stores (issue 17), counted with
SQLAlchemy's cursor events on the real databases. On PostgreSQL the count is flat at any size (one
pipelined INSERT, identities as one array parameter); SQLite, in-process, batches past 500 identities
a look-up and past 1,000 rows an INSERT, so it is held flat below those sizes (tests/test_costs.py)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import text

from bot.ingest.pipeline import Ingestor
from storage import queries
from storage.db import session_scope
from tests.factories import item, rss
from tests.helpers import add_feed, statement_words

QUIET = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


async def test_a_feed_write_on_postgresql_is_the_same_statements_for_5_entries_as_for_1200(engine, server,
                                                                                          ingest_config):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite batches past 500 identities (tests/test_costs.py holds it flat below)")
    limits = dataclasses.replace(ingest_config.limits, max_bytes=2_000_000)
    config = dataclasses.replace(ingest_config, limits=limits, analyze_after=10**6)  # no ANALYZE after the bulk
    counts = {}
    for n in (5, 1200):
        url = server.route(f"/f{n}", rss([item(n * 10_000 + k) for k in range(n)]))
        add_feed(engine, url)
        with statement_words(engine) as seen:
            (report,) = await Ingestor(engine, config).run_once([url])
        assert report.new == n and len(report.article_ids) == n
        counts[n] = [s for s in seen if s not in QUIET]
    assert counts[5] == counts[1200]
    assert counts[1200].count("INSERT") == 1


def test_stored_ids_are_only_the_rows_this_insert_added(engine):
    with session_scope(engine) as session:
        feed = queries.add_missing_feeds(session, [_Spec("https://example.test/f")])
    with engine.connect() as conn:
        feed_id = conn.execute(text("SELECT id FROM feed")).scalar_one()
    rows = [_row(feed_id, f"id-{n}", f"g{n}") for n in range(4)]
    with session_scope(engine) as session:
        first = queries.insert_articles(session, rows[:2])
    with session_scope(engine) as session:  # two known, one new, one new whose guid repeats a stored one
        again = queries.insert_articles(session, rows[:3] + [_row(feed_id, "id-9", "g0")])
        known = queries.known_identities(session, ["id-0", "id-2", "id-9", "nope"])
    assert feed == 1 and len(first) == 2 and len(again) == 1 and again[0] > max(first)
    assert known == {"id-0", "id-2"}


@dataclasses.dataclass
class _Spec:
    url: str
    name: str = "f"
    language: str | None = None
    keywords: tuple[str, ...] = ()
    fulltext: bool = False


def _row(feed_id: int, identity: str, guid: str) -> dict:
    from datetime import UTC, datetime

    return {"feed_id": feed_id, "identity": identity, "url": None, "link": None, "guid": guid,
            "content_hash": "h", "title": "t", "summary": "", "text": "", "author": None,
            "language": "en", "published_at": None, "fetched_at": datetime.now(UTC)}


def test_known_identities_on_sqlite_builds_no_statement_per_call(tmp_path, monkeypatch):
    from storage.db import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'known.db'}")
    migrate(engine)
    feed = add_feed(engine, "https://example.test/feed")
    with session_scope(engine) as session:
        queries.insert_articles(session, [{"feed_id": feed, "identity": "u-kept", "title": "T", "summary": "",
                                           "text": "", "content_hash": "h", "fetched_at": queries.utcnow()}])

    def refused(*_args):
        raise AssertionError("a statement was built for this call")

    monkeypatch.setattr(queries, "select", refused)
    with session_scope(engine) as session:  # more than a chunk: two executions of the one statement
        assert queries.known_identities(session, [f"u-{n}" for n in range(600)] + ["u-kept"]) == {"u-kept"}
    engine.dispose()
