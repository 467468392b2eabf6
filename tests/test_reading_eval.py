"""Floors on the labelled reading sets, per language, and what the sets must cover."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.nlp.evaluate import evaluate_reading, load_items

PATTERNS = {
    "en": {"verb_that", "comma_said", "according_to", "quote_after", "quote_before", "headline", "carried",
           "back_reference", "denial_ref", "two_sources", "confirm", "unconfirmed"},
    "nl": {"verb_that", "inversion", "comma_zegt", "volgens", "quote_after", "quote_before", "headline", "carried",
           "back_reference", "denial_ref", "two_sources", "confirm", "unconfirmed"},
}


@pytest.fixture(scope="module", params=["nl", "en"])
def scored(request, cache_dir):
    return request.param, evaluate_reading(request.param, cache_dir)


def test_the_sets_cover_every_pattern_with_enough_sentences():
    negatives = 0
    for lang, patterns in PATTERNS.items():
        items = load_items(lang)
        kinds = Counter(i.pattern for i in items)
        assert patterns <= set(kinds), patterns - set(kinds)
        assert sum(n for k, n in kinds.items() if not k.startswith("negative")) >= 150
        negatives += sum(n for k, n in kinds.items() if k.startswith("negative"))
        assert {"negative_report", "negative_furniture", "negative_foreign"} <= set(kinds)
    assert negatives >= 100


def test_speaker_precision_and_recall_floors(scored):
    lang, scores = scored
    figures = scores.figures()
    assert figures["speaker_precision"] >= 0.92, (lang, scores.misses)
    assert figures["speaker_recall"] >= 0.80, (lang, scores.misses)


def test_stance_accuracy_floor(scored):
    lang, scores = scored
    assert scores.figures()["stance_accuracy"] >= 0.92, (lang, scores.misses)


def test_numbers_with_the_right_thing_counted_floor(scored):
    lang, scores = scored
    assert scores.numbers_gold >= 50
    assert scores.figures()["numbers_accuracy"] >= 0.92, (lang, scores.misses)
