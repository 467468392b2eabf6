"""Grouping on a real stream, round six (issue 14): within one language, the forms of an English word
are one term, and a report about places none of an item's reports names does not join on shared
words alone. Reports written for the test."""

from __future__ import annotations

from datetime import date

from bot.items import textvec
from bot.items.group import Features, Profile, decide, places_apart, signature

DAY = date(2023, 5, 4)


def test_the_inflections_of_an_english_word_are_one_term():
    assert textvec.term("drones", "en") == textvec.term("drone", "en") == "drone"
    assert textvec.term("attacked", "en") == textvec.term("attacks", "en") == textvec.term("attacking", "en") == "attack"
    assert textvec.term("casualties", "en") == textvec.term("casualty", "en")
    assert textvec.term("shelling", "en") == textvec.term("shelled", "en") == "shell"
    assert textvec.term("planned", "en") == "plan" and textvec.term("churches", "en") == "church"
    assert textvec.term("houses", "en") == textvec.term("house", "en") == "house"
    assert textvec.term("responses", "en") == textvec.term("response", "en")
    # Derivations are other words: a plane is no plan, an assassination no assassin.
    assert textvec.term("plane", "en") != textvec.term("plan", "en")
    assert textvec.term("assassination", "en") != textvec.term("assassin", "en")
    # A short word keeps its ending, and -ss, -us, -is are no plurals.
    assert textvec.term("news", "en") != textvec.term("new", "en")
    assert textvec.term("uses", "en") == "uses"
    assert [textvec.term(w, "en") for w in ("address", "bonus", "crisis")] == ["address", "bonus", "crisis"]
    # Dutch words stay whole; Polish still by its first letters.
    assert textvec.term("aanvallen", "nl") == "aanvallen" and textvec.term("Sołedarem".lower(), "pl") == "sołeda"


def test_two_headlines_of_one_event_in_other_word_forms_meet():
    a = textvec.vector("Kremlin says drones attacked the palace", "Officials call it an assassination attempt.", "en")
    b = textvec.vector("Drone attack on the palace was an attempt on the leader", "", "en")
    assert textvec.cosine(a, b) > 0.3
    # Different events in the same words' neighbourhood stay apart.
    c = textvec.vector("Grain ship leaves the port of Odesa", "The convoy carries corn to Istanbul.", "en")
    assert textvec.cosine(a, c) < 0.1


def _report(aid: int, words: dict[str, float], places: tuple[tuple[str, int], ...] = ()) -> Features:
    return Features(aid, "en", DAY, DAY, DAY, True, places, (), (), signature(f"report {aid}"), f"h{aid}",
                    ("visit",), terms=tuple(sorted(textvec.normalized(words).items())))


def _item(*reports: Features) -> Profile:
    profile = Profile.new(reports[0])
    for r in reports[1:]:
        profile.add(r)
    return profile


VISIT = {"zelensky": 1.0, "visit": 0.8, "surprise": 0.6, "leaders": 0.5, "summit": 0.4}
COURT = {"zelensky": 1.0, "visit": 0.8, "court": 0.9, "criminal": 0.8, "tribunal": 0.7}  # cosine 0.56 with VISIT


def test_a_report_about_a_place_the_item_never_names_does_not_join_on_shared_words():
    # Three reports of a visit that each name Helsinki once; the next report of a visit names The Hague.
    helsinki = _item(*(_report(n, VISIT, (("helsinki", 1),)) for n in (1, 2, 3)))
    hague = _report(4, COURT, (("the_hague", 1),))
    assert places_apart(hague, helsinki) == 0.5
    assert decide(hague, {1: helsinki}).join is None
    # The same words naming Helsinki too, or naming no place, join.
    assert decide(_report(5, COURT, (("helsinki", 1), ("the_hague", 1))), {1: helsinki}).join == 1
    assert decide(_report(6, COURT), {1: helsinki}).join == 1


def test_a_country_wide_place_or_an_item_naming_no_place_in_common_says_nothing():
    # Ukraine and Russia are named by every report: they are not places apart.
    item = _item(*(_report(n, VISIT, (("ukraine", 2),)) for n in (1, 2, 3)))
    assert places_apart(_report(4, VISIT, (("russia", 1),)), item) == 1.0
    # An item whose reports each name a different town has no place they commonly name.
    scattered = _item(_report(1, VISIT, (("lviv", 1),)), _report(2, VISIT, (("odesa", 1),)),
                      _report(3, VISIT, (("kharkiv", 1),)), _report(7, VISIT, (("dnipro", 1),)))
    assert places_apart(_report(4, VISIT, (("kherson", 1),)), scattered) == 1.0
