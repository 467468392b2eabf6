"""The place, region and date look-ups read what they need from indexes, and fetch only what an
answer shows (issue 17.7). Plans are the planner's own (EXPLAIN on PostgreSQL, EXPLAIN QUERY PLAN on
SQLite) after the statistics refresh a bulk load gets; no timing."""

from __future__ import annotations

from datetime import date

from bot.items import lookup
from bot.nlp.gazetteer import shared
from storage import lookups
from storage.db import refresh_statistics
from tests.helpers import statements
from tests.test_costs import fill_items, plan_of


def _index_only(plan: str, index: str, dialect: str) -> bool:
    if dialect == "postgresql":
        return f"Index Only Scan using {index}" in plan
    return f"USING COVERING INDEX {index}" in plan


def test_a_place_and_its_region_are_read_from_covering_indexes_alone(engine):
    fill_items(engine, 3000)
    refresh_statistics(engine)
    newest = plan_of(engine, lambda s: lookups.items_for_places(s, ["town7"], ["oblast3"], 20), "SELECT item.id")
    probe = plan_of(engine, lambda s: lookups.items_for_places(s, ["town7"], ["oblast3"], 20), "SELECT anon_1.item_id")
    for plan in (newest, probe):
        for index in ("ix_itemplace_slug_item", "ix_itemplace_region_item"):
            assert _index_only(plan, index, engine.dialect.name), plan
        assert "Bitmap Heap Scan on itemplace" not in plan and "SCAN itemplace" not in plan.replace(
            "SCAN itemplace USING COVERING", ""), plan
    if engine.dialect.name == "postgresql":  # the newest 20 picked on (id, updated_at) alone
        assert "Index Only Scan using ix_item_id_updated" in newest and "Seq Scan on item" not in newest, newest


def test_the_date_lookup_reads_days_and_items_from_indexes_alone(engine):
    fill_items(engine, 3000)
    refresh_statistics(engine)
    plan = plan_of(engine, lambda s: lookups.items_for_dates(s, date(2023, 3, 1), date(2023, 3, 1), 20),
                   "SELECT item.id")
    assert _index_only(plan, "ix_claim_event_item", engine.dialect.name), plan
    assert "Seq Scan" not in plan and "SCAN item " not in plan + " ", plan


def test_an_answer_reads_neither_article_texts_nor_features(engine, cache_dir):
    fill_items(engine, 300)
    gazetteer = shared(cache_dir)
    found: list[dict] = []
    sent = statements(engine, lambda session: found.extend(lookup.describe_items(
        session, gazetteer, lookups.items_for_places(session, ["town7"], [], 20), "en")))
    assert len(found) == 4 and all(i["articles"] and i["claims"] for i in found)
    columns = " ".join(sent)
    for wide in ("article.text", "article.features", "article.summary"):
        assert wide not in columns, wide
