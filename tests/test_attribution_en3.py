"""Classes of English reading error seen on real news (issue 13, third round), each on sentences of
our own: verb groups, belief and intention cues, quotes that go on, apposition spans, name marks,
participles, the one told, plain and counted subjects, 'according to' phrases, conjoined verbs."""

from __future__ import annotations

import pytest

from tests.helpers import speaker_claims, triples


@pytest.fixture(scope="module")
def reading(cache_dir):
    return lambda text, lang="en": speaker_claims(cache_dir, text, lang)


def test_a_verb_group_sits_between_speaker_and_cue(reading):
    assert triples(reading("The harbour master has also said the pier will reopen.")) == [
        ("The harbour master", "said", "the pier will reopen")]


def test_beliefs_and_intentions_are_cues(reading):
    assert triples(reading("Tom Vale believes the vote was rigged.")) == [("Tom Vale", "believes", "the vote was rigged")]
    assert triples(reading("The council intends to close the library.")) == [
        ("The council", "intends", "to close the library")]


def test_a_carried_quote_keeps_the_cue_that_opened_it(reading):
    claims = reading('Ann Berg said the dam would hold.\n"We checked every gate twice."')
    assert [(c["speaker"]["text"], c["cue"]["text"], c["carried"]) for c in claims] == [
        ("Ann Berg", "said", False), ("Ann Berg", "said", True)]


def test_a_quote_that_goes_on_keeps_its_speaker_and_its_verbs_are_words(reading):
    claims = reading('Ann Berg said the dam would hold. "They want us to leave the valley."')
    assert [(c["speaker"]["text"], c["carried"]) for c in claims] == [("Ann Berg", False), ("Ann Berg", True)]


def test_a_first_person_speaker_inside_a_quote_is_no_claim(reading):
    claims = reading('"I think we will win the seat," Ann Berg said.')
    assert triples(claims) == [("Ann Berg", "said", "I think we will win the seat")]


def test_an_apposition_before_the_verb_ends_with_its_comma(reading):
    assert triples(reading("Ivo Stam, head of the ferry union, said the strike was over.")) == [
        ("Ivo Stam, head of the ferry union,", "said", "the strike was over")]


def test_content_before_the_speaker_when_only_an_adjunct_follows(reading):
    assert triples(reading('"The strike is over," Ivo Stam, head of the ferry union, said in a statement.')) == [
        ("Ivo Stam, head of the ferry union,", "said", "The strike is over")]


def test_content_after_the_verb_when_that_follows_a_fronted_part(reading):
    claims = reading("Speaking on Tuesday at the dock, Ivo Stam said on Friday that the strike was over.")
    assert triples(claims) == [("Ivo Stam", "said", "the strike was over")]


def test_a_speaker_after_its_verb_takes_its_apposition(reading):
    assert triples(reading('"The strike is over," said Ivo Stam, head of the ferry union.')) == [
        ("Ivo Stam, head of the ferry union", "said", "The strike is over")]
    assert triples(reading('"It is over," said Ivo Stam, a clerk from Hull, who said he was tired.'))[0][0] == (
        "Ivo Stam, a clerk from Hull,")


def test_initials_split_titles_party_tags_and_plural_possessives_belong_to_the_name(reading):
    assert reading("Rep. Dana K. Holt (D-Ore.) said the bill was dead.")[0]["speaker"]["text"] == "Rep. Dana K. Holt (D-Ore.)"
    assert reading("Navy Capt. Lena Ruiz said the ship was late.")[0]["speaker"]["text"] == "Navy Capt. Lena Ruiz"
    assert reading("The Davis’ lawyer said the deal was off.")[0]["speaker"]["text"] == "The Davis’ lawyer"
    assert reading("Liam O'Dowd said the deal was off.")[0]["speaker"]["text"] == "Liam O'Dowd"


def test_a_participle_after_a_comma_takes_the_subject_of_its_clause(reading):
    assert triples(reading("Mara Lind quit the board on Monday, saying the plan had failed.")) == [
        ("Mara Lind", "saying", "the plan had failed")]
    assert triples(reading("A memo suggesting cuts was leaked.")) == []


def test_the_one_told_is_not_the_content(reading):
    assert triples(reading("Mara Lind told the local paper on Monday that the plan had failed.")) == [
        ("Mara Lind", "told", "the plan had failed")]


def test_an_inverted_speaker_ends_its_clause(reading):
    assert triples(reading("The plan failed, says Mara Lind.")) == [("Mara Lind", "says", "The plan failed")]
    assert triples(reading("Mara Lind, a planner, says Hull is the best port.")) == [
        ("Mara Lind, a planner,", "says", "Hull is the best port")]


def test_plain_and_counted_subjects_speak(reading):
    assert triples(reading("The retired harbour pilot says the channel is too shallow.")) == [
        ("The retired harbour pilot", "says", "the channel is too shallow")]
    assert reading("Forty percent of those polled said they would stay home.")[0]["speaker"]["text"] == (
        "Forty percent of those polled")
    assert triples(reading("The new port plans would cost a fortune.")) == []


def test_a_describing_phrase_before_a_name_opens_the_speaker(reading):
    assert reading("Veteran harbour pilot Mara Lind said the channel was shallow.")[0]["speaker"]["text"] == (
        "Veteran harbour pilot Mara Lind")
    assert reading("Yesterday Mara Lind said the channel was shallow.")[0]["speaker"]["text"] == "Mara Lind"


def test_according_to_takes_the_whole_phrase(reading):
    assert triples(reading("The ferry ran late all week, according to a log kept by the crew.")) == [
        ("a log kept by the crew", "according to", "The ferry ran late all week")]


def test_a_name_given_is_not_a_claim(reading):
    assert triples(reading("A new group called Harbour Watch is raising money.")) == []


def test_a_second_verb_after_and_or_but_is_a_claim_of_its_own(reading):
    claims = reading("Mara Lind praised the crew, thanked the mayor and said the port would grow.")
    assert ("Mara Lind", "said", "the port would grow") in triples(claims)
    claims = reading("She said the port was full, but she said the ferries would run.")
    assert [c[2] for c in triples(claims)] == ["the port was full", "the ferries would run"]


def test_a_sentence_never_starts_at_a_comma_after_a_party_tag(reading):
    assert reading("Sen. Rob Hale (R-Kan.), a farmer, said the rain came late.")[0]["speaker"]["text"] == (
        "Sen. Rob Hale (R-Kan.), a farmer,")
