"""Grouping across languages (issue 14), round 6: Polish place names in their cases and their own
names for places abroad, regions named by their capital's adjective, names spelt the way each
language writes Slavic sounds, the two governments as no fact beside drones alone, two shared
subjects
on one day, and a dated report beside undated reports of the next morning. Sentences are our own."""

from __future__ import annotations

from datetime import date

from bot.items import anchors, polish
from bot.items.evidence import cross_score, when
from bot.items.group import Features, decide, signature
from bot.nlp.gazetteer import shared
from tests import groupkit
from tests.groupkit import item

DAY = date(2023, 5, 3)
# A small gazetteer of folded names (the real one is built from GeoNames; these are its keys' shape).
KNOWN = {"kramatorsk": "kramatorsk", "kijow": "kyiv", "moskwa": "moscow", "bachmut": "bakhmut",
         "soledar": "soledar", "amsterdam": "amsterdam", "briansk": "bryansk", "bryanskoblast": "bryansk_oblast",
         "krasnodar": "krasnodar", "makiejewka": "makiivka", "ukrainsk": "ukrayinsk", "ankara": "ankara"}


def report(aid: int, lang: str, day: date = DAY, **facts) -> Features:
    """A report of this module's day (tests/groupkit.py)."""
    return groupkit.report(aid, lang, day, **facts)


def places(text: str) -> tuple[str, ...]:
    return anchors.places(text, KNOWN.get)


def test_polish_cases_that_change_the_consonant_before_the_ending_find_the_place():
    assert places("Wybuchy w Bachmucie, walki o Sołedarze") == ("bakhmut", "soledar")
    assert places("Alarm w Moskwie, drony nad Moskwą i pod Moskwę") == ("moscow", "moscow", "moscow")
    assert places("Ostrzał pod Makiejewce") == ("makiivka",)
    assert places("Spotkanie w Ankarze") == ("ankara",)
    assert places("Samolot wylądował w Amsterdamie") == ("amsterdam",)


def test_polish_names_of_places_abroad_come_from_our_own_list():
    assert polish.exonyms()["haga"] == "the_hague"
    assert places("Prezydent przemawiał w Hadze, potem poleciał do Waszyngtonu i Londynu") == \
        ("the_hague", "washington", "london")


def test_every_polish_name_on_our_list_is_a_place_the_gazetteer_knows(cache_dir):
    gazetteer = shared(cache_dir)
    unknown = {slug for slug in polish.exonyms().values() if gazetteer.get(slug) is None}
    assert not unknown


def test_the_adjectives_of_the_two_countries_are_no_towns():
    assert places("Ukraiński prezydent i Ukraińska armia") == ()
    assert places("Ostrzał Kramatorska") == ("kramatorsk",)  # a genitive that ends alike is still the town


def test_a_region_named_by_its_capitals_adjective_is_the_region_in_any_case():
    assert places("Pociąg wykoleił się w obwodzie briańskim") == ("bryansk_oblast",)
    assert places("Pożar w Kraju Krasnodarskim") == ("krasnodar",)  # no such region known: its capital
    assert places("Obwód kijowski") == ("kyiv",)
    assert places("Ten kraj jest duży") == ()


def test_names_are_spelt_alike_however_each_language_writes_slavic_sounds():
    same = [[("Pieskow", "pl"), ("Peskov", "en"), ("Peskov", "nl")],
            [("Szojgu", "pl"), ("Shoigu", "en"), ("Sjojgoe", "nl")],
            [("Prigożyn", "pl"), ("Prigozhin", "en"), ("Prigozjin", "nl")],
            [("Kachowka", "pl"), ("Kakhovka", "en"), ("Kachovka", "nl")],
            [("Czernihów", "pl"), ("Chernihiv", "en"), ("Tsjernihiv", "nl")],
            [("Jewgienij", "pl"), ("Yevgeny", "en"), ("Jevgeni", "nl")],
            [("Ilski", "pl"), ("Ilsky", "en")]]
    for spellings in same:
        assert len({anchors.stem(word, lang) for word, lang in spellings}) == 1, spellings
    assert anchors.stem("Peskov", "en") != anchors.stem("Pesky", "en")
    found = set(anchors.names("Rzecznik Kremla Dmitrij Pieskow zaprzeczył", "pl"))
    assert anchors.stem("Peskov", "en") in found and anchors.stem("Rzecznik", "pl") not in found


def test_the_usual_names_stay_usual_in_every_spelling():
    usual = anchors.generic_names()
    assert {anchors.stem("Poetin", "nl"), anchors.stem("Putin", "en"), anchors.stem("Kijów", "pl")} <= usual


def test_the_two_governments_are_no_fact_beside_drones_alone():
    # A report about drones and one about missile output share a daily subject and the governments
    # that speak in every report of the war: no event in that.
    output = item(report(1, "en", concepts=("drone",), actors=("ru.government", "ua.government")))
    kremlin = report(2, "nl", concepts=("drone",), actors=("ru.government", "ua.government"))
    assert cross_score(kremlin, output, when(kremlin, output)) == 0.0
    # Beside a rarer subject they count as any actor: a truce declared and broken the next day.
    truce = item(*(report(n, "en", concepts=("ceasefire",), actors=("ru.kremlin", "ua.government")) for n in (1, 2)))
    next_day = report(4, "nl", date(2023, 5, 4), concepts=("ceasefire",), actors=("ru.kremlin", "ua.government"))
    assert cross_score(next_day, truce, when(next_day, truce)) >= 0.5
    # ...but not a subject one report of three names in passing (a visit beside the drones).
    drones = item(report(1, "nl", concepts=("drone", "visit"), actors=("ua.government",)),
                  *(report(n, "en", concepts=("drone",), actors=("ua.government",)) for n in (2, 3)))
    trip = report(5, "en", concepts=("visit",), actors=("ua.government",))
    assert cross_score(trip, drones, when(trip, drones)) == 0.0
    # On the same specific place and day each counts (the strike and the two governments on it).
    city = item(*(report(n, "en", places=(("kramatorsk", 3),), actors=("ru.government", "ua.government"))
                  for n in (1, 2)))
    dutch = report(5, "nl", places=(("kramatorsk", 2),), actors=("ru.government",))
    assert cross_score(dutch, city, when(dutch, city)) >= 0.5
    # A specific actor counts as before, with a subject and no place, drones too.
    ministry = item(*(report(n, "en", concepts=("drone",), actors=("ru.mod",)) for n in (1, 2)))
    claim = report(6, "pl", concepts=("drone",), actors=("ru.mod",))
    assert cross_score(claim, ministry, when(claim, ministry)) >= 0.5


def test_two_subjects_most_reports_share_make_a_fact_on_the_same_day_but_not_the_next():
    derailed = item(*(report(n, "en", concepts=("derailment", "train")) for n in (1, 2)))
    polish_report = report(3, "pl", concepts=("derailment", "train"))
    assert cross_score(polish_report, derailed, when(polish_report, derailed)) >= 0.5
    one_subject = report(4, "pl", concepts=("train",))
    assert cross_score(one_subject, derailed, when(one_subject, derailed)) == 0.0
    next_day = report(5, "pl", date(2023, 5, 4), concepts=("derailment", "train"))
    assert cross_score(next_day, derailed, when(next_day, derailed)) == 0.0


def test_a_daily_means_of_attack_is_no_second_subject():
    assert "drone" in anchors.daily_concepts()
    depot = item(*(report(n, "en", concepts=("drone", "refinery")) for n in (1, 2)))
    other_fire = report(3, "pl", concepts=("drone", "refinery"))
    assert cross_score(other_fire, depot, when(other_fire, depot)) == 0.0


def test_a_dated_report_fits_undated_reports_published_the_morning_after():
    thursday = date(2023, 5, 4)
    morning = item(*(report(n, "pl", thursday, explicit=False) for n in (1, 2)))
    wednesday = report(3, "en", DAY, published=thursday)
    assert when(wednesday, morning) == 1.0
    earlier = report(4, "en", date(2023, 5, 2), published=thursday)
    assert when(earlier, morning) < 1.0


def test_a_polish_report_joins_by_its_place_in_the_locative_and_a_shared_name():
    hague = item(*(report(n, "en", places=(("the_hague", 3),), names=(anchors.stem("Rutte", "en"),),
                          concepts=("visit",)) for n in (1, 2, 3)))
    found = anchors.places("Zełenski w Hadze: spotkanie z Rutte", KNOWN.get)
    polish_report = report(9, "pl", places=tuple((p, 2) for p in sorted(set(found))),
                           names=anchors.names("Zełenski w Hadze: spotkanie z Rutte", "pl"))
    assert found == ("the_hague",)
    assert decide(polish_report, {7: hague}).join == 7


def test_words_of_war_news_that_spell_villages_are_no_places():
    known = {**KNOWN, "ataki": "ataky", "twierdza": "tvirzha"}
    assert anchors.places("Ataki na Kramatorsk. Rosjanie twierdzą, że Twierdzą", known.get) == ("kramatorsk",)


def test_a_number_is_shared_whatever_the_reading_says_it_counts():
    def counted(aid: int, lang: str, value: float, what: str) -> Features:
        return Features(aid, lang, DAY, DAY, DAY, True, (("kramatorsk", 3),), ((value, what),), (),
                        signature(f"count {aid}"), f"c{aid}")

    strike = item(counted(1, "en", 11.0, "people"), counted(2, "en", 11.0, "people"))
    assert cross_score(counted(3, "nl", 11.0, "killed"), strike, 1.0) >= 0.5
    # A small count read from words ("two drones") is in too many reports to be a fact.
    drones = item(counted(1, "en", 2.0, "drones"), counted(2, "en", 2.0, "drones"))
    assert cross_score(counted(3, "nl", 2.0, "killed"), drones, 1.0) == 0.0


def test_against_a_single_report_place_and_subject_on_its_day_are_two_facts():
    strike = item(report(1, "en", places=(("sevastopol", 3),), concepts=("headquarters",)))
    same = report(2, "nl", places=(("sevastopol", 3),), concepts=("headquarters",))
    assert cross_score(same, strike, when(same, strike)) >= 0.5
    place_only = report(3, "nl", places=(("sevastopol", 3),))
    assert cross_score(place_only, strike, when(place_only, strike)) == 0.0
    next_day = report(4, "nl", date(2023, 5, 4), places=(("sevastopol", 3),), concepts=("headquarters",))
    assert cross_score(next_day, strike, when(next_day, strike)) < 0.5


def test_two_rare_names_several_reports_carry_join_on_their_day_and_one_report_needs_a_third():
    tinder, match = anchors.stem("Tinder", "en"), anchors.stem("Match", "en")
    app = item(*(report(n, "pl", names=(tinder, match)) for n in (1, 2)))
    english = report(3, "en", names=(anchors.stem("Tinder", "en"), anchors.stem("Match", "en")))
    assert cross_score(english, app, when(english, app)) >= 0.5
    assert cross_score(english, item(report(1, "pl", names=(tinder, match))), 1.0) == 0.0
    later = report(4, "en", date(2023, 5, 4), names=(tinder, match))
    assert cross_score(later, app, when(later, app)) == 0.0


def test_the_capitals_standing_for_their_governments_are_no_shared_place():
    # An aid package that "Kyiv" welcomes, and a Polish report of what "Kijów" says about another matter,
    # on the same day, sharing a subject: the capital is the government speaking, not where it happened.
    aid = item(*(report(n, "en", places=(("kyiv", 2),), concepts=("armour",), names=("bradl",)) for n in (1, 2)))
    reply = report(9, "pl", places=(("kyiv", 2),), concepts=("armour",))
    assert cross_score(reply, aid, 1.0) == 0.0
    # The same facts on a specific place join.
    strike = item(*(report(n, "en", places=(("kramatorsk", 2),), concepts=("armour",)) for n in (1, 2)))
    assert cross_score(report(9, "pl", places=(("kramatorsk", 2),), concepts=("armour",)), strike, 1.0) >= 0.5
