"""The short cuts that make reading cheap (issue 17) give what the long way gives: word lists from
lexeme facts cached across documents, sentence ends tested only at tokens that may end one, date
patterns tried only where a match can start, gazetteer answers remembered per spelling, and the
claim finder sending a sentence without any cue shape straight to the outlet's report. Each test
holds the short cut against the long way on text written here; none measures time."""

from __future__ import annotations

import gc
import random
from datetime import date

import pytest

from bot.nlp.claims import ClaimFinder
from bot.nlp.dates import DIGITS, MONTH_FIRST, _tried_at
from bot.nlp.docindex import blank_sentences, indexed
from bot.nlp.pipeline import build

# Our own sentences, one for each shape a claim can take, in both languages.
SHAPES = {
    "en": [
        "The Russian defence ministry said its forces had captured two villages near Bakhmut.",
        "Three civilians were wounded in Kherson, the regional governor said.",
        "According to Kyiv, 40 drones were shot down over Odesa on Sunday.",
        "\"We will hold the line,\" the commander told reporters in Kramatorsk.",
        "Zelensky: \"We will not give up Bakhmut\"",
        "That is what the general staff said on Monday.",
        "Moscow denied the report and said the strike never happened.",
        "He added that more troops were on their way.",
        "Shelling hit Melitopol overnight.",
        "The weather was fine in the morning.",
        "Officials could not confirm that 12 soldiers were killed.",
    ],
    "nl": [
        "Het Oekraïense leger meldt dat maandag bij Bachmoet 14 soldaten zijn gedood.",
        "Daarbij stierven 400 Russische soldaten, zegt Kiev.",
        "Volgens de gouverneur raakten zondag in Cherson drie burgers gewond.",
        "Kiev: 40 drones neergeschoten boven Odesa",
        "Dat meldt het Russische ministerie van Defensie.",
        "\"We geven niets op,\" zei de commandant in Kramatorsk.",
        "Eerdere berichten zijn door de regering in Kiev ontkend.",
        "Het ministerie heeft zondag laten weten dat de aanval is afgeslagen.",
        "In Melitopol viel vannacht de stroom uit.",
        "Het weer was goed.",
    ],
}


def _doc(lang: str, text: str, cache_dir: str):
    nlp = build(lang, cache_dir)
    doc = nlp.make_doc(text)
    doc._.published = date(2023, 3, 14)
    return nlp(doc)


def _text(lang: str, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(SHAPES[lang]) + rng.choice([" ", " ", "\n\n", "\n", "  "]) for _ in range(30)).strip()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_word_lists_from_cached_lexemes_equal_the_token_attributes(lang, cache_dir):
    for seed in (1, 2):  # the second document finds its lexemes in the cache the first filled
        doc = _doc(lang, _text(lang, seed) + " Ivano-Frankivsk's  e.g. 1.300\t€", cache_dir)
        words = doc._.words
        assert words.text == [t.text for t in doc] and words.lower == [t.lower_ for t in doc]
        assert words.ws == [t.whitespace_ for t in doc] and words.space == [t.is_space for t in doc]
        assert words.punct == [t.is_punct for t in doc] and words.alpha == [t.is_alpha for t in doc]
        assert words.cap == [t.text[:1].isupper() and (t.is_alpha or any(c in t.text for c in "-'’")) for t in doc]
        assert words.starts == [t.is_sent_start for t in doc]
        assert words.whole() == doc.text


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_sentence_starts_are_those_a_test_of_every_token_gives(lang, cache_dir):
    splitter = build(lang, cache_dir).get_pipe("fb_sentences")
    odd = ("Gen. Mark Milley spoke to Sen. Roe (D-Pa.), who said: \"No.\" Then… nothing. He left!\n \n"
           "Lees er hier alles over:  De minister zei iets. E.g. this one? Yes … \"Quoted.\" Next\nline")
    for text in (_text(lang, 3), odd, "One", "A.\n\nB"):
        doc = _doc(lang, text, cache_dir)
        texts, spaces = doc._.words.text, doc._.words.ws
        expected = {0}
        for i in range(len(doc) - 1):  # the rule at every token, as it stood before the short cut
            if splitter._ends_sentence(texts, i):
                j = i + 1
                while j < len(doc) and "\n" not in texts[i] and (texts[j] in ".!?…•" or (texts[j] in "\"'”’»)" and not spaces[j - 1])):
                    j += 1
                if not (j < len(doc) and "\n" not in texts[i] and (texts[j][:1].islower() or texts[j] in (",", ";"))):
                    expected.add(j)
            elif "\n" in texts[i + 1]:
                expected.add(i + 1)
        assert [s.start for s in doc._.sentences] == sorted(i for i in expected if i < len(doc))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_date_patterns_tried_where_a_match_can_start_find_what_a_full_scan_finds(lang, cache_dir):
    finder = build(lang, cache_dir).get_pipe("fb_dates")
    atoms = ["8", "12", "31", "2023", "23", "1", "/", "-", ".", " ", "  ", "\n", ",", "jan", "Jan.", "januari", "January",
             "sept", "Sept.", "maart", "May", "mei", "of", "st", "th", "e", "ste", "x", "2023-01-08", "ſ", "\u212a", "\xa0"]
    rng = random.Random(7)
    texts = ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 25))) for _ in range(20000)]
    texts += ["On January 8, 2023 and 9 jan. 2023, then 8/1 and 08-01-2023 and 2023-01-08.", "maart\n\n 8", "12 of May"]
    found = 0
    for text in texts:
        runs = [m.start() for m in DIGITS.finditer(text)]
        for k, pattern in enumerate(finder.patterns):
            full = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
            tried = _tried_at(pattern, text, finder._month_starts(text, runs) if k == MONTH_FIRST else runs)
            assert [(m.span(), m.groupdict()) for m in tried] == full, (k, text)
            found += len(full)
    assert found > 1000  # the texts hold dates of every pattern, not only misses


def test_remembered_gazetteer_answers_are_fresh_lists_with_the_same_places(cache_dir):
    matcher = build("en", cache_dir).get_pipe("fb_places")
    for spelling, fuzzy in (("Kramatorsk", True), ("Kramatorks", True), ("Bakhmut", False), ("Nowhere", True)):
        first = matcher.lookups.candidates(spelling, fuzzy)
        assert first == matcher.gazetteer.candidates(spelling, fuzzy=fuzzy)
        first.append(None)  # a caller that changes its list changes nobody else's
        assert matcher.lookups.candidates(spelling, fuzzy) == matcher.gazetteer.candidates(spelling, fuzzy=fuzzy)
    found = matcher.gazetteer.candidates("Mykolaiv")
    assert matcher.lookups.namesakes("Mykolaiv", found) == matcher.gazetteer.namesakes("Mykolaiv", found)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_only_sentences_without_any_cue_shape_skip_the_claim_search(lang, cache_dir, monkeypatch):
    texts = [_text(lang, seed) for seed in (4, 5, 6)] + SHAPES[lang]
    quick = [_doc(lang, text, cache_dir)._.claims for text in texts]
    monkeypatch.setattr(ClaimFinder, "only_report", staticmethod(lambda doc, sent, found: False))
    slow = [_doc(lang, text, cache_dir)._.claims for text in texts]
    assert quick == slow
    attributed = [c for claims in slow for c in claims if c.speaker is not None]
    assert len(attributed) >= len(SHAPES[lang]) // 2  # the shapes were read as claims, the test tests something


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_short_cut_is_taken_for_plain_sentences_only(lang, cache_dir):
    nlp = build(lang, cache_dir)
    finder = nlp.get_pipe("fb_claims")
    for text in SHAPES[lang]:
        doc = _doc(lang, text, cache_dir)
        found = finder.cues.matches(doc)
        plain = finder.only_report(doc, doc._.sentences[0], found)
        assert plain == (text in (SHAPES[lang][-2:] if lang == "nl" else SHAPES[lang][-3:-1])), text


def test_doc_indexes_see_lists_set_through_the_extension_and_blank_sentences(cache_dir):
    doc = _doc("en", "Kyiv said 5 people died in Bakhmut.\n\nMoscow denied it.", cache_dir)
    assert [m.slug for m in indexed(doc, "places").starting(0, len(doc))] == [m.slug for m in doc._.places]
    doc._.places = doc._.places[:1]  # replaced through doc._: the index follows
    assert len(indexed(doc, "places").starting(0, len(doc))) == 1
    assert blank_sentences(doc) == [not s.text.strip() for s in doc._.sentences] and any(blank_sentences(doc))
    doc._.quantities = []
    assert indexed(doc, "quantities") is indexed(doc, "quantities")  # an empty list is indexed once
    doc._.concepts = None
    assert indexed(doc, "concepts") is indexed(doc, "concepts") and indexed(doc, "concepts").starting(0, len(doc)) == []


def test_the_long_lived_objects_are_left_out_of_collections(cache_dir):
    build("en", cache_dir)
    assert gc.get_freeze_count() > 0


def test_a_bare_number_counts_what_the_number_before_it_in_its_sentence_counted(cache_dir):
    # The search back for that number stops where no earlier number can lie in the sentence.
    text = " ".join(["Volgens Kiev 400 doden, volgens Moskou 89."] * 40 + ["Er waren er 89.", "Volgens Kiev 7 doden, volgens Moskou 3."])
    doc = _doc("nl", text, cache_dir)
    counted = [(q.value, q.counts, doc._.sentence_of[q.start]) for q in doc._.quantities]
    sentences = {k for _, _, k in counted}
    assert len(counted) == 82 and {c for _, c, _ in counted} == {"killed"}
    assert 40 not in sentences  # "Er waren er 89." counts nothing: the number before it is in another sentence
    assert counted[-2:] == [(7.0, "killed", 41), (3.0, "killed", 41)]
