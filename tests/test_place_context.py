"""Places decided by context (issue 13, deliver 7), one class of error per test, on sentences of our own."""

from __future__ import annotations

import pytest


def _places(reader, text: str, lang: str) -> list[tuple[str, str]]:
    """(text as written, slug) of every place mention, in order."""
    found = [(m["start"], m["text"], p["slug"]) for p in reader(text, lang)["places"] for m in p["mentions"]]
    return [(t, s) for _, t, s in sorted(found)]


@pytest.mark.parametrize("text", [
    "Trade between China and Iran grew, officials in Beijing said.",       # a country is no Ichnia
    "Email our editors with your questions about the war.",                # an English word is no Izmail
    "The Ghost of the front is a story told by soldiers.",                 # nor is "Ghost" Khust
])
def test_english_words_and_foreign_countries_are_no_ukrainian_places(reader, text):
    assert [s for _, s in _places(reader, text, "en") if s not in ("beijing",)] == []


@pytest.mark.parametrize("text, lang", [
    ("Sergei Aksyonov said the road was closed.", "en"),
    ("Vladimir Medinsky has said the talks are over.", "en"),
    ("Gen. Roman Petrenko visited the troops.", "en"),
    ("Volgens Serhej Chlan is de brug geraakt.", "nl"),
    ("Dat zei president Petro Kotin van het bedrijf.", "nl"),
])
def test_people_named_like_places_are_people(reader, text, lang):
    assert _places(reader, text, lang) == []


@pytest.mark.parametrize("text, lang", [
    ("The Kyiv Independent reported three explosions.", "en"),
    ("The Washington Post said the report was wrong.", "en"),
    ("Shakhtar Donetsk won the match on Sunday.", "en"),
    ("Het vlaggenschip Moskva zonk in april.", "nl"),
    ("Eerder zonk de Moskva na een aanval.", "nl"),
])
def test_bodies_and_ships_named_after_places_are_no_places(reader, text, lang):
    assert _places(reader, text, lang) == []


def test_a_city_in_the_news_still_counts_after_an_article_when_a_noun_follows(reader):
    assert _places(reader, "The Kerch Bridge was closed after the blast.", "en") == [("Kerch", "kerch")]
    assert ("Kyiv", "kyiv") in _places(reader, "Officials said the Kyiv government would answer.", "en")


def test_region_words_over_a_list_make_every_name_an_oblast(reader):
    found = _places(reader, "Russia shelled the Kherson, Zaporizhzhia and Donetsk regions overnight.", "en")
    assert [s for _, s in found if s != "russia"] == ["kherson_oblast", "zaporizhzhia_oblast", "donetsk_oblast"]
    found = _places(reader, "De Russen richten zich op de regio's Loehansk en Charkiv.", "nl")
    assert [s for _, s in found] == ["luhansk_oblast", "kharkiv_oblast"]


def test_a_point_or_a_city_word_keeps_the_city(reader):
    assert _places(reader, "Fighting went on near Donetsk all day.", "en") == [("Donetsk", "donetsk")]
    assert _places(reader, "Er werd gevochten in de industriestad Donetsk.", "nl") == [("Donetsk", "donetsk")]
    assert _places(reader, "Shelling was reported in Donetsk, officials said.", "en") == [("Donetsk", "donetsk_oblast")]


def test_the_dnipro_after_an_article_is_the_river_and_the_city_otherwise(reader):
    assert _places(reader, "Troops crossed the Dnipro at night.", "en") == [("Dnipro", "dnipro_river")]
    assert _places(reader, "De bruggen over de Dnjepr zijn vernield.", "nl") == [("Dnjepr", "dnipro_river")]
    assert _places(reader, "Raketten troffen de stad Dnipro.", "nl") == [("Dnipro", "dnipro")]
    assert _places(reader, "A missile hit Dnipro on Friday.", "en") == [("Dnipro", "dnipro")]


def test_dutch_compounds_and_genitives_resolve(reader):
    found = _places(reader, "Het Cherson-offensief begon in de Donbas-regio, bij de Olenivka-gevangenis.", "nl")
    assert found == [("Cherson", "kherson_oblast"), ("Donbas", "donbas"), ("Olenivka", "olenivka")]
    assert _places(reader, "Ruslands opmars gaat door.", "nl") == [("Rusland", "russia")]
    assert _places(reader, "De LPR-strijdkrachten trokken zich terug.", "nl") == []


def test_a_region_the_gazetteer_does_not_hold_is_not_its_city(reader):
    found = _places(reader, "Drones were downed over the Bryansk and Oryol regions.", "en")
    assert found == [("Bryansk", "bryansk_oblast")]


def test_a_near_spelling_is_still_found_in_dutch_alone_but_not_inside_a_name(reader):
    assert _places(reader, "De Russen naderen Lysytsjansk.", "nl") == [("Lysytsjansk", "lysychansk")]
    assert _places(reader, "Het leger kreeg de Phoenix Ghost uit Amerika.", "nl") == []
