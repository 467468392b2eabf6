"""`eval grouping` on any corpus: the JSONL format, the builder from labels and corpora, the figures
beside leaving every article alone. The corpus here is a tiny one written for the test."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bot.cli import groupcorpus
from bot.cli.groupeval import CorpusError, bcubed, figures, load_corpus, pairwise
from bot.cli.main import main

TINY = Path(__file__).parent / "data" / "grouping_tiny.jsonl"


def test_the_corpus_loads_in_file_order_with_its_parts():
    articles = load_corpus(TINY)
    assert [a.id for a in articles] == ["t1", "t2", "t3", "t4", "t5", "t6"]
    assert {a.part for a in articles} == {"tiny-a", "tiny-b"}
    assert articles[2].language == "nl" and articles[2].published.tzinfo is not None


@pytest.mark.parametrize("line, says", [
    ("not json", ":1: not JSON"),
    ('{"id": "x", "outlet": "o", "language": "en", "published": "2023-01-01", "title": "t", "text": ""}', "event"),
    ('{"id": "x", "outlet": "o", "language": "en", "published": "yesterday", "title": "t", "text": "", "event": "e"}',
     "not an ISO date"),
])
def test_a_bad_line_is_named(tmp_path, line, says):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=says):
        load_corpus(path)


def test_measures_on_a_known_grouping():
    truth = ["a", "a", "a", "b", "b", "c"]
    found = [1, 1, 2, 3, 3, 3]  # one a split off, b merged with c
    assert pairwise(truth, found) == pytest.approx((2 / 4, 2 / 4, 0.5))
    precision, recall, _ = bcubed(truth, found)
    assert precision == pytest.approx((1 + 1 + 1 + 2 / 3 + 2 / 3 + 1 / 3) / 6)
    assert recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1 + 1) / 6)


def test_figures_stand_beside_leaving_every_article_alone():
    articles = load_corpus(TINY)
    f = figures(articles, [a.event for a in articles])
    assert f["bcubed_f1"] == 1.0 and f["cross_language_recall"] == 1.0 and f["cross_language_pairs"] == 2
    assert f["alone_bcubed_precision"] == 1.0 and f["alone_pairwise_recall"] == 0.0
    assert f["alone_bcubed_recall"] == pytest.approx((1 / 3 * 3 + 1 / 2 * 2 + 1) / 6)


def test_eval_grouping_reads_the_corpus_through_the_bot(monkeypatch, tmp_path, cache_dir, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    assert main(["eval", "grouping", "--corpus", str(TINY), "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert set(results) == {"all", "tiny-a", "tiny-b"}
    whole = results["all"]
    assert whole["articles"] == 6 and whole["bcubed_precision"] == 1.0
    assert whole["bcubed_f1"] > whole["alone_bcubed_f1"]
    assert whole["cross_language_recall"] == 1.0, "the Dutch and English reports of the strike join"


def test_a_missing_corpus_file_gets_a_clear_answer(monkeypatch, tmp_path, cache_dir, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    assert main(["eval", "grouping", "--corpus", str(tmp_path / "nope.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def _gz(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in rows)


def test_the_builder_joins_labels_to_corpus_records(tmp_path):
    corpora, examples = tmp_path / "corpora", tmp_path / "examples"
    _gz(corpora / "nl-news-2022" / "articles.jsonl.gz", [
        {"id": "n1", "outlet": "krant", "date": "2022-07-23", "title": "Haven van Odesa geraakt",
         "text": "Raketten troffen de haven.", "url": "https://krant.invalid/1", "lang": "nl"},
        {"id": "n2", "outlet": "krant", "date": "2022-07-24", "title": "ander", "text": "", "url": "", "lang": "nl"}])
    _gz(corpora / "rss-2023-war" / "entries.jsonl.gz", [
        {"source": "https://feeds.example.invalid/world.xml", "title": "Port of Odesa hit",
         "description": "<p>Missiles hit the <b>port</b>.</p>", "link": "https://example.invalid/a",
         "date_published": "2022-07-23 09:00:00+00:00", "language": "en-US"},
        {"source": "https://businessinsider.com.pl/feed", "title": "Port w Odessie",
         "description": "Rakiety uderzyły w port.", "link": "https://example.invalid/b",
         "date_published": "2022-07-23 10:00:00+00:00", "language": "en-US"}])
    examples.mkdir()
    (examples / "nl_odesa_2022-07-23.txt").write_text("De haven van Odesa is geraakt door raketten.", encoding="utf-8")
    labels = [{"corpus": "rss-2023-war", "id": "https://example.invalid/a", "event": "odesa"},
              {"corpus": "nl-news-2022", "id": "n1", "event": "odesa"},
              {"corpus": "rss-2023-war", "id": "https://example.invalid/b", "event": "odesa"},
              {"corpus": "examples", "id": "nl_odesa_2022-07-23.txt", "event": "odesa"}]
    built = groupcorpus.build(labels, corpora, examples)
    assert [a.id for a in built] == [row["id"] for row in labels]
    english, dutch, polish, example = built
    assert (english.outlet, english.language, english.text) == ("feeds.example.invalid", "en", "Missiles hit the port.")
    assert (dutch.outlet, dutch.language, dutch.published.date().isoformat()) == ("krant", "nl", "2022-07-23")
    assert polish.language == "pl", "the feed says en-US, its items are Polish"
    assert example.published.date().isoformat() == "2022-07-23" and example.part == "examples"
    with pytest.raises(CorpusError, match="not found"):
        groupcorpus.build(labels + [{"corpus": "nl-news-2022", "id": "n9", "event": "x"}], corpora, examples)


def test_the_builder_writes_a_corpus_the_eval_reads(monkeypatch, tmp_path, cache_dir, capsys):
    corpora = tmp_path / "corpora"
    _gz(corpora / "nl-news-2022" / "articles.jsonl.gz", [
        {"id": "n1", "outlet": "krant", "date": "2022-07-23", "title": "Haven van Odesa geraakt",
         "text": "Raketten troffen de haven.", "url": "https://krant.invalid/1", "lang": "nl"}])
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({"corpus": "nl-news-2022", "id": "n1", "event": "odesa"}) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    out = tmp_path / "built.jsonl"
    assert main(["eval", "grouping", "--labels", str(labels), "--corpora", str(corpora), "--write", str(out)]) == 0
    (article,) = load_corpus(out)
    assert (article.id, article.event, article.outlet) == ("n1", "odesa", "krant")
