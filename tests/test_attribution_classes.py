"""Classes of reading error seen on real text (issue 13), each on sentences of our own, and the
relevance step: reading finds every attributed claim, the relevance step decides which concern the war."""

from __future__ import annotations

from datetime import date

import pytest

from bot.nlp.pipeline import ArticleInput, read


@pytest.fixture(scope="module")
def claims(cache_dir):
    def read_all(text: str, lang: str = "en") -> list[tuple[str, str | None, str]]:
        (reading,) = read([ArticleInput(text, lang, date(2023, 1, 8))], cache_dir, keep_irrelevant=True)
        return [(c["speaker"]["text"], c["cue"]["text"] if c["cue"] else None, c["content"]["text"] if c["content"] else "")
                for c in reading["claims"] if c["speaker"]]

    return read_all


def test_english_takes_no_speaker_after_the_verb(claims):
    assert claims("The village council said it would rebuild the school.") == [
        ("The village council", "said", "it would rebuild the school")]


def test_a_capitalised_cue_inside_a_name_is_no_cue(claims):
    assert claims("Farmers in the United States had a poor harvest this year.") == []


def test_titles_belong_to_the_speaker(claims):
    assert claims("Sen. Mary Hall said the bill would pass.") == [("Sen. Mary Hall", "said", "the bill would pass")]


def test_an_apposition_is_part_of_the_speaker(claims):
    assert claims("Tom Reed, a veteran county official, said the count was fair.") == [
        ("Tom Reed, a veteran county official,", "said", "the count was fair")]


def test_a_clause_opener_is_no_part_of_the_speaker(claims):
    assert claims("But the mayor said the bridge was safe.")[0][0] == "the mayor"


def test_a_fronted_clause_is_not_the_content(claims):
    assert claims("Reached by phone on Monday, Jane Fox said the plant would close.") == [
        ("Jane Fox", "said", "the plant would close")]


def test_content_after_that_when_a_day_sits_between(claims):
    assert claims("The ministry said on Monday that the convoy had arrived.")[0][2] == "the convoy had arrived"


def test_a_quote_in_double_single_quotes_is_the_content(claims):
    assert claims("''The road is open,'' he said.") == [("he", "said", "The road is open")]


def test_dutch_keeps_its_speaker_after_the_verb(claims):
    assert claims("Zondag meldde het Oekraïense leger dat de brug was hersteld.", "nl")[0][:2] == (
        "het Oekraïense leger", "meldde")


def test_a_repeated_surname_takes_the_side_of_its_first_description(cache_dir):
    text = ("De Oekraïense gouverneur Petro Marenko zegt dat de stroom terug is. "
            "Volgens Marenko zijn er geen gewonden.")
    (reading,) = read([ArticleInput(text, "nl", date(2023, 1, 8))], cache_dir, keep_irrelevant=True)
    assert [c["side"] for c in reading["claims"] if c["speaker"]] == ["UA", "UA"]


def test_relevance_is_a_step_of_its_own_that_reading_can_skip(cache_dir):
    text = "The city council said the new library will open in May."
    (kept,) = read([ArticleInput(text, "en", date(2023, 1, 8))], cache_dir, keep_irrelevant=True)
    (shown,) = read([ArticleInput(text, "en", date(2023, 1, 8))], cache_dir)
    assert [c["relevant"] for c in kept["claims"] if c["speaker"]] == [False]
    assert [c for c in shown["claims"] if c["speaker"]] == []
