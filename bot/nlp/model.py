"""What reading an article yields: plain dataclasses, set on the Doc by the components."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class PlaceMention:
    """A place named in the text (token offsets), resolved to a gazetteer slug."""

    start: int
    end: int
    text: str
    slug: str
    as_actor: bool = False  # "Kiev denies": the capital speaks, no event happens there


@dataclass(slots=True)
class DateMention:
    """A date or period the text speaks of, resolved against the publication date."""

    start: int
    end: int
    text: str
    first: date
    last: date


@dataclass(slots=True)
class Quantity:
    """A number with what it counts ("at least 600 soldiers killed")."""

    start: int
    end: int
    text: str
    value: float | None
    counts: str
    who: str | None = None
    qualifier: str | None = None


@dataclass(slots=True)
class ActorMention:
    """A name of a known actor in the text."""

    start: int
    end: int
    text: str
    actor: str
    side: str


@dataclass(slots=True)
class Claim:
    """An attributed statement (or the outlet's own report) with everything tied to it."""

    sentence: int
    stance: str
    content: tuple[int, int]  # token offsets, as speaker and cue
    speaker: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None
    actor: str = "outlet"
    side: str = "other"
    numbers: list[Quantity] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    event_date: date | None = None
    refers_to: int | None = None
    carried: bool = False  # the speaker comes from an earlier sentence
