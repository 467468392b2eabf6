"""What one answer costs does not grow with what it could show (issue 17): a look-up is a fixed
number of statements whatever its number of items and claims, a bot answer describes only the
items of the page it shows, and a command writes nothing when no question waits for its chat (a
write would queue behind the digests' for SQLite's write lock). Counted on the real databases, no timing."""

from __future__ import annotations

from datetime import date

from bot.items import lookup
from bot.nlp.gazetteer import shared
from handlers import places
from handlers.context import Desk, Incoming
from storage import lookups
from tests.helpers import statements
from tests.test_costs import fill_items

DAY = date(2023, 3, 1)  # fill_items puts items/200 items on each day


def test_a_lookup_sends_as_many_statements_for_10_items_as_for_2(engine, cache_dir):
    fill_items(engine, 2000)
    gazetteer = shared(cache_dir)
    found: dict[int, dict] = {}

    def by_date(limit: int):
        return lambda session: found.setdefault(limit, lookup.by_date(session, gazetteer, DAY, DAY, limit=limit))

    few, many = statements(engine, by_date(2)), statements(engine, by_date(20))
    assert len(found[2]["items"]) == 2 and len(found[20]["items"]) == 10
    assert sum(len(i["claims"]) for i in found[20]["items"]) == 100
    assert len(few) == len(many) == 3, many  # the items, their articles, their claims (translations joined)
    by_place = statements(engine, lambda s: lookup.describe_items(
        s, gazetteer, lookups.items_for_places(s, ["town7"], ["oblast3"], 20), "en"))
    assert len(by_place) == 4, by_place  # a probe of the region's size, then the same three


def test_a_bot_answer_describes_only_the_page_it_shows(engine, cache_dir, monkeypatch):
    fill_items(engine, 2000)
    gazetteer = shared(cache_dir)
    described: list[int] = []
    describe = lookup.describe_items

    def counted(session, gazetteer, items, lang):
        described.append(len(items))
        return describe(session, gazetteer, items, lang)

    monkeypatch.setattr(lookup, "describe_items", counted)
    sent = {}
    for items in (3, 30):
        monkeypatch.setattr(places, "ANSWER_ITEMS", items)
        desk = Desk(engine, lambda: gazetteer)
        sent[items] = statements(engine, lambda _: places.show_date(desk, "en", DAY, DAY, 2))
    (reply,) = places.show_date(Desk(engine, lambda: gazetteer), "en", DAY, DAY, 2)
    assert described == [1, 2, 2]  # page 2 of 3 items shows the third; of 10, two
    assert len(sent[3]) == len(sent[30]), sent[30]
    assert "10 items" in reply.text and "page 2 of 5" in reply.text  # the header counts all 10, in 5 pages


def test_a_command_with_no_question_waiting_writes_nothing(engine, cache_dir):
    gazetteer = shared(cache_dir)
    front, msg = Desk(engine, lambda: gazetteer), Incoming(5, "/kramatorsk")
    sent = statements(engine, lambda _: front.expected(msg))  # every command in a private chat asks this
    assert sent and not [s for s in sent if s.lstrip().upper().startswith(("DELETE", "UPDATE", "INSERT"))], sent
    front.expect(msg, "place")
    assert front.expected(msg) == "place" and front.expected(msg) is None  # asked once only, as before
