"""The `extract` and `eval` commands: what reading finds in one article, and how well it reads."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.ingest.language import detect
from bot.nlp.evaluate import evaluate_places, evaluate_reading
from bot.nlp.lexicon import languages
from bot.nlp.pipeline import ArticleInput, read


class InputError(Exception):
    """The article to read cannot be had; the message says why."""


def load_text(source: str) -> str:
    """The text of a file, or of standard input for '-'."""
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None


def parse_published(value: str | None) -> date:
    """--published as a date (an ISO date or date-time); today when not given."""
    if not value:
        return date.today()
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        raise InputError(f"--published must be an ISO date such as 2023-01-08, not {value!r}") from None


def choose_language(text: str, lang: str) -> str:
    """The language asked for, or the detected one for 'auto'."""
    if lang != "auto":
        if lang not in languages():
            raise InputError(f"no reading pipeline for language {lang!r}; use --lang {'|'.join(languages())} or auto")
        return lang
    found = detect(text)
    if found is None:
        raise InputError(f"the text is too short to tell its language; use --lang {'|'.join(languages())}")
    if found not in languages():
        raise InputError(f"the text looks like {found!r}, which has no reading pipeline; use --lang {'|'.join(languages())}")
    return found


def extract(source: str, lang: str, published: str | None, as_json: bool, cache_dir: str) -> int:
    """Print an article's places, dates and claims."""
    when = parse_published(published)
    text = load_text(source)
    language = choose_language(text, lang)
    (reading,) = read([ArticleInput(text, language, when)], cache_dir)
    if as_json:
        print(json.dumps(reading, ensure_ascii=False, indent=2))
    else:
        show(reading)
    return 0


def _at(span: dict | None) -> str:
    return f"{escape(span['text'])} [dim]{span['start']}–{span['end']}[/]" if span else "–"


def show(reading: dict) -> None:
    """A reading as a person reads it."""
    console = Console(highlight=False)
    console.print(f"[bold]Language[/] {reading['language']}  [bold]published[/] {reading['published']}")
    places = ", ".join(f"{p['name']} ({p['slug']}{', as speaker' if p['as_actor_only'] else ''})" for p in reading["places"])
    console.print(f"[bold]Places[/] {escape(places) or '–'}")
    console.print(f"[bold]Dates[/] {', '.join(reading['dates']) or '–'}")
    table = Table(title="Claims", show_lines=True)
    for column in ("#", "stance", "speaker", "actor", "cue", "content", "numbers", "event date"):
        table.add_column(column)
    for n, claim in enumerate(reading["claims"]):
        numbers = ", ".join(f"{q['qualifier'] + ' ' if q['qualifier'] else ''}{q['value'] if q['value'] is not None else ''} {q['counts']}"
                            for q in claim["numbers"])
        stance = claim["stance"] + (f" → #{claim['refers_to']}" if claim["refers_to"] is not None else "")
        table.add_row(str(n), stance, _at(claim["speaker"]) + (" (carried)" if claim["carried"] else ""),
                      f"{claim['actor']} ({claim['side']})", _at(claim["cue"]), _at(claim["content"]),
                      escape(numbers), claim["event_date"] or "–")
    console.print(table)


def evaluate(what: str, cache_dir: str) -> int:
    """`eval reading`: precision, recall and F1 per language, and the place table."""
    console = Console(highlight=False)
    table = Table(title="Reading, per language")
    for column in ("lang", "claims", "predicted", "speaker P", "speaker R", "speaker F1", "stance", "actor", "numbers"):
        table.add_column(column, justify="left" if column == "lang" else "right")
    for lang in languages():
        f = evaluate_reading(lang, cache_dir).figures()
        table.add_row(lang, str(f["items"]), str(f["predicted"]), *(f"{f[k]:.3f}" for k in (
            "speaker_precision", "speaker_recall", "speaker_f1", "stance_accuracy", "actor_accuracy", "numbers_accuracy")))
    console.print(table)
    total, wrong = evaluate_places(cache_dir)
    console.print(f"Place spellings: {total - len(wrong)}/{total} resolved to the right slug")
    for line in wrong:
        console.print(f"  {escape(line)}")
    return 0
