"""Storing and grouping at the cost of the work (issue 17): an article's statements do not follow the
size of the item it joins, candidates come in one statement, and the items held decoded between
articles (bot.items.kept) are never older than the store: another writer's change, or a change that
was rolled back, is read again. Counted, never timed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from bot.items.stages import ReadAndGroup
from storage import itemqueries
from storage.db import session_scope
from storage.models import Article
from tests.helpers import recorded
from tests.test_costs_grouping import add_articles, reading

QUIET = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")
PARAMETERS = r" IN \((?:(?:\?|%\([^)]*\)S(?:::\w+)?)(?:, )?)+\)"  # an expanded IN list, SQLite's or psycopg's


def grow(engine, stage: ReadAndGroup, story: int, size: int) -> list[int]:
    """An item of `size` articles of one story, grouped by the stage, and one more article stored."""
    ids = add_articles(engine, story, size + 1)
    for n, article_id in enumerate(ids[:-1]):
        with session_scope(engine) as session:
            stage._one(session, session.get(Article, article_id), reading(story, n))
    return ids


def item_of(engine, article_id: int) -> tuple[int, int, int]:
    """(item id, its article_count, the articles its stored profile counts) of an article's item."""
    with engine.connect() as conn:
        item_id = conn.execute(text("SELECT item_id FROM article WHERE id = :a"), {"a": article_id}).scalar_one()
        count, profile = conn.execute(text("SELECT article_count, profile FROM item WHERE id = :i"), {"i": item_id}).one()
    profile = profile if isinstance(profile, dict) else __import__("json").loads(profile)
    return item_id, count, profile["articles"]


def joining(engine, stage: ReadAndGroup, story: int, size: int) -> list[str]:
    """The statements one more article sends joining an item of `size` articles of its story."""
    ids = grow(engine, stage, story, size)
    sent = recorded(engine, lambda session: stage._one(session, session.get(Article, ids[-1]), reading(story, 999)))
    assert item_of(engine, ids[-1])[1] == size + 1
    return [re.sub(PARAMETERS, " IN (…)", " ".join(s.split()).upper()) for s, _ in sent
            if not s.lstrip().upper().startswith(QUIET)]


def test_an_article_joining_an_item_of_50_sends_as_many_statements_as_joining_an_item_of_2(engine, cache_dir):
    stage = ReadAndGroup(engine, cache_dir)
    small, large = joining(engine, stage, 11, 2), joining(engine, stage, 12, 50)
    # The stored claims whose marks the article changes are written in one statement (none when it
    # changes none: which it does depends on what the item's claims say, not on their number).
    def flips(sent: list[str]) -> list[str]:
        return [s for s in sent if s.startswith("UPDATE CLAIM SET DISPUTED=") and "CLAIM.POSITION =" in s]

    assert len(flips(small)) <= 1 and len(flips(large)) <= 1, (small, large)
    small, large = [s for s in small if s not in flips(small)], [s for s in large if s not in flips(large)]
    assert len(large) == len(small) and sorted(large) == sorted(small), (small, large)
    assert not any("FROM CLAIM" in s for s in large)  # the item's claims are not read: its marks say enough
    # The candidates and their versions in one statement; the item held since its last write: its
    # stored state is not read again, and nothing is sent per article or claim of the item (the same
    # statements as for an item of 2: the article's own claims, and what they mark, decide them).
    assert sum("FROM ITEMKEY" in s for s in large) == 1 and sum("INTO ITEMKEY" in s for s in large) == 1
    assert not any("ITEM.PROFILE" in s for s in large)


def test_an_item_changed_by_another_writer_is_read_again(engine, cache_dir):
    ours, theirs = ReadAndGroup(engine, cache_dir), ReadAndGroup(engine, cache_dir)  # two processes
    ids = grow(engine, ours, 13, 2)  # ours holds the item as it wrote it, at 2 articles
    (extra,) = add_articles(engine, 13, 4)  # one more of the story (those stored already are skipped)
    with session_scope(engine) as session:
        theirs._one(session, session.get(Article, extra), reading(13, 3))  # theirs: 3 articles
    with session_scope(engine) as session:
        ours._one(session, session.get(Article, ids[-1]), reading(13, 2))
    item_id, count, counted = item_of(engine, ids[-1])
    assert (count, counted) == (4, 4)  # a held copy of 2 articles would have stored 3


def test_an_item_changed_in_a_transaction_that_rolls_back_is_read_again(engine, cache_dir, monkeypatch):
    stage = ReadAndGroup(engine, cache_dir)
    ids = grow(engine, stage, 14, 2)
    real = itemqueries.save_item

    def failing(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("the write after the item's")

    monkeypatch.setattr(itemqueries, "save_item", failing)
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        stage._one(session, session.get(Article, ids[-1]), reading(14, 2))  # the held profile took it in, then
    monkeypatch.setattr(itemqueries, "save_item", real)
    assert len(stage.kept) == 0  # the changed item was let go, and nothing read in that transaction was learnt
    with session_scope(engine) as session:
        stage._one(session, session.get(Article, ids[-1]), reading(14, 2))
    assert item_of(engine, ids[-1])[1:] == (3, 3)  # not 4: the rolled-back article is not counted twice
