"""Pure: read articles → items. Which item an article joins is decided here, over plain data;
bot.items.stages does the reading and the storing.

Design. Grouping runs in two steps. (1) Candidates: cheap keys an item keeps per event day in an
indexed table (specific places, numbers with what they count, actors, MinHash bands of the text
within one language, the exact content hash), looked up for the article's event days plus a small
window, so the cost per article depends on how much news there is around those days, not on how many
items are stored. (2) A confirming score per candidate: text similarity within a language (MinHash
estimate of word-trigram Jaccard) plus signals that cross languages the way JRC NewsExplorer links
them (shared places, numbers, actors) and the distance between event days; a near-identical text or
the same content hash decides at once (syndicated copies). An article that clears the bar for two
items merges them, if both are about the same days and places and the merged item stays under the cap.

Rejected: clustering all articles in batches (TF-IDF + agglomerative): quality is good but the cost of
every run grows with the archive, and item ids would change between runs, breaking links and digests.
Machine translation into one language before comparing: no MT model can be had here, and names and
numbers already carry across languages. Sentence embeddings: the only offline model is English-only.
Title-only matching: headlines of one event differ too much across outlets and languages.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

SIGNATURE_SIZE = 32
BANDS, ROWS = 8, 4
MAX_ARTICLES = 150  # an item never grows past this: a runaway merge stops here
MAX_SIGNATURES = 4
DAY_WINDOW = 2
LAG_DAYS = 7  # a report that names no day may come up to a week after the event
JOIN_SCORE = 0.30
MERGE_SCORE = 0.6
NEAR_COPY = 0.8
# Places too wide to say which event an article is about.
WIDE_PLACES = frozenset({"ukraine", "russia", "belarus", "black_sea", "sea_of_azov", "donbas", "crimea"})
_WORD = re.compile(r"\w+", re.UNICODE)
_MASK = (1 << 61) - 1
_SEEDS = [int.from_bytes(hashlib.blake2b(f"frontbrief-{i}".encode(), digest_size=8).digest(), "big") | 1
          for i in range(SIGNATURE_SIZE)]


@dataclass(frozen=True, slots=True)
class Features:
    """What grouping needs of one read article."""

    article_id: int
    language: str | None
    published: date
    first: date
    last: date
    explicit_dates: bool
    places: tuple[tuple[str, int], ...]  # slug and how much the article is about it
    numbers: tuple[tuple[float, str], ...]
    actors: tuple[str, ...]
    signature: tuple[int, ...]
    content_hash: str
    concepts: tuple[str, ...] = ()
    regions: tuple[tuple[str, str], ...] = ()  # (place, the region that contains it)

    def keys(self) -> list[str]:
        """The candidate keys this article looks items up by."""
        keys = [f"p:{p}" for p, _ in self.places if p not in WIDE_PLACES]
        keys += [f"n:{v:g}:{c}" for v, c in self.numbers]
        keys += [f"c:{c}" for c in self.concepts]
        keys += [f"h:{self.content_hash}"]
        if self.signature and self.language:
            keys += [f"b:{self.language}:{b}:{band}" for b, band in enumerate(bands(self.signature))]
        return keys

    def lookup_days(self) -> tuple[date, date]:
        """The days to look for items on: around a named day, or the week before publication."""
        window = timedelta(days=DAY_WINDOW)
        if self.explicit_dates:
            return self.first - window, max(self.last, self.published) + window
        return self.published - timedelta(days=LAG_DAYS), self.published + window

    def key_days(self) -> list[date]:
        """The days an item keeps this article's keys on: the event days and the publication day."""
        days = {self.first + timedelta(days=n) for n in range(min((self.last - self.first).days, 6) + 1)}
        return sorted(days | {self.published})

    def as_dict(self) -> dict:
        """JSON-ready form, kept on the article."""
        return {"language": self.language, "published": self.published.isoformat(), "first": self.first.isoformat(),
                "last": self.last.isoformat(), "explicit_dates": self.explicit_dates, "places": [list(p) for p in self.places],
                "numbers": [list(n) for n in self.numbers], "actors": list(self.actors),
                "signature": list(self.signature), "content_hash": self.content_hash, "concepts": list(self.concepts),
                "regions": [list(r) for r in self.regions]}


@dataclass(slots=True)
class Profile:
    """What an item remembers of its articles, enough to score a newcomer and to merge."""

    first: date  # the earliest and latest day its articles were published
    last: date
    articles: int = 0
    days: Counter = field(default_factory=Counter)  # event days its articles name
    places: Counter = field(default_factory=Counter)
    numbers: set = field(default_factory=set)
    actors: set = field(default_factory=set)
    signatures: dict = field(default_factory=dict)
    hashes: set = field(default_factory=set)
    concepts: set = field(default_factory=set)
    regions: dict = field(default_factory=dict)

    @classmethod
    def new(cls, features: Features) -> Profile:
        """The profile of an item made from one article."""
        profile = cls(features.published, features.published)
        profile.add(features)
        return profile

    def add(self, features: Features) -> None:
        """Take an article in."""
        self.first, self.last = min(self.first, features.published), max(self.last, features.published)
        self.articles += 1
        if features.explicit_dates:
            self.days[features.first] += 1
        for slug, weight in features.places:
            self.places[slug] += weight
        self.numbers.update(features.numbers)
        self.actors.update(features.actors)
        if features.language and features.signature:
            kept = self.signatures.setdefault(features.language, [])
            if len(kept) < MAX_SIGNATURES:
                kept.append(list(features.signature))
        self.hashes.add(features.content_hash)
        self.concepts.update(features.concepts)
        self.regions.update(features.regions)

    def absorb(self, other: Profile) -> None:
        """Take in another item's profile (a merge)."""
        self.first, self.last = min(self.first, other.first), max(self.last, other.last)
        self.articles += other.articles
        self.days.update(other.days)
        self.places.update(other.places)
        self.numbers |= other.numbers
        self.actors |= other.actors
        for lang, sigs in other.signatures.items():
            kept = self.signatures.setdefault(lang, [])
            kept.extend(sigs[: max(0, MAX_SIGNATURES - len(kept))])
        self.hashes |= other.hashes
        self.concepts |= other.concepts
        self.regions.update(other.regions)

    def event_days(self) -> tuple[date, date]:
        """The days the item is about: those its articles name, else those they were published."""
        if self.days:
            return min(self.days), max(self.days)
        return self.first, self.last

    def to_dict(self) -> dict:
        """JSON-ready form, kept on the item."""
        return {"first": self.first.isoformat(), "last": self.last.isoformat(), "articles": self.articles,
                "days": {d.isoformat(): n for d, n in self.days.items()}, "places": dict(self.places),
                "numbers": [list(n) for n in sorted(self.numbers)], "actors": sorted(self.actors),
                "signatures": self.signatures, "hashes": sorted(self.hashes)[:50], "concepts": sorted(self.concepts),
                "regions": self.regions}

    @classmethod
    def from_dict(cls, data: dict) -> Profile:
        """Back from JSON."""
        return cls(date.fromisoformat(data["first"]), date.fromisoformat(data["last"]), data["articles"],
                   Counter({date.fromisoformat(d): n for d, n in data.get("days", {}).items()}),
                   Counter(data["places"]), {tuple(n) for n in data["numbers"]}, set(data["actors"]),
                   {k: [list(s) for s in v] for k, v in data["signatures"].items()}, set(data["hashes"]),
                   set(data.get("concepts", ())), dict(data.get("regions", {})))


def shingles(text: str, size: int = 3) -> set[int]:
    """Hashed word trigrams of a text, lower-cased."""
    words = _WORD.findall(text.lower())
    grams = (" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))
    return {struct.unpack("<Q", hashlib.blake2b(g.encode(), digest_size=8).digest())[0] for g in grams if g}


def signature(text: str) -> tuple[int, ...]:
    """A MinHash signature: SIGNATURE_SIZE minima of seeded hash permutations."""
    grams = shingles(text)
    if not grams:
        return ()
    return tuple(min(((g * seed) + i) & _MASK for g in grams) for i, seed in enumerate(_SEEDS))


def bands(sig: tuple[int, ...] | list[int]) -> list[str]:
    """LSH bands of a signature: texts sharing any band are likely similar."""
    return [hashlib.blake2b(str(sig[b * ROWS : (b + 1) * ROWS]).encode(), digest_size=6).hexdigest() for b in range(BANDS)]


def similarity(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> float:
    """Estimated Jaccard similarity of two texts from their signatures."""
    if not a or not b:
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / len(a)


def when(features: Features, profile: Profile) -> float | None:
    """How well the article's days fit the item's, 0..1; None when they rule the item out.

    A day the article names must be near a day the item's articles name ("two strikes on one city
    on different days" stay apart). An article that names no day was published on or after its
    event: it fits an item whose event lies up to a week before its publication."""
    if features.explicit_dates and profile.days:
        gap = min(abs((features.first - d).days) for d in profile.days)
        return {0: 1.0, 1: 0.6, 2: 0.2}.get(gap)
    first, last = profile.event_days()
    lag = (features.published - last).days if features.published >= last else (features.first - first).days
    if features.explicit_dates:  # the item's articles name no day: compare with their publication days
        gap = 0 if first <= features.first <= last else min(abs((features.first - first).days), abs((features.first - last).days))
        return {0: 1.0, 1: 0.7, 2: 0.4}.get(gap, 0.1 if gap <= 5 else None)
    if lag < -1:
        return None  # published before the event it would report
    return 1.0 if lag <= 1 else 0.5 if lag <= 3 else 0.2 if lag <= 7 else None


def place_overlap(features: Features, profile: Profile) -> float:
    """Weighted overlap of the specific places: 1 when the smaller side's places all lie in the other.
    A place and the region that contains it (Sudzha, Kursk Oblast) count half."""
    mine = {s: w for s, w in features.places if s not in WIDE_PLACES}
    theirs = {s: w / profile.articles for s, w in profile.places.items() if s not in WIDE_PLACES}
    if not mine or not theirs:
        return 0.0
    my_regions = dict(features.regions)
    their_regions = {region for region in profile.regions.values()}
    shared = 0.0
    for slug, weight in mine.items():
        if slug in theirs:
            shared += min(weight, theirs[slug])
        elif my_regions.get(slug) in theirs or slug in their_regions:
            shared += 0.5 * weight
    # Halfway between "all of the smaller side is shared" and "all of both": a story about Soledar
    # is not fully the story about Bakhmut and Soledar.
    small, large = sorted((sum(mine.values()), sum(theirs.values())))
    return min(1.0, (shared / small + shared / large) / 2)


def _share(mine: set | tuple, theirs: set) -> float:
    mine, theirs = set(mine), set(theirs)
    return len(mine & theirs) / min(len(mine), len(theirs)) if mine and theirs else 0.0


def score(features: Features, profile: Profile) -> float:
    """How well an article fits an item, from 0 to about 1."""
    if features.content_hash in profile.hashes:
        return 1.0
    text = max((similarity(features.signature, s) for s in profile.signatures.get(features.language or "", [])),
               default=0.0)
    if text >= NEAR_COPY:
        return 1.0
    days = when(features, profile)
    if days is None:
        return 0.0
    places = place_overlap(features, profile)
    concepts = _share(features.concepts, profile.concepts)
    numbers = _share(features.numbers, profile.numbers)
    actors = _share(features.actors, profile.actors)
    if days <= 0.2 and not (concepts or numbers or text >= 0.3):
        return 0.0  # a week later, only the same subject, numbers or words make it the same story
    # What an event is about: where it happened, or, for news without a shared place, its subject.
    about = max(places, 0.8 * concepts)
    clash = 0.1 if features.concepts and profile.concepts and not concepts else 0.0
    return (0.40 * text + 0.30 * about + 0.15 * numbers + 0.05 * actors + 0.10 * days
            + (0.1 if text >= 0.4 else 0) - clash)


@dataclass(frozen=True, slots=True)
class Decision:
    """Where an article goes: a new item, one item, or one item after merging others into it."""

    join: int | None
    merge: tuple[int, ...] = ()


def decide(features: Features, candidates: dict[int, Profile]) -> Decision:
    """The item an article joins (None: a new one), and the items its arrival shows to be one."""
    scored = sorted(((score(features, p), item) for item, p in candidates.items()), reverse=True)
    fitting = [(s, item) for s, item in scored if s >= JOIN_SCORE and candidates[item].articles < MAX_ARTICLES]
    if not fitting:
        return Decision(None)
    best_score, best = fitting[0]
    merge = tuple(item for s, item in fitting[1:] if s >= MERGE_SCORE and best_score >= MERGE_SCORE
                  and _compatible(candidates[best], candidates[item]))
    return Decision(best, merge)


def _compatible(a: Profile, b: Profile) -> bool:
    if a.articles + b.articles > MAX_ARTICLES:
        return False
    (a_first, a_last), (b_first, b_last) = a.event_days(), b.event_days()
    overlap = a_first <= b_last + timedelta(days=1) and b_first <= a_last + timedelta(days=1)
    shared = {p for p in a.places if p not in WIDE_PLACES} & {p for p in b.places if p not in WIDE_PLACES}
    return overlap and bool(shared or a.concepts & b.concepts)
