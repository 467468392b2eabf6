"""Reading nearer the tokenizer's floor (issue 17): the garbage collector's young passes made rarer by
the pipeline, and the claim step's look-ups of a doc's lists kept per doc. Each test counts or compares;
none measures time."""

from __future__ import annotations

import gc

import pytest

from bot.nlp import pipeline
from bot.nlp.pipeline import YOUNG_THRESHOLD, build


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
