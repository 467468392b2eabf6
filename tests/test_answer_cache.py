"""Answers kept for the next reader (handlers.answercache): the same question again costs one index
probe and gives the same bytes; any change of an item, or a new item, drops what was kept; a kept
answer is the caller's to change; an answer still waiting for a translation is not kept. On the
real databases, no timing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, update

from bot.digests.replies import Reply
from bot.nlp.gazetteer import shared
from handlers import places
from handlers.answercache import AnswerCache
from handlers.context import Desk, Incoming
from storage.db import session_scope
from storage.models import Article, Claim, Item
from tests.helpers import statements
from tests.test_answer_costs import DAY
from tests.answerkit import page
from tests.test_costs import fill_items


def desk(engine, cache_dir) -> Desk:
    gazetteer = shared(cache_dir)
    return Desk(engine, lambda: gazetteer)


def text(replies: list[Reply]) -> str:
    return "\n".join(r.text + repr(r.buttons) for r in replies)


def test_the_same_question_again_is_one_statement_and_the_same_bytes(engine, cache_dir):
    fill_items(engine, 400)
    front = desk(engine, cache_dir)
    first = text(places.show_date(front, "en", DAY, DAY, 1))
    sent = statements(engine, lambda _: places.show_date(front, "en", DAY, DAY, 1))
    assert len(sent) == 1 and "max(" in sent[0].lower(), sent  # the store's mark, nothing else
    assert text(places.show_date(front, "en", DAY, DAY, 1)) == first
    assert text(places.show_date(desk(engine, cache_dir), "en", DAY, DAY, 1)) == first  # as made afresh
    assert len(statements(engine, lambda _: places.show_date(front, "nl", DAY, DAY, 1))) > 1  # another language


def test_a_kept_answer_is_dropped_when_one_of_its_items_changes(engine, cache_dir):
    fill_items(engine, 400)
    front = desk(engine, cache_dir)
    before = text(places.show_date(front, "en", DAY, DAY, 1))
    with session_scope(engine) as session:  # what grouping does when an article joins: new title, new time
        newest = session.execute(Item.__table__.select().order_by(Item.updated_at.desc()).limit(1)).one()
        session.execute(update(Item).where(Item.id == 59).values(titles={"en": "Item 59, now with more"},
                                                                 updated_at=newest.updated_at.replace(year=2030)))
    after = text(places.show_date(front, "en", DAY, DAY, 1))
    assert "Item 59, now with more" in after and after != before
    assert after == text(places.show_date(desk(engine, cache_dir), "en", DAY, DAY, 1))


def test_a_new_item_drops_kept_answers_even_when_the_clock_has_not_moved(engine, cache_dir):
    fill_items(engine, 400)
    front = desk(engine, cache_dir)
    before = text(places.show_date(front, "en", DAY, DAY, 1))
    with session_scope(engine) as session:
        newest = session.execute(Item.__table__.select().order_by(Item.updated_at.desc()).limit(1)).one()
        session.execute(insert(Item), [{"id": 401, "created_at": newest.updated_at, "updated_at": newest.updated_at,
                                        "event_first": DAY, "event_last": DAY, "titles": {"en": "Item 401"},
                                        "article_count": 1, "disputed": False, "profile": {}}])
        session.execute(insert(Article), [{"id": 401, "feed_id": 1, "identity": "q401", "content_hash": "h401",
                                           "title": "Item 401", "summary": "", "text": "", "item_id": 401,
                                           "fetched_at": newest.updated_at, "published_at": newest.updated_at,
                                           "features": {}}])
        session.execute(insert(Claim), [{"article_id": 401, "item_id": 401, "position": 0, "stance": "assert",
                                         "actor": "ua.government", "side": "UA", "content": "", "event_date": DAY,
                                         "numbers": [], "places": [], "carried": False, "disputed": False,
                                         "unverified": False}])
    after = text(places.show_date(front, "en", DAY, DAY, 1))
    assert "3 items" in after and "2 items" in before


def test_a_kept_answer_is_the_callers_to_change(engine, cache_dir):
    fill_items(engine, 400)
    front = desk(engine, cache_dir)
    typed = places.date_(front, Incoming(1, "/date 1 March 2023"), "1 March 2023")
    assert "March 1, 2023" in typed[0].text.split("\n")[0]  # the day as read, put before the kept answer
    again = places.show_date(front, "en", DAY, DAY, 1)
    assert again[0].text == typed[0].text.split("\n\n", 1)[1]
    again[0].buttons.append([("x", "y")])
    assert places.show_date(front, "en", DAY, DAY, 1)[0].buttons != again[0].buttons


def test_the_cache_keeps_at_most_its_size_the_least_recently_asked_leaving_first():
    cache = AnswerCache(size=2)
    for key in ("a", "b"):
        cache.put(key, 1, [Reply(key)])
    assert cache.get("a", 1)[0].text == "a"
    cache.put("c", 1, [Reply("c")])
    assert len(cache) == 2 and cache.get("b", 1) is None and cache.get("a", 1) is not None
    assert cache.get("a", 2) is None and cache.get("a", 1) is None  # another mark: dropped for good


def test_an_answer_that_still_waits_for_a_translation_is_not_kept(sloviansk):
    from bot.digests import translate
    from tests.translateserver import TranslateServer

    engine, gazetteer = sloviansk
    server = TranslateServer().start()
    server.stop()  # the translator finds nobody there
    front = Desk(engine, lambda: gazetteer, translator=translate.Translator(server.url, timeout=0.3, cooldown=0))
    places.show_place(front, "en", "sloviansk", 1)
    assert len(front.answers) == 0
    plain = Desk(engine, lambda: gazetteer)
    places.show_place(plain, "en", "sloviansk", 1)
    assert len(plain.answers) == 1  # without a translator, the answer is final at once
