"""Grouping on a real stream, round five (issue 14): classes of wrong merges and wrong splits found on
the real labelled set, each pinned with reports written for the test."""

from __future__ import annotations

from datetime import date

from bot.items import textvec
from bot.items.group import Features, Profile, decide, signature
from bot.items.kinds import DIGEST, NEWS, kind_of

DAY = date(2023, 5, 3)


def test_an_explainer_of_one_event_is_news_and_a_daily_round_up_is_not():
    # "What we know about X" walks through one event; the day's "at a glance" covers them all.
    assert kind_of("What we know about the blast at the Odesa grain silo", "https://news.example.invalid/2023/5/3/what-we-know-about-the-blast") == NEWS
    assert kind_of("Dam breach near the front: here is what we know", "https://paper.example.invalid/world/123") == NEWS
    assert kind_of("Wat we weten over de brand in de munitiefabriek", "https://krant.example.invalid/nieuws/9") == NEWS
    assert kind_of("War at a glance: what we know on day 400 of the invasion", "https://paper.example.invalid/world/2023/x") == DIGEST


def test_the_cases_of_one_polish_word_are_one_term():
    # Polish declines its nouns: the same town and the same tanks in other cases must still meet.
    a = textvec.vector("Ciężkie walki pod Sołedarem", "Obrońcy Sołedaru odparli kolejny szturm czołgów.", "pl")
    b = textvec.vector("Szturm na Sołedar", "Rosyjskie czołgi od rana atakują Sołedar.", "pl")
    assert textvec.cosine(a, b) > 0.3
    # Dutch words are kept whole: a cut would join words (English loses one ending: test_group_real6).
    assert textvec.term("aanvallen", "nl") == "aanvallen"


def _report(aid: int, lang: str, words: dict[str, float], *, concepts=(), names=(), day: date = DAY) -> Features:
    """A report as grouping sees it: its words, subjects and names only."""
    return Features(aid, lang, day, day, day, True, (), (), (), signature(f"report {aid} in {lang}"), f"h{aid}",
                    concepts, terms=tuple(sorted(textvec.normalized(words).items())), names=names)


def _item(*reports: Features) -> Profile:
    profile = Profile.new(reports[0])
    for r in reports[1:]:
        profile.add(r)
    return profile


def test_facts_across_languages_do_not_bring_a_report_into_an_item_its_own_language_contradicts():
    # A state visit and the usual name, on the same day: a visit to Helsinki in three English and three
    # Polish reports; an English report of a visit to Berlin shares the subject and the name only.
    helsinki = {"helsinki": 1.0, "nordic": 0.8, "summit": 0.6, "finland": 0.7}
    wizyta = {"helsinki": 1.0, "szczyt": 0.8, "nordyck": 0.6}
    berlin = {"berlin": 1.0, "chancellor": 0.8, "bundestag": 0.6, "summit": 0.1}
    visit = _item(*(_report(n, "en", helsinki, concepts=("visit",), names=("zelen",)) for n in (1, 2, 3)),
                  *(_report(n, "pl", wizyta, concepts=("visit",), names=("zelen",)) for n in (4, 5, 6)))
    elsewhere = _report(7, "en", berlin, concepts=("visit",), names=("zelen",))
    assert decide(elsewhere, {1: visit}).join is None
    # With fewer reports in its language the item's other languages still speak for it.
    polish = _item(*(_report(n, "pl", wizyta, concepts=("visit",), names=("zelen",)) for n in (4, 5, 6)),
                   _report(1, "en", helsinki, concepts=("visit",), names=("zelen",)))
    assert decide(elsewhere, {1: polish}).join == 1
