"""The claim component reads token facts from plain per-document lists instead of spaCy Token objects
(bot.nlp.tokenfacts, bot.nlp.speakerwords) and keeps answers it is asked twice (Found.longest,
Found.may_speak, Speakers.before while a doc is read). Each test holds the plain or remembered answer
against spaCy's own, or the long way, on text written here; none measures time."""

from __future__ import annotations

import random
from datetime import date

import pytest

from bot.nlp.pipeline import build
from bot.nlp.tokenfacts import bounds, ext, facts, text_between, words_of

# Our own text: capitals, numbers, initials, party tags, quotes, hyphens, brackets, stop words.
TEXTS = {
    "en": ("Sen. Jane R. Roe (D-Ohio) said on Monday that 1,200 soldiers were killed near Bakhmut. "
           "\"We will not give up,\" the commander of the 93rd brigade told reporters in Kramatorsk.\n\n"
           "The U.S. State Department's spokesman, Ned Lee, said 12 civilians died; Moscow denied it. "
           "THE MINISTRY: three drones were shot down over Odesa, according to the Kyiv-based army"),
    "nl": ("Het Oekraïense leger meldt dat maandag bij Bachmoet 1.200 soldaten zijn gedood. "
           "Volgens legerwoordvoerder Ivan de Vries (NAVO) raakten zondag in Cherson drie burgers gewond.\n\n"
           "„We geven niets op”, zei de commandant in Kramatorsk. Dat meldt het Russische ministerie van Defensie. "
           "Beelden van de aanval: het Wit-Russische leger heeft dat ontkend"),
}


def _read(lang: str, text: str, cache_dir: str):
    nlp = build(lang, cache_dir)
    doc = nlp.make_doc(text)
    doc._.published = date(2023, 3, 14)
    return nlp(doc)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_token_facts_are_spacys(lang, cache_dir):
    doc = _read(lang, TEXTS[lang], cache_dir)
    plain, flags = words_of(doc), facts(doc)
    assert plain is doc._.words
    assert flags.like_num == [t.like_num for t in doc]
    assert flags.stop == [t.is_stop for t in doc]
    assert flags.upper == [t.is_upper for t in doc]
    assert flags.lower_case == [t.is_lower for t in doc]
    assert flags.sent_end == [bool(t.is_sent_end) for t in doc]
    assert plain.starts == [bool(t.is_sent_start) for t in doc]
    assert any(flags.like_num) and any(flags.stop) and any(flags.sent_end[:-1])  # the text has what is compared


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_slice_texts_and_bounds_are_spacys(lang, cache_dir):
    doc = _read(lang, TEXTS[lang], cache_dir)
    size = len(doc)
    rng = random.Random(5)
    cases = [(0, size), (3, 3), (7, 2), (-5, size), (-3, -1), (2, size + 9), (size + 1, size + 4)]
    cases += [(rng.randrange(-size, size), rng.randrange(-size, size + 5)) for _ in range(200)]
    for start, end in cases:
        span = doc[start:end]
        assert text_between(doc, start, end) == span.text, (start, end)
        assert bounds(doc, start, end) == (span.start, span.end), (start, end)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_speaker_words_answer_as_tokens_would(lang, cache_dir):
    """The index-based test of a speaker word gives what the Token-based wrapper gives, token by token."""
    doc = _read(lang, TEXTS[lang], cache_dir)
    speakers = build(lang, cache_dir).get_pipe("fb_claims").speakers
    actors = {i for a in doc._.actors for i in range(a.start, a.end)}
    dates = {i for d in doc._.dates for i in range(d.start, d.end)}
    by_index = [speakers.words.part(doc, i, actors, dates) for i in range(len(doc))]
    by_token = [speakers.part(t, actors, dates) for t in doc]
    assert by_index == by_token
    assert any(by_index) and not all(by_index)
    assert speakers.words.part(doc, -1, actors, dates) == by_index[-1]  # a negative index reads as doc[-1]


def test_compound_speaker_nouns_are_remembered_alike(cache_dir):
    speakers = build("nl", cache_dir).get_pipe("fb_claims").speakers
    for word in ("legerwoordvoerder", "kremlinwoordvoerder", "boerderijen", "woordvoerder", "regeringswoordvoerster"):
        first = speakers.words.compound_noun(word)
        again = speakers.words.compound_noun(word)
        suffixes = [n for n in speakers.nouns if len(n) >= 6]
        assert first == again == (len(word) > 8 and any(word.endswith(n) for n in suffixes)), word
    assert speakers.words.compound_noun("legerwoordvoerder")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_may_speak_is_has_of_each_kind(lang, cache_dir):
    doc = _read(lang, TEXTS[lang], cache_dir)
    found = build(lang, cache_dir).get_pipe("fb_claims").cues.matches(doc)
    kinds = ("v", "p", "back_reference", "reported_speech", "survey_nouns")
    answers = [found.may_speak(doc, sent) for sent in doc._.sentences]
    assert answers == [any(found.has(sent, kind) for kind in kinds) for sent in doc._.sentences]
    assert any(answers) and not all(answers)


def test_longest_is_worked_out_again_after_a_match_is_added(cache_dir):
    doc = _read("en", TEXTS["en"], cache_dir)
    found = build("en", cache_dir).get_pipe("fb_claims").cues.matches(doc)
    sent = doc._.sentences[0]
    first = found.longest(sent, ("v", "p"))
    first.clear()  # a caller's list is its own
    assert found.longest(sent, ("v", "p"))
    found.add("v", "invented", sent.start, sent.end)  # one match over the whole sentence wins
    assert found.longest(sent, ("v", "p")) == [("v", "invented", sent.start, sent.end, None)]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_remembered_speakers_are_the_long_ways(lang, cache_dir):
    """before() while a doc is remembered answers as it does afresh, and only for that doc and those marks."""
    doc = _read(lang, TEXTS[lang], cache_dir)
    speakers = build(lang, cache_dir).get_pipe("fb_claims").speakers
    marks = ({i for a in doc._.actors for i in range(a.start, a.end)}, {i for d in doc._.dates for i in range(d.start, d.end)})
    questions = [(end, limit) for sent in doc._.sentences for end in range(sent.start, sent.end) for limit in (sent.start, end - 3)]
    fresh = [speakers.before(doc, end, limit, marks) for end, limit in questions]
    speakers.remember(doc, marks)
    try:
        kept = [speakers.before(doc, end, limit, marks) for end, limit in questions]
        again = [speakers.before(doc, end, limit, marks) for end, limit in questions]
        other = ({0, 1, 2}, set())  # other marks are never answered from what was kept
        assert speakers.before(doc, 3, 0, other) == speakers._before_of(doc, 3, 0, other)
    finally:
        speakers.remember(None)
    as_ranges = [[(s.start, s.end) if s is not None else None for s in answers] for answers in (fresh, kept, again)]
    assert as_ranges[0] == as_ranges[1] == as_ranges[2]
    assert any(r is not None for r in as_ranges[0])
    assert speakers._remembered == (None, None) and speakers._before == {}


def test_ext_reads_what_the_extension_holds(cache_dir):
    doc = _read("nl", TEXTS["nl"], cache_dir)
    for name in ("sentences", "sentence_of", "places", "dates", "actors", "claims", "published"):
        assert ext(doc, name) is getattr(doc._, name)
    assert ext(build("nl", cache_dir).make_doc("leeg"), "claims") is None
