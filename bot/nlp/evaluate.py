"""Evaluation of reading on the labelled sets in data/: speakers, stances, actors, numbers, places."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.nlp.gazetteer import shared
from bot.nlp.lexicon import DATA
from bot.nlp.pipeline import ArticleInput, read

PUBLISHED = date(2023, 1, 8)


@dataclass(frozen=True, slots=True)
class Gold:
    """One labelled claim."""

    speaker: str
    actor: str
    stance: str
    numbers: tuple[tuple[float, str], ...]


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled text."""

    pattern: str
    text: str
    claims: tuple[Gold, ...]


@dataclass
class Scores:
    """Counts that make the figures."""

    predicted: int = 0
    gold: int = 0
    matched: int = 0
    stance_ok: int = 0
    actor_ok: int = 0
    numbers_gold: int = 0
    numbers_ok: int = 0
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """Precision, recall, F1 of speakers; accuracy of stance, actor and numbers."""
        precision = self.matched / self.predicted if self.predicted else 1.0
        recall = self.matched / self.gold if self.gold else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"speaker_precision": precision, "speaker_recall": recall, "speaker_f1": f1,
                "stance_accuracy": self.stance_ok / self.matched if self.matched else 1.0,
                "actor_accuracy": self.actor_ok / self.matched if self.matched else 1.0,
                "numbers_accuracy": self.numbers_ok / self.numbers_gold if self.numbers_gold else 1.0,
                "items": self.gold, "predicted": self.predicted}


def _gold(text: str) -> tuple[Gold, ...]:
    if text.strip() == "-":
        return ()
    claims = []
    for part in text.split(" ; "):
        speaker, rest = part.split(" = ")
        words = rest.split()
        numbers = tuple((float(words[i]), words[i + 1]) for i in range(2, len(words), 2))
        claims.append(Gold(speaker.strip(), words[0], words[1], numbers))
    return tuple(claims)


def load_items(lang: str) -> list[Item]:
    """The labelled set of one language."""
    items = []
    for line in (DATA / f"eval_reading_{lang}.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, text, gold = line.split("\t")
            items.append(Item(pattern, text, _gold(gold)))
    return items


def _same_speaker(gold: str, predicted: str | None) -> bool:
    if not predicted:
        return False
    g, p = gold.lower().strip(" ,"), predicted.lower().strip(" ,")
    return g in p or p in g


def score(items: list[Item], readings: list[dict]) -> Scores:
    """Match predicted attributed claims to gold ones, one to one, by speaker."""
    scores = Scores()
    for item, reading in zip(items, readings):
        predicted = [c for c in reading["claims"] if c["speaker"] is not None]
        scores.predicted += len(predicted)
        scores.gold += len(item.claims)
        free = list(predicted)
        for gold in item.claims:
            scores.numbers_gold += len(gold.numbers)
            match = next((c for c in free if _same_speaker(gold.speaker, c["speaker"]["text"])), None)
            if match is None:
                scores.misses.append(f"[{item.pattern}] missed {gold.speaker!r}: {item.text}")
                continue
            free.remove(match)
            scores.matched += 1
            scores.stance_ok += match["stance"] == gold.stance
            scores.actor_ok += match["actor"] == gold.actor
            found = {(n["value"], n["counts"]) for n in match["numbers"]}
            scores.numbers_ok += sum(n in found for n in gold.numbers)
            if match["stance"] != gold.stance or any(n not in found for n in gold.numbers):
                scores.misses.append(f"[{item.pattern}] {gold.speaker!r}: stance {match['stance']} "
                                     f"(gold {gold.stance}), numbers {sorted(found)} (gold {list(gold.numbers)}): {item.text}")
        for extra in free:
            scores.misses.append(f"[{item.pattern}] extra speaker {extra['speaker']['text']!r}: {item.text}")
    return scores


def evaluate_reading(lang: str, cache_dir: str = "data/cache") -> Scores:
    """Read the labelled set of one language and score it."""
    items = load_items(lang)
    readings = list(read([ArticleInput(i.text, lang, PUBLISHED) for i in items], cache_dir))
    return score(items, readings)


def place_table() -> list[tuple[str, str, str]]:
    """(spelling, expected slug, note) rows of the place spelling table."""
    with (DATA / "eval_places.tsv").open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return [(r[0], r[1], r[2] if len(r) > 2 else "") for r in rows if r]


def evaluate_places(cache_dir: str = "data/cache") -> tuple[int, list[str]]:
    """How many spellings resolve to their slug, and the ones that do not."""
    gazetteer = shared(cache_dir)
    rows = place_table()
    wrong = []
    for spelling, slug, _ in rows:
        found = gazetteer.resolve(spelling)
        if found is None or found.slug != slug:
            wrong.append(f"{spelling} → {found.slug if found else None} (expected {slug})")
    return len(rows), wrong


def cache_path(path: str | Path) -> str:
    """A cache directory given as a path, as the string the pipeline caches by."""
    return str(Path(path))
