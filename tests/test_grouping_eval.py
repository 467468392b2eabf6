"""Grouping on the labelled set and on the demo data: the figures the issue asks for."""

from __future__ import annotations

import sqlite3
import tomllib
from collections import defaultdict

import pytest

from bot.cli.main import main
from bot.cli.groupeval import bcubed, cross_language_recall, group_set, load_set, pairwise
from bot.config import SAMPLE_FEEDS


@pytest.fixture(scope="module")
def grouped(cache_dir):
    articles = load_set()
    return articles, group_set(articles, cache_dir)


def test_the_set_is_large_mixed_and_holds_its_traps():
    articles = load_set()
    events = {a.event for a in articles}
    assert len(articles) >= 200 and len(events) >= 40
    assert {a.language for a in articles} == {"nl", "en"}
    texts = defaultdict(set)
    for a in articles:
        texts[(a.title, a.text)].add(a.outlet)
    assert any(len(outlets) > 1 for outlets in texts.values()), "syndicated copies"
    kramatorsk = {a.event for a in articles if "Kramatorsk" in a.title}
    assert len(kramatorsk) >= 3, "one city, several events on different days"


def test_bcubed_f1_is_at_least_090_cross_language_pairs_included(grouped):
    # A regression floor for our own set, not evidence. It was 0.92 / 0.85 until a single report in the
    # other language needed two shared facts (issue 14): our set joins 56 such pairs on one fact, all
    # right, where the real streams' joins of that kind were wrong 16 times in 23. It now reads
    # F1 0.915, cross-language 0.791 (real set: BCubed P 0.936 -> 0.948, F1 0.859 -> 0.865).
    articles, found = grouped
    truth = [a.event for a in articles]
    precision, recall, f1 = bcubed(truth, found)
    assert f1 >= 0.90, (precision, recall, f1)
    assert pairwise(truth, found)[0] >= 0.95
    assert cross_language_recall(articles, found) >= 0.75


def test_the_traps_stay_apart(grouped):
    articles, found = grouped
    item_events = defaultdict(set)
    for article, item in zip(articles, found):
        item_events[item].add(article.event)
    for pair in (("e01", "e07"), ("e01", "e25"), ("e07", "e25"), ("e28", "e29"), ("e17", "e26"),
                 ("e40", "e41"), ("e11", "e12"), ("e31", "e33")):
        assert not any(set(pair) <= events for events in item_events.values()), pair


def test_the_demo_data_ends_up_with_the_intended_items(monkeypatch, tmp_path, cache_dir, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    assert main(["demo"]) == 0
    intended = tomllib.loads((SAMPLE_FEEDS.parent / "events.toml").read_text(encoding="utf-8"))
    event_of = {link: e["id"] for e in intended["event"] for link in e["links"]}
    with sqlite3.connect(tmp_path / "data" / "demo.db") as conn:
        rows = conn.execute("SELECT link, item_id FROM article").fetchall()
    items = defaultdict(set)
    for link, item in rows:
        items[item].add(event_of[link])
    assert sorted(sorted(e) for e in items.values()) == sorted([e["id"]] for e in intended["event"])
