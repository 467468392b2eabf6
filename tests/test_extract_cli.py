"""`python -m bot extract` and `python -m bot eval reading` as a person runs them."""

from __future__ import annotations

import io
import json

import pytest

from bot.cli.main import main

ARTICLE = ("Rusland beweert dat het zondag minstens 600 Oekraïense soldaten heeft gedood in Kramatorsk. "
           "Kiev ontkent.\n\nDeel artikel:\n")


@pytest.fixture
def env(monkeypatch, tmp_path, cache_dir):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def test_extract_json_has_offsets_places_dates_and_claims(env, capsys):
    path = env / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(path), "--lang", "auto", "--published", "2023-01-09T10:00:00", "--json"]) == 0
    reading = json.loads(capsys.readouterr().out)
    assert reading["language"] == "nl" and reading["published"] == "2023-01-09"
    assert [p["slug"] for p in reading["places"]] == ["russia", "kramatorsk", "kyiv"]
    assert "2023-01-08" in reading["dates"]
    claim, denial = reading["claims"]
    speaker = claim["speaker"]
    assert ARTICLE[speaker["start"] : speaker["end"]] == "Rusland" and claim["cue"]["text"] == "beweert"
    assert denial["stance"] == "deny" and denial["refers_to"] == 0


def test_extract_reads_standard_input_and_prints_a_table(env, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Russia's defence ministry said 89 servicemen died in Makiivka."))
    assert main(["extract", "-", "--lang", "en", "--published", "2023-01-04"]) == 0
    out = capsys.readouterr().out
    assert "ru.mod" in out and "89.0 killed" in out and "Makiivka" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "/no/such/file.txt", "--lang", "en"], "cannot read /no/such/file.txt"),
        (["extract", "-", "--published", "last tuesday"], "--published must be an ISO date"),
        (["extract", "-"], "too short to tell its language"),
    ],
)
def test_bad_extract_input_gets_a_clear_answer(env, capsys, monkeypatch, args, message):
    monkeypatch.setattr("sys.stdin", io.StringIO("hm"))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_unknown_language_is_refused_by_name(env, capsys):
    path = env / "a.txt"
    path.write_text("Kyiv", encoding="utf-8")
    assert main(["extract", str(path), "--lang", "fr"]) == 2
    assert "no reading pipeline for language 'fr'" in capsys.readouterr().err


def test_eval_reading_prints_figures_per_language(env, capsys):
    assert main(["eval", "reading"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("│ en") or line.startswith("│ nl")]
    assert "speaker P" in out and len(rows) == 2
    assert "Place spellings: 245/245" in out
