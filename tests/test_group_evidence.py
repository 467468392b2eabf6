"""The pieces of grouping's evidence: report kinds, word vectors, language-neutral anchors, and what
an item is about by majority."""

from __future__ import annotations

from datetime import date

from bot.items import anchors, textvec
from bot.items.evidence import cross_score, when
from bot.items.group import Features, Profile, score, signature
from bot.items.kinds import DIGEST, NEWS, OPINION, kind_of


def test_live_blogs_round_ups_and_opinion_are_told_from_news():
    assert kind_of("Russia-Ukraine war live: drones over the capital", "https://news.example.invalid/world/live/2023/may/03/x") == DIGEST
    assert kind_of("Wekdienst 3/5: het weer en het nieuws", "https://omroep.example.invalid/artikel/1-wekdienst-3-5") == DIGEST
    assert kind_of("Opinie | Waarom dit bestand niets betekent", "https://krant.example.invalid/nieuws/2023/1") == OPINION
    assert kind_of("Missile hits school in Kramatorsk", "https://news.example.invalid/world/123") == NEWS


def test_rare_words_weigh_most_and_paraphrases_are_close():
    a = textvec.vector("Missile hits school in Kramatorsk", "A missile struck a school in Kramatorsk on Tuesday.", "en")
    b = textvec.vector("Kramatorsk school hit by missile", "Four were killed when a missile hit a school in Kramatorsk.", "en")
    c = textvec.vector("Grain talks in Istanbul", "Negotiators met in Istanbul on Tuesday about grain.", "en")
    assert max(a, key=a.get) == "kramatorsk" and "in" not in a
    assert textvec.cosine(a, b) > 0.5 > 0.1 > textvec.cosine(a, c)


def test_words_common_to_the_day_s_items_count_less():
    article = {"zelensky": 0.8, "helsinki": 0.6}
    hague = {"zelensky": 1.0, "hague": 1.0}
    discount = textvec.local_discount([hague, {"zelensky": 1.0, "tribunal": 1.0}, {"zelensky": 1.0}])
    assert textvec.weighted_cosine(article, hague, discount) < textvec.cosine(article, hague)


def test_anchors_cross_scripts_and_cases():
    assert anchors.stem("Zełenski") == anchors.stem("Zelensky") == anchors.stem("Zelenskiy")
    assert anchors.numbers("Wart 300 milionów, 1.200 doden in 2023, 3,5 mln") == (3.5, 300.0, 1200.0)
    known = {"kramatorsk": "kramatorsk", "kijow": "kyiv"}
    assert anchors.places("Atak w Kramatorsku, alarm w Kijowie", known.get) == ("kramatorsk", "kyiv")


def test_a_first_name_is_no_town_in_a_language_we_do_not_read():
    known = {"volodymyr": "volodymyr_volynskyi", "vladimir": "vladimir", "wladimir": "vladimir",
             "wolodymyr": "volodymyr_volynskyi"}
    assert anchors.places("Wołodymyr Zełenski spotkał się z Władimirem Putinem", known.get) == ()
    assert anchors.places("Ostrzał Władimira. Alarm nad Wołodymyrem.", known.get) == ("vladimir", "volodymyr_volynskyi")


def _report(aid: int, lang: str, day: date, places, *, names=(), figures=(), actors=(), published=None) -> Features:
    return Features(aid, lang, published or day, day, day, True, places, (), actors, signature(f"text {aid} {lang}"),
                    f"h{aid}", names=names, figures=figures)


def test_across_languages_place_and_day_need_a_shared_fact_and_two_against_a_single_report():
    english = Profile.new(_report(1, "en", date(2023, 1, 8), (("kramatorsk", 3),), figures=(600.0,),
                                  actors=("ru.mod",)))
    with_number = _report(2, "pl", date(2023, 1, 8), (("kramatorsk", 2),), figures=(600.0,))
    number_and_actor = _report(3, "pl", date(2023, 1, 8), (("kramatorsk", 2),), figures=(600.0,), actors=("ru.mod",))
    place_only = _report(4, "pl", date(2023, 1, 8), (("kramatorsk", 2),))
    two_days_on = _report(5, "pl", date(2023, 1, 10), (("kramatorsk", 2),), figures=(600.0,), actors=("ru.mod",))
    assert score(with_number, english) == 0.0  # one report in English: one shared fact may be chance
    assert score(number_and_actor, english) >= 0.5
    assert score(place_only, english) == 0.0
    assert score(two_days_on, english) == 0.0
    english.add(_report(6, "en", date(2023, 1, 8), (("kramatorsk", 3),), figures=(600.0,)))
    assert score(with_number, english) >= 0.5  # two reports name it: one shared fact is enough


def test_an_actor_and_a_day_without_a_place_or_subject_join_nothing():
    english = Profile.new(_report(1, "en", date(2023, 5, 3), (), actors=("ru.kremlin",)))
    dutch = _report(2, "nl", date(2023, 5, 3), (), actors=("ru.kremlin",))
    assert cross_score(dutch, english, when(dutch, english)) == 0.0


def test_an_item_is_about_what_most_of_its_reports_say():
    first = _report(1, "nl", date(2023, 1, 8), (("kherson", 2), ("kramatorsk", 2)))
    profile = Profile.new(first)
    for aid in (2, 3):
        profile.add(_report(aid, "en", date(2023, 1, 8), (("kramatorsk", 3),)))
    profile.add(_report(4, "en", date(2023, 1, 1), (("kramatorsk", 1), ("makiivka", 2))))  # background day
    assert profile.main_place() == "kramatorsk"
    assert profile.event_days() == (date(2023, 1, 8), date(2023, 1, 8))
    again = Profile.from_dict(profile.to_dict())
    assert again.main_place() == "kramatorsk" and again.to_dict() == profile.to_dict()


def test_a_digest_joins_nothing_and_is_found_only_by_its_copies():
    news = Profile.new(_report(1, "en", date(2023, 5, 3), (("moscow", 3),), figures=(2.0,)))
    blog = Features(2, "en", date(2023, 5, 3), date(2023, 5, 3), date(2023, 5, 3), True, (("moscow", 3),), (), (),
                    signature("live"), "h2", figures=(2.0,), kind=DIGEST)
    assert score(blog, news) == 0.0 and blog.keys() == ["h:h2"]
