"""The reads of the place, region and date look-ups (`query`, /<place>, /date), and of the digests'
items: the newest items about a place or a day, then what an answer shows of them. Functions that
take a Session; no business rules.

Each read fetches only what an answer shows, as plain Core rows (no ORM objects built, none tracked):
an item's grouping profile (tens of kilobytes on a big item: TF-IDF centroids, signatures) is never
read whole, only the two parts a headline needs (its places and main places, extracted by the
database); an article's text and features are never read. An answer is a fixed number of statements
whatever the number of its items and claims: the items, their articles, and their claims with the
reader's cached translations joined in. Items are picked on (id, updated_at) from ix_item_id_updated
before their wide rows are read; a place's item ids come from the covering indexes (slug, item_id)
and (region, item_id) (migration 0012) without a visit to the table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Row, String, and_, bindparam, cast, func, or_, select, union_all
from sqlmodel import Session, col

from storage.models import Article, Claim, ClaimTranslation, Feed, Item, ItemPlace, UTCDateTime

# More items about a place than this: walk the items newest first and stop at the limit, instead of
# ranking every one of them.
REGION_SCAN = 2000
_item = Item.__table__.c
_claim = Claim.__table__.c
_article = Article.__table__.c
# What an answer shows of an item; `places` and `main_places` are parts of its profile.
ITEM_COLUMNS = (_item.id, _item.titles, _item.event_first, _item.event_last, _item.updated_at, _item.created_at,
                _item.disputed, _item.profile["places"].label("places"),
                _item.profile["main_places"].label("main_places"))
# numbers and places as their JSON text: the caller decodes each distinct text once (most are "[]").
CLAIM_COLUMNS = (_claim.id, _claim.item_id, _claim.article_id, _claim.position, _claim.refers_to, _claim.speaker,
                 _claim.speaker_start, _claim.cue, _claim.actor, _claim.side, _claim.stance, _claim.content,
                 _claim.content_start, _claim.event_date, cast(_claim.numbers, String).label("numbers"),
                 cast(_claim.places, String).label("places"), _claim.disputed, _claim.unverified)


def _place_ids(slugs: Sequence[str], regions: Sequence[str]):
    """Item ids (an id may come twice) about these places or any place in these regions: one
    index-only scan each, where a single OR of both visits the table's pages through a bitmap."""
    by_slug = select(ItemPlace.item_id).where(col(ItemPlace.slug).in_(slugs))
    if not regions:
        return by_slug
    return union_all(by_slug, select(ItemPlace.item_id).where(col(ItemPlace.region).in_(regions)))


def items_for_places(session: Session, slugs: Sequence[str], regions: Sequence[str], limit: int) -> list[Row]:
    """Newest items about any of these places or any place in these regions, as ITEM_COLUMNS rows."""
    ids = _place_ids(slugs, regions).subquery()
    many = session.execute(select(ids.c.item_id).limit(1).offset(REGION_SCAN - 1)).first() is not None
    if not many:
        return _newest(session, select(ids.c.item_id), limit)
    # A region with many items: walk the items newest first (ix_item_updated) and stop at `limit`.
    here = [col(ItemPlace.slug).in_(slugs)] + ([col(ItemPlace.region).in_(regions)] if regions else [])
    exists = select(ItemPlace.item_id).where(ItemPlace.item_id == _item.id, or_(*here)).exists()
    return list(session.execute(select(*ITEM_COLUMNS).where(exists).order_by(_item.updated_at.desc()).limit(limit)))


def items_for_dates(session: Session, first: date, last: date, limit: int) -> list[Row]:
    """Newest items with a claim about a day in first..last, as ITEM_COLUMNS rows."""
    ids = select(_claim.item_id).where(_claim.event_date >= first, _claim.event_date <= last,
                                       _claim.item_id.is_not(None))
    return _newest(session, ids, limit)


def _newest(session: Session, ids, limit: int) -> list[Row]:
    """The newest `limit` items among the ids a subquery gives, picked on (id, updated_at) alone."""
    top = select(_item.id).where(_item.id.in_(ids)).order_by(_item.updated_at.desc()).limit(limit)
    return list(session.execute(select(*ITEM_COLUMNS).where(_item.id.in_(top)).order_by(_item.updated_at.desc())).all())


def items_by_id(session: Session, item_ids: Sequence[int]) -> list[Row]:
    """These items (merged ones are skipped), as ITEM_COLUMNS rows."""
    if not item_ids:
        return []
    return list(session.execute(select(*ITEM_COLUMNS).where(_item.id.in_(item_ids), _item.merged_into.is_(None))))


_translation = ClaimTranslation.__table__.c
_feed = Feed.__table__.c
# Built once: an answer sends these with its item ids (and language) bound, nothing rebuilt.
_ARTICLES = (select(_article.item_id, _article.link, _article.content_hash, _article.language, _article.title,
                    _article.published_at, _feed.name.label("outlet"))
             .join(Feed.__table__, _feed.id == _article.feed_id)
             .where(_article.item_id.in_(bindparam("ids", expanding=True)))
             .order_by(_article.published_at, _article.id))
_CLAIMS = (select(*CLAIM_COLUMNS, _article.link, _article.language,
                  func.coalesce(_article.published_at, _article.fetched_at, type_=UTCDateTime).label("read_at"),
                  _article.title, _feed.name.label("outlet"), _translation.text.label("translation"))
           .join(Article.__table__, _article.id == _claim.article_id).join(Feed.__table__, _feed.id == _article.feed_id)
           .outerjoin(ClaimTranslation.__table__, and_(_translation.claim_id == _claim.id,
                                                       _translation.language == bindparam("language")))
           .where(_claim.item_id.in_(bindparam("ids", expanding=True)))
           .order_by(_claim.item_id, _article.published_at, _claim.article_id, _claim.position))


def item_articles(session: Session, item_ids: Sequence[int]) -> list[Row]:
    """The articles of these items, oldest first, as rows of what an answer shows of them: item_id,
    link, content_hash, language, title, published_at and the outlet (their feed's name)."""
    if not item_ids:
        return []
    return list(session.execute(_ARTICLES, {"ids": list(item_ids)}).all())


def claims_of_items(session: Session, item_ids: Sequence[int], language: str) -> list[Row]:
    """The claims of these items as rows of CLAIM_COLUMNS with their article's link, language,
    read_at (published, else fetched) and title, the outlet, and the cached translation into
    `language` (None when there is none), by item in reading order."""
    if not item_ids:
        return []
    return list(session.execute(_CLAIMS, {"ids": list(item_ids), "language": language}).all())


def newest_change(session: Session) -> tuple:
    """A mark that moves whenever what an answer shows may have changed: the newest item change
    (an article joining, a merge, new dispute marks: each sets the item's updated_at) and the
    newest item. Two index probes (ix_item_updated, the primary key), whatever the store's size: two
    subqueries, since SQLite reads a max from an index only when it is a query's one aggregate."""
    newest = select(func.max(_item.updated_at)).scalar_subquery()
    return tuple(session.execute(select(newest, select(func.max(_item.id)).scalar_subquery())).one())
