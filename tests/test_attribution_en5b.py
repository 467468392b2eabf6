"""Classes of English speaker-span error seen on real news (issue 13, round 5b), each on sentences of
our own: the whole subject is the source ("52 percent of voters", "A reporter for the paper X",
"Bush and his rivals"), a no-break space inside a name, and where a joined or widened subject must
stop ("After the debate X said", "…, and they said")."""

from __future__ import annotations

import pytest

from tests.helpers import speaker_claims


@pytest.fixture(scope="module")
def reading(cache_dir):
    return lambda text, lang="en": speaker_claims(cache_dir, text, lang)


def speakers(claims) -> list[str]:
    return [c["speaker"]["text"] for c in claims]


def test_a_share_of_a_group_is_the_whole_subject(reading):
    assert speakers(reading("Still, 61 percent of likely voters say they will stay home.")) == ["61 percent of likely voters"]
    assert speakers(reading("Seven in 10 rural voters say the roads are worse.")) == ["Seven in 10 rural voters"]


def test_a_subject_with_a_preposition_inside_is_whole(reading):
    assert speakers(reading("A reporter for the local radio station WKRT said the mayor resigned.")) == [
        "A reporter for the local radio station WKRT"]


def test_a_fronted_phrase_or_clause_is_not_part_of_the_subject(reading):
    assert speakers(reading("After the long debate Tom Vale said he had won.")) == ["Tom Vale"]
    assert speakers(reading("Two weeks after Tom Vale announced his plan, the council met.")) == ["Tom Vale"]
    assert speakers(reading("The memo clashed with what Ann Berg told the board.")) == []


def test_joined_speakers_are_one_source(reading):
    assert speakers(reading("Tom Vale and his campaign staff have said they will appeal.")) == [
        "Tom Vale and his campaign staff"]
    assert speakers(reading("But both Ms. Berg and her lawyers said the ruling was wrong.")) == [
        "both Ms. Berg and her lawyers"]
    assert speakers(reading("The Ledger, the Courier and the Post say the mill will close.")) == [
        "The Ledger, the Courier and the Post"]
    assert speakers(reading("She and her aides say the plan is too costly.")) == ["She and her aides"]
    assert speakers(reading("Vale  and Berg have slammed the plan.")) == ["Vale  and Berg"]  # a double space


def test_a_clause_after_a_comma_and_is_not_joined(reading):
    claims = reading("The talks stalled in the capital, and they said nothing more.")
    assert speakers(claims) == ["they"]


def test_a_verb_before_and_is_not_a_speaker(reading):
    assert speakers(reading("Vale won the county and Berg said she would concede.")) == ["Berg"]


def test_an_intensifier_after_the_name_belongs_to_the_subject(reading):
    assert speakers(reading("But Vale himself said on Friday that the count was fair.")) == ["Vale himself"]


def test_a_no_break_space_inside_a_name_is_a_space(reading):
    text = "Former county treasurer Ann\u00a0Berg said the books were clean."
    (claim,) = reading(text)
    assert text[claim["speaker"]["start"] : claim["speaker"]["end"]] == "Former county treasurer Ann\u00a0Berg"


def test_an_apposition_after_a_closing_quote_is_the_speaker_not_the_one_told(reading):
    assert speakers(reading("“We ran out of time,” Vale, 61, told the Courier on Friday.")) == ["Vale, 61,"]
    assert speakers(reading("“It is over,” her chief aide, Jo Roe, told the Ledger.")) == ["her chief aide, Jo Roe,"]


def test_a_fronted_adjunct_before_a_name_and_its_apposition_is_left_out(reading):
    assert speakers(reading("Meanwhile, the Ledger spokesman, Jo Roe, told reporters that the books were clean.")) == [
        "the Ledger spokesman, Jo Roe,"]
    assert speakers(reading("Through a spokeswoman, Vale declined to comment.")) == ["Vale"]


def test_a_verb_set_off_by_commas_has_only_its_own_subject(reading):
    assert speakers(reading("Mr. Vale, his aides said, will not run again.")) == ["his aides"]


def test_an_age_after_a_trailing_name_keeps_the_description_after_it(reading):
    assert speakers(reading("“We came for the music,” said Jo Roe, 34, of Dayton, Ohio.")) == ["Jo Roe, 34, of Dayton, Ohio"]


def test_the_description_of_an_employer_at_the_sentence_end_belongs_to_the_speaker(reading):
    assert speakers(reading("“Costs will rise,” said Jo Roe, head of Acme Bakes, a bakery in Ohio.")) == [
        "Jo Roe, head of Acme Bakes, a bakery in Ohio"]


def test_a_relative_clause_that_speaks_is_not_part_of_the_speaker(reading):
    claims = reading("Roe, who said she would run, said the race was close.")
    assert [(c["speaker"]["text"], c["content"]["text"]) for c in claims] == [
        ("who", "she would run"), ("Roe", "the race was close")]
    assert speakers(reading("“It was close,” said Jo Roe, who told reporters she would run.")) == ["Jo Roe", "who"]
    assert speakers(reading("“It was close,” said Jo Roe, who lives in Ohio.")) == ["Jo Roe, who lives in Ohio"]


def test_a_subject_after_a_clause_opening_preposition_keeps_its_determiner(reading):
    assert speakers(reading("The vote stalled because the appeals court refused to hear the case.")) == ["the appeals court"]
    assert speakers(reading("The U.S. media has often claimed it is fair.")) == ["The U.S. media"]


def test_a_relative_clause_ending_the_sentence_describes_a_trailing_speaker(reading):
    assert speakers(reading("“It was close,” said Jo Roe, head of the guild, who lives in Ohio.")) == [
        "Jo Roe, head of the guild, who lives in Ohio"]


def test_a_relative_adverb_opens_the_clause_of_a_joined_subject(reading):
    assert speakers(reading("It was the night where Vale and his aides said they had won.")) == ["Vale and his aides"]
