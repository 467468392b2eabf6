"""The attribution evaluator: Citron's exact and overlap figures, the attribution level, our labels'
figures, on small hand-made corpora (tests/data/attribution) whose figures are worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli.attribution import CorpusError, evaluate_labels, labelled, load_brat, parse_ann
from bot.cli.main import main
from bot.nlp.attribution_eval import (Attribution, BratScores, LabelledArticle, LabelledClaim, LabelScores,
                                      same_entity, same_name, score_brat_document, score_labelled_article)

DATA = Path(__file__).parent / "data" / "attribution"


def span(text: str, part: str) -> dict:
    start = text.index(part)
    return {"text": part, "start": start, "end": start + len(part)}


def claim(text: str, speaker: str | None, cue: str | None, content: str, **more) -> dict:
    return {"speaker": span(text, speaker) if speaker else None, "cue": span(text, cue) if cue else None,
            "content": span(text, content), **more}


@pytest.fixture
def town():
    (document,) = load_brat(DATA / "brat")
    return document


def test_brat_files_are_read_with_discontinuous_spans_and_one_annotator(town):
    assert town.name == "town"
    assert len(town.gold) == 4  # the second annotator's file is not read
    mayor = town.gold[3]
    assert [town.text[s:e] for s, e in mayor.content] == ["The bridge", "will close."]
    assert town.gold[2].source == ()  # Attribution-no-source


def test_citron_exact_overlap_and_attribution_figures_worked_by_hand(town):
    text = town.text
    claims = [
        claim(text, "Alice", "said", "the plan failed."),  # cue and source exact; content has one token more
        claim(text, "Bob claims", "taxes", "rose"),  # source too long, wrong cue, content a part
        claim(text, "Carol", "left", "left"),  # no gold attribution with a source is Carol's
        claim(text, None, None, "Carol left"),  # the outlet's own report: not an attribution
    ]
    gold = [g for g in town.gold if g.source != town.gold[3].source]  # without the mayor's
    scores = BratScores()
    score_brat_document(text, gold, claims, scores)
    f = scores.figures()
    assert (f["gold"], f["gold_without_source"], f["predicted"]) == (2, 1, 3)
    assert (f["cue"]["exact_precision"], f["cue"]["exact_recall"]) == pytest.approx((1 / 3, 1 / 2))
    assert (f["source"]["exact_precision"], f["source"]["exact_recall"]) == pytest.approx((1 / 3, 1 / 2))
    assert (f["content"]["exact_precision"], f["content"]["exact_recall"]) == (0.0, 0.0)
    # Source tokens: predicted 1 + 2 + 1, gold 1 + 1, shared 1 + 1.
    assert (f["source"]["overlap_precision"], f["source"]["overlap_recall"]) == pytest.approx((2 / 4, 2 / 2))
    # Content tokens: predicted 4 + 1 + 1, gold 3 + 2, shared 3 + 1.
    assert (f["content"]["overlap_precision"], f["content"]["overlap_recall"]) == pytest.approx((4 / 6, 4 / 5))
    assert f["content"]["overlap_f1"] == pytest.approx(2 * (4 / 6) * (4 / 5) / (4 / 6 + 4 / 5))
    assert (f["attribution"]["precision"], f["attribution"]["recall"]) == pytest.approx((2 / 3, 2 / 2))


def test_an_empty_reading_scores_zero_and_finds_nothing(town):
    scores = BratScores()
    score_brat_document(town.text, town.gold, [], scores)
    f = scores.figures()
    assert f["attribution"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert f["cue"]["exact_recall"] == 0.0 and f["content"]["overlap_recall"] == 0.0


def test_ann_lines_that_are_not_attributions_are_left_out():
    ann = "T1\tDiscuss 0 4\tword\nE1\tDiscuss:T1\nT2\tSource 0 2\tab\nE2\tAttribution:T9 Source:T2\n"
    assert parse_ann(ann) == [Attribution(((0, 2),), (), ())]


def test_a_folder_without_the_layout_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="PolNeAR layout"):
        list(load_brat(tmp_path))


ARTICLE = LabelledArticle("a1", ((0, 30), (40, 100)), (
    LabelledClaim((0, 5), "Olena Bondar", "UA", "assert", (10, 20), False),
    LabelledClaim((50, 53), "Ivan Shevchenko", "RU", "deny", (55, 70), True),
))


def at(start: int, end: int, text: str = "x") -> dict:
    return {"text": text, "start": start, "end": end}


def test_labels_precision_recall_side_stance_and_page_text_worked_by_hand():
    claims = [
        {"speaker": at(0, 5), "content": at(12, 18), "side": "UA", "stance": "assert"},
        # Carried from an earlier sentence: right because it names the labelled one, spelt otherwise.
        {"speaker": at(0, 5, "Sjevtsjenko"), "content": at(56, 60), "side": "RU", "stance": "assert", "carried": True},
        {"speaker": at(31, 35), "content": at(32, 38), "side": "UA", "stance": "assert"},  # from page text
        {"speaker": at(90, 95), "content": at(56, 60), "side": "RU", "stance": "deny"},  # wrong speaker
        {"speaker": None, "content": at(10, 20), "side": "other", "stance": "report"},  # not attributed
    ]
    scores = LabelScores()
    score_labelled_article(ARTICLE, claims, scores, same_entity)
    f = scores.figures()
    assert (f["predicted"], f["gold"]) == (4, 2)
    assert (f["precision"], f["recall"]) == pytest.approx((2 / 4, 2 / 2))
    assert (f["side_right"], f["stance_right"]) == pytest.approx((2 / 2, 1 / 2))
    assert f["page_text_claims"] == 1


def test_a_pronoun_resolved_to_the_wrong_one_is_not_right():
    claims = [{"speaker": at(60, 63, "hij"), "resolved": at(0, 5, "Olena Bondar"), "content": at(56, 60),
               "side": "UA", "stance": "deny", "actor": "unknown"}]
    scores = LabelScores()
    score_labelled_article(ARTICLE, claims, scores, same_entity)
    assert scores.figures()["precision"] == 0.0 and scores.found == 0


def test_names_match_across_spellings_and_actor_labels():
    assert same_name("Poetin", "Vladimir Putin")
    assert same_name("het Kremlin", "the Kremlin")
    assert not same_name("hij", "Vladimir Putin")
    assert not same_name("Olena Bondar", "Ivan Shevchenko")
    # "Rusland" speaking is Russia's government, whose English label the labels use.
    assert same_entity({"speaker": at(0, 7, "Rusland"), "actor": "ru.government"}, "Russia")


def test_labels_are_shifted_onto_the_text_as_the_bot_reads_it():
    rows = [json.loads(line) for line in (DATA / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    record = json.loads((DATA / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[0])
    text, article = labelled(rows[0], [r for r in rows if r["kind"] == "claim"], record)
    title_claim, body_claim = article.claims[:2]
    assert text[title_claim.speaker[0]:title_claim.speaker[1]] == "Minister"
    assert text[body_claim.speaker[0]:body_claim.speaker[1]] == "de gemeente"
    assert article.body[0] == (0, len(record["title"]))


@pytest.fixture
def env(monkeypatch, tmp_path, cache_dir):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    monkeypatch.setenv("COLUMNS", "200")


def test_eval_attribution_commands_print_both_tables(env, capsys):
    assert main(["eval", "attribution", "--brat", str(DATA / "brat")]) == 0
    out = capsys.readouterr().out
    assert "claims as read" in out and "after the relevance step" in out and "attribution" in out
    assert main(["eval", "attribution", "--labels", str(DATA / "labels.jsonl"), "--corpus", str(DATA / "corpus.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "as read" in out and "relevant" in out


def test_eval_attribution_without_a_corpus_is_a_clear_error(env, capsys):
    assert main(["eval", "attribution"]) == 2
    assert "--brat DIR" in capsys.readouterr().err


def test_labels_of_articles_missing_from_the_corpus_are_a_clear_error(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("", encoding="utf-8")
    with pytest.raises(CorpusError, match="not in"):
        evaluate_labels(DATA / "labels.jsonl", corpus, str(tmp_path))
