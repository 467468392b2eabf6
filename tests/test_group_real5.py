"""Grouping on a real stream, round five (issue 14): classes of wrong merges and wrong splits found on
the real labelled set, each pinned with reports written for the test."""

from __future__ import annotations

from bot.items import textvec
from bot.items.kinds import DIGEST, NEWS, kind_of


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
    # English and Dutch words are kept whole: their forms differ little, and a cut would join words.
    assert textvec.term("strikes", "en") == "strikes" and textvec.term("aanvallen", "nl") == "aanvallen"
