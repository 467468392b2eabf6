"""Classes of English reading error seen on real news (issue 13, fourth round), each on sentences of
our own: cues inside a quotation, party tags, Title Case headlines, adverbs between speaker and verb,
an age before an apposition, a participle after a quote's verb, quotes that end in ? or !, and
relative clauses of speech ("who said")."""

from __future__ import annotations

import pytest

from tests.helpers import speaker_claims, triples


@pytest.fixture(scope="module")
def reading(cache_dir):
    return lambda text, lang="en": speaker_claims(cache_dir, text, lang)


def test_a_cue_inside_a_quotation_is_the_quoted_speakers_word(reading):
    claims = reading("“We will win the seat. Everyone in town says the mayor is finished,” Ann Berg said.")
    assert [(s, c) for s, c, _ in triples(claims)] == [("Ann Berg", "said")]


def test_a_quotation_that_goes_on_keeps_its_speaker_not_the_verb_inside_it(reading):
    claims = reading("“We will win the seat,” Ann Berg said. “Everyone in town says the mayor is finished.”")
    assert [(c["speaker"]["text"], c["cue"]["text"], c["carried"]) for c in claims] == [
        ("Ann Berg", "said", False), ("Ann Berg", "said", True)]


def test_a_party_tag_with_a_split_state_stays_in_the_speaker(reading):
    assert triples(reading("Sen. Tom Vale (I-Vt.) said he will release his records.")) == [
        ("Sen. Tom Vale (I-Vt.)", "said", "he will release his records")]


def test_a_title_case_headline_has_its_verb_as_a_cue(reading):
    assert triples(reading("Tom Vale Says He Would Close The Border\n\nThe mayor spoke on Monday.")) == [
        ("Tom Vale", "Says", "He Would Close The Border")]


def test_a_name_in_title_case_inside_a_sentence_is_no_cue(reading):
    assert triples(reading("The United States Says office opened in the town on Monday.")) == []


def test_an_adverb_between_speaker_and_verb(reading):
    assert triples(reading("Tom Vale however said he would welcome the deal.")) == [
        ("Tom Vale", "said", "he would welcome the deal")]
    assert triples(reading("The mayor himself said the deal was good.")) == [("The mayor", "said", "the deal was good")]


def test_an_age_before_an_apposition(reading):
    assert triples(reading("Anna Berg, 21, a nurse from Ohio, said she came to support the mayor.")) == [
        ("Anna Berg, 21, a nurse from Ohio,", "said", "she came to support the mayor")]


def test_a_participle_after_a_quotes_verb_is_a_claim_of_its_own(reading):
    assert triples(reading('"The strike is over," Ann Berg said, adding that she hoped to return soon.')) == [
        ("Ann Berg", "said", "The strike is over"), ("Ann Berg", "adding", "she hoped to return soon")]


def test_a_quote_ending_in_a_question_mark_stays_with_its_speaker(reading):
    assert triples(reading("“Who do they think they are?” Tom Vale said of the company in May.")) == [
        ("Tom Vale", "said", "Who do they think they are")]


def test_a_question_before_a_new_sentence_still_ends_it(reading):
    assert triples(reading("Will the port reopen? The mayor said it would.")) == [("The mayor", "said", "it would")]


def test_who_said_is_a_claim_resolved_to_the_phrase_before(reading):
    claims = reading("The mayor beat Ann Berg, who said she would appeal the result.")
    assert triples(claims) == [("who", "said", "she would appeal the result")]
    assert claims[0]["resolved"]["text"] == "Ann Berg"


def test_a_relative_clause_of_speech_ends_at_its_comma_and_the_main_claim_stays(reading):
    claims = reading("Tom Vale, who said he votes for the mayor, said the vote was rigged.")
    assert [(s, c, t) for s, c, t in triples(claims)] == [
        ("who", "said", "he votes for the mayor"), ("Tom Vale", "said", "the vote was rigged")]  # the clause that speaks is no part of the speaker (en5b)


def test_a_relative_clause_of_a_deed_is_no_claim(reading):
    assert triples(reading("The mayor met Ann Berg, who endorsed him in May.")) == []


def test_a_question_who_said_has_no_speaker(reading):
    assert triples(reading("Who said the port would close?")) == []


def test_a_participles_subject_after_a_fronted_phrase(reading):
    assert triples(reading("In a speech on Tuesday night, Mr. Vale struck a calm tone, saying he understood the job.")) == [
        ("Mr. Vale", "saying", "he understood the job")]


def test_a_fronted_adjunct_before_the_speaker_is_no_content(reading):
    assert triples(reading("In an interview, Tom Vale said on Thursday he delivered a letter.")) == [
        ("Tom Vale", "said", "on Thursday he delivered a letter")]
    assert triples(reading("In California, Ann Berg hopes to win the vote.")) == [("Ann Berg", "hopes", "to win the vote")]


def test_a_quote_before_the_speaker_is_still_content(reading):
    assert triples(reading('"The claims have no substance," Jill Roe said in a statement.')) == [
        ("Jill Roe", "said", "The claims have no substance")]


def test_an_adverb_set_off_by_commas_leaves_the_subject_the_speaker(reading):
    assert triples(reading("Tom Vale, meanwhile, told the paper on Wednesday that he backs the mayor.")) == [
        ("Tom Vale", "told", "he backs the mayor")]


def test_a_cue_word_inside_a_name_or_a_noun_is_no_cue(reading):
    assert triples(reading("Campaign spokeswoman Hope Hicks said the vote was rigged.")) == [
        ("Campaign spokeswoman Hope Hicks", "said", "the vote was rigged")]
    assert [c for _, c, _ in triples(reading("Ann Roe, president of a liberal think tank, said the vote was rigged."))] == ["said"]


def test_verbs_of_citing_and_judging_are_cues(reading):
    assert triples(reading("The mayor pointed to the new figures as proof.")) == [
        ("The mayor", "pointed to", "the new figures as proof")]
    assert triples(reading("Tom Vale decried the closure of the port.")) == [("Tom Vale", "decried", "the closure of the port")]


def test_a_title_name_before_a_colon_speaks(reading):
    assert triples(reading("Paul Roe: Port Decision Defies Explanation\n\nThe mayor spoke on Monday.")) == [
        ("Paul Roe", ":", "Port Decision Defies Explanation")]


def test_a_titles_label_before_a_colon_is_no_speaker(reading):
    assert triples(reading("Breaking: Port Closes After Storm\n\nThe mayor spoke on Monday.")) == []
    assert triples(reading("The Latest: Port closes after storm\n\nThe mayor spoke on Monday.")) == []


def test_a_transcript_line_in_capitals_is_its_speakers(reading):
    claims = reading("The mayor spoke on Monday.\nROE: Will the port close?\nVALE: No, it will not.")
    assert triples(claims) == [("ROE", ":", "Will the port close"), ("VALE", ":", "No, it will not")]


def test_an_apposition_between_dashes_belongs_to_the_speaker(reading):
    assert triples(reading("Jason Roe — a teacher from Mount Pleasant — says he made a late decision.")) == [
        ("Jason Roe — a teacher from Mount Pleasant —", "says", "he made a late decision")]


def test_an_apposition_ending_in_a_town_and_its_state(reading):
    assert triples(reading("Dean Roe, a salesman from Sumter, South Carolina, says the mayor will win.")) == [
        ("Dean Roe, a salesman from Sumter, South Carolina,", "says", "the mayor will win")]


def test_a_participle_after_a_fronted_participle_phrase_takes_the_subject(reading):
    assert triples(reading("Speaking at a town hall in Salem, Tom Vale went after the mayor, calling him a total stiff.")) == [
        ("Tom Vale", "calling", "him a total stiff")]


def test_a_phrase_set_off_by_commas_between_speaker_and_verb(reading):
    assert triples(reading("Corey Roe, in a statement released on Thursday, said he thanks the police.")) == [
        ("Corey Roe", "said", "he thanks the police")]
    assert triples(reading("Ann Berg, during a town hall in Columbus, Ohio, said she would close the mine.")) == [
        ("Ann Berg", "said", "she would close the mine")]
    assert triples(reading("Brian Roe, the chairman of the county party, for example, said the mayor will lose.")) == [
        ("Brian Roe, the chairman of the county party", "said", "the mayor will lose")]


def test_a_poll_opening_the_sentence_is_its_source(reading):
    assert triples(reading("In a CNN poll released Monday, 50 percent of voters chose the mayor.")) == [
        ("a CNN poll released Monday", "In", "50 percent of voters chose the mayor")]
    assert triples(reading("The mayor has a decisive lead in the latest polls.")) == []


def test_offers_refusals_and_orders_are_cues(reading):
    assert triples(reading("The council refused to reopen the port.")) == [("The council", "refused", "to reopen the port")]


def test_a_slash_between_names_and_a_head_before_for_stay_in_the_speaker(reading):
    assert triples(reading("A new CNN/ORC poll shows the mayor ahead.")) == [("A new CNN/ORC poll", "shows", "the mayor ahead")]
    assert triples(reading("A spokesman for the buyer said the deal was closed.")) == [
        ("A spokesman for the buyer", "said", "the deal was closed")]


def test_a_participle_phrase_set_off_by_commas_leaves_the_subject_the_speaker(reading):
    assert triples(reading("Tom Vale, wearing a shirt covered in buttons, said he is proud of the campaign.")) == [
        ("Tom Vale", "said", "he is proud of the campaign")]
