"""Items in storage on both databases: places (with regions), dates, latest, merges, and the JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.cli.groupeval import Labelled, store_labelled
from bot.items import lookup
from bot.items.stages import ReadAndGroup
from bot.nlp.gazetteer import shared
from storage import itemqueries as q
from storage import lookups
from storage.db import session_scope
from storage.models import Item
from tests.helpers import Clock


def _at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


ARTICLES = [
    Labelled("a", "en", _at("2023-01-08", 10), "Kyiv Wire", "Russia claims 600 killed in Kramatorsk",
             "Russia's defence ministry said on Sunday it had killed 600 Ukrainian soldiers in Kramatorsk. "
             "Ukraine denied that any soldiers were killed."),
    Labelled("a", "nl", _at("2023-01-08", 11), "Dagkrant", "Rusland: 600 doden in Kramatorsk",
             "Rusland beweert dat het zondag 600 Oekraïense soldaten heeft gedood in Kramatorsk. Kiev ontkent."),
    Labelled("b", "en", _at("2023-01-09", 9), "Kyiv Wire", "Missile hits industrial site in Kharkiv",
             "A Russian missile hit an industrial site in Kharkiv overnight, governor Oleh Syniehubov said."),
    Labelled("c", "en", _at("2023-01-14", 18), "Kyiv Wire", "Missile hits apartment block in Dnipro",
             "A Russian missile hit an apartment block in Dnipro on Saturday, killing 12 people, officials said."),
]


@pytest.fixture
def loaded(engine, cache_dir):
    clock = Clock(_at("2023-01-15"))
    ids = store_labelled(engine, ARTICLES)
    ReadAndGroup(engine, cache_dir, clock=clock).process(ids)
    return engine, shared(cache_dir), ids


def test_articles_of_one_event_share_an_item_with_all_their_claims(loaded):
    engine, gazetteer, ids = loaded
    with session_scope(engine) as session:
        result = lookup.by_place(session, gazetteer, "Kramatorsk")
    (item,) = result["items"]
    assert result["place"] == {"slug": "kramatorsk", "name": "Kramatorsk"}
    assert {a["language"] for a in item["articles"]} == {"en", "nl"} and item["disputed"]
    sides = {(c["side"], c["stance"]) for c in item["claims"]}
    assert ("RU", "assert") in sides and ("UA", "deny") in sides
    russian = next(c for c in item["claims"] if c["side"] == "RU" and c["numbers"])
    assert russian["numbers"][0]["value"] == 600.0 and russian["disputed"]
    assert russian["article_url"].startswith("https://") and russian["outlet"]


def test_any_spelling_and_a_region_find_the_item(loaded):
    engine, gazetteer, _ = loaded
    with session_scope(engine) as session:
        by_region = lookup.by_place(session, gazetteer, "donetsk_oblast")
        by_area = lookup.by_place(session, gazetteer, "Donbas")
        by_dutch = lookup.by_place(session, gazetteer, "Charkov")
        nothing = lookup.by_place(session, gazetteer, "Lviv")
    assert [i["title"] for i in by_region["items"]] == [i["title"] for i in by_area["items"]] != []
    assert by_dutch["place"]["slug"] == "kharkiv" and len(by_dutch["items"]) == 1
    assert nothing["items"] == []


def test_an_unknown_place_gets_suggestions(loaded):
    engine, gazetteer, _ = loaded
    with session_scope(engine) as session, pytest.raises(lookup.UnknownPlace) as raised:
        lookup.by_place(session, gazetteer, "Kramatorks")
    assert raised.value.suggestions[0].slug == "kramatorsk"


def test_items_by_event_date_and_range(loaded):
    engine, gazetteer, _ = loaded
    with session_scope(engine) as session:
        sunday = lookup.by_date(session, gazetteer, date(2023, 1, 8), date(2023, 1, 8))
        week = lookup.by_date(session, gazetteer, date(2023, 1, 7), date(2023, 1, 14))
        empty = lookup.by_date(session, gazetteer, date(2022, 1, 1), date(2022, 1, 2))
    assert any("Kramatorsk" in i["title"] for i in sunday["items"])
    assert len(week["items"]) == 3 and week["date"] == "2023-01-07/2023-01-14"
    assert empty["items"] == []


def test_latest_and_updated_since(loaded):
    engine, _, _ = loaded
    with session_scope(engine) as session:
        assert len(q.latest_items(session, limit=10)) == 3
        assert q.latest_items(session, since=_at("2023-01-16")) == []
        assert len(q.latest_items(session, since=_at("2023-01-14"))) == 3


def test_a_headline_is_built_from_claims_where_no_article_has_the_language(loaded):
    engine, gazetteer, _ = loaded
    with session_scope(engine) as session:
        dutch = lookup.by_place(session, gazetteer, "Dnipro", lang="nl")["items"][0]["title"]
        english = lookup.by_place(session, gazetteer, "Kramatorsk", lang="en")["items"][0]["title"]
    assert english == "Kramatorsk: Russia claims 600 killed; Ukraine denies"  # disputed: who claims what
    assert dutch.startswith("Dnipro:") or dutch == "Missile hits apartment block in Dnipro"


def test_syndicated_copies_fold_into_one_entry(engine, cache_dir):
    copy = ARTICLES[0]
    ids = store_labelled(engine, [copy, Labelled("a", "en", copy.published + timedelta(minutes=5), "Baltic Herald",
                                                 copy.title, copy.text)])
    ReadAndGroup(engine, cache_dir).process(ids)
    with session_scope(engine) as session:
        (item,) = lookup.by_place(session, shared(cache_dir), "Kramatorsk")["items"]
    (entry,) = item["articles"]
    assert {entry["outlet"], *(c["outlet"] for c in entry["copies"])} == {"Kyiv Wire (sample)", "Baltic Herald (sample)"}


def test_merged_items_point_to_their_survivor(engine, cache_dir):
    ids = store_labelled(engine, ARTICLES[:1])
    ReadAndGroup(engine, cache_dir).process(ids)
    with session_scope(engine) as session:
        (kept,) = q.latest_items(session)
        extra = q.new_item(session, kept.created_at, kept.profile, kept.event_first, kept.event_last)
        q.merge(session, kept.id, extra, (0, kept.created_at))
    with session_scope(engine) as session:
        assert session.get(Item, extra).merged_into == kept.id
        assert [i.id for i in q.latest_items(session)] == [kept.id]


def test_query_command_prints_the_json_shape(loaded, monkeypatch, capsys, cache_dir):
    engine, _, _ = loaded
    from bot.cli.main import main

    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":  # the command opens its own engine: send it to this test's schema
        with engine.connect() as conn:
            url += f"?options=-csearch_path%3D{conn.execute(text('SELECT current_schema()')).scalar_one()}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    assert main(["query", "place", "Kramatorsk", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    item = result["items"][0]
    assert set(result["place"]) >= {"slug", "name"}
    assert set(item) >= {"id", "title", "event_date", "disputed", "articles", "claims"}
    assert set(item["articles"][0]) >= {"url", "outlet", "language", "title", "published"}
    assert set(item["claims"][0]) >= {"speaker", "actor", "side", "stance", "text", "numbers", "event_date",
                                      "article_url", "outlet"}
    assert main(["query", "date", "8", "januari", "2023", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["date"] == "2023-01-08"
    assert main(["query", "place", "Kramatorks"]) == 1
    assert "Did you mean: Kramatorsk (/kramatorsk)" in capsys.readouterr().err
    assert main(["query", "date", "someday"]) == 2


def test_an_article_in_a_language_without_a_reader_is_still_grouped(engine, cache_dir):
    german = Labelled("x", "de", _at("2023-01-08"), "Tagesblatt", "Raketenangriff auf Kramatorsk",
                      "Russland meldet einen Angriff auf Kramatorsk mit 600 Toten.")
    ids = store_labelled(engine, [german])
    assert ReadAndGroup(engine, cache_dir).process(ids) == 1
    with session_scope(engine) as session:
        (item,) = q.latest_items(session)
        assert item.titles == {"de": "Raketenangriff auf Kramatorsk"}
        assert q.unread_article_ids(session) == []


def test_a_failing_article_is_recorded_and_the_others_go_on(engine, cache_dir, monkeypatch):
    ids = store_labelled(engine, ARTICLES[:3])
    stage = ReadAndGroup(engine, cache_dir)
    real = stage._one

    def flaky(session, article, reading):
        if "Kharkiv" in article.title:
            raise RuntimeError("a reader bug")
        return real(session, article, reading)

    monkeypatch.setattr(stage, "_one", flaky)
    assert stage.process(ids) == 3
    with session_scope(engine) as session:
        assert len(q.latest_items(session)) == 1  # the Kramatorsk item, from two articles
        assert q.unread_article_ids(session) == []  # the failed one is marked, not retried forever
        from storage.models import Article

        failed = session.get(Article, ids[2])
        assert "a reader bug" in failed.read_error and failed.item_id is None


def test_a_large_region_is_walked_newest_first(loaded, monkeypatch):
    engine, gazetteer, _ = loaded
    monkeypatch.setattr(lookups, "REGION_SCAN", 1)  # what a region with thousands of items takes
    with session_scope(engine) as session:
        walked = lookup.by_place(session, gazetteer, "donetsk_oblast")
    monkeypatch.setattr(lookups, "REGION_SCAN", 10_000)
    with session_scope(engine) as session:
        listed = lookup.by_place(session, gazetteer, "donetsk_oblast")
    assert [i["id"] for i in walked["items"]] == [i["id"] for i in listed["items"]] != []
