"""Pure: what an item says once its claims are in — which claims are disputed or unverified, and a
headline per language (from an article in that language, else built from the structured claims)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ATTRIBUTED_SIDES = ("RU", "UA")
NUMBER_TOLERANCE = 0.1


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """The parts of a stored claim that disputes are decided on."""

    id: int
    article_id: int
    position: int
    side: str
    stance: str
    attributed: bool
    numbers: tuple[tuple[float, str], ...]
    event_date: date | None
    refers_to: int | None  # the id of the claim a denial answers


def _differ(a: float, b: float) -> bool:
    return abs(a - b) > NUMBER_TOLERANCE * max(abs(a), abs(b), 1.0)


class _ByDay:
    """Values kept by (key, day, side), asked for by what is near a day (a day apart at most; a claim
    with no day is near every day) on another side: a claim meets only the claims that share its key
    and days, never every claim of the item."""

    def __init__(self) -> None:
        self.days: dict[object, dict[date | None, dict[str, list]]] = {}

    def add(self, key: object, day: date | None, side: str, value: object) -> None:
        """Keep a value under a key, day and side."""
        self.days.setdefault(key, {}).setdefault(day, {}).setdefault(side, []).append(value)

    def near(self, key: object, day: date | None, side: str) -> list[tuple[tuple[date | None, str], list]]:
        """The ((day, side), values) of the key on days near `day`, of sides other than `side`."""
        found = self.days.get(key, {})
        days = found if day is None else [d for d in (day - _ONE, day, day + _ONE, None) if d in found]
        return [((d, s), values) for d in days for s, values in found[d].items() if s != side]

    def summarised(self, summary) -> _ByDay:
        """The same keys with each list of values replaced by summary(values)."""
        other = _ByDay()
        other.days = {key: {day: {side: summary(v) for side, v in sides.items()} for day, sides in days.items()}
                      for key, days in self.days.items()}
        return other


_ONE = timedelta(days=1)


def disputes(claims: list[ClaimFacts]) -> dict[int, tuple[bool, bool]]:
    """(disputed, unverified) for every claim id of one item. What a claim is compared with is looked
    up by what it counts and its days, so the cost grows with the item's claims, not their pairs."""
    attributed = [c for c in claims if c.attributed]
    disputed = _denied(attributed) | _counted_apart(attributed)
    backing = _backing(attributed)
    result = {}
    for claim in claims:
        unverified = (claim.id not in disputed and claim.attributed and claim.side in ATTRIBUTED_SIDES
                      and claim.stance == "assert" and not _corroborated(claim, backing))
        result[claim.id] = (claim.id in disputed, unverified)
    return result


def _denied(attributed: list[ClaimFacts]) -> set[int]:
    """Denials and what they answer: the claim a denial names, and what the other side asserts or
    reports of the same days (each such day and side is marked once, whatever number of denials)."""
    said, ids = _ByDay(), {c.id for c in attributed}
    for c in attributed:
        if c.stance in ("assert", "report"):
            said.add(None, c.event_date, c.side, c.id)
    disputed: set[int] = set()
    marked: set[tuple[date | None, str]] = set()
    for denial in (c for c in attributed if c.stance == "deny"):
        answered = said.near(None, denial.event_date, denial.side)
        if denial.refers_to in ids or answered:
            disputed.add(denial.id)
            disputed.update((denial.refers_to,) if denial.refers_to in ids else ())
        for where, targets in answered:
            if where not in marked:
                marked.add(where)
                disputed.update(targets)
    return disputed


def _counted_apart(attributed: list[ClaimFacts]) -> set[int]:
    """Claims whose figure for a count another side's claim of those days gives differently. Only the
    smallest and largest figure of each count, day and side are compared: the farther a figure lies
    from another, the more they differ, so if any differs, one of those does."""
    figures = _ByDay()
    for c in attributed:
        for value, counts in c.numbers:
            figures.add(counts, c.event_date, c.side, value)
    ranges = figures.summarised(lambda values: (min(values), max(values)))
    return {c.id for c in attributed if any(
        _differ(value, low) or _differ(value, high)
        for value, counts in c.numbers for _, (low, high) in ranges.near(counts, c.event_date, c.side))}


def _backing(attributed: list[ClaimFacts]) -> _ByDay:
    """What corroborates: a confirmation (key "confirm"), or the same figure (key: value and count)."""
    backing = _ByDay()
    for c in attributed:
        if c.stance == "confirm":
            backing.add("confirm", c.event_date, c.side, c.id)
        for number in set(c.numbers):
            backing.add(number, c.event_date, c.side, c.id)
    return backing


def _corroborated(claim: ClaimFacts, backing: _ByDay) -> bool:
    """Another side confirms something of those days, or gives the same figure for them."""
    return any(backing.near(key, claim.event_date, claim.side) for key in ("confirm", *set(claim.numbers)))


@dataclass(frozen=True, slots=True)
class HeadlineClaim:
    """A claim as the headline builder sees it."""

    side: str
    stance: str
    numbers: tuple[tuple[float, str], ...]
