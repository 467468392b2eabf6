"""Two processes grouping into one item at once (PostgreSQL, where several processes run): an item is
written only at the version it was read at, so a join or merge decided on a state another process
has changed since is rolled back and decided again, never written over the other's work.

On SQLite the question does not arise: an article's transaction takes the write lock with its first
write, before its candidates are read, so no other writer comes in between (the version check holds
there too, and the storage test runs on both)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.items import group
from bot.items.stages import ReadAndGroup
from storage import itemqueries as q
from storage.db import session_scope
from storage.models import Article
from tests.test_costs_grouping import add_articles, reading
from tests.test_item_store import grow, item_of


def test_an_item_is_written_only_at_the_version_it_was_read_at(engine):
    at = datetime(2023, 3, 14, 9, 30, tzinfo=UTC)
    with session_scope(engine) as session:
        item_id = q.new_item(session, at, {"articles": 1}, at.date(), at.date(), article_count=1)
    later = at.replace(minute=31)
    with session_scope(engine) as session:
        q.save_item(session, item_id, (1, at), {"articles": 2}, 2, at.date(), at.date(), later, {}, False)
    with pytest.raises(q.ItemChanged), session_scope(engine) as session:  # read at 1 article, stored at 2 now
        q.save_item(session, item_id, (1, at), {"articles": 2}, 2, at.date(), at.date(), later, {}, False)
    with pytest.raises(q.ItemChanged), session_scope(engine) as session:
        q.merge(session, q.new_item(session, at, {}, at.date(), at.date()), item_id, (1, at))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT article_count, merged_into FROM item WHERE id = :i"),
                            {"i": item_id}).one() == (2, None)


def test_a_join_decided_on_an_item_another_process_changed_meanwhile_is_decided_again(pg_engine, cache_dir,
                                                                                     monkeypatch):
    ours, theirs = ReadAndGroup(pg_engine, cache_dir), ReadAndGroup(pg_engine, cache_dir)  # two processes
    ids = grow(pg_engine, ours, 15, 2)  # an item of 2, and a third article of its story, stored
    (extra,) = add_articles(pg_engine, 15, 4)
    decide, cut_in = group.decide, [extra]

    def theirs_first(*args, **kwargs):  # theirs groups its article between our read and our write
        if cut_in:
            with session_scope(pg_engine) as session:
                theirs._one(session, session.get(Article, cut_in.pop()), reading(15, 3))
        return decide(*args, **kwargs)

    monkeypatch.setattr(group, "decide", theirs_first)
    with session_scope(pg_engine) as session:
        ours_article = session.get(Article, ids[-1])
    ours._settle(ours_article, reading(15, 2))
    item_id, count, counted = item_of(pg_engine, ids[-1])
    with pg_engine.connect() as conn:
        attached = conn.execute(text("SELECT count(*) FROM article WHERE item_id = :i"), {"i": item_id}).scalar_one()
    assert item_of(pg_engine, extra)[0] == item_id
    assert (count, counted, attached) == (4, 4, 4)  # written over, it would count 3 of the 4 it holds


@pytest.fixture
def pg_engine(tmp_path):
    """A migrated PostgreSQL database: the race needs two writers between one's read and write."""
    from storage.db import migrate
    from tests.conftest import postgres_engine

    for engine in postgres_engine():
        migrate(engine)
        yield engine
