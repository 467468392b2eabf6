"""Place reading scored against place labels on real text (issue 13): pure functions over labelled
documents, the bot's predictions and the gazetteer; reading the files is the command line's job.

A predicted mention is right when it overlaps a labelled mention of the same field AND names the same
place: the labelled English name and country, resolved through the gazetteer, give the place (or, for
village names many places share, any of them); a curated area that covers exactly that place ("DPR"
covering Donetsk Oblast) counts as it. Recall counts only what the bot is meant to find: mentions of
Ukrainian places, and of places abroad whose English name and country the gazetteer knows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.nlp import translit
from bot.nlp.gazetteer import Gazetteer, Place
from bot.nlp.pipeline import ArticleInput, read

SCOPE = "Ukrainian places, and places abroad whose English name and country the gazetteer knows"
SHARED_NAME_KINDS = ("town", "village", "other")  # many places share these names; the label names no oblast


@dataclass(frozen=True, slots=True)
class Label:
    """One labelled place mention: character offsets into one field."""

    field: str
    start: int
    end: int
    name_en: str
    country: str | None
    kind: str
    as_actor: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class LabelledDoc:
    """A document's fields (title first), which of them are labelled, and its labels."""

    key: str
    lang: str
    fields: tuple[tuple[str, str], ...]  # (name, text), in reading order
    labelled: frozenset[str]
    labels: tuple[Label, ...]


@dataclass(frozen=True, slots=True)
class Predicted:
    """One place mention the bot read, in field offsets."""

    field: str
    start: int
    end: int
    text: str
    slug: str
    as_actor: bool


@dataclass
class Tally:
    """Counts behind one precision and recall."""

    predicted: int = 0
    right: int = 0
    gold: int = 0
    found: int = 0

    def precision(self) -> float:
        """Right predictions over predictions (1.0 when nothing was predicted)."""
        return self.right / self.predicted if self.predicted else 1.0

    def recall(self) -> float:
        """Found labels over labels in scope (1.0 when there are none)."""
        return self.found / self.gold if self.gold else 1.0


@dataclass
class LangScores:
    """Figures for one language, and the errors by class for --verbose."""

    docs: int = 0
    labels: int = 0
    places: Tally = field(default_factory=Tally)
    actors: Tally = field(default_factory=Tally)  # as_actor: flagged by the bot, labelled as a government speaking
    actor_place_found: int = 0  # as_actor labels found as the right place, flagged or not
    false_positives: Counter = field(default_factory=Counter)  # (class, text, predicted) → n
    false_negatives: Counter = field(default_factory=Counter)  # (class, text, labelled, predicted) → n
    examples: dict = field(default_factory=dict)  # error key → the words around its first case


def _compose(doc: LabelledDoc) -> tuple[str, dict[str, int]]:
    """The text the bot reads (title, blank line, body, as the read stage builds it) and where each field starts."""
    parts, starts, at = [], {}, 0
    for name, text in doc.fields:
        starts[name] = at
        parts.append(text)
        at += len(text) + 2
    return "\n\n".join(parts), starts


def predict(docs: list[LabelledDoc], cache_dir: str = "data/cache") -> list[list[Predicted]]:
    """Read each document as the bot does and give its place mentions in field offsets."""
    composed = [_compose(d) for d in docs]
    readings = read([ArticleInput(text, d.lang) for d, (text, _) in zip(docs, composed)], cache_dir)
    return [_mentions(reading, starts, dict(doc.fields)) for doc, (_, starts), reading in zip(docs, composed, readings)]


def _mentions(reading: dict, starts: dict[str, int], texts: dict[str, str]) -> list[Predicted]:
    found = []
    for place in reading["places"]:
        for m in place["mentions"]:
            name = max((n for n, s in starts.items() if s <= m["start"]), key=starts.get)
            start = m["start"] - starts[name]
            end = min(start + len(m["text"]), len(texts[name]))
            found.append(Predicted(name, start, end, m["text"], place["slug"], m.get("as_actor", False)))
    return found


def targets(label: Label, gazetteer: Gazetteer) -> list[Place]:
    """The gazetteer places a label names: by its English name (exactly, else by spelling), in its country."""
    country = label.country or ""
    exact = [gazetteer.places[i] for i in gazetteer.aliases.get(translit.normal(label.name_en), ())]
    found = [p for p in exact if p.country == country]
    if not found:
        found = [p for p in gazetteer.candidates(label.name_en) if p.country == country][:1]
    if found and label.kind not in SHARED_NAME_KINDS:
        return found[:1]  # a city, oblast or country: the one that matters most
    return found


def in_scope(label: Label, gazetteer: Gazetteer) -> bool:
    """Whether the bot is meant to find the labelled place."""
    return label.country == "UA" or bool(targets(label, gazetteer))


def same_place(slug: str, label: Label, gazetteer: Gazetteer) -> bool:
    """Whether a predicted slug names the labelled place."""
    wanted = {p.slug for p in targets(label, gazetteer)}
    if slug in wanted:
        return True
    place = gazetteer.get(slug)
    return place is not None and len(place.covers) == 1 and place.covers[0] in wanted


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score(docs: Iterable[LabelledDoc], predictions: Iterable[list[Predicted]], gazetteer: Gazetteer) -> dict[str, LangScores]:
    """Precision and recall per language, overall and for places that speak (as_actor)."""
    scores: dict[str, LangScores] = {}
    for doc, predicted in zip(docs, predictions):
        lang = scores.setdefault(doc.lang, LangScores())
        lang.docs += 1
        labels = [g for g in doc.labels if g.field in doc.labelled]
        lang.labels += len(labels)
        _score_doc(lang, doc, [p for p in predicted if p.field in doc.labelled], labels, gazetteer)
    return scores


def _score_doc(lang: LangScores, doc: LabelledDoc, predicted: list[Predicted], labels: list[Label],
               gazetteer: Gazetteer) -> None:
    for p in predicted:
        near = [g for g in labels if g.field == p.field and _overlaps(p.start, p.end, g.start, g.end)]
        right = [g for g in near if same_place(p.slug, g, gazetteer)]
        lang.places.predicted += 1
        lang.places.right += bool(right)
        lang.actors.predicted += p.as_actor
        lang.actors.right += p.as_actor and any(g.as_actor for g in right)
        if not right:
            what = "wrong place" if near else "not a place"
            key = (what, p.text, p.slug)
            lang.false_positives[key] += 1
            lang.examples.setdefault(key, _around(doc, p.field, p.start, p.end))
    for g in labels:
        if not in_scope(g, gazetteer):
            continue
        near = [p for p in predicted if p.field == g.field and _overlaps(p.start, p.end, g.start, g.end)]
        right = [p for p in near if same_place(p.slug, g, gazetteer)]
        lang.places.gold += 1
        lang.places.found += bool(right)
        if g.as_actor:
            lang.actors.gold += 1
            lang.actor_place_found += bool(right)
            lang.actors.found += any(p.as_actor for p in right)
        if not right:
            text = dict(doc.fields)[g.field][g.start:g.end]
            what = "wrong place" if near else "missed"
            key = (what, text, g.name_en, near[0].slug if near else "")
            lang.false_negatives[key] += 1
            lang.examples.setdefault(key, _around(doc, g.field, g.start, g.end))


def _around(doc: LabelledDoc, name: str, start: int, end: int, width: int = 40) -> str:
    """The words around a mention, the mention in brackets (for a person looking at errors)."""
    text = dict(doc.fields)[name]
    return " ".join(f"{text[max(0, start - width):start]}[{text[start:end]}]{text[end:end + width]}".split())
