"""`eval attribution`: read a labelled corpus from disk (brat standoff, or our JSONL labels with the
corpus they point into), read its articles as the bot does, and print the scores of bot.nlp's
attribution evaluator for the claims as read and for those the relevance step keeps."""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bot.nlp.attribution_eval import (PARTS, Attribution, BratScores, LabelledArticle, LabelledClaim, LabelScores,
                                      same_entity, score_brat_document, score_labelled_article)
from bot.nlp.pipeline import ArticleInput, read

TEXTBOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
EVENT = re.compile(r"^(E\d+)\t(.*)$")
ROLES = {"Source": "source", "Cue": "cue", "Content": "content", "Content2": "content"}


class CorpusError(Exception):
    """The corpus cannot be read as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class BratDocument:
    """One article of a brat corpus and its gold attributions."""

    name: str
    text: str
    gold: tuple[Attribution, ...]
    published: date | None = None


def parse_ann(ann: str) -> list[Attribution]:
    """The attributions of one .ann file: events joining Source, Cue and Content text-bound spans."""
    spans: dict[str, tuple[tuple[int, int], ...]] = {}
    events = []
    for line in ann.splitlines():
        if m := TEXTBOUND.match(line):
            spans[m.group(1)] = tuple(tuple(int(x) for x in f.split()) for f in m.group(3).split(";"))
        elif m := EVENT.match(line):
            events.append(m.group(2).split())
    found = []
    for args in events:
        parts: dict[str, list[tuple[int, int]]] = {"source": [], "cue": [], "content": []}
        kind = args[0].split(":")[0] if args else ""
        if not kind.startswith("Attribution"):
            continue
        for arg in args[1:]:
            role, _, ref = arg.partition(":")
            if role in ROLES and ref in spans:
                parts[ROLES[role]].extend(spans[ref])
        found.append(Attribution(*(tuple(sorted(parts[p])) for p in PARTS)))
    return found


def load_brat(root: Path) -> Iterator[BratDocument]:
    """Every article of a PolNeAR-style folder (text/NAME.txt, attributions/NAME_ANNOTATOR.ann), in
    name order; of several annotators the first in name order is taken."""
    texts, anns = root / "text", root / "attributions"
    if not texts.is_dir() or not anns.is_dir():
        raise CorpusError(f"{root} holds no text/ and attributions/ folders (the PolNeAR layout)")
    dates = publication_dates(root / "metadata.tsv")
    for path in sorted(texts.glob("*.txt")):
        annotated = sorted(anns.glob(f"{glob_escape(path.stem)}_*.ann"))
        if not annotated:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        gold = tuple(parse_ann(annotated[0].read_text(encoding="utf-8", errors="replace")))
        yield BratDocument(path.stem, text, gold, dates.get(path.stem))


def publication_dates(path: Path) -> dict[str, date]:
    """Publication dates by file name from a metadata.tsv (filename, publication_date), if there is one:
    the bot always knows an article's date, and dates in the text are read against it."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {r["filename"]: d for r in rows if (d := _date(r.get("publication_date")))}


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def glob_escape(name: str) -> str:
    """A file name as a glob pattern matching only itself."""
    return re.sub(r"([\[\]*?])", r"[\1]", name)


def load_labels(path: Path) -> tuple[list[dict], dict[str, list[dict]]]:
    """The article lines and, by article id, the claim lines of a labels file."""
    articles, claims = [], {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if row.get("kind") == "article":
            articles.append(row)
        elif row.get("kind") == "claim":
            claims.setdefault(row["article"], []).append(row)
    return articles, claims


def load_corpus(path: Path, wanted: set[str]) -> dict[str, dict]:
    """The records of a JSONL(.gz) corpus whose id is wanted."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            records = (json.loads(line) for line in handle if line.strip())
            return {r["id"]: r for r in records if r.get("id") in wanted}
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror or exc}") from None


def labelled(row: dict, claims: list[dict], record: dict) -> tuple[str, LabelledArticle]:
    """The text as the bot reads it (title, blank line, text) and the labels shifted onto it."""
    title = record.get("title") or ""
    shift = len(title) + 2

    def moved(span, field):
        return None if span is None else (span[0] + (0 if field == "title" else shift), span[1] + (0 if field == "title" else shift))

    gold = tuple(LabelledClaim(moved(c["speaker"], c.get("field")), c["speaker_canonical"], c["side"], c["stance"],
                               moved(c["content"], c.get("field")), bool(c.get("carried"))) for c in claims)
    body = ((0, len(title)),) + tuple((s + shift, e + shift) for s, e in row["body"])
    return f"{title}\n\n{record.get('text') or ''}", LabelledArticle(row["article"], body, gold)


def evaluate_brat(root: Path, lang: str, cache_dir: str, every: int = 1) -> tuple[BratScores, BratScores]:
    """Scores of the claims as read and of the relevant ones, over every `every`-th article."""
    documents = [d for k, d in enumerate(load_brat(root)) if k % every == 0]
    readings = read((ArticleInput(d.text, lang, d.published) for d in documents), cache_dir, keep_irrelevant=True)
    all_claims, relevant = BratScores(), BratScores()
    for document, reading in zip(documents, readings):
        score_brat_document(document.text, document.gold, reading["claims"], all_claims)
        score_brat_document(document.text, document.gold, [c for c in reading["claims"] if c.get("relevant", True)], relevant)
    return all_claims, relevant


def evaluate_labels(labels: Path, corpus: Path, cache_dir: str) -> tuple[LabelScores, LabelScores]:
    """Scores of the claims as read and of the relevant ones, on our labels of a JSONL corpus."""
    articles, claims = load_labels(labels)
    records = load_corpus(corpus, {a["article"] for a in articles})
    missing = sorted({a["article"] for a in articles} - set(records))
    if missing:
        raise CorpusError(f"{len(missing)} labelled articles are not in {corpus}, e.g. {missing[0]}")
    pairs = [labelled(a, claims.get(a["article"], []), records[a["article"]]) for a in articles]
    languages = [records[a["article"]].get("lang") or "nl" for a in articles]
    published = [_date(records[a["article"]].get("date")) for a in articles]
    readings = read((ArticleInput(text, lang, when) for (text, _), lang, when in zip(pairs, languages, published)),
                    cache_dir, keep_irrelevant=True)
    all_claims, relevant = LabelScores(), LabelScores()
    for (_, article), reading in zip(pairs, readings):
        score_labelled_article(article, reading["claims"], all_claims, same_entity)
        score_labelled_article(article, [c for c in reading["claims"] if c.get("relevant", True)], relevant, same_entity)
    return all_claims, relevant


def print_brat(console: Console, scores: BratScores, relevant: BratScores) -> None:
    """Citron's span table and the attribution level, as read and after the relevance step."""
    for title, s in (("claims as read", scores), ("after the relevance step", relevant)):
        f = s.figures()
        table = Table(title=f"{title}: {f['documents']} articles, {f['gold']} gold attributions with a source "
                            f"({f['gold_without_source']} without), {f['predicted']} claims with a speaker")
        for column in ("span", "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1"):
            table.add_column(column, justify="left" if column == "span" else "right")
        for part in PARTS:
            row = f[part]
            table.add_row(part, *(f"{row[f'{kind}_{m}']:.3f}" for kind in ("exact", "overlap") for m in ("precision", "recall", "f1")))
        a = f["attribution"]
        table.add_row("attribution", f"{a['precision']:.3f}", f"{a['recall']:.3f}", f"{a['f1']:.3f}", "", "", "")
        console.print(table)


def print_labels(console: Console, scores: LabelScores, relevant: LabelScores) -> None:
    """Precision, recall, side and stance right, claims from page text; as read and relevant."""
    table = Table(title="Attribution on labelled articles")
    for column in ("claims", "articles", "gold", "predicted", "precision", "recall", "F1", "side right",
                   "stance right", "from page text"):
        table.add_column(column, justify="left" if column == "claims" else "right")
    for title, s in (("as read", scores), ("relevant", relevant)):
        f = s.figures()
        table.add_row(title, str(f["articles"]), str(f["gold"]), str(f["predicted"]),
                      *(f"{f[k]:.3f}" for k in ("precision", "recall", "f1", "side_right", "stance_right")),
                      str(f["page_text_claims"]))
    console.print(table)


def evaluate_attribution(brat: str | None, lang: str, labels: str | None, corpus: str | None, cache_dir: str,
                         every: int = 1) -> int:
    """`eval attribution`: a brat corpus (--brat) or our labels with their corpus (--labels, --corpus)."""
    console = Console(highlight=False, width=max(Console().width, 120))
    if brat:
        print_brat(console, *evaluate_brat(Path(brat), lang, cache_dir, every))
        return 0
    if not (labels and corpus):
        raise CorpusError("eval attribution needs --brat DIR, or --labels FILE with --corpus PATH")
    print_labels(console, *evaluate_labels(Path(labels), Path(corpus), cache_dir))
    return 0
