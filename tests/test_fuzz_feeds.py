"""The fuzz run, small (a few seconds): generated hostile feeds through parse, clean and a real
ingest; feedparser's corpus too when a soak has left it in the cache. `make soak` runs it large."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import fuzzfeeds


def test_generated_feeds_through_parse_and_clean():
    outcomes = fuzzfeeds.fuzz_parse(40, 60)
    assert outcomes["one bad entry: all good stored"] == 40 and outcomes["clean: text"] == 40
    assert sum(n for kind, n in outcomes.items() if kind.startswith("document: ")) == 40


def test_generated_feeds_with_one_bad_entry_keep_every_good_one_through_ingest(engine, server, ingest_config):
    outcomes = fuzzfeeds.fuzz_ingest(engine, server, ingest_config, 6)
    assert sum(outcomes.values()) == 6 and set(outcomes) <= {"ok", "warning"}


def test_the_feedparser_corpus_when_cached():
    files = fuzzfeeds.corpus_files(Path("data/cache/fuzz"), download=False)  # never the network in the suite
    if not files:
        pytest.skip("feedparser's test corpus is not cached (make soak fetches it)")
    outcomes = fuzzfeeds.fuzz_corpus(files[::10], 30)
    assert sum(outcomes.values()) == len(files[::10]) and "not reached (time)" not in outcomes
