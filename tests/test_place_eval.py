"""`eval places`: the scoring arithmetic on hand-made predictions, and the command on tiny label files
and corpora written for these tests (tests/data/places)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import placeeval as cli
from bot.cli.main import main
from bot.nlp.gazetteer import shared
from bot.nlp.placeeval import Label, LabelledDoc, Predicted, in_scope, same_place, score

DATA = Path(__file__).parent / "data" / "places"
TITLE = "Kharkiv and Donetsk shelled; Moscow denies"
BODY = "Officials in Paris and Lagos spoke. Email us."


@pytest.fixture(scope="module")
def gazetteer(cache_dir):
    return shared(cache_dir)


def _at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def _label(field: str, word: str, name: str, country: str | None, kind: str, actor: bool = False) -> Label:
    return Label(field, *_at(TITLE if field == "title" else BODY, word), name, country, kind, actor)


def _doc(labelled=("title", "text")) -> LabelledDoc:
    labels = (_label("title", "Kharkiv", "Kharkiv", "UA", "city"),
              _label("title", "Donetsk", "Donetsk Oblast", "UA", "oblast"),
              _label("title", "Moscow", "Moscow", "RU", "city", actor=True),
              _label("text", "Paris", "Paris", "FR", "city"),
              _label("text", "Lagos", "Lagos", "NG", "city"))
    return LabelledDoc("d1", "en", (("title", TITLE), ("text", BODY)), frozenset(labelled), labels)


def _predicted(field: str, word: str, slug: str, actor: bool = False) -> Predicted:
    return Predicted(field, *_at(TITLE if field == "title" else BODY, word), word, slug, actor)


def test_scope_is_ukraine_and_what_the_gazetteer_knows(gazetteer):
    doc = _doc()
    assert [in_scope(g, gazetteer) for g in doc.labels] == [True, True, True, True, False]
    assert same_place("donetsk_oblast", doc.labels[1], gazetteer)
    assert not same_place("donetsk", doc.labels[1], gazetteer)
    assert same_place("dpr", doc.labels[1], gazetteer), "an area covering exactly the labelled oblast"
    assert not same_place("paris", Label("text", 0, 5, "Paris", "US", "city", False), gazetteer)


def test_precision_and_recall_arithmetic(gazetteer):
    predicted = [_predicted("title", "Kharkiv", "kharkiv"),                  # right
                 _predicted("title", "Donetsk", "donetsk"),                  # the city, labelled the oblast
                 _predicted("title", "Moscow", "moscow", actor=True),        # right, and marked as speaking
                 _predicted("text", "Email", "izmail")]                      # no place at all
    (lang,) = score([_doc()], [predicted], gazetteer).values()
    assert (lang.places.predicted, lang.places.right) == (4, 2)
    assert (lang.places.gold, lang.places.found) == (4, 2), "Lagos is out of scope; Paris and Donetsk missed"
    assert lang.places.precision() == 0.5 and lang.places.recall() == 0.5
    assert (lang.actors.predicted, lang.actors.right, lang.actors.gold, lang.actors.found) == (1, 1, 1, 1)
    assert lang.false_positives == {("wrong place", "Donetsk", "donetsk"): 1, ("not a place", "Email", "izmail"): 1}
    assert lang.false_negatives == {("wrong place", "Donetsk", "Donetsk Oblast", "donetsk"): 1,
                                    ("missed", "Paris", "Paris", ""): 1}
    assert lang.examples[("not a place", "Email", "izmail")].endswith("[Email] us.")


def test_fields_not_labelled_are_not_scored(gazetteer):
    predicted = [_predicted("title", "Kharkiv", "kharkiv"), _predicted("text", "Email", "izmail")]
    (lang,) = score([_doc(labelled=("title",))], [predicted], gazetteer).values()
    assert (lang.places.predicted, lang.places.right) == (1, 1)
    assert (lang.places.gold, lang.places.found, lang.labels) == (3, 1, 3)


def test_text_function_is_redone_and_unknown_ones_refused():
    field, strip = cli.text_function('selectolax.lexbor.LexborHTMLParser(description).text(separator=" ")')
    assert field == "description" and strip("<p>in <b>Kyiv</b></p>") == "in  Kyiv"  # the labeller's call, spaces and all
    with pytest.raises(cli.LabelError, match="unknown text_function"):
        cli.text_function("eval(description)")


def test_loading_skips_what_cannot_be_scored_and_says_why(tmp_path):
    labels = tmp_path / "labels.jsonl"
    lines = [json.loads(line) for line in (DATA / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    lines.append({"kind": "place", "corpus": "nl-mini", "doc": "nl-2", "field": "title", "span": [3, 999],
                  "name_en": "Kyiv", "country": "UA", "place_kind": "city", "as_actor": False})
    labels.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    docs, problems = cli.load(labels, DATA / "corpora")
    assert sorted(d.key for d in docs) == ["https://example.org/a", "https://example.org/b", "nl-1"]
    assert any("missing: not in the corpus" in p for p in problems)
    assert any("nl-2" in p and "outside the text" in p for p in problems)
    (rss,) = [d for d in docs if d.key.endswith("/a")]
    assert " ".join(dict(rss.fields)["description"].split()).startswith("Officials in Kyiv said")


@pytest.fixture
def env(monkeypatch, tmp_path, cache_dir):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    return tmp_path


def test_bad_paths_get_a_clear_answer(env, capsys):
    assert main(["eval", "places", "--labels", str(env / "none.jsonl"), "--corpora", str(DATA / "corpora")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["eval", "places", "--labels", str(DATA / "labels.jsonl")]) == 2
    assert "--corpora" in capsys.readouterr().err
