"""Pure grouping decisions: signatures, scores, traps, caps and merges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.items import evidence, group, textvec
from bot.items.group import Decision, Features, Profile, decide, score, signature, similarity

TEXT = "Russia's defence ministry said it had killed more than 600 Ukrainian soldiers in Kramatorsk on Sunday"


def make(aid: int, *, lang="en", text=TEXT, day=date(2023, 1, 8), published=None, explicit=True,
         places=(("kramatorsk", 3),), numbers=((600.0, "killed"),), concepts=(), chash=None) -> Features:
    return Features(aid, lang, published or day, day, day, explicit, places, numbers, ("ru.mod",),
                    signature(text), chash or f"hash-{aid}", concepts)


def test_signatures_estimate_similarity():
    same = similarity(signature(TEXT), signature(TEXT))
    close = similarity(signature(TEXT), signature(TEXT + " according to a statement"))
    far = similarity(signature(TEXT), signature("Ukraine denied that any soldiers were killed at all"))
    assert same == 1.0 and close > 0.6 > far


def test_a_syndicated_copy_scores_full():
    first = make(1)
    assert score(make(2, text="totally different words", chash="hash-1"), Profile.new(first)) == 1.0
    assert score(make(3, day=date(2023, 1, 8)), Profile.new(first)) == 1.0  # near-identical text


def test_the_same_event_across_languages_joins_on_place_number_and_day():
    english = make(1)
    dutch = make(2, lang="nl", text="Rusland zegt dat het zondag 600 Oekraïense soldaten heeft gedood in Kramatorsk")
    assert score(dutch, Profile.new(english)) >= group.JOIN_SCORE


def test_two_strikes_on_one_city_on_different_days_stay_apart():
    strike = make(1, text="A missile hit Kramatorsk", day=date(2023, 1, 8))
    later = make(2, text="Another missile hit Kramatorsk", day=date(2023, 6, 27))
    assert score(later, Profile.new(strike)) == 0.0
    assert decide(later, {1: Profile.new(strike)}) == Decision(None)


def test_a_report_without_a_day_fits_an_event_of_the_week_before_only():
    event = make(1, day=date(2023, 1, 1))
    follow_up = make(2, lang="nl", text="Dodental Makijivka opgelopen", explicit=False, published=date(2023, 1, 4))
    stale = make(3, lang="nl", text="Dodental Makijivka opgelopen", explicit=False, published=date(2023, 1, 20))
    assert score(follow_up, Profile.new(event)) >= group.JOIN_SCORE
    assert score(stale, Profile.new(event)) == 0.0


def test_a_day_named_long_before_publication_is_background_and_the_publication_day_fits_too():
    talks = make(1, text="Grain talks in Istanbul end in a breakthrough", day=date(2022, 7, 13))
    recalling = make(2, text="Grain talks in Istanbul resumed after they began", day=date(2022, 7, 6),
                     published=date(2022, 7, 13))
    assert 0 < evidence.when(recalling, Profile.new(talks)) < 1.0  # fits, less than a report of the day
    dated_by_background = Profile.new(recalling)
    assert 0 < evidence.when(talks, dated_by_background) < 1.0
    a_week_later = make(3, text="Grain talks in Istanbul", day=date(2022, 7, 20))
    assert evidence.when(a_week_later, Profile.new(talks)) is None  # a day named near publication still rules


def test_an_item_at_its_cap_takes_no_more():
    profile = Profile.new(make(1))
    profile.articles = group.MAX_ARTICLES
    assert decide(make(2), {1: profile}).join is None


def test_an_article_fitting_two_items_of_one_event_merges_them():
    def worded(aid: int, title: str, text: str) -> Features:
        return replace(make(aid, text=text), terms=tuple(textvec.vector(title, text, "en").items()))

    a = Profile.new(worded(1, "Russia says 600 killed in Kramatorsk barracks strike", TEXT))
    b = Profile.new(worded(2, "Kramatorsk barracks strike: Russia claims 600 soldiers killed", TEXT + " in two barracks"))
    decision = decide(worded(3, "Russia claims 600 killed in strike on Kramatorsk barracks", TEXT), {10: a, 20: b})
    assert decision.join in (10, 20) and len(decision.merge) == 1


def test_two_items_about_other_words_do_not_merge_through_one_article():
    a = Profile.new(replace(make(1), terms=tuple(textvec.vector("Kramatorsk barracks strike", TEXT, "en").items())))
    b = Profile.new(replace(make(2, text="Grain corridor talks in Istanbul"),
                            terms=tuple(textvec.vector("Grain corridor talks", "Grain corridor talks in Istanbul", "en").items())))
    assert decide(make(3), {10: a, 20: b}).merge == ()


def test_profiles_survive_json_and_absorb():
    profile = Profile.new(make(1, concepts=("barracks",)))
    again = Profile.from_dict(profile.to_dict())
    assert again.to_dict() == profile.to_dict()
    other = Profile.new(make(2, day=date(2023, 1, 9), places=(("sloviansk", 1),)))
    again.absorb(other)
    assert again.articles == 2 and {"kramatorsk", "sloviansk"} <= set(again.places)
    assert again.event_days() == (date(2023, 1, 8), date(2023, 1, 9))


def test_candidate_keys_skip_wide_places_and_cover_bands():
    keys = make(1, places=(("kramatorsk", 3), ("ukraine", 1))).keys()
    assert "p:kramatorsk" in keys and "p:ukraine" not in keys
    assert "n:600:killed" in keys and "h:hash-1" in keys
    assert sum(k.startswith("b:en:") for k in keys) == group.BANDS
