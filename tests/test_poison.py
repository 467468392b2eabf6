"""A poison article (one that makes reading raise, or kills the process reading it) costs only
itself: date resolution is total for any publication date, the stage reads a failed batch again one
by one, records the failure once on the article, and goes on; nothing is retried forever."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from bot.items import stages
from bot.cli.main import main
from bot.ingest.feeds import FeedSpec
from bot.ingest.identity import content_hash
from bot.nlp.dates import parse_day, resolve_day_month, resolve_relative, resolve_weekday
from bot.items.stages import MAX_ATTEMPTS, ReadAndGroup
from storage import itemqueries as q
from storage import queries
from storage.db import session_scope
from storage.models import Article

EDGES = [date.min, date(1, 1, 7), date(9999, 12, 25), date.max]
PHRASES = ["on Tuesday", "yesterday", "on 31 December", "earlier this month", "around new year", "last month"]
NOW = datetime(2023, 1, 9, 12, tzinfo=UTC)
GOOD = "Russia's defence ministry said it had killed 600 Ukrainian soldiers in Kramatorsk on Sunday."


@pytest.mark.parametrize("published", EDGES)
def test_date_resolution_never_raises_at_the_ends_of_the_calendar(published, reader):
    tuesday = resolve_weekday(1, published)
    assert tuesday is None or (tuesday.weekday() == 1 and tuesday <= published)
    for value in (-1, 1, ["month_start", 0], ["last_month_start", "last_month_end"], ["new_year_eve", "new_year"]):
        resolve_relative(value, published)
    resolve_day_month(31, 12, None, published)
    for phrase in PHRASES:  # all of them in one article, in both languages
        reading = reader(f"Kramatorsk was shelled {phrase}, the governor said.", "en", published)
        assert reading["published"] == published.isoformat()
    reader("Kramatorsk werd gisteren en op dinsdag 31 december beschoten.", "nl", published)
    found = parse_day("yesterday", published)
    assert found is None or found[0] < published


def test_resolvers_still_resolve_ordinary_days():
    sunday = date(2023, 1, 8)
    assert resolve_weekday(1, sunday) == date(2023, 1, 3)
    assert resolve_relative(-1, sunday) == (date(2023, 1, 7),) * 2
    assert resolve_day_month(31, 12, None, sunday) == date(2022, 12, 31)
    assert resolve_relative(-1, date.min) is None and resolve_weekday(1, date.min) is None


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_extract_with_a_publication_date_at_the_end_of_the_calendar(published, tmp_path, monkeypatch, cache_dir, capsys):
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    path = tmp_path / "article.txt"
    path.write_text("Kramatorsk was shelled yesterday and on Tuesday; the attack began on 31 December.")
    assert main(["extract", str(path), "--lang", "en", "--published", published]) == 0
    assert "Kramatorsk" in capsys.readouterr().out


def _store(engine, entries: list[tuple[str, datetime | None]]) -> list[int]:
    """Articles (text, publication time) of one feed, fetched at NOW; their ids."""
    with session_scope(engine) as session:
        feed = queries.upsert_feed(session, FeedSpec(url="https://example.test/poison", name="Poison"), NOW).id
        rows = [{"feed_id": feed, "identity": f"p{n}", "url": f"https://example.test/{n}", "link": None, "guid": None,
                 "content_hash": content_hash(f"t{n}", text), "title": f"Report {n}", "summary": "", "text": text,
                 "author": None, "language": "en", "published_at": published, "fetched_at": NOW}
                for n, (text, published) in enumerate(entries)]
        return queries.insert_articles(session, rows)


def _articles(engine, ids: list[int]) -> list[Article]:
    with session_scope(engine) as session:
        return list(session.exec(select(Article).where(Article.id.in_(ids)).order_by(Article.id)))


def test_articles_dated_at_the_ends_of_the_calendar_are_read_and_grouped(engine, cache_dir):
    poison = "Kramatorsk was shelled on Tuesday and yesterday, and on 31 December."
    ids = _store(engine, [(GOOD, NOW), (poison, datetime(9999, 12, 31, tzinfo=UTC)),
                          (poison, datetime(1, 1, 1, tzinfo=UTC)), (GOOD + " Kharkiv too.", NOW)])
    assert ReadAndGroup(engine, cache_dir, clock=lambda: NOW).process(ids) == 4
    articles = _articles(engine, ids)
    assert all(a.read_at and a.read_error is None and a.item_id for a in articles)
    # a publication date the fetch contradicts: the day it was fetched stands in
    assert {a.features["published"] for a in articles} == {"2023-01-09"}


def test_an_article_whose_reading_raises_is_recorded_once_and_the_batch_goes_on(engine, cache_dir, monkeypatch):
    ids = _store(engine, [(GOOD, NOW), ("POISON in Kramatorsk.", NOW), (GOOD + " Bakhmut too.", NOW)])
    real, seen = stages.read, []

    def reader(articles, cache):
        articles = list(articles)
        seen.append(len(articles))
        if any("POISON" in a.text for a in articles):
            raise OverflowError("date value out of range")
        return real(articles, cache)

    monkeypatch.setattr(stages, "read", reader)
    stage = ReadAndGroup(engine, cache_dir, clock=lambda: NOW)
    assert stage.process(ids) == 3
    good, bad, other = _articles(engine, ids)
    assert good.item_id and other.item_id and bad.item_id is None
    assert "date value out of range" in bad.read_error and bad.read_at == NOW
    assert seen == [3, 1, 1, 1]  # the batch, then each article alone
    assert stage.process(ids) == 0 and seen == [3, 1, 1, 1]  # not retried
    with session_scope(engine) as session:
        assert queries.unread_articles(session) == [] and q.unread_article_ids(session) == []


class Killed(BaseException):
    """Stands for the process dying while it reads (SIGKILL, out of memory): no handler runs."""


def test_an_article_that_kills_its_reader_is_given_up_after_a_few_tries(engine, cache_dir, monkeypatch):
    ids = _store(engine, [(GOOD, NOW), ("DEADLY in Kramatorsk.", NOW), (GOOD + " Odesa too.", NOW)])
    real = stages.read

    def reader(articles, cache):
        articles = list(articles)
        if any("DEADLY" in a.text for a in articles):
            raise Killed()
        return real(articles, cache)

    monkeypatch.setattr(stages, "read", reader)
    stage = ReadAndGroup(engine, cache_dir, clock=lambda: NOW)
    with pytest.raises(Killed):  # the first run dies with the whole batch unread
        stage.process(ids)
    for _ in range(MAX_ATTEMPTS):  # the later runs read the others alone, and die only on it
        try:
            stage.process(ids)
        except Killed:
            pass
    good, deadly, other = _articles(engine, ids)
    assert good.item_id and other.item_id
    assert deadly.item_id is None and "never finished" in deadly.read_error
    assert deadly.read_attempts == MAX_ATTEMPTS
    assert stage.process(ids) == 0
