"""Classes of English claims that attribute nothing (issue 13, fifth round), each on sentences of our
own: a cue word in another sense (an adjective joined by a hyphen, a noun after a possessive, a passive
with its agent, a reflexive or particle after it), the one told taken for the speaker, and the content
of "…, according to X, who …" standing before the source, not in what describes it."""

from __future__ import annotations

import pytest

from tests.helpers import speaker_claims, triples


@pytest.fixture(scope="module")
def reading(cache_dir):
    return lambda text, lang="en": speaker_claims(cache_dir, text, lang)


def test_a_cue_joined_by_a_hyphen_is_an_adjective(reading):
    assert triples(reading("The union-backed plan failed in May.")) == []
    assert triples(reading("The court-ordered count of the ballots ends on Friday.")) == []


def test_a_cue_after_a_possessive_is_a_noun_but_a_claim_stays_one(reading):
    assert triples(reading("The mayor's proposed budget cuts the bus lines.")) == []
    assert triples(reading("The governor's repeated visits to the port drew crowds.")) == []
    assert [c for _, c, _ in triples(reading("The mayor's claim that the port is closed was false."))] == ["claim"]


def test_a_contracted_verb_after_a_pronoun_is_still_a_cue(reading):
    assert triples(reading("He's said the port will open again.")) == [("He", "said", "the port will open again")]


def test_a_passive_with_its_agent_has_no_speaker_before_it(reading):
    assert triples(reading("The plan was backed by the unions in March.")) == []
    assert triples(reading("The farmers chose a candidate endorsed by the governor.")) == []


def test_by_and_a_means_or_a_gerund_is_no_passive(reading):
    assert triples(reading("The mayor said by phone that the port was closed.")) == [
        ("The mayor", "said", "the port was closed")]


def test_words_after_a_cue_that_give_it_another_sense(reading):
    assert triples(reading("The senator found himself at odds with the party.")) == []
    assert triples(reading("The team found a way to finish the bridge.")) == []
    assert triples(reading("Jane Roe reported from Kyiv.")) == []
    assert triples(reading("The mayor maintained a narrow lead in the count.")) == []
    assert triples(reading("The firm won the vote in Ohio, adding to its wins in the spring.")) == []


def test_the_one_told_is_never_an_inverted_speaker(reading):
    claims = reading("“The bridge will not open,” Ann Berg, 58, told AFP in an interview.")
    assert all(c["speaker"]["text"] != "AFP" for c in claims)


def test_a_source_set_off_after_a_clause_takes_that_clause_as_content(reading):
    assert triples(reading("Turnout fell by a third in the city, according to Jane Roe, who ran the poll.")) == [
        ("Jane Roe", "according to", "Turnout fell by a third in the city")]
    assert triples(reading("Sales rose in every store last year, according to Tom Vale, an analyst at a bank.")) == [
        ("Tom Vale", "according to", "Sales rose in every store last year")]


def test_a_source_after_an_opening_adjunct_keeps_the_content_after_it(reading):
    assert triples(reading("Over the long term, according to the office, the debt will rise.")) == [
        ("the office", "according to", "the debt will rise")]
    assert triples(reading("But, according to the mayor, the port is closed.")) == [
        ("the mayor", "according to", "the port is closed")]


def test_show_reports_after_a_noun_of_evidence_only(reading):
    assert triples(reading("Polls show the mayor with a lead of ten points.")) == [
        ("Polls", "show", "the mayor with a lead of ten points")]
    assert triples(reading("The firm paid no tax, records show.")) == [("records", "show", "The firm paid no tax")]
    assert triples(reading("The candidates show no sign of stopping.")) == []


def test_a_plain_subject_before_a_verb_of_speech_or_evidence_speaks(reading):
    assert triples(reading("The young volunteers tweeted that the bridge had closed.")) == [
        ("The young volunteers", "tweeted", "the bridge had closed")]
    assert triples(reading("The harbour workers revealed the ships had been turned away.")) == [
        ("The harbour workers", "revealed", "the ships had been turned away")]


def test_a_participle_of_speech_after_a_comma_takes_the_clauses_subject(reading):
    assert triples(reading("The mayor praised the plan, referring to the new bridge.")) == [
        ("The mayor", "praised", "the plan"), ("The mayor", "referring to", "the new bridge")]
    assert triples(reading("The senator spoke for an hour, announcing a run for governor.")) == [
        ("The senator", "announcing", "a run for governor")]


def test_a_cue_after_a_determiner_or_a_participle_after_as_has_no_speaker(reading):
    assert triples(reading("Given the expected delay, the council met again on Monday.")) == []
    assert triples(reading("The new bridge, as mentioned above, opened in May.")) == []


def test_a_phrasal_verb_is_no_cue(reading):
    assert triples(reading("The two firms called off the merger in June.")) == []
    assert triples(reading("The council backed down after the protest.")) == []


def test_a_suggestion_with_lets_has_no_speaker(reading):
    assert triples(reading("Let's see if the mayor keeps the port open.")) == []


def test_after_the_one_told_only_where_it_was_said_the_content_is_the_quote(reading):
    (claim,) = triples(reading("“They asked for help and we said ‘yes’,” Roe told reporters during a call."))
    assert claim[:2] == ("Roe", "told") and claim[2].startswith("They asked for help")
    assert triples(reading("Roe told reporters the bridge would open.")) == [("Roe", "told", "the bridge would open")]
