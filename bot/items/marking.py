"""The disputed/unverified marks of an item's claims brought up to date as articles join it:
orchestration between bot.items.disputes (what the claims say of each other, pure) and storage
(the claims' rows and set-based UPDATEs), for bot.items.stages."""

from __future__ import annotations

from bot.items import disputes as items
from bot.items.kept import Held
from storage import itemqueries as q


def whole_item(session, item: Held) -> dict:
    """Mark every attributed claim of the item from all of them (a new or merged item, or one stored
    before marks were kept); writes only the marks that change. Returns the marks to keep."""
    rows = q.attributed_claim_facts(session, item.id)
    facts = facts_of(rows)
    flags = items.disputes(facts)
    q.set_claim_flags(session, {row[0]: flags[row[0]] for row in rows if flags[row[0]] != (row[8], row[9])})
    item.disputed = any(disputed for disputed, _ in flags.values())
    return items.remember(None, facts)


def joined(session, item: Held, article_id: int, marks: dict) -> dict:
    """Mark one joining article's claims against the kept marks, and the stored claims its claims
    dispute or corroborate: by side and day with set-based UPDATEs, and by figure among the stored
    claims with figures not yet disputed (or still unverified). The cost follows the article and what
    is still open, not the item. Marks only grow, so a stored claim's new mark is its old one or
    what the new claims give it."""
    new = facts_of(q.attributed_claim_facts(session, item.id, article_id))
    flags = items.disputes(new + items.stand_ins(marks))
    changed = _answer(session, item.id, article_id, new)
    if any(c.numbers for c in new):
        rows = q.open_claims_with_figures(session, item.id, article_id)
        met = items.disputes(new + facts_of(rows))
        stored = {row[0]: (row[8], row[9]) for row in rows}
        flips = {i: (d or met[i][0], u and met[i][1]) for i, (d, u) in stored.items()}
        flips = {i: f for i, f in flips.items() if f != stored[i]}
        changed |= any(d for d, _ in flips.values())
        q.set_claim_flags(session, flips)
    q.set_claim_flags(session, {c.id: flags[c.id] for c in new if flags[c.id] != (False, False)})
    item.disputed = bool(item.disputed or changed or any(flags[c.id][0] for c in new))
    return items.remember(marks, new)


def _answer(session, item_id: int, article_id: int, new: list[items.ClaimFacts]) -> bool:
    """Mark the stored claims the new claims answer by side and day (denials and what they deny,
    confirmations), one UPDATE per stance, side and day; whether any became disputed."""
    asks = {("deny" if c.stance == "deny" else "said" if c.stance in ("assert", "report") else c.stance, c.side,
             c.event_date) for c in new if c.stance in ("deny", "assert", "report", "confirm")}
    changed = False
    for kind, side, day in sorted(asks, key=str):
        if kind == "confirm":
            q.mark_confirmed(session, item_id, article_id, side, day)
        else:
            stances = ("assert", "report") if kind == "deny" else ("deny",)
            changed |= q.mark_disputed(session, item_id, article_id, stances, side, day) > 0
    return changed


def facts_of(rows: list[tuple]) -> list[items.ClaimFacts]:
    """The facts of an item's attributed claims (rows of q.attributed_claim_facts); a denial's
    refers_to, a position in its article, becomes the id of that claim."""
    at = {(row[1], row[2]): row[0] for row in rows}
    return [items.ClaimFacts(cid, article_id, position, side, stance, True,
                             tuple((n["value"], n["counts"]) for n in numbers if n["value"] is not None), event_date,
                             at.get((article_id, refers_to)) if refers_to is not None else None)
            for cid, article_id, position, side, stance, numbers, event_date, refers_to, _, _ in rows]
