"""Grouping's rules across languages, one by one: the item's main place by its reports, a counted
number on that place within the week, a subject against a conflicting one, a subject of the next day
with two agreeing facts, evidence weighed against the other language's reports, and our own war
concepts and usual names."""

from __future__ import annotations

from datetime import date

from bot.items import anchors
from bot.items.evidence import cross_score, same_language_facts, subject_conflict, when
from bot.items.group import Features, decide
from tests import groupkit
from tests.groupkit import item

DAY = date(2023, 1, 8)


def report(aid: int, lang: str, day: date = DAY, **facts) -> Features:
    """A report of this module's day (tests/groupkit.py)."""
    return groupkit.report(aid, lang, day, **facts)


def test_a_counted_number_on_the_items_main_place_joins_a_later_undated_report():
    strike = item(*(report(n, "en", date(2023, 1, 1), places=(("makiivka", 3),), numbers=((89.0, "killed"),))
                    for n in (1, 2)))
    later = report(3, "nl", explicit=False, published=date(2023, 1, 4), places=(("makiivka", 2),),
                   numbers=((89.0, "killed"),))
    other_count = report(4, "nl", explicit=False, published=date(2023, 1, 4), places=(("makiivka", 2),),
                         numbers=((12.0, "wounded"),))
    assert same_language_facts(later, strike, when(later, strike)) >= 0.5
    assert same_language_facts(other_count, strike, when(other_count, strike)) == 0.0


def test_a_place_one_report_names_beside_the_main_one_is_not_the_items():
    bakhmut = item(*(report(n, "en", places=(("bakhmut", 3),), figures=(40.0,)) for n in (1, 2, 3)),
                   report(4, "en", places=(("bakhmut", 3), ("soledar", 2)), figures=(40.0,)))
    soledar = report(5, "pl", places=(("soledar", 2),), figures=(40.0,))
    assert bakhmut.main_place() == "bakhmut"
    assert cross_score(soledar, bakhmut, when(soledar, bakhmut)) == 0.0


def test_a_report_about_one_subject_does_not_join_next_day_an_item_about_another():
    shells = item(*(report(n, "nl", places=(("kherson", 3),), concepts=("incendiary",), names=("chers",))
                    for n in (1, 2)))
    truce = report(3, "en", date(2023, 1, 9), places=(("kherson", 2),), concepts=("ceasefire",), names=("chers",))
    assert subject_conflict(truce, shells)
    assert cross_score(truce, shells, when(truce, shells)) == 0.0


def test_a_subject_joins_on_the_next_day_with_two_agreeing_facts_and_not_with_one():
    declared = item(report(1, "en", concepts=("ceasefire",), actors=("ru.kremlin",), figures=(36.0,)),
                    report(2, "en", concepts=("ceasefire",), actors=("ru.kremlin",), figures=(36.0,)))
    two_facts = report(3, "nl", date(2023, 1, 9), concepts=("ceasefire",), actors=("ru.kremlin",), figures=(36.0,))
    one_fact = report(4, "nl", date(2023, 1, 9), concepts=("ceasefire",), actors=("ru.kremlin",))
    assert when(two_facts, declared) < 1.0
    assert cross_score(two_facts, declared, when(two_facts, declared)) >= 0.5
    assert cross_score(one_fact, declared, when(one_fact, declared)) == 0.0


def test_evidence_across_languages_is_weighed_against_the_other_languages_reports():
    english = [report(n, "en", places=(("kramatorsk", 3),), figures=(600.0,)) for n in range(1, 6)]
    mixed = item(*english, report(9, "pl", places=(("kherson", 2),), figures=(12.0,)))
    newcomer = report(10, "en", places=(("kramatorsk", 3),), figures=(600.0,))
    assert cross_score(newcomer, mixed, 1.0) == 0.0  # its own language's words decide, not these facts
    dutch = report(6, "nl", places=(("kramatorsk", 2),), figures=(600.0,))
    assert cross_score(dutch, mixed, 1.0) >= 0.5
    # Three reports in its language are enough for their words to decide (on the real streams the
    # facts of an item's own-language reports, a place and a number, joined other stories to it).
    three = item(*english[:3], report(9, "pl", places=(("kherson", 2),), figures=(12.0,)))
    assert cross_score(newcomer, three, 1.0) == 0.0


def test_a_report_joins_its_own_languages_item_before_another_languages():
    english = item(report(1, "en", places=(("kramatorsk", 3),), figures=(600.0,)))
    polish = item(report(2, "pl", places=(("kramatorsk", 2),), figures=(600.0,)))
    newcomer = report(3, "en", places=(("kramatorsk", 3),), figures=(600.0,))
    newcomer = Features(**{**{f: getattr(newcomer, f) for f in newcomer.__slots__},
                           "terms": (("barracks", 0.8), ("kramatorsk", 0.6))})
    english.centroid["en"] = {"barracks": 0.8, "kramatorsk": 0.6}
    assert decide(newcomer, {10: english, 20: polish}).join == 10


def test_war_concepts_are_the_same_in_every_language_and_need_a_whole_word():
    assert anchors.concepts("Dwa drony nad Kremlem, rozejm zerwany", "pl") == ("ceasefire", "drone")
    assert anchors.concepts("Two drones over the Kremlin; the truce is broken", "en") == ("ceasefire", "drone")
    assert anchors.concepts("Drones boven het Kremlin, het bestand gebroken", "nl") == ("ceasefire", "drone")
    assert anchors.concepts("Hij was dronken", "nl") == ()


def test_the_wars_usual_names_are_no_fact_alone():
    usual = anchors.generic_names()
    assert {anchors.stem("Putin"), anchors.stem("Kremla"), anchors.stem("Władimir")} <= usual
    assert anchors.stem("Władimir") == anchors.stem("Vladimir")
    english = item(*(report(n, "en", concepts=("drone",), names=("putin", "vladi")) for n in (1, 2)))
    polish = report(3, "pl", concepts=("fire",), names=("putin", "vladi"))
    assert cross_score(polish, english, 1.0) == 0.0


def test_a_short_report_joins_on_what_half_the_other_languages_reports_name():
    core = item(*(report(n, "en", concepts=("drone", "assassination"), names=("kreml", f"x{n}")) for n in (1, 2, 3)))
    short = report(4, "pl", concepts=("drone",), names=("kreml",), explicit=False)
    other_subject = report(5, "pl", concepts=("refinery",), names=("kreml",), explicit=False)
    assert cross_score(short, core, when(short, core)) >= 0.5
    assert cross_score(other_subject, core, when(other_subject, core)) == 0.0
