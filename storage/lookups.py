"""The reads of the place, region and date look-ups (`query`, /<place>, /date): the newest items about
a place or a day, then what an answer shows of them. Functions that take a Session; no business rules.

Each read fetches only what an answer shows, as plain rows: an article's text and grouping features
(kilobytes each) are never read, and claims are not built into ORM objects the answer only reads.
Items are picked on (id, updated_at) from ix_item_id_updated before their wide rows are read; a
place's item ids come from the covering indexes (slug, item_id) and (region, item_id) (migration 0012)
without a visit to the table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Row, or_, union_all
from sqlmodel import Session, col, select

from storage.models import Article, Claim, Feed, Item, ItemPlace

# More items about a place than this: walk the items newest first and stop at the limit, instead of
# ranking every one of them.
REGION_SCAN = 2000
CLAIM_COLUMNS = (Claim.id, Claim.item_id, Claim.article_id, Claim.position, Claim.refers_to, Claim.speaker,
                 Claim.speaker_start, Claim.cue, Claim.actor, Claim.side, Claim.stance, Claim.content,
                 Claim.content_start, Claim.event_date, Claim.numbers, Claim.places, Claim.disputed,
                 Claim.unverified)


def _place_ids(slugs: Sequence[str], regions: Sequence[str]):
    """Item ids (an id may come twice) about these places or any place in these regions: one
    index-only scan each, where a single OR of both visits the table's pages through a bitmap."""
    by_slug = select(ItemPlace.item_id).where(col(ItemPlace.slug).in_(slugs))
    if not regions:
        return by_slug
    return union_all(by_slug, select(ItemPlace.item_id).where(col(ItemPlace.region).in_(regions)))


def items_for_places(session: Session, slugs: Sequence[str], regions: Sequence[str], limit: int) -> list[Item]:
    """Newest items about any of these places or any place in these regions."""
    ids = _place_ids(slugs, regions).subquery()
    many = session.exec(select(ids.c.item_id).limit(1).offset(REGION_SCAN - 1)).first() is not None
    if not many:
        return _newest(session, select(ids.c.item_id), limit)
    # A region with many items: walk the items newest first (ix_item_updated) and stop at `limit`.
    here = [col(ItemPlace.slug).in_(slugs)] + ([col(ItemPlace.region).in_(regions)] if regions else [])
    exists = select(ItemPlace.item_id).where(ItemPlace.item_id == Item.id, or_(*here)).exists()
    return list(session.exec(select(Item).where(exists).order_by(col(Item.updated_at).desc()).limit(limit)))


def items_for_dates(session: Session, first: date, last: date, limit: int) -> list[Item]:
    """Newest items with a claim about a day in first..last."""
    ids = select(Claim.item_id).where(Claim.event_date >= first, Claim.event_date <= last,
                                      col(Claim.item_id).is_not(None))
    return _newest(session, ids, limit)


def _newest(session: Session, ids, limit: int) -> list[Item]:
    """The newest `limit` items among the ids a subquery gives, picked on (id, updated_at) alone."""
    top = select(Item.id).where(col(Item.id).in_(ids)).order_by(col(Item.updated_at).desc()).limit(limit)
    return list(session.exec(select(Item).where(col(Item.id).in_(top)).order_by(col(Item.updated_at).desc())))


def item_articles(session: Session, item_ids: Sequence[int]) -> list[Row]:
    """The articles of these items, oldest first, as rows of what an answer shows of them: item_id,
    link, content_hash, language, title, published_at and the outlet (their feed's name)."""
    if not item_ids:
        return []
    return list(session.exec(
        select(Article.item_id, Article.link, Article.content_hash, Article.language, Article.title,
               Article.published_at, Feed.name.label("outlet"))
        .join(Feed, Feed.id == Article.feed_id)
        .where(col(Article.item_id).in_(item_ids)).order_by(Article.published_at, Article.id)))


def claims_of_items(session: Session, item_ids: Sequence[int]) -> list[Row]:
    """The claims of these items as rows of CLAIM_COLUMNS with their article's link, language,
    published_at, fetched_at and title and the outlet, by item in reading order."""
    if not item_ids:
        return []
    return list(session.exec(
        select(*CLAIM_COLUMNS, Article.link, Article.language, Article.published_at, Article.fetched_at,
               Article.title, Feed.name.label("outlet"))
        .join(Article, Article.id == Claim.article_id).join(Feed, Feed.id == Article.feed_id)
        .where(col(Claim.item_id).in_(item_ids))
        .order_by(Claim.item_id, Article.published_at, Claim.article_id, Claim.position)))
