"""Classes of Dutch reading error seen on real war reports (issue 13, fourth round), each on sentences of
our own: officials known by an office of a town or region, local bodies seated in occupied areas, double
spaces before a cue, bracketed portfolios, "Zowel X als Y", separable cues whose particle opens the content,
and statements between a cue and its speaker ("aldus een verklaring van X")."""

from __future__ import annotations

import pytest

from tests.helpers import speaker_claims


@pytest.fixture(scope="module")
def reading(cache_dir):
    return lambda text: speaker_claims(cache_dir, text, "nl")


def _sides(claims: list[dict]) -> list[tuple[str, str]]:
    return [(c["speaker"]["text"], c["side"]) for c in claims]


def test_an_official_of_a_region_named_in_an_apposition(reading):
    text = ("Petro Koval, het hoofd van de dienst Wegen en Bruggen van de regio Charkiv, nam ons mee naar de brug. "
            "De herstelwerkzaamheden duren tot de winter, zegt Koval. Ook Koval verwacht nieuwe aanvallen.")
    assert _sides(reading(text)) == [("Koval", "UA"), ("Koval", "UA")]


def test_an_office_of_a_town_after_the_speaker(reading):
    (claim,) = reading("De scholen blijven dicht, meldt de directeur van het onderwijsbureau van de stad Mykolajiv.")
    assert claim["side"] == "UA"


def test_a_citizen_of_a_region_speaks_for_no_side(reading):
    text = "Olha Bondar, een inwoner van de regio Sumy, was thuis. Het werd een lange nacht, zegt Bondar."
    assert _sides(reading(text)) == [("Bondar", "other")]


def test_a_local_body_seated_in_an_occupied_area_is_the_occupiers(reading):
    (claim,) = reading("Volgens de plaatselijke autoriteiten in het bezette deel van de regio Zaporizja is de stroom uitgevallen.")
    assert claim["side"] == "RU"


def test_a_mayor_of_an_occupied_town_is_not_placed_by_the_occupation(reading):
    (claim,) = reading("De burgemeester van het bezette Melitopol zegt dat de stroom al dagen uitvalt.")
    assert claim["side"] == "UA"


def _said(claims: list[dict]) -> list[tuple[str, str]]:
    return [(c["speaker"]["text"], c["content"]["text"] if c["content"] else "") for c in claims]


def test_a_double_space_before_the_cue(reading):
    claims = reading("„De brug is niet meer bruikbaar”,  meldde het Britse ministerie van Defensie vorige week.")
    assert _said(claims) == [("het Britse ministerie van Defensie", "De brug is niet meer bruikbaar")]


def test_a_bracketed_portfolio_belongs_to_the_speaker(reading):
    text = ("Het Oekraïense ministerie van Buitenlandse Zaken sprak van een aanval op het akkoord. "
            "Ook minister Karin Vos (Buitenlandse Zaken) veroordeelt de beschieting van de haven.")
    claims = reading(text)
    assert _sides(claims)[-1] == ("minister Karin Vos (Buitenlandse Zaken)", "other")


def test_zowel_before_two_speakers_after_a_colon(reading):
    claims = reading("De beelden zijn nog niet geverifieerd: Zowel de Russen als de Oekraïners claimen het dorp.")
    assert sorted(_sides(claims)) == [("de Oekraïners", "UA"), ("de Russen", "RU")]


@pytest.mark.parametrize(("text", "content"), [
    ("Het is onduidelijk wat er gebeurde: een Russische officier spreekt tegenover staatstelevisie van „sabotage”.",
     "sabotage"),
    ("Brand bij luchtmachtbasis, Belarus spreekt van een technisch mankement", "een technisch mankement"),
])
def test_the_particle_of_a_separable_cue_opens_the_content(reading, text, content):
    (claim,) = reading(text)
    assert claim["content"]["text"].strip("„”") == content


@pytest.mark.parametrize("text", [
    "„De stad is in onze handen”, aldus een verklaring van het ministerie.",
    "De agent volgde haar doelwit weken, luidt de lezing van de geheime dienst.",
])
def test_a_statement_between_the_cue_and_its_speaker(reading, text):
    (claim,) = reading(text)
    assert claim["speaker"]["text"] in ("het ministerie", "de geheime dienst")


@pytest.mark.parametrize(("text", "content"), [
    ("Moskou meldt dat de brug is verwoest. Kiev spreekt dat echter tegen.", "dat"),
    ("Moskou meldt dat de brug is verwoest. Maar de gouverneur bestrijdt dat.", "dat"),
    ("Moskou meldt dat de brug is verwoest. Een woordvoerder van het leger weersprak die claim later.", "die claim"),
])
def test_an_object_pointing_back_is_what_is_denied(reading, text, content):
    claims = reading(text)
    assert claims[-1]["stance"] == "deny" and claims[-1]["content"]["text"].rstrip(".") == content


def test_dat_opening_a_clause_is_no_pointer(reading):
    (claim,) = reading("Kiev ontkent dat er tanks zijn verwoest.")
    assert claim["content"]["text"] == "er tanks zijn verwoest"
    claims = reading("Moskou meldt dat de brug is verwoest. Het leger ontkent dat: de brug staat nog overeind.")
    assert claims[-1]["content"]["text"] != "dat"  # the colon opens what is denied


def test_an_outlet_relays_a_denial_with_its_adverb(reading):
    claims = reading("Een woordvoerder van het leger weersprak die claim later, aldus persbureau AFP.")
    assert [(c["speaker"]["text"], c["stance"]) for c in claims] == [("Een woordvoerder van het leger", "deny"),
                                                                     ("persbureau AFP", "report")]


def test_only_where_it_was_said_follows_a_perfect_cue(reading):
    (claim,) = reading("Het land stopt de invoer van hout uit Rusland, heeft premier Jansen gezegd bij een bezoek aan Kiev.")
    assert claim["content"]["text"] == "Het land stopt de invoer van hout uit Rusland"
    assert claim["side"] == "other"  # "uit Rusland" lies in the other clause: it describes nobody


def test_images_named_in_a_sentence_are_no_page_furniture(reading):
    (claim,) = reading("Bewoners maakten melding van harde knallen en op sociale media circuleren beelden van rookwolken.")
    assert claim["speaker"]["text"] == "Bewoners"


def test_was_duidelijk_before_a_colon(reading):
    claims = reading("De minister was duidelijk: de steun gaat door. De boodschap was duidelijk: er komt geen geld.")
    assert _said(claims) == [("De minister", "de steun gaat door")]


def test_a_pronoun_takes_the_person_its_sentence_opens_with(reading):
    text = ("Peskov zei dat de gesprekken doorgaan. "
            "Zelensky gaf na zijn bezoek aan Bachmoet een interview waarin hij zei dat de stad standhoudt.")
    claims = reading(text)
    assert (claims[-1]["speaker"]["text"], claims[-1]["side"]) == ("hij", "UA")


def test_a_sentence_opening_with_a_preposition_names_no_subject_for_the_pronoun(reading):
    text = ("Peskov zei dat de gesprekken doorgaan. "
            "Na het gesprek met Zelensky was Jansen gerustgesteld, omdat hij zei dat de steun doorgaat.")
    assert reading(text)[-1]["side"] != "UA"


def test_a_video_caption_opening_a_sentence_is_furniture(reading):
    assert reading("Beelden van de brand die de gouverneur op Telegram heeft gedeeld: de school is verwoest.") == []


def test_a_description_before_an_appositive_name(reading):
    text = "De nieuwe baas van de Russische spoorwegen, Ivan Petrov, opende dinsdag de lijn. Petrov zegt dat de treinen rijden."
    assert _sides(reading(text)) == [("Petrov", "RU")]
    text = "Het dorp ligt bij de Russische grens, en Ivan Petrov opende dinsdag de lijn. Petrov zegt dat de treinen rijden."
    assert _sides(reading(text)) == [("Petrov", "other")]


def test_a_child_described_by_nationality_speaks_for_no_side(reading):
    text = "Een Oekraïens jongetje, Taras, staat bij de slagboom. „We bewaken het dorp”, zegt Taras tegen de verslaggever."
    assert _sides(reading(text)) == [("Taras", "other")]


def test_a_colon_after_the_speaker_of_a_preposition_cue(reading):
    (claim,) = reading("Of in de woorden van militair blogger Ivan Petrov: „Er moet harder worden opgetreden.”")
    assert claim["content"]["text"].strip("„”") == "Er moet harder worden opgetreden"


@pytest.mark.parametrize(("text", "speaker", "content"), [
    ("Moskou meldt dat de brug is verwoest. Maar Kiev bestrijdt dat.", "Kiev", "dat"),
    ("Borrell wijst elke vergelijking met de blokkade van de havens van de hand.", "Borrell",
     "elke vergelijking met de blokkade van de havens van de hand"),
])
def test_a_word_ending_a_sentence_is_no_abbreviation(reading, text, speaker, content):
    claim = reading(text)[-1]
    assert (claim["speaker"]["text"], claim["stance"], claim["content"]["text"]) == (speaker, "deny", content)


def test_the_united_states_at_a_sentence_end_speak(reading):
    (claim,) = reading("De beschuldiging is vals, aldus de VS.")
    assert claim["speaker"]["text"] == "de VS"


def test_a_generic_role_after_a_title_and_its_blank_line(reading):
    claims = reading("Oekraïne: Rusland beschiet de haven\n\nVolgens het leger zijn er vier raketten afgevuurd.")
    assert _sides(claims)[-1] == ("het leger", "UA")


def test_a_pronoun_after_the_quote_of_the_one_narration_introduced(reading):
    text = ("Peskov zei dat de gesprekken doorgaan. De Oekraïense minister Petro Koval kwam op Telegram met een andere lezing. "
            "„Het ministerie zwijgt over het bedorven vlees.” Volgens hem is het voedsel bedorven.")
    assert _sides(reading(text))[-1] == ("hem", "UA")


def test_a_list_of_speakers_before_one_verb(reading):
    claims = reading("De reacties kwamen snel. De VN, Washington en de EU veroordeelden de aanval op de haven.")
    assert sorted(c["speaker"]["text"] for c in claims) == ["De VN", "Washington", "de EU"]


def test_a_pair_of_speakers_after_a_comma_in_a_headline(reading):
    claims = reading("Tientallen gevangenen gedood, Rusland en Oekraïne wijzen naar elkaar")
    assert sorted(_sides(claims)) == [("Oekraïne", "UA"), ("Rusland", "RU")]


def test_a_list_that_does_not_open_its_clause_is_no_list(reading):
    claims = reading("Hij sprak met Scholz, Macron en de Poolse premier beloofde nieuwe steun.")
    assert "Scholz" not in [c["speaker"]["text"] for c in claims]


def test_vs_without_article_in_a_headline(reading):
    (claim,) = reading("VS beschuldigen Rusland van vervalst bewijs")
    assert (claim["speaker"]["text"], claim["actor"]) == ("VS", "us.government")


def test_a_list_after_a_first_mention_is_no_apposition(reading):
    text = ("Ook de Franse president Macron, de Italiaanse premier Draghi en de Roemeense president Iohannis lieten "
            "vandaag aan president Zelensky weten voorstander te zijn van het lidmaatschap.")
    assert all(side == "other" for _, side in _sides(reading(text)))


def test_a_reaction_is_speech(reading):
    (claim,) = reading("„Dit is een schending van het akkoord”, reageerde de Oekraïense minister van Buitenlandse Zaken.")
    assert (claim["speaker"]["text"], claim["side"]) == ("de Oekraïense minister van Buitenlandse Zaken", "UA")


def test_an_official_of_a_self_proclaimed_republic_is_russias(reading):
    claims = reading("Volgens een functionaris van Donetsk (een zelfverklaarde republiek) zijn er drie doden. "
                     "Volgens een functionaris van de stad Mykolajiv is de school geraakt.")
    assert [c["side"] for c in claims] == ["RU", "UA"]
