"""Pure: read articles → items. Which item an article joins is decided here, over plain data;
bot.items.stages does the reading and the storing.

Design. Grouping runs in two steps. (1) Candidates: cheap keys an item keeps per event day in an
indexed table (specific places, numbers with what they count, subjects, rare names, its heaviest
words, MinHash bands of the text within one language, the exact content hash), looked up for the
article's event days plus a small window, so the cost per article depends on how much news there is
around those days, not on how many items are stored. (2) A confirming score per candidate, on real
evidence only (the days and the facts beside the words: bot.items.evidence). The rules, in the
order score() applies them:
- A copy decides at once: the same content hash, or MinHash similarity of NEAR_COPY (syndication).
- Days (when): a day the article names must be within two days of the day most of the item's dated
  reports name; a report naming no day may come up to a week after the item's event. A day named
  more than two days before a report's publication is often background (the talks that began a
  week earlier): the report, or an item dated so, also fits by publication days, at STALE.
- Live blogs, round-ups and opinion pieces (bot.items.kinds) join nothing and nothing joins them but
  their copies.
- Within a language: TF-IDF cosine of the article with the item's centroid (Miranda et al. 2018), IDF
  from a general word-frequency list, words common to the candidate items of these days discounted
  (the stream's own IDF, at hand without a table), decayed by the days apart, scaled by how well the
  days fit, halved when each is about its own specific place (a namesake shares its words), or when
  the article names specific places none of the item's reports names while they commonly name
  another (places_apart: a visit to The Hague the day after one to Helsinki; with English word forms
  as one term, bot.items.textvec, real set BCubed P 0.952 → 0.957, R 0.806 → 0.807), and halved when
  the article is about one subject and most of the item's reports about another.
- Within a language besides the words: the same counted number (89 killed) on the item's main place
  and day, or in a report naming no day within the week after (same_language_facts).
- Across languages (cross_score), as JRC NewsExplorer links them, weighed against what the item's
  reports in the other languages name once it has OWN_REPORTS in the article's own (an English report
  does not join an English item on the word of its one Polish report):
  (1) the same specific place most of those reports are about (profile.leading: a place one report
      names beside the main one does not count; Kyiv and Moscow, which stand for their governments, are
      no place: evidence.SEATS) and the same event day, with one more fact: a rare name, a number,
      an actor or a subject; on the next day with two (the facts in full: evidence.cross_score);
  (2) a subject they share (bot/items/data/concepts.toml, our own war concepts in en/nl/pl, plus the
      reading's), with a name, number or actor on the same day, or two of them on the next day (a
      truce declared and then broken);
  (3) a report about one subject does not join on the next day an item mostly about another
      (subject_conflict: incendiary shells on Kherson, a truce broken near Bakhmut);
  (4) with neither a place nor a subject, two rare names and a number or a third name;
  (5) a short report (a title and a line) that names a subject and a name half of another language's
      reports carry, on their day (core_match), unless each is about its own specific place.
  The war's usual names (Putin, the Kremlin, Kyiv: anchors.generic_names) are no fact alone. For a
  language we do not read (Polish), places come through the gazetteer's many-language names, names as
  folded stems (Polish spellings folded: Władimir, Vladimir) and digits.
- A report joins its own language's best item when one fits; the facts across languages only decide
  when none does (Miranda et al.: a story per language, linked across), and never bring it into an
  item with OWN_REPORTS in its language whose words it meets less than half as well as a join needs:
  those reports say what the item is about (a visit to Berlin, a visit to Helsinki the day before;
  on the real set BCubed precision 0.947 → 0.952, cross-language pair recall within the English and
  Polish stream 0.630 → 0.635).
- An item is compared through its centroid and what a share of its reports name (bot.items.profile),
  never the union of everything it has seen; it stops growing at MAX_ARTICLES. Two items merge only
  when an article fits both strongly, their days meet and their words agree.

Rejected: overlap divided by the smaller set (one shared subject, "port", scored 1.0) and a weighted
sum in which a shared actor (Putin) and a near date passed the bar with no shared text or place: on
98 real English articles one item swallowed 26 articles of 19 events. Place-and-actor, place-and-name
and place-and-subject evidence within one language: on the real Dutch set it merged unrelated
stories (BCubed precision 0.99 → 0.72, and 0.95 with place-and-digits or place-and-subject), so within
a language the words decide, with one exception: the same counted number (89 killed) on the item's
main place and day. Stream document
frequencies kept in a table: state to migrate and to keep in step across processes, for what the
candidates' own centroids already say. Clustering all articles in batches (TF-IDF + agglomerative):
quality is good but the cost of every run grows with the archive, and item ids would change between
runs, breaking links and digests. Machine translation into one language before comparing: no MT
model can be had here, and names and numbers already carry across languages. Sentence embeddings: the
only offline model is English-only. Title-only matching: headlines of one event differ too much.
"""

from __future__ import annotations

import hashlib
import operator
import re
import struct
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from bot.items import textvec
from bot.items.evidence import DAY_WINDOW, MAIN_SHARE, cross_score, place_fit, subject_conflict, when
from bot.items.kinds import NEWS
from bot.items.profile import MAIN_WEIGHT, OWN_REPORTS, WIDE_PLACES, Profile

__all__ = ["Decision", "Features", "Profile", "decide", "score", "signature"]

SIGNATURE_SIZE = 32
BANDS, ROWS = 8, 4
MAX_ARTICLES = 150  # an item never grows past this: a runaway merge stops here
LAG_DAYS = 7  # a report that names no day may come up to a week after the event
JOIN_SCORE = 0.30
MERGE_SCORE = 0.6
NEAR_COPY = 0.8
TERM_KEYS = 6  # an article is found by its heaviest words too: news without a place has a subject
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
    terms: tuple[tuple[str, float], ...] = ()  # the TF-IDF vector of its words (bot.items.textvec)
    names: tuple[str, ...] = ()  # stems of the rare names it mentions (bot.items.anchors)
    figures: tuple[float, ...] = ()  # numbers written in digits
    kind: str = NEWS  # news, digest or opinion (bot.items.kinds)

    def main_places(self) -> set[str]:
        """The specific places the article is about (headline, or named more than once)."""
        return {p for p, w in self.places if w >= MAIN_WEIGHT and p not in WIDE_PLACES}

    def keys(self) -> list[str]:
        """The candidate keys this article looks items up by (a digest or opinion piece: only its copies)."""
        keys = [f"h:{self.content_hash}"]
        if self.kind != NEWS:
            return keys
        keys += [f"p:{p}" for p, _ in self.places if p not in WIDE_PLACES]
        keys += [f"n:{v:g}:{c}" for v, c in self.numbers]
        keys += [f"c:{c}" for c in self.concepts]
        keys += [f"m:{n}" for n in self.names[:12]]
        if self.language:
            heavy = sorted(self.terms, key=lambda t: -t[1])[:TERM_KEYS]
            keys += [f"t:{self.language}:{t[:60]}" for t, _ in heavy]
            if self.signature:
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
                "regions": [list(r) for r in self.regions], "terms": [list(t) for t in self.terms],
                "names": list(self.names), "figures": list(self.figures), "kind": self.kind}


def shingles(text: str, size: int = 3) -> set[int]:
    """Hashed word trigrams of a text, lower-cased."""
    words = _WORD.findall(text.lower())
    grams = (" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))
    return {struct.unpack("<Q", hashlib.blake2b(g.encode(), digest_size=8).digest())[0] for g in grams if g}


def signature(text: str) -> tuple[int, ...]:
    """A MinHash signature: SIGNATURE_SIZE minima of seeded hash permutations, min((g * seed + i) & _MASK)
    over the shingles g. In numpy: uint64 arithmetic wraps modulo 2**64, of which the low 61 bits the
    mask keeps are those of the exact product (value for value the same; 3.8 -> 1.0 ms a long text)."""
    import numpy  # here: a pass with nothing to group never loads it

    grams = shingles(text)
    if not grams:
        return ()
    hashed = numpy.fromiter(grams, dtype=numpy.uint64, count=len(grams))
    seeds, offsets, mask = _seed_arrays()
    permuted = (numpy.multiply.outer(hashed, seeds) + offsets) & mask
    return tuple(int(v) for v in permuted.min(axis=0))


@lru_cache(maxsize=1)
def _seed_arrays():
    """The seeds, their offsets and the mask as numpy values, made once (signature() runs per article)."""
    import numpy

    return (numpy.array(_SEEDS, dtype=numpy.uint64), numpy.arange(len(_SEEDS), dtype=numpy.uint64),
            numpy.uint64(_MASK))


def bands(sig: tuple[int, ...] | list[int]) -> list[str]:
    """LSH bands of a signature: texts sharing any band are likely similar."""
    return [hashlib.blake2b(str(sig[b * ROWS : (b + 1) * ROWS]).encode(), digest_size=6).hexdigest() for b in range(BANDS)]


def similarity(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> float:
    """Estimated Jaccard similarity of two texts from their signatures."""
    if not a or not b:
        return 0.0
    return sum(map(operator.eq, a, b)) / len(a)  # zip's pairs, counted without a generator


def text_score(features: Features, profile: Profile, discount: dict[str, float] | None = None,
               query: textvec.Query | None = None) -> float:
    """Cosine of the article's words with the item's centroid in its language (words common to the
    items of these days discounted), decayed by the time apart (query: the article's side, prepared
    once for all its candidates)."""
    centroid = profile.centroid.get(features.language or "")
    if not centroid or not features.terms:
        return 0.0
    apart = max(0, (features.published - profile.last).days, (profile.first - features.published).days)
    if query is not None:
        fade = textvec.decay(apart)
        return query.cosine(centroid, fade) * fade
    return textvec.weighted_cosine(dict(features.terms), centroid, discount or {}) * textvec.decay(apart)


def score(features: Features, profile: Profile, discount: dict[str, float] | None = None) -> float:
    """How well an article fits an item, from 0 to about 1: real evidence only."""
    return max(scores(features, profile, discount))


def scores(features: Features, profile: Profile, discount: dict[str, float] | None = None,
           query: textvec.Query | None = None) -> tuple[float, float]:
    """(within, across): how well an article fits an item by its own language's words (a copy: 1.0),
    and by the facts the item's reports in other languages name. With decide's query, a `within`
    below JOIN_SCORE / 2 may be a bound under it (decide compares it with that and up only)."""
    if features.content_hash in profile.hashes:
        return 1.0, 0.0
    text = max((similarity(features.signature, s) for s in profile.signatures.get(features.language or "", [])),
               default=0.0)
    if text >= NEAR_COPY:
        return 1.0, 0.0
    days = when(features, profile)
    if days is None or features.kind != NEWS:
        return 0.0, 0.0
    within = text_score(features, profile, discount, query) * (0.6 + 0.4 * days) * places_apart(features, profile)
    if subject_conflict(features, profile):  # incendiary shells on Kherson named in a report of the truce
        within *= 0.5
    if within < JOIN_SCORE / 2 and profile.languages[features.language] >= OWN_REPORTS:
        return within, 0.0  # its own language's reports are there to read: their words disagree
    return within, cross_score(features, profile, days)


def places_apart(features: Features, profile: Profile) -> float:
    """Half, when the article and the item are about places apart (evidence.place_fit, on the places
    each is about), or when the article names specific places none of the item's reports names while
    those reports commonly name another it does not: a visit to The Hague the day after one to
    Helsinki shares the visitor and the words of a visit, not the event."""
    fit = place_fit(features, profile)
    if fit < 1.0:
        return fit
    mine = {s for s, _ in features.places if s not in WIDE_PLACES}
    theirs = {s for s, w in profile.places.items() if s not in WIDE_PLACES and w >= MAIN_SHARE * profile.articles}
    return 0.5 if mine and theirs and not mine & set(profile.places) else 1.0


@dataclass(frozen=True, slots=True)
class Decision:
    """Where an article goes: a new item, one item, or one item after merging others into it."""

    join: int | None
    merge: tuple[int, ...] = ()


def decide(features: Features, candidates: dict[int, Profile]) -> Decision:
    """The item an article joins (None: a new one), and the items its arrival shows to be one."""
    discount = textvec.local_discount([p.centroid.get(features.language or "", {}) for p in candidates.values()])
    query = textvec.Query(dict(features.terms), discount, JOIN_SCORE / 2)
    both = {item: scores(features, p, discount, query) for item, p in candidates.items()}
    open_items = [item for item in candidates if candidates[item].articles < MAX_ARTICLES]
    # Its own language's words first (Miranda et al.: a report joins the story of its language); the
    # facts across languages only when no item of its language fits.
    fitting = sorted(((both[i][0], i) for i in open_items if both[i][0] >= JOIN_SCORE), reverse=True) or \
        sorted(((both[i][1], i) for i in open_items if both[i][1] >= JOIN_SCORE), reverse=True)
    if not fitting:
        return Decision(None)
    best_score, best = fitting[0]
    merge = tuple(item for s, item in fitting[1:] if s >= MERGE_SCORE and best_score >= MERGE_SCORE
                  and _compatible(candidates[best], candidates[item]))
    return Decision(best, merge)


def _compatible(a: Profile, b: Profile) -> bool:
    """Two items are one only if their days meet and their words agree in a language both have."""
    if a.articles + b.articles > MAX_ARTICLES:
        return False
    (a_first, a_last), (b_first, b_last) = a.event_days(), b.event_days()
    overlap = a_first <= b_last + timedelta(days=1) and b_first <= a_last + timedelta(days=1)
    words = max((textvec.cosine(textvec.normalized(a.centroid[lang]), b.centroid[lang])
                 for lang in set(a.centroid) & set(b.centroid)), default=0.0)
    return overlap and words >= MERGE_SCORE
