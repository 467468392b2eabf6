"""The disputed/unverified marks of an item's claims brought up to date as articles join it:
orchestration between bot.items.disputes and bot.items.marks (pure: what the claims say of each
other, and what an item keeps of them) and storage (the claims' rows), for bot.items.stages.

A joining article's claims are marked before they are stored, against the marks the item keeps,
and stored with their marks; the stored claims they change are written by (article, position), one
statement for all of them. Nothing of the item's claims is read: the cost follows the article and
what is still open, not the item. A new item's claims are marked among themselves; a merged item,
or one stored before its marks were kept in this form, is marked whole from its claims' rows."""

from __future__ import annotations

from dataclasses import dataclass

from bot.items import disputes as items
from bot.items import marks as kept_marks
from bot.items.kept import Held
from storage import itemqueries as q


@dataclass(slots=True)
class Marked:
    """What a joining article changes: the marks to keep, and the stored claims' new marks by
    (article, position)."""

    marks: dict
    flips: dict[tuple[int, int], tuple[bool, bool]]


def founded(article_id: int, claims: list[dict]) -> tuple[dict, bool]:
    """Mark the claims of a new item of one article among themselves (on their rows, before they are
    stored); the marks to keep, and whether the item is disputed."""
    facts = new_facts(article_id, claims)
    flags = items.disputes(facts)
    _flag(claims, flags)
    return kept_marks.remember(None, facts, flags), any(d for d, _ in flags.values())


def joining(item: Held, article_id: int, claims: list[dict]) -> Marked | None:
    """Mark a joining article's claims (on their rows, before they are stored) against the marks the
    item keeps; what that changes. None when the item keeps none in this form (whole_item, once the
    claims are stored)."""
    if not kept_marks.fresh(item.marks):
        return None
    facts = new_facts(article_id, claims)
    flags, flips, marks = kept_marks.joining(item.marks, facts)
    _flag(claims, flags)
    item.disputed = bool(item.disputed or any(d for d, _ in flags.values()) or any(d for d, _ in flips.values()))
    return Marked(marks, flips)


def settle(session, item: Held, marked: Marked | None) -> dict:
    """Write what a joining article changed of the stored claims' marks (or mark the whole item, with
    marked None: a merge, or marks not kept); returns the marks to keep."""
    if marked is None:
        return whole_item(session, item)
    q.set_claim_flags_at(session, marked.flips)
    return marked.marks


def whole_item(session, item: Held) -> dict:
    """Mark every attributed claim of the item from all of them (a merged item, or one stored before
    marks were kept); writes only the marks that change. Returns the marks to keep."""
    rows = q.attributed_claim_facts(session, item.id)
    facts = facts_of(rows)
    flags = items.disputes(facts)
    q.set_claim_flags(session, {row[0]: flags[row[0]] for row in rows if flags[row[0]] != (row[8], row[9])})
    item.disputed = any(disputed for disputed, _ in flags.values())
    return kept_marks.remember(None, facts, flags)


def new_facts(article_id: int, claims: list[dict]) -> list[items.ClaimFacts]:
    """The facts of an article's attributed claims (claim rows not stored yet), positions standing
    for their ids."""
    return facts_of([(c["position"], article_id, c["position"], c["side"], c["stance"], c["numbers"],
                      c["event_date"], c["refers_to"], False, False) for c in claims if c["speaker"] is not None])


def _flag(claims: list[dict], flags: dict[int, tuple[bool, bool]]) -> None:
    for claim in claims:
        claim["disputed"], claim["unverified"] = flags.get(claim["position"], (False, False))


def facts_of(rows: list[tuple]) -> list[items.ClaimFacts]:
    """The facts of an item's attributed claims (rows of q.attributed_claim_facts); a denial's
    refers_to, a position in its article, becomes the id of that claim."""
    at = {(row[1], row[2]): row[0] for row in rows}
    return [items.ClaimFacts(cid, article_id, position, side, stance, True,
                             tuple((n["value"], n["counts"]) for n in numbers if n["value"] is not None), event_date,
                             at.get((article_id, refers_to)) if refers_to is not None else None)
            for cid, article_id, position, side, stance, numbers, event_date, refers_to, _, _ in rows]
