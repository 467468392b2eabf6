"""Queries for readings, items and claims; functions that take a Session, no business rules.

What grouping reads and writes for each article goes through the tables (Core), not ORM objects: no
unit of work, no identity map for UPDATEs to be checked against, no flush (issue 17: the ORM's
execution and flushes were a third of settling a week). The statements sent for every article are
built once, here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import bindparam, delete, event, func, insert, literal, or_, select, update
from sqlmodel import Session, col
from sqlmodel import select as select_models

from storage.db import upsert_insert
from storage.models import Article, Claim, Feed, Item, ItemKey, ItemPlace
from storage.prepared import Prepared

CHUNK = 500
_article, _claim, _item, _key, _place = (m.__table__ for m in (Article, Claim, Item, ItemKey, ItemPlace))
_MARK_READ = Prepared(update(_article).where(_article.c.id == bindparam("aid"), _article.c.read_at.is_(None))
                      .values(read_at=bindparam("now"), features=bindparam("features", type_=_article.c.features.type),
                              event_first=bindparam("first"), event_last=bindparam("last")))
_ATTACH = Prepared(update(_article).where(_article.c.id == bindparam("aid")).values(item_id=bindparam("iid")))
_SAVED = ("profile", "article_count", "event_first", "event_last", "updated_at", "titles", "disputed")
# An item is written only at the version it was read at, (article_count, updated_at), which every
# write changes: a write in between (another process's join or merge) makes this one update nothing.
_AT_VERSION = (_item.c.article_count == bindparam("was_count"), _item.c.updated_at == bindparam("was_at"),
               _item.c.merged_into.is_(None))
_SAVE = Prepared(update(_item).where(_item.c.id == bindparam("iid"), *_AT_VERSION)
                 .values({c: bindparam(c, type_=_item.c[c].type) for c in _SAVED}))
_MERGED = update(_item).where(_item.c.id == bindparam("gone"), *_AT_VERSION).values(merged_into=bindparam("keep"))
_STATES = select(_item.c.id, _item.c.article_count, _item.c.updated_at, _item.c.profile, _item.c.titles,
                 _item.c.disputed).where(_item.c.id.in_(bindparam("ids", expanding=True)))
_FLAGS = (update(_claim).where(_claim.c.id.in_(bindparam("ids", expanding=True)))
          .values(disputed=bindparam("d"), unverified=bindparam("u")))
_FACTS = (_claim.c.id, _claim.c.article_id, _claim.c.position, _claim.c.side, _claim.c.stance, _claim.c.numbers,
          _claim.c.event_date, _claim.c.refers_to, _claim.c.disputed, _claim.c.unverified)
_ATTRIBUTED = select(*_FACTS).where(_claim.c.item_id == bindparam("iid"), _claim.c.speaker.is_not(None))
_FLAGS_AT = Prepared(update(_claim).where(_claim.c.article_id == bindparam("a"), _claim.c.position == bindparam("p"))
                     .values(disputed=bindparam("d"), unverified=bindparam("u")))
_NEW_ITEM = insert(_item).values({c: bindparam(c, type_=_item.c[c].type) for c in (
    "created_at", "updated_at", "profile", "event_first", "event_last", "titles", "article_count", "disputed")})
# Every column but the id, each row giving all of them (store_claims' rows, bot.items.stages._claim_row).
_CLAIMS = Prepared(insert(_claim).values({c.name: bindparam(c.name, type_=c.type) for c in _claim.c if c.name != "id"}))
_FOUND: dict[int, Prepared] = {}  # candidate_versions' statement per limit, built once
_TOP = func.count(_key.c.key)
_CANDIDATES = (select(_key.c.item_id).where(_key.c.key.in_(bindparam("keys", expanding=True)),
                                            _key.c.day >= bindparam("first"), _key.c.day <= bindparam("last"))
               .group_by(_key.c.item_id).order_by(_TOP.desc(), _key.c.item_id.desc()))


def _run(session: Session, statement, parameters=None):
    """Execute a Core statement on the session's connection, in its transaction."""
    return session.connection().execute(statement, parameters)


def after_commit(session: Session, name: str, done: Callable[[dict], None]) -> dict:
    """A dict to fill in the session's transaction, handed to done() once that commits and dropped if
    it rolls back: what a process keeps of the store must be what the store kept."""
    if (name, "listening") not in session.info:  # once per session, however many transactions it runs
        session.info[name, "listening"] = True
        event.listen(session, "after_commit", lambda s: done(s.info.pop(name, None) or {}))
        event.listen(session, "after_rollback", lambda s: s.info.pop(name, None))
    return session.info.setdefault(name, {})


def articles_to_read(session: Session, ids: Sequence[int]) -> list[tuple[Article, str]]:
    """The articles with these ids not read yet, with their feed's name, oldest first (grouping is
    incremental: publication order makes it repeatable, whatever order the feeds arrived in)."""
    rows = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows += session.exec(
            select_models(Article, Feed.name).join(Feed, Feed.id == Article.feed_id)
            .where(col(Article.id).in_(chunk), col(Article.read_at).is_(None))
        ).all()
    return sorted(rows, key=lambda row: (row[0].published_at or row[0].fetched_at, row[0].id))


def unread_article_ids(session: Session, limit: int = 10_000) -> list[int]:
    """Articles stored but not read yet (an interrupted run, or rows from before reading existed)."""
    return list(session.exec(select_models(Article.id).where(col(Article.read_at).is_(None))
                             .order_by(Article.id).limit(limit)))


def begin_reading(session: Session, ids: Sequence[int]) -> None:
    """Count a reading begun on each of these articles (one that never finishes shows in the count)."""
    for start in range(0, len(ids), CHUNK):
        _run(session, update(_article).where(_article.c.id.in_(ids[start : start + CHUNK]))
             .values(read_attempts=_article.c.read_attempts + 1))


def store_reading(session: Session, article_id: int, features: dict, first: date | None, last: date | None,
                  now: datetime) -> bool:
    """Mark an article read, with its grouping features; False (and nothing kept) when another
    process read it first (the row lock makes the second wait, then see read_at set)."""
    marked = _MARK_READ.run(session.connection(), {"aid": article_id, "now": now, "features": features, "first": first,
                                        "last": last})
    return bool(marked.rowcount)


def store_claims(session: Session, article_id: int, item_id: int, claims: list[dict]) -> None:
    """Keep an article's claims, in its item: one INSERT for all of them."""
    if claims:
        _CLAIMS.run(session.connection(), [{"article_id": article_id, "item_id": item_id, **c} for c in claims])


def record_failure(session: Session, article_id: int, error: str, now: datetime) -> None:
    """Mark an article read without a reading, with why: it is not tried again."""
    _run(session, update(_article).where(_article.c.id == article_id, _article.c.read_at.is_(None))
         .values(read_at=now, read_error=error))


def candidate_versions(session: Session, keys: Sequence[str], first: date, last: date,
                       limit: int) -> list[tuple[int, int, datetime]]:
    """The items sharing most keys with an article on days around its event days (the blocking step),
    merged ones left out, by id, as (id, article_count, updated_at): what tells whether a copy of an
    item held since is current. One statement, whatever the number of candidates."""
    if not keys:
        return []
    if limit not in _FOUND:  # built once: building it for every article cost more than running it
        top = _CANDIDATES.limit(limit).subquery()
        _FOUND[limit] = Prepared(select(_item.c.id, _item.c.article_count, _item.c.updated_at)
                                 .join_from(top, _item, _item.c.id == top.c.item_id)
                                 .where(_item.c.merged_into.is_(None)).order_by(_item.c.id))
    return _FOUND[limit].rows(session.connection(), {"keys": list(keys), "first": first, "last": last})



def item_states(session: Session, ids: Sequence[int]) -> list[tuple]:
    """What grouping needs of these items, as rows (id, article_count, updated_at, profile, titles,
    disputed): one statement."""
    if not ids:
        return []
    return [tuple(row) for row in _run(session, _STATES, {"ids": list(ids)})]


def new_item(session: Session, now: datetime, profile: dict, first: date, last: date, titles: dict | None = None,
             article_count: int = 0, disputed: bool = False) -> int:
    """A new item (empty, unless told what it holds); its id."""
    done = _run(session, _NEW_ITEM, {"created_at": now, "updated_at": now, "profile": profile, "event_first": first,
                                     "event_last": last, "titles": titles or {}, "article_count": article_count,
                                     "disputed": disputed})
    return done.inserted_primary_key[0]


class ItemChanged(Exception):
    """The item was written by someone else since it was read: what was decided on it is stale, and
    the transaction must be rolled back and the article grouped again."""


def save_item(session: Session, item_id: int, version: tuple[int, datetime], profile: dict, article_count: int,
              first: date, last: date, now: datetime, titles: dict, disputed: bool) -> None:
    """Write an item's grouping state, read at `version` (article_count, updated_at): one UPDATE,
    which raises ItemChanged when the stored item is no longer at that version."""
    done = _SAVE.run(session.connection(), {
        "iid": item_id, "was_count": version[0], "was_at": version[1], "profile": profile,
        "article_count": article_count, "event_first": first, "event_last": last, "updated_at": now,
        "titles": titles, "disputed": disputed})
    if done.rowcount != 1:
        raise ItemChanged(f"item {item_id} changed since it was read")


def attach(session: Session, item_id: int, article_id: int, keys: Sequence[str], days: Sequence[date],
           places: Sequence[tuple[str, str | None]]) -> None:
    """Put an article in an item, with the item's keys on the given days."""
    connection = session.connection()
    _ATTACH.run(connection, {"aid": article_id, "iid": item_id})
    rows = [{"key": k, "day": d, "item_id": item_id} for k in set(keys) for d in days]
    for start in range(0, len(rows), CHUNK):
        _new_rows(session, "itemkey").run(connection, rows[start : start + CHUNK])
    if places:
        _new_rows(session, "itemplace").run(connection, [{"item_id": item_id, "slug": s, "region": r} for s, r in places])


def _new_rows(session: Session, table: str) -> Prepared:
    """INSERT … ON CONFLICT DO NOTHING into an item's key or place table, built once per dialect."""
    dialect = session.get_bind().dialect.name
    if (dialect, table) not in _INSERTS:
        rows = upsert_insert(session, _key if table == "itemkey" else _place)
        _INSERTS[dialect, table] = Prepared(rows.on_conflict_do_nothing())
    return _INSERTS[dialect, table]


_INSERTS: dict[tuple[str, str], Prepared] = {}


def merge(session: Session, keep: int, gone: int, version: tuple[int, datetime]) -> None:
    """Move everything of item `gone`, read at `version`, into item `keep`, set-based; `gone` stays
    as a pointer. Raises ItemChanged (before moving anything) when `gone` is no longer at that version."""
    if _run(session, _MERGED, {"gone": gone, "keep": keep, "was_count": version[0], "was_at": version[1]}).rowcount != 1:
        raise ItemChanged(f"item {gone} changed since it was read")
    for table in (_article, _claim):
        _run(session, update(table).where(table.c.item_id == gone).values(item_id=keep))
    for table in (_key, _place):
        moved = select(*(literal(keep).label("item_id") if c.name == "item_id" else c for c in table.c))
        _run(session, upsert_insert(session, table)
             .from_select([c.name for c in table.c], moved.where(table.c.item_id == gone)).on_conflict_do_nothing())
        _run(session, delete(table).where(table.c.item_id == gone))


def attributed_claim_facts(session: Session, item_id: int) -> list[tuple]:
    """The claims of an item that have a speaker, as plain rows of what their disputed/unverified
    marks are decided on (id, article_id, position, side, stance, numbers, event_date, refers_to)
    and the marks they have (disputed, unverified). Rows, not objects: the session neither builds nor
    tracks the item's claims, whose number grows with the item."""
    return [tuple(row) for row in _run(session, _ATTRIBUTED, {"iid": item_id})]


def set_claim_flags_at(session: Session, flags: dict[tuple[int, int], tuple[bool, bool]]) -> None:
    """Write disputed/unverified marks of claims named by (article id, position): one statement for
    all of them (executemany), each row found through its article's index."""
    if flags:
        _FLAGS_AT.run(session.connection(), [{"a": a, "p": p, "d": d, "u": u} for (a, p), (d, u) in sorted(flags.items())])


def set_claim_flags(session: Session, flags: dict[int, tuple[bool, bool]]) -> None:
    """Write disputed/unverified marks: one UPDATE per pair of values (per CHUNK ids), whatever the
    number of claims."""
    by_value: dict[tuple[bool, bool], list[int]] = {}
    for claim_id, value in flags.items():
        by_value.setdefault(value, []).append(claim_id)
    for (disputed, unverified), ids in sorted(by_value.items()):
        ids.sort()
        for start in range(0, len(ids), CHUNK):
            _run(session, _FLAGS, {"ids": ids[start : start + CHUNK], "d": disputed, "u": unverified})


def latest_items(session: Session, limit: int = 20, since: datetime | None = None) -> list[Item]:
    """The most recently updated items (optionally only those updated since a time)."""
    query = select_models(Item).where(col(Item.merged_into).is_(None), Item.article_count > 0)
    if since is not None:
        query = query.where(Item.updated_at > since)
    return list(session.exec(query.order_by(col(Item.updated_at).desc()).limit(limit)))


def items_updated_between(session: Session, start: datetime, end: datetime, limit: int = 50) -> list[Item]:
    """Items new or updated in (start, end], most recently updated first."""
    return list(session.exec(
        select_models(Item).where(col(Item.merged_into).is_(None), Item.article_count > 0, Item.updated_at > start,
                                  Item.updated_at <= end).order_by(col(Item.updated_at).desc()).limit(limit)))


def titles_of(session: Session, item_ids: Iterable[int]) -> dict[int, dict]:
    """Each item's titles by language."""
    ids = list(item_ids)
    if not ids:
        return {}
    return dict(session.exec(select_models(Item.id, Item.titles).where(col(Item.id).in_(ids))).all())


def items_for_places_since(session: Session, slug: str, since: datetime | None, until: datetime) -> list[Item]:
    """Items about a place (or a place in that region) updated in (since, until]."""
    here = select_models(ItemPlace.item_id).where(or_(ItemPlace.slug == slug, ItemPlace.region == slug))
    query = select_models(Item).where(col(Item.id).in_(here), col(Item.merged_into).is_(None), Item.updated_at <= until)
    if since is not None:
        query = query.where(Item.updated_at > since)
    return list(session.exec(query.order_by(col(Item.updated_at).desc()).limit(20)))
