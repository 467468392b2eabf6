"""The gazetteer: slugs, names, regions, the compiled cache, and resolution of the spelling table."""

from __future__ import annotations

import pytest

from bot.nlp import gazetteer as gz
from bot.nlp import placebuild
from bot.nlp.evaluate import evaluate_places, place_table


@pytest.fixture(scope="module")
def places(cache_dir):
    return gz.shared(cache_dir)


def test_every_slug_is_a_valid_unique_telegram_command(places):
    slugs = [p.slug for p in places.places]
    assert len(slugs) == len(set(slugs)) and all(gz.SLUG.match(s) for s in slugs)
    assert {"kramatorsk", "kharkiv", "zaporizhzhia", "chasiv_yar", "donetsk_oblast", "moscow"} <= set(slugs)


def test_ukraine_down_to_villages_and_places_abroad(places):
    ukraine = [p for p in places.places if p.country == "UA" and p.kind == "city"]
    assert len(ukraine) > 4000 and min(p.population for p in ukraine) <= 600
    assert {p.slug for p in places.places if p.kind == "oblast"} >= {"donetsk_oblast", "luhansk_oblast", "kherson_oblast"}
    for slug in ("belgorod", "kursk", "minsk", "brussels", "moscow"):
        assert places.get(slug).country != "UA"


def test_each_place_has_region_and_coordinates(places):
    kramatorsk = places.get("kramatorsk")
    assert kramatorsk.region == "donetsk_oblast" and kramatorsk.name == "Kramatorsk"
    assert 48 < kramatorsk.lat < 49 and 37 < kramatorsk.lon < 38
    assert places.get("kharkiv").name_nl == "Charkiv"


def test_regions_cover_their_places(places):
    assert "kramatorsk" in places.within("donetsk_oblast")
    assert {"donetsk_oblast", "luhansk_oblast", "kramatorsk", "luhansk"} <= places.within("donbas")
    assert "kharkiv" not in places.within("donetsk_oblast")


def test_every_spelling_in_the_table_resolves_to_its_slug(cache_dir):
    total, wrong = evaluate_places(cache_dir)
    assert total >= 200 and wrong == []
    notes = {note for _, _, note in place_table()}
    assert {"en", "nl", "de", "pl", "uk", "ru", "renamed"} <= notes


def test_ambiguous_names_go_to_the_most_important_place(places):
    assert places.resolve("Lyman").region == "donetsk_oblast"
    assert places.resolve("Donetsk").country == "UA"


def test_the_compiled_file_is_reused_not_rebuilt(tmp_path, monkeypatch):
    first = gz.load(tmp_path)
    files = list(tmp_path.glob("gazetteer-*.pickle"))
    assert len(files) == 1

    def no_rebuild():
        raise AssertionError("the gazetteer was rebuilt although its compiled file exists")

    monkeypatch.setattr(placebuild, "build", no_rebuild)
    second = gz.load(tmp_path)
    assert len(second.places) == len(first.places)


def test_a_damaged_cache_file_is_rebuilt(tmp_path):
    gz.load(tmp_path)
    (path,) = tmp_path.glob("gazetteer-*.pickle")
    path.write_bytes(b"not a pickle")
    assert gz.load(tmp_path).get("kramatorsk") is not None
