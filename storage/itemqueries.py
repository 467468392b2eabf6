"""Queries for readings, items and claims; functions that take a Session, no business rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, delete, func, or_, update
from sqlmodel import Session, col, select

from storage.db import upsert_insert
from storage.models import Article, Claim, Feed, Item, ItemKey, ItemPlace

CHUNK = 500


def articles_to_read(session: Session, ids: Sequence[int]) -> list[tuple[Article, str]]:
    """The articles with these ids not read yet, with their feed's name, oldest first (grouping is
    incremental: publication order makes it repeatable, whatever order the feeds arrived in)."""
    rows = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows += session.exec(
            select(Article, Feed.name).join(Feed, Feed.id == Article.feed_id)
            .where(col(Article.id).in_(chunk), col(Article.read_at).is_(None))
        ).all()
    return sorted(rows, key=lambda row: (row[0].published_at or row[0].fetched_at, row[0].id))


def unread_article_ids(session: Session, limit: int = 10_000) -> list[int]:
    """Articles stored but not read yet (an interrupted run, or rows from before reading existed)."""
    return list(session.exec(select(Article.id).where(col(Article.read_at).is_(None)).order_by(Article.id).limit(limit)))


def begin_reading(session: Session, ids: Sequence[int]) -> None:
    """Count a reading begun on each of these articles (one that never finishes shows in the count)."""
    for start in range(0, len(ids), CHUNK):
        session.execute(update(Article).where(col(Article.id).in_(ids[start : start + CHUNK]))
                        .values(read_attempts=Article.read_attempts + 1)
                        .execution_options(synchronize_session=False))


def store_reading(session: Session, article_id: int, claims: list[dict], features: dict,
                  first: date | None, last: date | None, now: datetime) -> bool:
    """Keep an article's claims and grouping features; False (and nothing kept) when another process
    read it first (the row lock makes the second wait, then see read_at set)."""
    marked = session.execute(update(Article).where(Article.id == article_id, col(Article.read_at).is_(None))
                             .values(read_at=now, features=features, event_first=first, event_last=last))
    if not marked.rowcount:
        return False
    if claims:
        # render_nulls: one INSERT for all rows; without it rows are batched by which fields are None
        session.execute(upsert_insert(session, Claim).execution_options(render_nulls=True),
                        [{"article_id": article_id, **c} for c in claims])
    return True


def record_failure(session: Session, article_id: int, error: str, now: datetime) -> None:
    """Mark an article read without a reading, with why: it is not tried again."""
    session.execute(update(Article).where(Article.id == article_id, col(Article.read_at).is_(None))
                    .values(read_at=now, read_error=error))


def candidate_items(session: Session, keys: Sequence[str], first: date, last: date, limit: int) -> list[int]:
    """Items sharing most keys with an article, on days around its event days (the blocking step)."""
    if not keys:
        return []
    hits = func.count(ItemKey.key)
    rows = session.exec(
        select(ItemKey.item_id, hits).where(col(ItemKey.key).in_(keys), ItemKey.day >= first, ItemKey.day <= last)
        .group_by(ItemKey.item_id).order_by(hits.desc(), ItemKey.item_id.desc()).limit(limit)
    )
    return [item_id for item_id, _ in rows]


def items_by_id(session: Session, ids: Iterable[int]) -> dict[int, Item]:
    """Items by id (merged ones are skipped)."""
    ids = list(ids)
    if not ids:
        return {}
    return {i.id: i for i in session.exec(select(Item).where(col(Item.id).in_(ids), col(Item.merged_into).is_(None)))}


def new_item(session: Session, now: datetime, profile: dict, first: date, last: date) -> Item:
    """A new, empty item."""
    item = Item(created_at=now, updated_at=now, profile=profile, event_first=first, event_last=last)
    session.add(item)
    session.flush()
    return item


def attach(session: Session, item: Item, article_id: int, keys: Sequence[str], days: Sequence[date],
           places: Sequence[tuple[str, str | None]]) -> None:
    """Put an article (and its claims) in an item, with the item's keys on the given days."""
    session.execute(update(Article).where(Article.id == article_id).values(item_id=item.id))
    session.execute(update(Claim).where(Claim.article_id == article_id).values(item_id=item.id))
    rows = [{"key": k, "day": d, "item_id": item.id} for k in set(keys) for d in days]
    for start in range(0, len(rows), CHUNK):
        session.execute(upsert_insert(session, ItemKey).on_conflict_do_nothing(), rows[start : start + CHUNK])
    if places:
        session.execute(upsert_insert(session, ItemPlace).on_conflict_do_nothing(),
                        [{"item_id": item.id, "slug": s, "region": r} for s, r in places])


def merge(session: Session, keep: Item, gone: Item) -> None:
    """Move everything of `gone` into `keep`; `gone` stays as a pointer."""
    for model in (Article, Claim):
        session.execute(update(model).where(model.item_id == gone.id).values(item_id=keep.id))
    for model in (ItemKey, ItemPlace):
        rows = session.exec(select(model).where(model.item_id == gone.id)).all()
        values = [{**r.model_dump(), "item_id": keep.id} for r in rows]
        session.execute(delete(model).where(model.item_id == gone.id))
        for start in range(0, len(values), CHUNK):
            session.execute(upsert_insert(session, model).on_conflict_do_nothing(), values[start : start + CHUNK])
    gone.merged_into = keep.id
    session.add(gone)


def attributed_claim_facts(session: Session, item_id: int, article_id: int | None = None) -> list[tuple]:
    """The claims of an item that have a speaker, as plain rows of what their disputed/unverified
    marks are decided on (id, article_id, position, side, stance, numbers, event_date, refers_to)
    and the marks they have (disputed, unverified). Rows, not objects: the session neither builds nor
    tracks the item's claims, whose number grows with the item."""
    return list(session.execute(
        select(Claim.id, Claim.article_id, Claim.position, Claim.side, Claim.stance, Claim.numbers, Claim.event_date,
               Claim.refers_to, Claim.disputed, Claim.unverified)
        .where(Claim.item_id == item_id, col(Claim.speaker).is_not(None),
               *([Claim.article_id == article_id] if article_id is not None else []))).all())


def _others(item_id: int, article_id: int, side: str, day: date | None):
    """The conditions for the attributed claims of an item, but one article's, of another side than
    `side`, on a day near `day` (a day apart at most; a claim with no day is near every day)."""
    near = [] if day is None else [or_(col(Claim.event_date).is_(None),
                                       Claim.event_date.between(day - timedelta(days=1), day + timedelta(days=1)))]
    return [Claim.item_id == item_id, Claim.article_id != article_id, col(Claim.speaker).is_not(None),
            Claim.side != side, *near]


def mark_disputed(session: Session, item_id: int, article_id: int, stances: Sequence[str], side: str,
                  day: date | None) -> int:
    """Mark disputed the stored claims of these stances answering a claim of `side` on `day` (see _others);
    how many changed."""
    result = session.execute(update(Claim).where(*_others(item_id, article_id, side, day), col(Claim.stance).in_(stances),
                                                 Claim.disputed.is_(False))
                             .values(disputed=True, unverified=False).execution_options(synchronize_session=False))
    return result.rowcount


def mark_confirmed(session: Session, item_id: int, article_id: int, side: str, day: date | None) -> None:
    """Unmark as unverified the stored claims a confirmation of `side` on `day` corroborates."""
    session.execute(update(Claim).where(*_others(item_id, article_id, side, day), Claim.unverified.is_(True))
                    .values(unverified=False).execution_options(synchronize_session=False))


def open_claims_with_figures(session: Session, item_id: int, article_id: int) -> list[tuple]:
    """Rows as attributed_claim_facts gives them of the item's stored attributed claims with figures,
    but one article's, whose marks a new figure can still change: not disputed, or unverified."""
    return list(session.execute(
        select(Claim.id, Claim.article_id, Claim.position, Claim.side, Claim.stance, Claim.numbers, Claim.event_date,
               Claim.refers_to, Claim.disputed, Claim.unverified)
        .where(Claim.item_id == item_id, Claim.article_id != article_id, col(Claim.speaker).is_not(None),
               cast(Claim.numbers, String) != "[]", or_(Claim.disputed.is_(False), Claim.unverified.is_(True)))).all())


def set_claim_flags(session: Session, flags: dict[int, tuple[bool, bool]]) -> None:
    """Write disputed/unverified marks: one UPDATE per pair of values (per CHUNK ids), whatever the
    number of claims."""
    by_value: dict[tuple[bool, bool], list[int]] = {}
    for claim_id, value in flags.items():
        by_value.setdefault(value, []).append(claim_id)
    for (disputed, unverified), ids in sorted(by_value.items()):
        ids.sort()
        for start in range(0, len(ids), CHUNK):
            session.execute(update(Claim).where(col(Claim.id).in_(ids[start : start + CHUNK]))
                            .values(disputed=disputed, unverified=unverified)
                            .execution_options(synchronize_session=False))


def latest_items(session: Session, limit: int = 20, since: datetime | None = None) -> list[Item]:
    """The most recently updated items (optionally only those updated since a time)."""
    query = select(Item).where(col(Item.merged_into).is_(None), Item.article_count > 0)
    if since is not None:
        query = query.where(Item.updated_at > since)
    return list(session.exec(query.order_by(col(Item.updated_at).desc()).limit(limit)))


def items_updated_between(session: Session, start: datetime, end: datetime, limit: int = 50) -> list[Item]:
    """Items new or updated in (start, end], most recently updated first."""
    return list(session.exec(
        select(Item).where(col(Item.merged_into).is_(None), Item.article_count > 0, Item.updated_at > start,
                           Item.updated_at <= end).order_by(col(Item.updated_at).desc()).limit(limit)))


def titles_of(session: Session, item_ids: Iterable[int]) -> dict[int, dict]:
    """Each item's titles by language."""
    ids = list(item_ids)
    if not ids:
        return {}
    return dict(session.exec(select(Item.id, Item.titles).where(col(Item.id).in_(ids))).all())


def items_for_places_since(session: Session, slug: str, since: datetime | None, until: datetime) -> list[Item]:
    """Items about a place (or a place in that region) updated in (since, until]."""
    here = select(ItemPlace.item_id).where(or_(ItemPlace.slug == slug, ItemPlace.region == slug))
    query = select(Item).where(col(Item.id).in_(here), col(Item.merged_into).is_(None), Item.updated_at <= until)
    if since is not None:
        query = query.where(Item.updated_at > since)
    return list(session.exec(query.order_by(col(Item.updated_at).desc()).limit(20)))
