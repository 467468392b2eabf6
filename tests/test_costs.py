"""Costs that must not grow (issue 17): each test pins the mechanism, never a timing. Statements are
counted with SQLAlchemy's cursor events on the real databases; what a process imports is read from
its sys.modules in a subprocess."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import text

from bot.ingest.pipeline import Ingestor
from bot.items.stages import ReadAndGroup
from storage import queries
from storage.db import HEAD, alembic_config, migrate, session_scope
from tests.factories import item, rss
from tests.helpers import Clock, add_feed, feed_row, probe_process, recorded, statement_words



async def test_a_feed_write_issues_the_same_statements_for_5_new_entries_as_for_200(engine, server, ingest_config):
    counts = {}
    for n in (5, 200):
        url = server.route(f"/f{n}", rss([item(n * 1000 + k) for k in range(n)]))
        add_feed(engine, url)
        with statement_words(engine) as seen:
            (report,) = await Ingestor(engine, ingest_config).run_once([url])
        assert report.new == n
        counts[n] = [s for s in seen if s not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")]
    assert counts[5] == counts[200]
    assert counts[200].count("INSERT") == 1  # the articles of a feed: one executemany, one transaction


def test_claiming_feeds_is_one_statement_however_many_are_due(engine):
    clock = Clock()
    for n in range(30):
        add_feed(engine, f"https://example.test/{n}.xml", clock)
    with statement_words(engine) as seen, session_scope(engine) as session:
        tasks = queries.claim_feeds(session, clock(), timedelta(minutes=10), holder="h:1:x")
    assert len(tasks) == 30 and [t.id for t in tasks] == sorted(t.id for t in tasks)
    assert [s for s in seen if s not in ("BEGIN", "COMMIT")] == ["UPDATE"]


def test_migrating_a_current_schema_only_reads_its_revision(engine):
    from alembic.script import ScriptDirectory

    assert HEAD == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with statement_words(engine) as seen:
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


async def test_a_pass_with_nothing_new_loads_neither_spacy_nor_alembic(engine, server, ingest_config, cache_dir,
                                                                     tmp_path):
    url = server.route("/feed", rss([item(1), item(2)]), etag='"v1"')
    add_feed(engine, url)
    await Ingestor(engine, ingest_config, stages=[ReadAndGroup(engine, cache_dir)]).run_once()
    with engine.begin() as conn:  # due again, as at its next turn
        conn.execute(text("UPDATE feed SET next_fetch_at = NULL"))
    idle = probe_process(engine, tmp_path, cache_dir, PROBE)
    assert feed_row(engine, url).last_status == "not_modified"
    assert server.hits("/feed")[-1].headers.get("if-none-match") == '"v1"'
    assert idle == {"code": 0, "loaded": []}
    # Something new to read: then, and only then, reading is loaded.
    server.route("/feed", rss([item(1), item(2), item(3)]), etag='"v2"')
    with engine.begin() as conn:
        conn.execute(text("UPDATE feed SET next_fetch_at = NULL"))
    busy = probe_process(engine, tmp_path, cache_dir, PROBE)
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


def fill_items(engine, items: int) -> None:
    """Items with one article, two places and ten dated claims each, spread over 200 days (bulk)."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from storage.models import Article, Claim, Feed, Item, ItemPlace

    start = datetime(2023, 1, 1, tzinfo=UTC)
    # As wide as a real item's grouping profile (places, numbers, actors, a text signature): the rows
    # the look-ups must not scan to find a few ids.
    profile = {"signature": list(range(300)), "places": {f"town{k}": 1.0 for k in range(10)}}
    when = {i: start + timedelta(days=i % 200, minutes=i) for i in range(1, items + 1)}
    with engine.begin() as conn:
        conn.execute(insert(Feed), [{"url": "https://example.test/q", "name": "q", "keywords": [], "fulltext": False,
                                     "active": True, "error_count": 0, "created_at": start}])
        conn.execute(insert(Item), [{"id": i, "created_at": w, "updated_at": w, "event_first": w.date(),
                                     "event_last": w.date(), "titles": {"en": f"Item {i}"}, "article_count": 1,
                                     "disputed": False, "profile": profile} for i, w in when.items()])
        conn.execute(insert(Article), [{"id": i, "feed_id": 1, "identity": f"q{i}", "content_hash": f"h{i}",
                                        "title": f"Item {i}", "summary": "", "text": "", "fetched_at": w,
                                        "published_at": w, "item_id": i, "features": {}} for i, w in when.items()])
        conn.execute(insert(ItemPlace), [{"item_id": i, "slug": f"town{(i + k) % 150}", "region": f"oblast{i % 24}"}
                                         for i in when for k in (0, 75)])
        conn.execute(insert(Claim), [{"article_id": i, "item_id": i, "position": k, "stance": "assert",
                                      "actor": "ua.government", "side": "UA", "content": "", "event_date": w.date(),
                                      "numbers": [], "places": [], "carried": False, "disputed": False,
                                      "unverified": False} for i, w in when.items() for k in range(10)])


def plan_of(engine, run, starts: str) -> str:
    """The planner's plan for the statement beginning with `starts` that `run(session)` sends."""
    captured = recorded(engine, run)
    statement, parameters = next((s, p) for s, p in captured if s.lstrip().startswith(starts))
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(explain + statement, parameters)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())
    finally:
        raw.close()


def test_the_place_and_date_lookups_pick_their_items_from_indexes(engine):
    from datetime import date

    from storage import lookups

    fill_items(engine, 3000)
    from storage.db import refresh_statistics

    refresh_statistics(engine)
    by_date = plan_of(engine, lambda s: lookups.items_for_dates(s, date(2023, 3, 1), date(2023, 3, 1), 20),
                      "SELECT item.id")
    by_place = plan_of(engine, lambda s: lookups.items_for_places(s, ["town7"], ["town7"], 20), "SELECT item.id")
    assert "ix_claim_event_item" in by_date and "ix_itemplace_slug" in by_place, (by_date, by_place)
    for plan in (by_date, by_place):  # the newest 20 are picked without a scan of the wide item rows
        if engine.dialect.name == "postgresql":
            assert "ix_item_id_updated" in plan and "Seq Scan on item" not in plan, plan
        else:  # SQLite: by rowid (the table's own b-tree) or the covering index, never a scan
            assert "SCAN item" not in plan, plan
