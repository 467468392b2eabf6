"""Grouping a batch of read articles in one transaction (issue 17): the commits do not follow the
number of articles, and an article whose grouping fails costs only itself: the batch's transaction
is let go whole and each article is grouped alone, so nothing of the failed attempt is kept or
counted twice. Counted, never timed."""

from __future__ import annotations

import re

from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from bot.items import stages
from bot.items.stages import ReadAndGroup
from storage.db import session_scope
from storage.models import Article, Claim, Item
from tests.test_costs_grouping import add_articles, reading


def canned(story: int):
    """A stand-in for reading: each article's reading by its number (the own{n} word of its text)."""
    def read(articles, cache_dir):
        return [reading(story, int(re.search(r"own(\d+)", a.text).group(1))) for a in articles]
    return read


def commits_grouping(engine, cache_dir, monkeypatch, story: int, count: int) -> int:
    """The commits one stage run sends reading and grouping `count` new articles of a story."""
    ids = add_articles(engine, story, count)
    monkeypatch.setattr(stages, "read", canned(story))
    stage, seen = ReadAndGroup(engine, cache_dir), []

    def count_commit(conn) -> None:
        seen.append(conn)

    event.listen(engine, "commit", count_commit)
    try:
        assert stage.process(ids) == count
    finally:
        event.remove(engine, "commit", count_commit)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).where(Article.id.in_(ids), Article.item_id.is_not(None))) == count
    return len(seen)


def test_a_batch_of_12_articles_commits_as_often_as_a_batch_of_3(engine, cache_dir, monkeypatch):
    assert commits_grouping(engine, cache_dir, monkeypatch, 5, 3) == commits_grouping(engine, cache_dir, monkeypatch, 6, 12)


def test_an_article_whose_grouping_fails_costs_only_itself(engine, cache_dir, monkeypatch):
    ids = add_articles(engine, 7, 6)
    poison = ids[3]
    monkeypatch.setattr(stages, "read", canned(7))
    real, tried = stages.group.decide, []

    def decide(features, candidates):
        tried.append(features.article_id)
        if features.article_id == poison:
            raise ValueError("no such item")
        return real(features, candidates)

    monkeypatch.setattr(stages.group, "decide", decide)
    assert ReadAndGroup(engine, cache_dir).process(ids) == 6
    assert tried == ids[:4] + ids  # together up to the poison, then each alone
    with session_scope(engine) as session:
        articles = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(ids)))}
        assert "no such item" in articles[poison].read_error and articles[poison].item_id is None
        (item_id,) = {a.item_id for i, a in articles.items() if i != poison}
        item = session.get(Item, item_id)
        # What the failed attempt did (three articles joined, their claims stored) is not kept twice.
        assert item.article_count == item.profile["articles"] == 5
        stored = session.scalar(select(func.count()).select_from(Claim).where(Claim.item_id == item_id))
        assert stored == sum(len(reading(7, n)["claims"]) for n in (0, 1, 2, 4, 5))


class Deadlock(Exception):
    """What psycopg raises when PostgreSQL lets a transaction go in a deadlock (its SQLSTATE)."""

    sqlstate = "40P01"


def test_a_batch_that_deadlocks_with_another_process_is_grouped_one_by_one(engine, cache_dir, monkeypatch):
    ids = add_articles(engine, 8, 4)
    monkeypatch.setattr(stages, "read", canned(8))
    real, raised = stages.group.decide, []

    def decide(features, candidates):
        if features.article_id == ids[2] and not raised:  # the other process's rows, once
            raised.append(features.article_id)
            raise OperationalError("UPDATE item …", {}, Deadlock("deadlock detected"))
        return real(features, candidates)

    monkeypatch.setattr(stages.group, "decide", decide)
    assert ReadAndGroup(engine, cache_dir).process(ids) == 4
    with session_scope(engine) as session:
        articles = list(session.scalars(select(Article).where(Article.id.in_(ids))))
        assert all(a.item_id and a.read_error is None for a in articles)
        (item_id,) = {a.item_id for a in articles}
        assert session.get(Item, item_id).article_count == 4
