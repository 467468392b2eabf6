"""Scoring attribution on text somebody else labelled: pure functions over texts, gold spans and the
claims reading yields (character offsets). The command line reads the corpus files.

Span figures follow BBC Citron's evaluator (bbc/citron, citron/metrics.py), counted in tokens:
- exact: a predicted cue is right when a gold cue has the same tokens; a predicted source (or
  content) is right when a gold attribution whose cue overlaps the predicted cue has the same
  source (content) tokens. Precision counts predicted quotes, recall counts gold ones, so a
  quote without a cue can never be exactly right (our carried quotes keep the cue that opened them).
- overlap: tokens a predicted span shares with gold spans over all predicted tokens (precision)
  and over all gold tokens (recall), summed over every predicted × gold pair, as Citron sums them.
Attribution level (ours, issue 13): a gold attribution is found when a claim's content shares a
token with its content and the claim's speaker shares one with its source; a claim is right when
it finds some gold attribution. Only claims with a speaker count: the outlet's own reports are no
attributions. Gold attributions without a source (PolNeAR's Attribution-no-source) are left out:
no reader that names speakers can find them, and the figures say how many there were.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.nlp.lexicon import actor_by_id
from bot.nlp.translit import normal, skeletons

Frags = tuple[tuple[int, int], ...]  # character ranges; a span in brat may be discontinuous
TOKEN = re.compile(r"\w+|[^\w\s]")
# Words that say nothing of who a name names ("de", "the", "Russische" is kept: it does).
NAME_FILLER = frozenset({"de", "het", "the", "a", "an", "een", "van", "of", "for", "voor"})
PARTS = ("source", "cue", "content")


@dataclass(frozen=True, slots=True)
class Attribution:
    """A gold attribution: source, cue and content, each as character ranges."""

    source: Frags
    cue: Frags
    content: Frags


class Tokens:
    """The word and punctuation tokens of a text, to count spans in tokens as Citron does."""

    def __init__(self, text: str) -> None:
        self.of_char = [-1] * (len(text) + 1)
        for index, match in enumerate(TOKEN.finditer(text)):
            for pos in range(match.start(), match.end()):
                self.of_char[pos] = index

    def cover(self, frags: Frags | None) -> frozenset[int]:
        """The tokens any character of the ranges falls in."""
        if not frags:
            return frozenset()
        return frozenset(t for s, e in frags for t in self.of_char[max(s, 0) : max(e, 0)] if t >= 0)


def claim_frags(claim: dict, part: str) -> Frags:
    """A claim's speaker, cue or content as character ranges (empty when it has none)."""
    span = claim.get("speaker" if part == "source" else part)
    return ((span["start"], span["end"]),) if span else ()


@dataclass
class PartCounts:
    """Exact and overlap counts of one part (source, cue or content)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    overlap: int = 0
    predicted_len: int = 0
    gold_len: int = 0

    def figures(self) -> dict[str, float]:
        """Exact and overlap precision, recall and F1 (0 where nothing was counted, as Citron)."""
        return {**{f"exact_{k}": v for k, v in prf(self.tp, self.tp + self.fp, self.tp + self.fn).items()},
                **{f"overlap_{k}": v for k, v in prf(self.overlap, self.predicted_len, self.gold_len).items()}}


def prf(hits: int, predicted: int, gold: int, recall_hits: int | None = None) -> dict[str, float]:
    """Precision, recall and F1 from counts; recall_hits when recall counts other hits."""
    precision = hits / predicted if predicted else 0.0
    recall = (hits if recall_hits is None else recall_hits) / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


@dataclass
class BratScores:
    """Counts over a brat corpus; figures() turns them into Citron's table and ours."""

    documents: int = 0
    gold: int = 0
    gold_without_source: int = 0
    predicted: int = 0
    claims_right: int = 0
    gold_found: int = 0
    parts: dict[str, PartCounts] = field(default_factory=lambda: {p: PartCounts() for p in PARTS})

    def figures(self) -> dict:
        """Every figure, by part and at attribution level."""
        figures = {part: counts.figures() for part, counts in self.parts.items()}
        figures["attribution"] = prf(self.claims_right, self.predicted, self.gold, self.gold_found)
        figures.update(documents=self.documents, gold=self.gold, predicted=self.predicted,
                       gold_without_source=self.gold_without_source)
        return figures


def _exact(tokens: Tokens, claims: list[dict], gold: list[Attribution], scores: BratScores) -> None:
    pred = [{p: tokens.cover(claim_frags(c, p)) for p in PARTS} for c in claims]
    real = [{p: tokens.cover(getattr(g, p)) for p in PARTS} for g in gold]

    def same(p: dict, g: dict, part: str) -> bool:
        if part == "cue":
            return bool(p["cue"]) and p["cue"] == g["cue"]
        return bool(p["cue"] & g["cue"]) and p[part] == g[part]

    for part in PARTS:
        counts = scores.parts[part]
        counts.tp += sum(any(same(p, g, part) for g in real) for p in pred)
        counts.fp += sum(not any(same(p, g, part) for g in real) for p in pred)
        counts.fn += sum(not any(same(p, g, part) for p in pred) for g in real)
        counts.predicted_len += sum(len(p[part]) for p in pred)
        counts.gold_len += sum(len(g[part]) for g in real)
        counts.overlap += sum(len(p[part] & g[part]) for p in pred for g in real)


def score_brat_document(text: str, gold: Iterable[Attribution], claims: Iterable[dict], scores: BratScores) -> None:
    """Add one document's gold attributions and read claims to the counts."""
    gold = list(gold)
    sourced = [g for g in gold if g.source]
    claims = [c for c in claims if c.get("speaker")]
    tokens = Tokens(text)
    scores.documents += 1
    scores.gold += len(sourced)
    scores.gold_without_source += len(gold) - len(sourced)
    scores.predicted += len(claims)
    _exact(tokens, claims, sourced, scores)
    pairs = [(tokens.cover(claim_frags(c, "source")), tokens.cover(claim_frags(c, "content"))) for c in claims]
    golds = [(tokens.cover(g.source), tokens.cover(g.content)) for g in sourced]

    def finds(pair, g) -> bool:
        return bool(pair[0] & g[0]) and bool(pair[1] & g[1])

    scores.claims_right += sum(any(finds(p, g) for g in golds) for p in pairs)
    scores.gold_found += sum(any(finds(p, g) for p in pairs) for g in golds)


# --- Labels of our own format (bot/nlp/data/labels/README_attribution.md) -----------------------


@dataclass(frozen=True, slots=True)
class LabelledClaim:
    """A labelled claim, offsets into the text as read (title, blank line, body text)."""

    speaker: tuple[int, int] | None
    canonical: str
    side: str
    stance: str
    content: tuple[int, int]
    carried: bool


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    """A labelled article: its body ranges (the rest is page text) and its claims."""

    id: str
    body: tuple[tuple[int, int], ...]
    claims: tuple[LabelledClaim, ...]


@dataclass
class LabelScores:
    """Counts over labelled articles."""

    articles: int = 0
    gold: int = 0
    predicted: int = 0
    right: int = 0
    found: int = 0
    side_right: int = 0
    stance_right: int = 0
    page_text: int = 0
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict:
        """Precision, recall, side and stance right (of the right claims), claims from page text."""
        return {**prf(self.right, self.predicted, self.gold, self.found),
                "side_right": self.side_right / self.right if self.right else 0.0,
                "stance_right": self.stance_right / self.right if self.right else 0.0,
                "page_text_claims": self.page_text, "articles": self.articles, "gold": self.gold,
                "predicted": self.predicted}


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _span(claim: dict, key: str) -> tuple[int, int] | None:
    span = claim.get(key)
    return (span["start"], span["end"]) if span else None


def _name_words(name: str) -> list[str]:
    return [normal(w) for w in re.findall(r"\w+", name) if w.lower() not in NAME_FILLER]


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name: the same words, or surnames that transliterate alike
    ("Zjovkva" = "Zhovkva", "Poetin" = "Putin")."""
    x, y = _name_words(a), _name_words(b)
    if not x or not y:
        return False
    if x == y:
        return True
    last_x, last_y = x[-1], y[-1]
    return min(len(last_x), len(last_y)) >= 4 and bool(skeletons(last_x) & skeletons(last_y))


def same_entity(claim: dict, canonical: str) -> bool:
    """Whether a claim's speaker, resolved through a pronoun or an earlier sentence, is the one the
    label names: by the resolved speaker's words, or by the name its actor goes by per language."""
    names = [span["text"] for span in (claim.get("resolved"), claim.get("speaker")) if span]
    actor = actor_by_id(claim.get("actor") or "")
    if actor is not None:
        names += [label for _, label in actor.labels]
    return any(same_name(name, canonical) for name in names)


def _match(claim: dict, gold: LabelledClaim, same_entity: Callable[[dict, str], bool]) -> bool:
    if not _overlaps(_span(claim, "content"), gold.content):
        return False
    if _overlaps(_span(claim, "speaker"), gold.speaker):
        return True
    # A carried or pronoun speaker is right when it was resolved to the one the label names.
    return (claim.get("carried") or claim.get("resolved") is not None or gold.carried) and same_entity(claim, gold.canonical)


def score_labelled_article(article: LabelledArticle, claims: Iterable[dict], scores: LabelScores,
                           same_entity: Callable[[dict, str], bool]) -> None:
    """Add one labelled article and its read claims to the counts."""
    claims = [c for c in claims if c.get("speaker")]
    scores.articles += 1
    scores.gold += len(article.claims)
    scores.predicted += len(claims)
    for claim in claims:
        content = _span(claim, "content")
        if content is not None and not any(s <= content[0] < e for s, e in article.body):
            scores.page_text += 1
        matches = [g for g in article.claims if _match(claim, g, same_entity)]
        if not matches:
            scores.misses.append(f"{article.id}\tfp\t{claim['speaker']['start']}")
            continue
        best = max(matches, key=lambda g: min(g.content[1], content[1]) - max(g.content[0], content[0]))
        scores.right += 1
        scores.side_right += claim.get("side") == best.side
        scores.stance_right += claim.get("stance") == best.stance
    for gold in article.claims:
        if any(_match(c, gold, same_entity) for c in claims):
            scores.found += 1
        else:
            scores.misses.append(f"{article.id}\tfn\t{gold.content[0]}")
