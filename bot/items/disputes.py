"""Pure: what an item says once its claims are in — which claims are disputed or unverified, and a
headline per language (from an article in that language, else built from the structured claims)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


def _near(a: date | None, b: date | None) -> bool:
    return a is None or b is None or abs((a - b).days) <= 1


def disputes(claims: list[ClaimFacts]) -> dict[int, tuple[bool, bool]]:
    """(disputed, unverified) for every claim id of one item."""
    attributed = [c for c in claims if c.attributed]
    disputed: set[int] = set()
    for denial in (c for c in attributed if c.stance == "deny"):
        # What a denial answers: the claim it names, and what the other side says of the same days.
        targets = {c.id for c in attributed if c.id == denial.refers_to}
        targets |= {c.id for c in attributed if c.side != denial.side and c.stance in ("assert", "report")
                    and _near(c.event_date, denial.event_date)}
        if targets:
            disputed.add(denial.id)
            disputed.update(targets)
    for a in attributed:
        for b in attributed:
            if a.side != b.side and _near(a.event_date, b.event_date) and any(
                    ca == cb and _differ(va, vb) for va, ca in a.numbers for vb, cb in b.numbers):
                disputed.update((a.id, b.id))
    result = {}
    for claim in claims:
        unverified = (claim.id not in disputed and claim.attributed and claim.side in ATTRIBUTED_SIDES
                      and claim.stance == "assert" and not _corroborated(claim, attributed))
        result[claim.id] = (claim.id in disputed, unverified)
    return result


def _corroborated(claim: ClaimFacts, attributed: list[ClaimFacts]) -> bool:
    for other in attributed:
        if other.side == claim.side or not _near(claim.event_date, other.event_date):
            continue
        if other.stance == "confirm" or set(other.numbers) & set(claim.numbers):
            return True
    return False


@dataclass(frozen=True, slots=True)
class HeadlineClaim:
    """A claim as the headline builder sees it."""

    side: str
    stance: str
    numbers: tuple[tuple[float, str], ...]


def build_headline(place: str | None, claims: list[HeadlineClaim], words: dict) -> str | None:
    """A headline from structured claims, e.g. "Kramatorsk: Russia claims 600 killed; Ukraine denies"."""
    main = next((c for c in claims if c.side in ATTRIBUTED_SIDES and c.stance == "assert" and c.numbers), None) \
        or next((c for c in claims if c.side in ATTRIBUTED_SIDES and c.stance == "assert"), None)
    if main is None:
        return None
    parts = [words["claims"].format(side=words["sides"][main.side])]
    if main.numbers:
        value, counts = main.numbers[0]
        parts.append(f"{value:g} {words['counts'].get(counts, counts)}")
    else:
        parts.append(words["something"])
    text = " ".join(parts)
    other = next((c for c in claims if c.side in ATTRIBUTED_SIDES and c.side != main.side and c.stance == "deny"), None)
    if other is not None:
        text += "; " + words["denies"].format(side=words["sides"][other.side])
    return f"{place}: {text}" if place else text[:1].upper() + text[1:]
