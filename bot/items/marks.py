"""Pure: the marks an item keeps of its claims (in its stored profile, under "marks"), so that an
article joining it is marked against them and not against every claim stored, and the stored claims
whose disputed/unverified marks it changes are known without reading the item's claims (issue 17).

Kept, JSON-ready:
- said, deny, confirm: the (side, day)s whose claims assert or report, deny, or confirm;
- range: each count's smallest and largest figure per day and side;
- exact: each figure (value, count, day, side) while the range of its count, day and side is narrow
  enough that a later figure could agree with both its ends (NARROW). Past that, a later claim of
  another side giving that count on those days is disputed by the range whatever its value, and a
  corroborating figure no longer changes its marks: the figure is let go;
- open: the stored claims a later claim can still change: not disputed, and asserting, reporting,
  denying or giving a figure; each with what it is decided on: [article, position, side, stance,
  day, figures, unverified]. Position in its article names a claim before it has an id.
Marks only ever grow (a claim disputed or corroborated stays so as claims are added), so a stored
claim's new mark is its old one or what the new claims give it, and a new claim meets in the marks
every kind of partner it could have among the stored claims. What is kept follows the item's sides,
days and counts, and its claims still open, not the claims that are settled (the item of 50 reports
of bench/item_growth.py kept 623 figures, 28 KB of marks; now 3 figures, 4 KB).

Rejected: a query of the item's open claims per article (it reads the item's claims, whose number
grows with it), and set-based UPDATEs by side and day (each scans the item's claims through its
index: joining that item of 50 on SQLite, 2.75 of the 4 ms its statements took)."""

from __future__ import annotations

from datetime import date

from bot.items.disputes import ClaimFacts, disputes

NARROW = 0.25  # a range wider than this share of its largest end (or 1) has no figure agreeing with both ends
SETS = ("said", "deny", "confirm", "exact")
Key = tuple[int, int]  # a claim as (article id, position in its article)
Flags = tuple[bool, bool]  # (disputed, unverified)


def fresh(marks: dict | None) -> bool:
    """Whether marks are kept in this form (items stored before kept none, or no open claims)."""
    return marks is not None and "open" in marks


def joining(marks: dict, new: list[ClaimFacts]) -> tuple[dict[int, Flags], dict[Key, Flags], dict]:
    """A joining article's attributed claims (ids: their positions) against the item's marks: their
    (disputed, unverified) by id, the stored claims whose marks change, by Key, and the marks after."""
    flags = disputes(new + stand_ins(marks))
    entries = marks.get("open", [])
    met = disputes(new + [_open_fact(k, e) for k, e in enumerate(entries)]) if new and entries else {}
    flips: dict[Key, Flags] = {}
    still = []
    for k, entry in enumerate(entries):
        disputed, unverified = met.get(-1 - k, (False, True))
        now = (disputed, entry[6] and unverified)
        if now != (False, entry[6]):
            flips[entry[0], entry[1]] = now
        if not disputed:
            still.append([*entry[:6], now[1]])
    return flags, flips, remember(marks, new, flags, still)


def _open_fact(k: int, entry: list) -> ClaimFacts:
    """An open stored claim as disputes() takes it (ids below zero; its denial's target, if any, is
    in its own article and decided already)."""
    article_id, position, side, stance, day, figures, _ = entry
    return ClaimFacts(-1 - k, article_id, position, side, stance, True, tuple((v, c) for v, c in figures),
                      _day(day), None)


def remember(marks: dict | None, facts: list[ClaimFacts], flags: dict[int, Flags],
             still: list[list] | None = None) -> dict:
    """The marks with these attributed claims added (flags: their marks, by id); `still`: the open
    claims kept before that stay open (default: all of them)."""
    marks = marks or {}
    sets = {name: {tuple(e) for e in marks.get(name, [])} for name in SETS}
    ranges = {tuple(e[:3]): e[3:] for e in marks.get("range", [])}
    opened = [list(e) for e in (marks.get("open", []) if still is None else still)]
    for c in facts:
        day = c.event_date.isoformat() if c.event_date else None
        kind = "said" if c.stance in ("assert", "report") else c.stance
        if kind in ("said", "deny", "confirm"):
            sets[kind].add((c.side, day))
        for value, counts in c.numbers:
            sets["exact"].add((value, counts, day, c.side))
            low, high = ranges.get((counts, day, c.side), (value, value))
            ranges[counts, day, c.side] = [min(low, value), max(high, value)]
        disputed, unverified = flags[c.id]
        if not disputed and (kind in ("said", "deny") or c.numbers):
            opened.append([c.article_id, c.position, c.side, c.stance, day, [list(n) for n in c.numbers], unverified])
    sets["exact"] = {e for e in sets["exact"] if narrow(*ranges[e[1], e[2], e[3]])}
    return {**{name: sorted(map(list, found), key=str) for name, found in sets.items()},
            "range": sorted(([*k, *v] for k, v in ranges.items()), key=str),
            "open": sorted(opened, key=lambda e: (e[0], e[1]))}


def narrow(low: float, high: float) -> bool:
    """Whether some figure could agree with both (bot.items.disputes: within a tenth of the larger):
    if one does, high - low is at most 0.2 / 0.9 of the largest of them and 1."""
    return abs(high - low) <= NARROW * max(abs(low), abs(high), 1.0)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def stand_ins(marks: dict) -> list[ClaimFacts]:
    """The kept marks as claims that stand for the stored ones in disputes(): a new claim meets in them
    every kind of partner it could have among the stored claims (ids below zero)."""
    found: list[ClaimFacts] = []

    def add(side: str, stance: str, day: str | None, numbers: tuple = ()) -> None:
        found.append(ClaimFacts(-1 - len(found), -1, 0, side, stance, True, numbers, _day(day), None))

    for kind, stance in (("said", "assert"), ("deny", "deny"), ("confirm", "confirm")):
        for side, day in marks.get(kind, []):
            add(side, stance, day)
    for counts, day, side, low, high in marks.get("range", []):
        add(side, "figure", day, ((low, counts),))
        add(side, "figure", day, ((high, counts),))
    for value, counts, day, side in marks.get("exact", []):
        add(side, "figure", day, ((value, counts),))
    return found
