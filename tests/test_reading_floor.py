"""Reading nearer the tokenizer's floor (issue 17): the garbage collector's young passes made rarer by
the pipeline, and per-token loops replaced by questions asked once per spelling (which tokens stand in a
quotation, which open a person's name), each held against the token-by-token rule on random texts of
words written here. None measures time."""

from __future__ import annotations

import gc
import random

import pytest

from bot.nlp import pipeline, translit
from bot.nlp.pipeline import YOUNG_THRESHOLD, build
from bot.nlp.placecontext import NAME_RUN, person_tokens
from bot.nlp.spans import CLOSING, OPENING, STRAIGHT, _quoted


@pytest.fixture
def threshold():
    """The process's thresholds, restored after the test."""
    kept = gc.get_threshold()
    yield
    gc.set_threshold(*kept)


def test_building_a_pipeline_makes_young_collections_rarer_and_never_more_frequent(cache_dir, threshold):
    gc.set_threshold(700, 10, 10)
    build("en", cache_dir)
    pipeline._fewer_young_collections()  # build() is cached: the step itself, as build() ends
    assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
    gc.set_threshold(50_000, 5, 7)  # a process that chose a higher one keeps it
    pipeline._fewer_young_collections()
    assert gc.get_threshold() == (50_000, 5, 7)


def test_a_fresh_pipeline_leaves_young_collections_rarer(cache_dir, threshold):
    gc.set_threshold(700, 10, 10)
    build.cache_clear()
    try:
        build("nl", cache_dir)
    finally:
        build.cache_clear()
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD


def _quoted_token_by_token(doc) -> list[bool]:
    """Which tokens stand inside a quotation, asked of every token in turn (the long way)."""
    words = doc._.words
    quoted, open_ = [False] * len(words.text), False
    for i, (text, ws) in enumerate(zip(words.text, words.ws)):
        if text in OPENING or text in CLOSING or text in STRAIGHT:
            open_ = text in OPENING or text in STRAIGHT and not open_
        elif "\n" in text:
            open_ = False
        else:
            quoted[i] = open_
        if "\n" in ws:
            open_ = False
    return quoted


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_quoted_tokens_picked_out_by_their_marks_are_those_a_test_of_every_token_gives(lang, cache_dir):
    nlp = build(lang, cache_dir)
    atoms = ["“", "”", "„", "«", "»", '"', "''", "``", "'", "’", "\n", "\n\n", " ", "  ", "Kyiv", "said", "we", ".", ",", "win"]
    rng = random.Random(11)
    opened = 0
    for _ in range(300):
        doc = nlp("".join(rng.choice(atoms) + rng.choice(["", " "]) for _ in range(rng.randint(0, 40))))
        expected = _quoted_token_by_token(doc)
        assert _quoted(doc) == expected
        opened += any(expected)
    assert opened > 100  # most texts hold a quotation, not only plain words


def _person_tokens_token_by_token(words, ctx, known) -> set[int]:
    """placecontext.person_tokens asked of every token in turn (the long way)."""
    named = set()
    for i, lower in enumerate(words.lower):
        title = lower.rstrip(".") in ctx.titles
        first = words.capitalised(i) and translit.normal(lower) in ctx.first_names
        if not (title or first):
            continue
        j = i + 1
        while j < len(words.text) and j <= i + NAME_RUN and words.text[j] == ".":
            j += 1
        run = [k for k in range(j, min(j + NAME_RUN, len(words.text))) if words.capitalised(k) and (first or not known(words.text[k]))]
        run = [k for n, k in enumerate(run) if k == j + n]
        if run:
            named.update(run + ([i] if first else []))
    return named


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_names_opened_per_spelling_are_those_a_test_of_every_token_gives(lang, cache_dir):
    nlp = build(lang, cache_dir)
    matcher = nlp.get_pipe("fb_places")
    atoms = ["Gen.", "Gen", ".", "president", "President", "gouverneur", "Mark", "mark", "Sergei", "sergei", "Yuri", "Petro",
             "Milley", "Kotin", "Donetsk", "Ukraine", "Kyiv", "said", "the", ",", "minister", "Roman", "Vladimir", "\n"]
    rng = random.Random(5)
    found = 0
    for _ in range(300):
        doc = nlp.make_doc(" ".join(rng.choice(atoms) for _ in range(rng.randint(0, 30))))
        words = nlp.get_pipe("fb_sentences")(doc)._.words
        expected = _person_tokens_token_by_token(words, matcher.ctx, matcher._known)
        assert person_tokens(words, matcher.ctx, matcher._known) == expected
        found += bool(expected)
    assert found > 100  # most texts name someone
