"""Classes of Dutch reading error seen on real war reports (issue 13, third round), each on sentences
of our own: cues the lexicon lacked, speakers after "Ook", inflected adjectives and hyphenated names in
a speaker, two speakers of one cue, an outlet relaying a claim, denials of "dat", passives with "door",
relative clauses, colons before a quote, and the sides of generic roles, local officials, diplomats,
citizens and pronouns whose person was introduced in narration."""

from __future__ import annotations

import pytest

from tests.helpers import speaker_claims


@pytest.fixture(scope="module")
def reading(cache_dir):
    return lambda text: speaker_claims(cache_dir, text, "nl")


def _said(claims: list[dict]) -> list[tuple[str, str]]:
    return [(c["speaker"]["text"], c["content"]["text"] if c["content"] else "") for c in claims]


def _sides(claims: list[dict]) -> list[tuple[str, str]]:
    return [(c["speaker"]["text"], c["side"]) for c in claims]


@pytest.mark.parametrize(("text", "speaker", "cue"), [
    ("De burgemeester adviseerde de bewoners om de wijk te verlaten.", "De burgemeester", "adviseerde"),
    ("De analist vreest dat de dam het niet lang meer houdt.", "De analist", "vreest"),
    ("Het leger wijst erop dat de bevoorrading stokt.", "Het leger", "wijst erop"),
    ("Moskou geeft de westerse sancties de schuld van de tekorten.", "Moskou", "geeft"),
    ("Via de radio liet de gouverneur weten dat de wegen weer open zijn.", "de gouverneur", "liet"),
    ("De gouverneur sprak op Telegram van een zware nacht.", "De gouverneur", "sprak"),
])
def test_cues_the_lexicon_lacked(reading, text, speaker, cue):
    (claim,) = reading(text)
    assert (claim["speaker"]["text"], claim["cue"]["text"]) == (speaker, cue)


def test_a_preposition_far_from_its_verb_is_no_particle(reading):
    assert reading("De minister sprak maandag urenlang met zijn collega's over de graanroutes en de havens van het land.") == []


def test_ook_before_the_subject(reading):
    claims = reading("Ook het Britse ministerie van Defensie meldt dat de brug onbruikbaar is.")
    assert _said(claims) == [("het Britse ministerie van Defensie", "de brug onbruikbaar is")]


def test_inflected_adjectives_and_hyphenated_names_in_a_speaker(reading):
    claims = reading("Volgens de gevluchte burgemeester van de stad zijn er drie scholen geraakt.")
    assert claims[0]["speaker"]["text"] == "de gevluchte burgemeester van de stad"
    claims = reading("Het Wit-Russische ministerie van Defensie verklaarde dat de oefening voorbij is.")
    assert claims[0]["speaker"]["text"] == "Het Wit-Russische ministerie van Defensie"


def test_common_noun_speakers(reading):
    (claim,) = reading("Een Oekraïense activist waarschuwde dat de visumregels dissidenten treffen.")
    assert claim["speaker"]["text"] == "Een Oekraïense activist" and claim["side"] == "other"


def test_two_speakers_of_one_cue(reading):
    claims = reading("Rusland en Oekraïne beschuldigen elkaar van de beschieting van het depot.")
    assert _sides(claims) == [("Oekraïne", "UA"), ("Rusland", "RU")]
    assert claims[0]["content"] == claims[1]["content"]
    claims = reading("In de nacht vielen twee doden in Charkiv. Dat meldt zowel de Russische Defensie als het Oekraïense leger.")
    assert sorted(_sides(claims)) == [("de Russische Defensie", "RU"), ("het Oekraïense leger", "UA")]


def test_a_back_reference_with_a_participle(reading):
    (claim,) = reading("Het depot bij Donetsk brandt sinds vrijdag. Dat heeft het Russische ministerie zaterdag verklaard.")
    assert _said([claim]) == [("het Russische ministerie", "Het depot bij Donetsk brandt sinds vrijdag")]


def test_an_outlet_relaying_a_claim_reports_the_sentence(reading):
    claims = reading("De gouverneur zegt dat de brug is verwoest, meldt persbureau Reuters.")
    assert _said(claims) == [("De gouverneur", "de brug is verwoest"),
                             ("persbureau Reuters", "De gouverneur zegt dat de brug is verwoest")]
    assert claims[1]["stance"] == "report" and claims[1]["side"] == "other"


def test_a_denial_of_dat_before_the_participle(reading):
    claims = reading("Moskou zegt dat het depot is geraakt. Het Oekraïense leger heeft dat ontkend.")
    assert (claims[1]["speaker"]["text"], claims[1]["stance"], claims[1]["content"]["text"]) == ("Het Oekraïense leger", "deny", "dat")


def test_a_passive_with_door_names_its_speaker(reading):
    claims = reading("Berichten over een grote aanval zijn door de regering in Kiev ontkend.")
    assert [(c["speaker"]["text"], c["stance"], c["side"]) for c in claims] == [("de regering in Kiev", "deny", "UA")]
    assert claims[0]["content"]["text"] == "Berichten over een grote aanval zijn"
    assert reading("Het door Oekraïne gecontroleerde gebied is gemeld als veilig.") == []


def test_a_speaker_before_its_relative_clause(reading):
    (claim,) = reading("Ook VN-baas António Guterres, die vrijdag in Istanbul was, veroordeelt de aanval.")
    assert claim["speaker"]["text"] == "VN-baas António Guterres"


def test_a_name_before_a_colon_and_a_quote(reading):
    (claim,) = reading("Kovalenko: 'We blijven tot de laatste dag in de stad.'")
    assert claim["speaker"]["text"] == "Kovalenko"
    assert reading("Charkiv: drie doden na nieuwe beschieting") == []


def test_a_generic_role_takes_the_side_of_its_earlier_mention(reading):
    claims = reading("Het Russische ministerie van Defensie meldt dat de aanval is afgeslagen. "
                     "Later op de dag zei het ministerie van Defensie dat er vijf drones zijn neergehaald.")
    assert claims[1]["speaker"]["text"] == "het ministerie van Defensie" and claims[1]["side"] == "RU"


def test_a_definite_role_after_a_claim_takes_its_side(reading):
    claims = reading("Kiev meldt dat de stad nog in handen is. De regering zegt dat er versterkingen onderweg zijn.")
    assert _sides(claims) == [("Kiev", "UA"), ("De regering", "UA")]


def test_an_apposition_gives_a_name_its_side(reading):
    (claim,) = reading("Er was geen militair doel in de buurt, stelt Petro Hrytsenko, een van de adviseurs van president Zelensky.")
    assert claim["side"] == "UA"


def test_a_local_official_takes_the_place_named_just_before(reading):
    claims = reading("Door explosies in de Russische stad Belgorod, vlak bij de grens met Oekraïne, zijn drie doden gevallen. "
                     "Er zijn vijf huizen verwoest. Dat meldt de regionale gouverneur.")
    assert _sides(claims) == [("de regionale gouverneur", "RU")]


def test_a_diplomat_does_not_speak_for_the_country_it_sits_in(reading):
    (claim,) = reading("De Amerikaanse ambassadeur in Oekraïne zegt dat de aanval schandelijk is.")
    assert (claim["speaker"]["text"], claim["side"]) == ("De Amerikaanse ambassadeur in Oekraïne", "other")
    (claim,) = reading("De Oekraïense ambassadeur in Turkije zegt dat het schip is aangehouden.")
    assert (claim["speaker"]["text"], claim["side"]) == ("De Oekraïense ambassadeur in Turkije", "UA")


def test_a_pronoun_for_a_person_introduced_in_narration(reading):
    claims = reading("De Oekraïense minister van Cultuur keerde zich tegen het besluit van de omroepunie. "
                     "Volgens hem is dat een slecht signaal.")
    assert (claims[-1]["speaker"]["text"], claims[-1]["side"]) == ("hem", "UA")
    assert claims[-1]["resolved"]["text"] == "De Oekraïense minister van Cultuur"


def test_naar_eigen_zeggen_makes_the_subject_the_speaker(reading):
    (claim,) = reading("Oekraïne is naar eigen zeggen een tegenoffensief begonnen bij Cherson.")
    assert _said([claim]) == [("Oekraïne", "een tegenoffensief begonnen bij Cherson")] and claim["side"] == "UA"


def test_participles_and_plural_subjects_the_lexicon_lacked(reading):
    (claim,) = reading("De Russische minister van Defensie heeft president Poetin verteld dat de stad is ingenomen.")
    assert claim["cue"]["text"] == "verteld" and claim["side"] == "RU"
    (claim,) = reading("Beide landen beschuldigen elkaar van de aanval op het station.")
    assert claim["speaker"]["text"] == "Beide landen"
