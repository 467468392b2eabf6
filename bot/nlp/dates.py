"""Dates: absolute ("8 januari", "January 8, 2023", "8/1", "2023-01-08"), weekdays ("zondag",
"on Sunday") and relative expressions ("gisteren", "afgelopen nacht", "earlier this month",
"rond de jaarwisseling"), each resolved against the publication date into a first and last day."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import lru_cache, wraps
from typing import TypeVar

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlp.lexicon import lexicon
from bot.nlp.model import DateMention, text_of

FUTURE_SLACK = timedelta(days=30)
DIGITS = re.compile(r"\d+")
MONTH_FIRST = 2  # the pattern of "January 8": it starts at the month's name, the others at a digit
R = TypeVar("R")


def total(resolve: Callable[..., R]) -> Callable[..., R | None]:
    """A resolver that answers None, instead of raising, for a day the calendar does not hold: a
    publication date near 0001-01-01 or 9999-12-31 puts "yesterday" or "last December" out of range,
    and one such article must not stop reading (every resolver goes through this one guard)."""
    @wraps(resolve)
    def guarded(*args: object) -> R | None:
        try:
            return resolve(*args)
        except (OverflowError, ValueError):
            return None

    return guarded


def anchor(name: str | int, published: date) -> date:
    """A day offset or a named anchor ("month_start", "new_year_eve"…) as a date."""
    if isinstance(name, int):
        return published + timedelta(days=name)
    month_start = published.replace(day=1)
    # "Around new year" near January means the one just past; late in December, the coming one.
    year = published.year if published.month <= 6 else published.year + 1
    anchors = {
        "month_start": month_start,
        "last_month_end": month_start - timedelta(days=1),
        "last_month_start": (month_start - timedelta(days=1)).replace(day=1),
        "new_year": date(year, 1, 1),
        "new_year_eve": date(year - 1, 12, 31),
    }
    return anchors[name]


@total
def resolve_relative(value: int | list, published: date) -> tuple[date, date]:
    """The days a relative expression from the lexicon names (None beyond the calendar)."""
    if isinstance(value, list):
        return anchor(value[0], published), anchor(value[1], published)
    day = anchor(value, published)
    return day, day


@total
def resolve_weekday(weekday: int, published: date) -> date:
    """The most recent such weekday, the publication day included (None beyond the calendar)."""
    return published - timedelta(days=(published.weekday() - weekday) % 7)


@total
def resolve_day_month(day: int, month: int, year: int | None, published: date) -> date | None:
    """A day and month, in the publication's year unless that lies well after publication (None for
    no such day)."""
    when = date(year or published.year, month, day)
    if year is None and when > published + FUTURE_SLACK:
        when = when.replace(year=when.year - 1)
    return when


def _tried_at(pattern: re.Pattern, text: str, starts: list[int]) -> Iterator[re.Match]:
    """What pattern.finditer(text) finds, for a pattern that can match only where `starts` (ascending)
    says: a match is tried at those places alone, never at every character of a long text."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            yield match
            end = match.end()


class DateFinder:
    """Finds date expressions and resolves them against doc._.published."""

    def __init__(self, nlp: Language) -> None:
        words = lexicon(nlp.lang)
        self.months = words.table("months")
        self.weekdays = words.table("weekdays")
        self.relative = words.table("relative")
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for phrase in list(self.relative) + list(self.weekdays):
            self.matcher.add(phrase, [nlp.make_doc(phrase)])
        month = "|".join(sorted(map(re.escape, self.months), key=len, reverse=True))
        # Every pattern's match holds a digit; the month-first one starts at a month name that stands
        # before the day's digits (read by _month_starts), every other one at the first digit of a run.
        self.month_keys = {m.lower() for m in self.months} if all(m.isascii() for m in self.months) else None
        self.month_lengths = sorted({len(m) for m in self.months})
        self.patterns = [
            re.compile(r"\b(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
            re.compile(rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th|e|ste)?\.?\s+(?:of\s+)?(?P<mn>{month})\b\.?(?:,?\s+(?P<y>(?:19|20)\d\d))?", re.I),
            re.compile(rf"\b(?P<mn>{month})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d))?", re.I),
            re.compile(r"(?<![\d/.\-])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:/(?P<y>(?:20)?\d\d))?(?![\d/\-])"),
            re.compile(r"(?<![\d/.\-])(?P<d>[0-3]?\d)-(?P<m>[01]?\d)-(?P<y>20\d\d)(?![\d/\-])"),
        ]

    def __call__(self, doc: Doc) -> Doc:
        """Set doc._.dates (empty without doc._.published)."""
        published = doc._.published
        if published is None:
            doc._.dates = []
            return doc
        found = self._absolute(doc, published) + self._phrases(doc, published)
        taken: set[int] = set()
        dates = []
        for mention in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
            if not taken.intersection(range(mention.start, mention.end)):
                dates.append(mention)
                taken.update(range(mention.start, mention.end))
        doc._.dates = sorted(dates, key=lambda m: m.start)
        return doc

    def _absolute(self, doc: Doc, published: date) -> list[DateMention]:
        found, text = [], text_of(doc)
        runs = [m.start() for m in DIGITS.finditer(text)]
        for k, pattern in enumerate(self.patterns):
            if self.month_keys is None:
                matches = pattern.finditer(text)  # a month name in letters whose case rules re and str.lower() may not share
            else:
                matches = _tried_at(pattern, text, self._month_starts(text, runs) if k == MONTH_FIRST else runs)
            for match in matches:
                when = self._date(match, published)
                span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
                if when and span is not None:
                    found.append(DateMention(span.start, span.end, span.text, when, when))
        return found

    def _month_starts(self, text: str, runs: list[int]) -> list[int]:
        """Where a month name ends right before white space and a run of digits ("January 8", "jan. 8"):
        the only places the month-first pattern can match."""
        starts = set()
        for digit in runs:
            space = digit
            while space > 0 and text[space - 1].isspace():
                space -= 1
            if space == digit:
                continue  # the pattern has white space between the month and the day
            for end in ((space, space - 1) if text[space - 1 : space] == "." else (space,)):
                # a letter outside ASCII may fold to a month's letter under re.I ("ſ"): left to the pattern
                starts.update(end - size for size in self.month_lengths if size <= end and (
                    (chunk := text[end - size : end]).lower() in self.month_keys or not chunk.isascii()))
        return sorted(starts)

    def _date(self, match: re.Match, published: date) -> date | None:
        parts = match.groupdict()
        year = int(parts["y"]) if parts.get("y") else None
        if year is not None and year < 100:
            year += 2000
        day = int(parts["d"])
        if parts.get("mn"):
            return resolve_day_month(day, self.months[parts["mn"].lower().rstrip(".")], year, published)
        month = int(parts["m"])
        return resolve_day_month(day, month, year, published) or resolve_day_month(month, day, year, published)

    def _phrases(self, doc: Doc, published: date) -> list[DateMention]:
        found = []
        for match_id, start, end in self.matcher(doc):
            phrase = doc.vocab.strings[match_id]
            if phrase in self.weekdays:
                day = resolve_weekday(self.weekdays[phrase], published)
                days = (day, day) if day else None
            else:
                days = resolve_relative(self.relative[phrase], published)
            if days:
                found.append(DateMention(start, end, doc[start:end].text, *days))
        return found


@Language.factory("fb_dates")
def make_dates(nlp: Language, name: str) -> DateFinder:
    """Factory: the date finder for the pipeline's language."""
    return DateFinder(nlp)


def parse_day(text: str, today: date, langs: tuple[str, ...] = ("nl", "en")) -> tuple[date, date] | None:
    """A day or period typed by a person ("2023-01-08", "8 januari 2023", "January 8", "gisteren",
    "last week"), resolved against today; None when it names none."""
    cleaned = " ".join(text.split())
    for lang in langs:
        nlp, finder = _finder(lang)
        doc = nlp.make_doc(cleaned)
        doc._.published = today
        found = finder._absolute(doc, today) + finder._phrases(doc, today)
        if found:
            best = max(found, key=lambda m: m.end - m.start)
            return best.first, best.last
    return None


@lru_cache(maxsize=8)
def _finder(lang: str) -> tuple[Language, DateFinder]:
    import spacy

    import bot.nlp.pipeline  # noqa: F401  (it registers the Doc extensions the finder sets)

    nlp = spacy.blank(lang)
    return nlp, DateFinder(nlp)
