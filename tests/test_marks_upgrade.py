"""Items stored before their marks kept the open claims (bot.items.marks) are marked whole once, from
their claims' rows, the next time an article joins them; from then on a joining article reads none
of the item's claims. Real SQLite and PostgreSQL."""

from __future__ import annotations

import json

from sqlalchemy import text

from bot.items.stages import ReadAndGroup
from storage.db import session_scope
from storage.models import Article
from tests.helpers import recorded
from tests.test_costs_grouping import add_articles, marks_of_items, reading


def stored_marks(engine, item_id: int) -> dict:
    with engine.connect() as conn:
        profile = conn.execute(text("SELECT profile FROM item WHERE id = :i"), {"i": item_id}).scalar_one()
    return (profile if isinstance(profile, dict) else json.loads(profile))["marks"]


def test_marks_kept_the_old_way_are_made_whole_once(engine, cache_dir):
    stage = ReadAndGroup(engine, cache_dir)
    ids = add_articles(engine, 21, 8)
    for n, article_id in enumerate(ids[:6]):
        with session_scope(engine) as session:
            stage._one(session, session.get(Article, article_id), reading(21, n))
    with engine.connect() as conn:
        item_id = conn.execute(text("SELECT item_id FROM article WHERE id = :a"), {"a": ids[0]}).scalar_one()
    old = {k: v for k, v in stored_marks(engine, item_id).items() if k != "open"}  # as items were kept before
    with engine.begin() as conn:
        profile = conn.execute(text("SELECT profile FROM item WHERE id = :i"), {"i": item_id}).scalar_one()
        profile = profile if isinstance(profile, dict) else json.loads(profile)
        conn.execute(text("UPDATE item SET profile = :p WHERE id = :i"),
                     {"p": json.dumps({**profile, "marks": old}), "i": item_id})
        conn.execute(text("UPDATE claim SET disputed = :f, unverified = :f WHERE item_id = :i"),
                     {"f": False, "i": item_id})
    later = ReadAndGroup(engine, cache_dir)  # another process: it holds nothing of the item
    whole = recorded(engine, lambda s: later._one(s, s.get(Article, ids[6]), reading(21, 6)))
    assert any("FROM CLAIM" in " ".join(s.split()).upper() for s, _ in whole)  # read whole, once
    assert "open" in stored_marks(engine, item_id)
    stored, expected, _ = marks_of_items(engine)
    assert stored == expected  # the marks wiped above are back, as the whole item gives them
    joined = recorded(engine, lambda s: later._one(s, s.get(Article, ids[7]), reading(21, 7)))
    assert not any("FROM CLAIM" in " ".join(s.split()).upper() for s, _ in joined)
    stored, expected, _ = marks_of_items(engine)
    assert stored == expected
