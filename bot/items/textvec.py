"""Pure: what an article's words say, as a small TF-IDF vector, and what an item's say, as a centroid.

The inverse document frequency comes from a general word-frequency list per language (wordfreq's
Zipf scale) rather than from the stream: it is the same in every process and after every restart,
needs no table of counts, and knows Dutch, English and Polish alike. A word the list does not know
(a name, a village) weighs most. Title words count twice: a feed item is often a title and a line.
A Polish word counts under its first letters (term()): its cases are one term. Cutting Dutch words
alike joined more of one event's reports but more of different events' too (real set: BCubed
precision 0.952 → 0.947), so Dutch words stay whole. An English word loses its inflection
(_english_base: drones → drone, attacked → attack): headlines of one event name it in other forms.
Derivational endings (-ation, -ate, -er, a bare -e) are left on: they join words that differ (plan,
plane). On the real set, inflections only gave BCubed P 0.950 and R 0.809, with derivations too 0.949
and 0.811: within the knock-on noise of one change, so the choice is made on what the words are.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import chain

TOP_TERMS = 40  # an article keeps its heaviest words: enough to compare, small enough to store
CENTROID_TERMS = 120
MAX_ZIPF = 7.0
UNKNOWN_ZIPF = 1.0
STEMMED = frozenset({"pl"})
STEM_LETTERS = 6
# English inflections (plurals, past, progressive) are one term with their base: drone, drones;
# attack, attacked, attacking; casualty, casualties. Derivations stay apart (plan, planned; plane).
ENDING_STEM = 4  # letters that must stay when an ending comes off
_SIBILANT_ES = re.compile(r"(?:x|ch|sh|ss)es$")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@lru_cache(maxsize=20_000)  # a look-up is ~15 µs; 200,000 entries were ~40 MB a long-running bot kept
def idf(word: str, language: str) -> float:
    """How telling a word is: 0 for the commonest, about 6 for a word the list does not know."""
    from bot.items.idf import zipf_frequency  # wordfreq's values from a compact table (bot/items/idf.py)

    try:
        zipf = zipf_frequency(word, language) or UNKNOWN_ZIPF
    except LookupError:  # a language the list does not have: every word counts alike
        zipf = 3.0
    return max(0.0, MAX_ZIPF - zipf)


def vector(title: str, text: str, language: str | None) -> dict[str, float]:
    """The TF-IDF vector of an article (sublinear term frequency), unit length, heaviest terms only."""
    title_words = _WORD.findall(title.lower())
    counts = Counter(title_words + _WORD.findall(text.lower()))
    counts.update(set(title_words))  # title words twice
    weights = _by_stem(counts, language or "en")
    top = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS])
    return normalized(top)


def term(word: str, language: str) -> str:
    """The term a word counts under: in an inflected language we read only by its words (Polish), its
    first STEM_LETTERS letters, so that the cases of one word are one term (Sołedar, Sołedaru; zboże,
    zboża); elsewhere the word itself."""
    if language in STEMMED:
        return word[:STEM_LETTERS]
    return _english_base(word) if language == "en" else word


def _english_base(word: str) -> str:
    """An English word without its inflection, when ENDING_STEM letters stay: -ies → -y; -es after x,
    ch, sh or ss (taxes, churches, classes; houses lose only their -s); -s (not -ss, -us, -is); -ing
    and -ed (a doubled final consonant undoubled: shelling stays shell, planned is plan)."""
    if word.endswith("ies") and len(word) > ENDING_STEM + 2:
        return word[:-3] + "y"
    if _SIBILANT_ES.search(word) and len(word) - 2 >= ENDING_STEM:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) - 1 >= ENDING_STEM:
        return word[:-1]
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= ENDING_STEM:
            base = word[: -len(ending)]
            return base[:-1] if base[-1] == base[-2] and base[-1] not in "lsz" else base
    return word


def _by_stem(counts: Counter, language: str) -> dict[str, float]:
    """Sublinear TF-IDF per term, a term weighing as its heaviest form (adding up the forms' counts
    instead cost precision on the real set: 0.947 → 0.941)."""
    weights: dict[str, float] = {}
    for word, n in counts.items():
        key, weight = term(word, language), (1 + math.log(n)) * idf(word, language)
        if weight > weights.get(key, 0.0):
            weights[key] = weight
    return weights


def normalized(weights: dict[str, float]) -> dict[str, float]:
    """The same direction at unit length."""
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: round(w / norm, 4) for t, w in weights.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit vectors (or of a unit vector and an un-normalised centroid, normalising it)."""
    if not a or not b:
        return 0.0
    norm = math.sqrt(sum(w * w for w in b.values()))
    return sum(w * b.get(t, 0.0) for t, w in a.items()) / norm if norm else 0.0


def add(centroid: dict[str, float], vec: dict[str, float]) -> dict[str, float]:
    """The sum of an item's article vectors, pruned to its heaviest terms (the centroid's direction)."""
    total = Counter(centroid)
    total.update(vec)
    return {t: round(w, 4) for t, w in total.most_common(CENTROID_TERMS)}


def decay(days: float, half_life: float = 2.0) -> float:
    """Time decay of text similarity (Miranda et al. 2018): news of one event comes close together."""
    return 0.5 ** (max(0.0, days) / half_life)


def local_discount(centroids: list[dict[str, float]], floor: int = 8) -> dict[str, float]:
    """Words common to many items of the same days say little about which item an article belongs
    to (the stream's own IDF, from the candidates at hand): a factor below 1 for each such word."""
    df = Counter(chain.from_iterable(centroids))
    n = max(floor, len(centroids))
    return {t: 1.0 - k / (n + 1) for t, k in df.items() if k > 1}


def weighted_cosine(a: dict[str, float], b: dict[str, float], discount: dict[str, float]) -> float:
    """Cosine of two vectors after the discount of common words."""
    if not a or not b:
        return 0.0
    wa = {t: w * discount.get(t, 1.0) for t, w in a.items()}
    na = math.sqrt(sum(w * w for w in wa.values()))
    nb = math.sqrt(sum((w * discount.get(t, 1.0)) ** 2 for t, w in b.items()))
    return sum(w * b.get(t, 0.0) * discount.get(t, 1.0) for t, w in wa.items()) / (na * nb) if na and nb else 0.0


class Query:
    """One article's side of weighted_cosine against each of its candidates' centroids, prepared once
    (its words discounted and their norm); cosine() gives weighted_cosine value for value. A cosine
    certainly below `floor` (with its scale) may come back as a bound under the floor instead: the
    centroid's norm over the words they share is a part of its whole norm, and needs no pass over
    the centroid's other words. For a caller that only compares the value with floor and up."""

    MARGIN = 1e-9  # relative: the bound is taken only clear of the floor, whatever the rounding

    def __init__(self, a: dict[str, float], discount: dict[str, float], floor: float = 0.0) -> None:
        self.discount, self.floor = discount, floor
        self.words = [(t, w * discount.get(t, 1.0), discount.get(t, 1.0)) for t, w in a.items()]
        self.norm = math.sqrt(sum(w * w for _, w, _ in self.words))

    def cosine(self, b: dict[str, float], scale: float = 1.0) -> float:
        """weighted_cosine(a, b, discount), or a bound under floor / scale when it is certainly below."""
        if not self.words or not b or not self.norm:
            return 0.0
        shared = [(w, b[t], d) for t, w, d in self.words if t in b]
        dot = sum(w * bt * d for w, bt, d in shared) + 0.0  # a word b lacks adds w * 0.0 * d: nothing
        if not dot:
            return 0.0
        part = math.sqrt(sum((bt * d) ** 2 for _, bt, d in shared))
        if part and dot / (self.norm * part) * scale < self.floor * (1 - self.MARGIN):
            return dot / (self.norm * part)
        discount = self.discount
        nb = math.sqrt(sum((w * discount.get(t, 1.0)) ** 2 for t, w in b.items()))
        return dot / (self.norm * nb) if nb else 0.0
