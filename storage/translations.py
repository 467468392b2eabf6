"""The translation cache: a claim's wording per reader's language, read and kept; no business rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from storage.db import upsert_insert
from storage.models import ClaimTranslation

CHUNK = 500


def of_claims(session: Session, claim_ids: Sequence[int], language: str) -> dict[int, str]:
    """The cached translations of these claims into a language, by claim id."""
    found: dict[int, str] = {}
    ids = list(dict.fromkeys(claim_ids))
    for start in range(0, len(ids), CHUNK):
        rows = session.exec(select(ClaimTranslation.claim_id, ClaimTranslation.text).where(
            col(ClaimTranslation.claim_id).in_(ids[start : start + CHUNK]), ClaimTranslation.language == language))
        found.update(dict(rows.all()))
    return found


def keep(session: Session, translated: dict[int, str], language: str, now: datetime) -> None:
    """Keep translations (a claim translated twice at once keeps the first)."""
    rows = [{"claim_id": claim_id, "language": language, "text": text, "created_at": now}
            for claim_id, text in translated.items()]
    if rows:
        session.execute(upsert_insert(session, ClaimTranslation).on_conflict_do_nothing(), rows)
