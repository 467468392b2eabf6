"""`eval places`: read place labels (README_places.md format) and the corpora they point into, then
print the place precision and recall per language (scoring in bot.nlp.placeeval)."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.nlp.gazetteer import shared
from bot.nlp.lexicon import DATA
from bot.nlp.placeeval import SCOPE, Label, LabelledDoc, LangScores, predict, score


LABELS = DATA / "labels" / "places.jsonl"


class LabelError(Exception):
    """The labels or the corpora cannot be used; the message says why."""


def _lexbor(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(html).text(separator=" ") if html else ""


def _modest(html: str) -> str:
    from selectolax.parser import HTMLParser

    return HTMLParser(html).text(separator=" ") if html else ""


# The text functions a doc line may name, by the exact call it writes (never evaluated as code).
TEXT_FUNCTIONS: dict[str, Callable[[str], str]] = {
    "selectolax.lexbor.LexborHTMLParser(ARG).text(separator=\" \")": _lexbor,
    "selectolax.parser.HTMLParser(ARG).text(separator=\" \")": _modest,
}
_ARGUMENT = re.compile(r"\((\w+)\)\.text")


def text_function(spelled: str | None) -> tuple[str | None, Callable[[str], str]]:
    """The field a doc line's text function applies to, and the function."""
    if not spelled:
        return None, lambda text: text
    found = _ARGUMENT.search(spelled)
    if not found or _ARGUMENT.sub("(ARG).text", spelled) not in TEXT_FUNCTIONS:
        raise LabelError(f"unknown text_function {spelled!r}; known: {', '.join(TEXT_FUNCTIONS)}")
    return found.group(1), TEXT_FUNCTIONS[_ARGUMENT.sub("(ARG).text", spelled)]


def _lines(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise LabelError(f"{path}:{number}: not JSON ({exc.msg})") from None
    except OSError as exc:
        raise LabelError(f"cannot read {path}: {exc.strerror or exc}") from None


def load_labels(path: Path) -> tuple[list[dict], dict[tuple[str, str], list[dict]]]:
    """The doc lines, and the place lines of each (corpus, doc)."""
    docs, places = [], {}
    for line in _lines(path):
        if line.get("kind") == "doc":
            docs.append(line)
        elif line.get("kind") == "place":
            places.setdefault((line["corpus"], line["doc"]), []).append(line)
    if not docs:
        raise LabelError(f"{path}: no doc lines (see bot/nlp/data/labels/README_places.md)")
    return docs, places


def _corpus_file(corpora: Path, corpus: str) -> Path:
    folder = corpora / corpus
    files = sorted(folder.glob("*.jsonl.gz")) + sorted(folder.glob("*.jsonl"))
    if not files:
        raise LabelError(f"no corpus {corpus!r}: {folder} holds no .jsonl.gz or .jsonl file")
    return files[0]


def load_records(corpora: Path, wanted: dict[str, set[str]]) -> dict[tuple[str, str], dict]:
    """The corpus records the labels name, keyed by (corpus, id or link); the last of duplicates wins."""
    found = {}
    for corpus, keys in wanted.items():
        for record in _lines(_corpus_file(corpora, corpus)):
            key = record.get("id") or record.get("link")
            if key in keys:
                found[(corpus, key)] = record
    return found


def _label(line: dict) -> Label:
    start, end = line["span"]
    return Label(line["field"], start, end, line["name_en"], line.get("country"), line.get("place_kind", "other"),
                 bool(line.get("as_actor")), line.get("note", ""))


def make_doc(line: dict, record: dict, places: list[dict]) -> LabelledDoc:
    """One labelled document: title and body as the bot reads them, labels checked against them."""
    applies_to, function = text_function(line.get("text_function"))
    body = next((f for f in line["fields"] if f != "title"), "text" if "text" in record else "description")
    fields = []
    for name in ("title", body):
        text = record.get(name) or ""
        fields.append((name, function(text) if name == applies_to else text))
    lengths = dict((name, len(text)) for name, text in fields)
    labels = [_label(p) for p in places]
    bad = [g for g in labels if g.field not in lengths or not 0 <= g.start < g.end <= lengths[g.field]]
    if bad:
        raise LabelError(f"{line['doc']}: {len(bad)} label(s) outside the text, e.g. {bad[0]}")
    return LabelledDoc(line["doc"], line["lang"], tuple(fields), frozenset(line["fields"]), tuple(labels))


def load(labels: Path, corpora: Path) -> tuple[list[LabelledDoc], list[str]]:
    """The labelled documents that could be built, and a note for each one that could not."""
    lines, places = load_labels(labels)
    wanted: dict[str, set[str]] = {}
    for line in lines:
        wanted.setdefault(line["corpus"], set()).add(line["doc"])
    records = load_records(corpora, wanted)
    docs, problems = [], []
    for line in lines:
        record = records.get((line["corpus"], line["doc"]))
        if record is None:
            problems.append(f"{line['corpus']}/{line['doc']}: not in the corpus, skipped")
            continue
        try:
            docs.append(make_doc(line, record, places.get((line["corpus"], line["doc"]), [])))
        except (LabelError, KeyError, TypeError, ValueError) as exc:
            problems.append(f"{line['corpus']}/{line['doc']}: {exc}, skipped")
    return docs, problems


def evaluate_command(labels: str | None, corpora: str | None, cache_dir: str, verbose: bool) -> int:
    """`eval places`: the project's labels unless others are given; the corpora folder is required."""
    if not corpora:
        raise LabelError("eval places needs --corpora DIR, the folder holding the corpora the labels point into")
    return evaluate(labels or str(LABELS), corpora, cache_dir, verbose)


def evaluate(labels: str, corpora: str, cache_dir: str, verbose: bool = False, worst: int = 25) -> int:
    """Print place precision and recall per language (and the worst errors with --verbose)."""
    console = Console(highlight=False, width=160)
    docs, problems = load(Path(labels), Path(corpora))
    for problem in problems:
        console.print(f"[yellow]{escape(problem)}[/]")
    gazetteer = shared(cache_dir)
    scores = score(docs, predict(docs, cache_dir), gazetteer)
    console.print(table(scores))
    console.print(f"Recall is over labelled mentions of {SCOPE}; precision over every place the bot read in a "
                  "labelled field. as_actor: places the bot marks as speaking, against places labelled as a "
                  "government speaking (recall: found as the right place AND marked).")
    if verbose:
        for lang, s in sorted(scores.items()):
            show_errors(console, lang, s, worst)
    return 0


def table(scores: dict[str, LangScores]) -> Table:
    """The figures, one row per language and measure."""
    result = Table(title="Places on labelled real text")
    for column in ("lang", "docs", "measure", "predicted", "right", "precision", "in scope", "found", "recall"):
        result.add_column(column, justify="left" if column in ("lang", "measure") else "right")
    for lang, s in sorted(scores.items()):
        for measure, t in (("places", s.places), ("as_actor", s.actors)):
            result.add_row(lang, str(s.docs), measure, str(t.predicted), str(t.right), f"{t.precision():.3f}",
                           str(t.gold), str(t.found), f"{t.recall():.3f}")
        result.add_row(lang, str(s.docs), "as_actor place", "", "", "", str(s.actors.gold), str(s.actor_place_found),
                       f"{s.actor_place_found / s.actors.gold if s.actors.gold else 1.0:.3f}")
    return result


def show_errors(console: Console, lang: str, s: LangScores, worst: int) -> None:
    """The most frequent false positives and negatives, by class."""
    console.print(f"[bold]{lang}: {s.labels} labelled mentions in {s.docs} documents[/]")
    for title, errors in (("false positives", s.false_positives), ("false negatives", s.false_negatives)):
        for what in sorted({k[0] for k in errors}):
            rows = [(k, n) for k, n in errors.most_common() if k[0] == what]
            console.print(f"  [bold]{title}, {what}[/] ({sum(n for _, n in rows)})")
            for key, n in rows[:worst]:
                console.print(f"    {n:3d}  {escape(' → '.join(x for x in key[1:] if x))}   "
                              f"[dim]{escape(s.examples.get(key, ''))}[/]")
