"""Pure: what an item remembers of its reports, kept as counts, so that what the item is about
(its words, main place, event day, names and numbers) is what most of its reports say, and a big item
does not attract everything by having seen everything."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from bot.items import textvec

MAX_SIGNATURES = 4
OWN_REPORTS = 3  # an item with this many reports in an article's language is judged by their words
MAIN_WEIGHT = 2  # a place in the headline, or named twice: the article is about it
WIDE_PLACES = frozenset({"ukraine", "russia", "belarus", "black_sea", "sea_of_azov", "donbas", "crimea"})


def common(counts: Counter, reports: int, share: float = 0.3) -> set:
    """What at least a share of an item's reports name (at least one report)."""
    floor = max(1.0, share * reports)
    return {k for k, n in counts.items() if n >= floor}


def leading(counts: Counter, reports: int, share: float = 0.3) -> set:
    """What a share of the reports name and at least half as often as the commonest: a place one
    report of Bakhmut names beside it (Soledar) is not what the item is about."""
    kept = common(counts, reports, share)
    top = max((counts[k] for k in kept), default=0)
    return {k for k in kept if 2 * counts[k] >= top}


@dataclass(slots=True)
class Profile:
    """An item's reports, summed: enough to score a newcomer and to merge."""

    first: date  # the earliest and latest day its articles were published
    last: date
    articles: int = 0
    days: Counter = field(default_factory=Counter)  # event days its articles name
    places: Counter = field(default_factory=Counter)  # place weights, summed
    numbers: Counter = field(default_factory=Counter)
    actors: Counter = field(default_factory=Counter)
    signatures: dict = field(default_factory=dict)
    hashes: set = field(default_factory=set)
    concepts: Counter = field(default_factory=Counter)
    regions: dict = field(default_factory=dict)
    centroid: dict = field(default_factory=dict)  # language → summed TF-IDF vector
    languages: Counter = field(default_factory=Counter)
    main_places: Counter = field(default_factory=Counter)  # reports whose main place it is
    names: Counter = field(default_factory=Counter)
    figures: Counter = field(default_factory=Counter)
    parts: dict = field(default_factory=dict)  # language → what its reports name (PART_FIELDS), as counts

    @classmethod
    def new(cls, features) -> Profile:
        """The profile of an item made from one article."""
        profile = cls(features.published, features.published)
        profile.add(features)
        return profile

    def add(self, f) -> None:
        """Take an article in."""
        self.first, self.last = min(self.first, f.published), max(self.last, f.published)
        self.articles += 1
        if f.explicit_dates:
            self.days[f.first] += 1
        for slug, weight in f.places:
            self.places[slug] += weight
        self.main_places.update(f.main_places())
        self.numbers.update(set(f.numbers))
        self.actors.update(set(f.actors))
        self.concepts.update(set(f.concepts))
        self.names.update(set(f.names))
        self.figures.update(set(f.figures))
        self.regions.update(f.regions)
        self.hashes.add(f.content_hash)
        if f.language:
            self.languages[f.language] += 1
            part = self.parts.setdefault(f.language, {name: Counter() for name in PART_FIELDS})
            for name, values in (("main_places", f.main_places()), ("names", f.names), ("figures", f.figures),
                                 ("actors", f.actors), ("concepts", f.concepts), ("numbers", f.numbers)):
                part[name].update(set(values))
            if f.terms:
                self.centroid[f.language] = textvec.add(self.centroid.get(f.language, {}), dict(f.terms))
            kept = self.signatures.setdefault(f.language, [])
            if f.signature and len(kept) < MAX_SIGNATURES:
                kept.append(list(f.signature))

    def absorb(self, other: Profile) -> None:
        """Take in another item's profile (a merge)."""
        self.first, self.last = min(self.first, other.first), max(self.last, other.last)
        self.articles += other.articles
        for name in ("days", "places", "numbers", "actors", "concepts", "languages", "main_places", "names", "figures"):
            getattr(self, name).update(getattr(other, name))
        for lang, sigs in other.signatures.items():
            kept = self.signatures.setdefault(lang, [])
            kept.extend(sigs[: max(0, MAX_SIGNATURES - len(kept))])
        for lang, vec in other.centroid.items():
            self.centroid[lang] = textvec.add(self.centroid.get(lang, {}), vec)
        self.hashes |= other.hashes
        self.regions.update(other.regions)
        for lang, part in other.parts.items():
            mine = self.parts.setdefault(lang, {name: Counter() for name in PART_FIELDS})
            for name in PART_FIELDS:
                mine[name].update(part[name])

    def others(self, language: str | None) -> Profile:
        """What the item's reports in other languages than this one name, once it has a few in this one
        (evidence across languages is weighed against them alone: an English report does not join an
        English item on the word of its one Polish report; its own language's words decide there).
        An item with fewer, or kept before parts were: the whole item."""
        if not self.parts or self.languages[language] < OWN_REPORTS:
            return self
        view = Profile(self.first, self.last, days=self.days, regions=self.regions, centroid=self.centroid)
        for lang, part in self.parts.items():
            if lang != language:
                view.articles += self.languages[lang]
                view.languages[lang] = self.languages[lang]
                for name in PART_FIELDS:
                    getattr(view, name).update(part[name])
        return view

    def event_days(self) -> tuple[date, date]:
        """The days most of its dated reports name (at least half as many as the commonest day),
        else the days its articles were published: one report's background date does not move it."""
        if self.days:
            top = max(self.days.values())
            kept = [d for d, n in self.days.items() if 2 * n >= top]
            return min(kept), max(kept)
        return self.first, self.last

    def main_place(self) -> str | None:
        """The place most of its reports are about (then the most named), not one named in passing."""
        ranked = sorted(self.places, key=lambda s: (-self.main_places[s], -self.places[s], s))
        specific = [s for s in ranked if s not in WIDE_PLACES]
        return (specific or ranked or [None])[0]

    def to_dict(self) -> dict:
        """JSON-ready form, kept on the item: every part bounded (what a share of its reports name is
        among the commonest kept) and in one order whatever the order its counts were made in."""
        return {"first": self.first.isoformat(), "last": self.last.isoformat(), "articles": self.articles,
                "days": {d.isoformat(): n for d, n in sorted(self.days.items())}, "places": _sorted(self.places),
                "numbers": [[*n, c] for n, c in sorted(top(self.numbers, KEEP))], "actors": _sorted(self.actors),
                "signatures": self.signatures, "hashes": sorted(self.hashes)[:50], "concepts": _sorted(self.concepts),
                "regions": _sorted(self.regions), "centroid": self.centroid, "languages": _sorted(self.languages),
                "main_places": _sorted(self.main_places), "names": dict(top(self.names, KEEP)),
                "figures": {f"{v:g}": c for v, c in top(self.figures, KEEP)},
                "parts": {lang: _part_dict(part) for lang, part in sorted(self.parts.items())}}

    @classmethod
    def from_dict(cls, data: dict) -> Profile:
        """Back from JSON (profiles stored before counts were kept read as one report each)."""
        def counts(value) -> Counter:
            return Counter(value) if isinstance(value, dict) else Counter({v: 1 for v in value or ()})

        numbers = Counter({(n[0], n[1]): (n[2] if len(n) > 2 else 1) for n in data.get("numbers", ())})
        return cls(date.fromisoformat(data["first"]), date.fromisoformat(data["last"]), data["articles"],
                   Counter({date.fromisoformat(d): n for d, n in data.get("days", {}).items()}),
                   Counter(data["places"]), numbers, counts(data.get("actors")),
                   {k: [list(s) for s in v] for k, v in data.get("signatures", {}).items()}, set(data.get("hashes", ())),
                   counts(data.get("concepts")), dict(data.get("regions", {})), dict(data.get("centroid", {})),
                   Counter(data.get("languages", {})), Counter(data.get("main_places", {})),
                   Counter(data.get("names", {})), Counter({float(v): c for v, c in data.get("figures", {}).items()}),
                   {lang: _part_of(part) for lang, part in data.get("parts", {}).items()})


PART_FIELDS = ("main_places", "names", "figures", "actors", "concepts", "numbers")
KEEP = 60  # the commonest names, figures and counted numbers an item keeps (a share of its reports name them)
PART_KEEP = 40  # the commonest of each, per language: what a share of its reports name is among them


def top(counts: Counter, keep: int) -> list[tuple]:
    """The `keep` commonest, ties by value: the same whatever order the counts were made in (a set's
    order changes with PYTHONHASHSEED, and most_common keeps the first of equal counts)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]


def _sorted(counts: dict) -> dict:
    return dict(sorted(counts.items()))


def _part_dict(part: dict) -> dict:
    out = {name: dict(top(part[name], PART_KEEP)) for name in ("main_places", "names", "actors", "concepts")}
    out["figures"] = {f"{v:g}": c for v, c in top(part["figures"], PART_KEEP)}
    out["numbers"] = [[*n, c] for n, c in top(part["numbers"], PART_KEEP)]
    return out


def _part_of(data: dict) -> dict:
    part = {name: Counter(data.get(name, {})) for name in ("main_places", "names", "actors", "concepts")}
    part["figures"] = Counter({float(v): c for v, c in data.get("figures", {}).items()})
    part["numbers"] = Counter({(n[0], n[1]): n[2] for n in data.get("numbers", ())})
    return part
