"""Classes of reading error seen on real text (issue 13, second round), each on sentences of our own:
cues inside quotes, participles with their auxiliary, content in the next paragraph, prepositional
objects, pronouns of the wrong kind, denials by phrase, the side of generic speakers."""

from __future__ import annotations

from datetime import date

import pytest

from bot.nlp.pipeline import ArticleInput, read
from tests.helpers import speaker_claims, triples


@pytest.fixture(scope="module")
def reading(cache_dir):
    return lambda text, lang="en": speaker_claims(cache_dir, text, lang)


def test_a_verb_inside_a_quote_is_not_the_cue(reading):
    claims = reading('"People say the road is closed for good," the mayor said.')
    assert triples(claims) == [("the mayor", "said", "People say the road is closed for good")]


def test_a_dutch_participle_takes_its_speaker_by_the_auxiliary(reading):
    claims = reading("Het leger heeft zaterdag laten weten dat de brug bij Izjoem is hersteld.", "nl")
    assert triples(claims) == [("Het leger", "laten weten", "de brug bij Izjoem is hersteld")]
    claims = reading("Zondag heeft de gouverneur gemeld dat twee scholen zijn geraakt.", "nl")
    assert triples(claims) == [("de gouverneur", "gemeld", "twee scholen zijn geraakt")]


def test_a_participle_without_auxiliary_is_no_cue(reading):
    assert reading("De gemeld aanval op de haven wordt onderzocht.", "nl") == []


def test_said_with_a_colon_takes_the_next_paragraph(reading):
    claims = reading('The mayor said:\n\n"We will reopen the port on Monday."')
    assert triples(claims) == [("The mayor", "said", "We will reopen the port on Monday")]


def test_an_assertion_with_nothing_said_is_no_claim_but_a_denial_is(reading):
    assert reading("The mayor said.") == []
    (denial,) = [c for c in reading("Moskou meldt dat de brug is geraakt. Kiev ontkent.", "nl") if c["stance"] == "deny"]
    assert denial["speaker"]["text"] == "Kiev"


def test_the_object_of_a_preposition_is_not_the_speaker(reading):
    claims = reading("In een gesprek met de BBC zegt Sjojgoe dat de aanval is afgeslagen.", "nl")
    assert [(c["speaker"]["text"], c["actor"]) for c in claims] == [("Sjojgoe", "ru.mod")]


def test_a_speaker_never_spans_that(reading):
    claims = reading("Gisteren zei een woordvoerder dat Russische eenheden waren teruggetrokken.", "nl")
    assert [c["speaker"]["text"] for c in claims] == ["een woordvoerder"]


def test_a_person_pronoun_skips_a_body_and_a_bare_one_is_not_shown(cache_dir, reading):
    text = ("Burgemeester Ivan Petrenko zei dat de school dicht blijft. Het ISW meldt dat de stad wordt omsingeld. "
            "Hij zei dat de bussen weer rijden.")
    pronoun = reading(text, "nl")[-1]
    assert pronoun["speaker"]["text"] == "Hij" and pronoun["resolved"]["text"] == "Burgemeester Ivan Petrenko"
    (shown,) = read([ArticleInput("He said the talks would go on.", "en", date(2023, 1, 8))], cache_dir)
    assert [c for c in shown["claims"] if c["speaker"]] == []  # nobody it can stand for: not shown


def test_a_phrase_of_denial_after_another_claim_is_a_denial(reading):
    claims = reading("Kiev zegt dat Moskou de dam opblies. Het Kremlin zegt niets met de aanval te maken te hebben.", "nl")
    assert [(c["speaker"]["text"], c["stance"], c["refers_to"]) for c in claims] == [
        ("Kiev", "assert", None), ("Het Kremlin", "deny", 0)]


def test_a_generic_speaker_takes_the_body_named_before_it(reading):
    claims = reading("Het Russische ministerie van Defensie meldt een aanval op Belgorod. "
                     "Volgens het ministerie zijn drie drones neergehaald.", "nl")
    assert [(c["speaker"]["text"], c["side"]) for c in claims] == [
        ("Het Russische ministerie van Defensie", "RU"), ("het ministerie", "RU")]


def test_the_russians_speak_for_their_side(reading):
    (claim,) = reading("Volgens de Russen is het dorp ingenomen.", "nl")
    assert claim["side"] == "RU"


def test_english_speaker_after_a_quote_may_be_a_plain_noun_phrase(reading):
    claims = reading('"The talks are over," said one senior agency official.')
    assert triples(claims) == [("one senior agency official", "said", "The talks are over")]


def test_a_second_verb_takes_the_subject_that_opens_the_sentence(reading):
    claims = reading("Marta Lind visited the plant on Monday and said the repairs would take a year.")
    assert triples(claims) == [("Marta Lind", "said", "the repairs would take a year")]


def test_an_age_between_commas_belongs_to_the_speaker(reading):
    claims = reading("Jan Roe, 69, said the water had been cut off.")
    assert triples(claims) == [("Jan Roe, 69,", "said", "the water had been cut off")]


def test_a_fronted_adverbial_takes_no_apposition(reading):
    assert [c["speaker"]["text"] for c in reading("Instead, Marta Lind said the count was fair.")] == ["Marta Lind"]


def test_dutch_speaker_nouns_and_zo_before_the_verb(reading):
    claims = reading("De situatie is onhoudbaar, zo zegt de topman van Ukrenergo.", "nl")
    assert triples(claims) == [("de topman van Ukrenergo", "zegt", "De situatie is onhoudbaar")]


def test_a_list_of_headlines_splits_at_its_bullets(reading):
    claims = reading("Kiev: de brug is hersteld • Moskou: de aanval is afgeslagen\n\nGeen nieuws.", "nl")
    assert [(c["speaker"]["text"], c["content"]["text"]) for c in claims] == [
        ("Kiev", "de brug is hersteld"), ("Moskou", "de aanval is afgeslagen")]


def test_a_fronted_adverb_is_not_the_dutch_speaker(reading):
    claims = reading("Andersom beweert het Russische leger dat de stad is omsingeld.", "nl")
    assert [c["speaker"]["text"] for c in claims] == ["het Russische leger"]


def _actor_places(cache_dir: str, text: str, lang: str) -> dict[str, bool]:
    (result,) = read([ArticleInput(text, lang, date(2023, 1, 8))], cache_dir)
    return {m["text"]: m["as_actor"] for p in result["places"] for m in p["mentions"]}


def test_a_country_acting_stands_for_its_government(cache_dir):
    places = _actor_places(cache_dir, "Rusland verovert een centrale bij Vuhledar. De aanval op Oekraïne gaat door.", "nl")
    assert places == {"Rusland": True, "Vuhledar": False, "Oekraïne": False}


def test_a_country_as_location_or_qualifier_does_not_act(cache_dir):
    places = _actor_places(cache_dir, "Moscow's troops shelled southern Ukraine. Russia war news from Kharkiv.", "en")
    assert places == {"Moscow": True, "Ukraine": False, "Russia": False, "Kharkiv": False}


def test_in_an_article_about_the_war_every_placed_claim_is_relevant(cache_dir):
    text = ("Drones vielen Moskou aan\n\nDrones hebben vannacht Moskou aangevallen. Twee drones raakten een kantoor. "
            "Er vielen geen doden. Peskov zei dat de president op de hoogte is gebracht. "
            "Hij zei dat de zaak wordt onderzocht.")
    (shown,) = read([ArticleInput(text, "nl", date(2023, 1, 8))], cache_dir)
    assert [c["speaker"]["text"] for c in shown["claims"] if c["speaker"]] == ["Peskov", "Hij"]
    (other,) = read([ArticleInput("De club zei dat de trainer blijft. De spelers zeiden dat het seizoen goed was.", "nl",
                                  date(2023, 1, 8))], cache_dir)
    assert [c for c in other["claims"] if c["speaker"]] == []  # nothing of the war: left out
