"""Pure item rules: disputed and unverified claims, and headlines built from claims."""

from datetime import date

from bot.items.disputes import ClaimFacts, HeadlineClaim, disputes
from bot.items.naming import claims_headline
from bot.nlp.lexicon import lexicon

DAY = date(2023, 1, 8)


def fact(cid, side, stance, numbers=(), refers_to=None, attributed=True, day=DAY):
    return ClaimFacts(cid, 1, cid, side, stance, attributed, numbers, day, refers_to)


def test_an_assert_and_its_denial_are_both_disputed():
    flags = disputes([fact(1, "RU", "assert", ((600.0, "killed"),)), fact(2, "UA", "deny", refers_to=1)])
    assert flags == {1: (True, False), 2: (True, False)}


def test_different_numbers_for_one_count_from_two_sides_are_disputed():
    flags = disputes([fact(1, "UA", "assert", ((400.0, "killed"),)), fact(2, "RU", "assert", ((89.0, "killed"),)),
                      fact(3, "RU", "assert", ((12.0, "drones"),))])
    assert flags[1][0] and flags[2][0] and not flags[3][0]


def test_numbers_about_other_days_are_not_compared():
    flags = disputes([fact(1, "UA", "assert", ((400.0, "killed"),), day=date(2023, 1, 1)),
                      fact(2, "RU", "assert", ((600.0, "killed"),))])
    assert not flags[1][0] and not flags[2][0]


def test_a_claim_only_one_side_makes_is_unverified_until_corroborated():
    alone = disputes([fact(1, "RU", "assert", ((600.0, "killed"),)), fact(2, "other", "report", attributed=False)])
    assert alone[1] == (False, True) and alone[2] == (False, False)
    backed = disputes([fact(1, "RU", "assert", ((89.0, "killed"),)), fact(2, "other", "assert", ((89.0, "killed"),))])
    assert backed[1] == (False, False)


def test_headlines_are_built_per_language_from_claims():
    claims = [HeadlineClaim("RU", "assert", ((600.0, "killed"),)), HeadlineClaim("UA", "deny", ())]
    assert claims_headline("Kramatorsk", claims, lexicon("en").raw["headline"]) == \
        "Kramatorsk: Russia claims 600 killed; Ukraine denies"
    assert claims_headline("Kramatorsk", claims, lexicon("nl").raw["headline"]) == \
        "Kramatorsk: Rusland claimt 600 doden; Oekraïne ontkent"
    assert claims_headline(None, [HeadlineClaim("other", "report", ())], lexicon("en").raw["headline"]) is None


def test_a_disputed_items_headline_says_who_claims_what_by_majority_in_the_readers_language():
    from bot.items.naming import claims_headline, headline

    claims = [HeadlineClaim("RU", "assert", ((700.0, "soldiers"),)), HeadlineClaim("RU", "assert", ((600.0, "killed"),)),
              HeadlineClaim("RU", "assert", ((600.0, "killed"),)), HeadlineClaim("UA", "deny", ())]
    built = claims_headline("Kramatorsk", claims, lexicon("en").raw["headline"])
    assert built == "Kramatorsk: Russia claims 600 killed; Ukraine denies"
    dutch = claims_headline("Kramatorsk", claims, lexicon("nl").raw["headline"])
    assert dutch.startswith("Kramatorsk: ") and "600" in dutch and dutch != built
    titles = {"en": "More than 600 soldiers killed in Kramatorsk, ministry says"}
    assert headline(titles, "en", True, built) == built  # not one side's claim as fact
    assert headline(titles, "en", False, built) == titles["en"]


def test_two_sides_figures_for_one_count_both_show():
    from bot.items.naming import claims_headline

    claims = [HeadlineClaim("RU", "assert", ((89.0, "killed"),)), HeadlineClaim("RU", "assert", ((89.0, "killed"),)),
              HeadlineClaim("UA", "assert", ((400.0, "killed"),))]
    assert claims_headline("Makiivka", claims, lexicon("en").raw["headline"]) == \
        "Makiivka: Russia claims 89 killed; Ukraine claims 400 killed"
