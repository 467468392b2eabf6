"""Classes of Dutch reading error seen on real war reports (issue 13, fourth round), each on sentences of
our own: officials known by an office of a town or region, local bodies seated in occupied areas,"""

from __future__ import annotations

import pytest

from tests.helpers import speaker_claims


@pytest.fixture(scope="module")
def reading(cache_dir):
    return lambda text: speaker_claims(cache_dir, text, "nl")


def _sides(claims: list[dict]) -> list[tuple[str, str]]:
    return [(c["speaker"]["text"], c["side"]) for c in claims]


def test_an_official_of_a_region_named_in_an_apposition(reading):
    text = ("Petro Koval, het hoofd van de dienst Wegen en Bruggen van de regio Charkiv, nam ons mee naar de brug. "
            "De herstelwerkzaamheden duren tot de winter, zegt Koval. Ook Koval verwacht nieuwe aanvallen.")
    assert _sides(reading(text)) == [("Koval", "UA"), ("Koval", "UA")]


def test_an_office_of_a_town_after_the_speaker(reading):
    (claim,) = reading("De scholen blijven dicht, meldt de directeur van het onderwijsbureau van de stad Mykolajiv.")
    assert claim["side"] == "UA"


def test_a_citizen_of_a_region_speaks_for_no_side(reading):
    text = "Olha Bondar, een inwoner van de regio Sumy, was thuis. Het werd een lange nacht, zegt Bondar."
    assert _sides(reading(text)) == [("Bondar", "other")]


def test_a_local_body_seated_in_an_occupied_area_is_the_occupiers(reading):
    (claim,) = reading("Volgens de plaatselijke autoriteiten in het bezette deel van de regio Zaporizja is de stroom uitgevallen.")
    assert claim["side"] == "RU"


def test_a_mayor_of_an_occupied_town_is_not_placed_by_the_occupation(reading):
    (claim,) = reading("De burgemeester van het bezette Melitopol zegt dat de stroom al dagen uitvalt.")
    assert claim["side"] == "UA"
