"""Functions that take a Session and read or write rows; no business rules live here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, any_, bindparam, func, literal_column, or_, text, update
from sqlalchemy.types import ARRAY
from sqlmodel import Session, col, select

from storage.db import upsert_insert
from storage.models import Article, Feed, utcnow

INSERT_CHUNK = 500


@dataclass(frozen=True, slots=True)
class FeedTask:
    """A claimed feed, as plain values a worker thread may hold."""

    id: int
    url: str
    name: str
    language: str | None
    keywords: tuple[str, ...]
    fulltext: bool
    etag: str | None
    last_modified: str | None
    error_count: int
    ttl_minutes: int | None


def add_missing_feeds(session: Session, specs: Iterable) -> int:
    """Add configured feeds not yet known (a removed feed stays removed); returns how many. Several
    processes starting at once may run this together: a URL another one just added is skipped."""
    rows: dict[str, dict] = {}
    now = utcnow()
    for spec in specs:  # plain rows, not Feed objects: every process start adds its whole feed list
        rows.setdefault(spec.url, {"url": spec.url, "name": spec.name, "language": spec.language,
                                   "keywords": list(spec.keywords), "fulltext": spec.fulltext, "created_at": now})
    if not rows:
        return 0
    statement = upsert_insert(session, Feed).on_conflict_do_nothing().returning(Feed.id)
    return len(list(session.connection().execute(statement, list(rows.values())).scalars()))


def _new_feed(spec) -> Feed:
    return Feed(url=spec.url, name=spec.name, language=spec.language,
                keywords=list(spec.keywords), fulltext=spec.fulltext)


def upsert_feed(session: Session, spec, now: datetime) -> Feed:
    """Add a feed, or update and revive the one with that URL; either way it is due at once."""
    feed = session.exec(select(Feed).where(Feed.url == spec.url)).first()
    if feed is None:
        feed = _new_feed(spec)
    else:
        feed.name, feed.language, feed.fulltext = spec.name, spec.language, spec.fulltext
        feed.keywords = list(spec.keywords)
        feed.active, feed.removed_at, feed.error_count = True, None, 0
    feed.next_fetch_at = now
    session.add(feed)
    session.flush()
    return feed


def remove_feed(session: Session, url: str, now: datetime) -> bool:
    """Retire a feed; its articles stay. False when no such feed is listed."""
    result = session.execute(
        update(Feed).where(Feed.url == url, col(Feed.removed_at).is_(None)).values(removed_at=now, active=False)
    )
    return result.rowcount > 0


def listed_feeds(session: Session) -> list[tuple[Feed, int]]:
    """Every feed not removed, with its article count."""
    counts = select(Article.feed_id, func.count().label("n")).group_by(Article.feed_id).subquery()
    rows = session.exec(
        select(Feed, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.feed_id == Feed.id)
        .where(col(Feed.removed_at).is_(None))
        .order_by(Feed.name)
    )
    return list(rows)


def claim_feeds(session: Session, now: datetime, lease: timedelta, urls: Sequence[str] | None = None,
                holder: str | None = None, gone: Sequence[str] = ()) -> list[FeedTask]:
    """Take a lease on due feeds (or on the named ones, due or not) that no run holds now; the leases
    of the holders in `gone` (processes that no longer run) count as expired. One UPDATE … RETURNING
    for all of them: whether a lease is free is decided row by row inside it, as another run's
    claim at the same moment sees it."""
    free = or_(col(Feed.lease_until).is_(None), Feed.lease_until < now, col(Feed.lease_holder).in_(gone))
    c = Feed.__table__.c  # Core, on the session's connection: no Feed objects are loaded or kept up to date
    statement = (update(Feed.__table__).where(*_due(now, urls), free)
                 .values(lease_until=now + lease, lease_holder=holder)
                 .returning(c.id, c.url, c.name, c.language, c.keywords, c.fulltext, c.etag, c.last_modified,
                            c.error_count, c.ttl_minutes))
    rows = sorted(session.connection().execute(statement).all(), key=lambda row: row.id)
    return [FeedTask(r.id, r.url, r.name, r.language, tuple(r.keywords or ()), r.fulltext, r.etag, r.last_modified,
                     r.error_count, r.ttl_minutes) for r in rows]


def _due(now: datetime, urls: Sequence[str] | None) -> list:
    """Where a feed is due: not removed, and named, or active and its time has come."""
    if urls:
        return [col(Feed.removed_at).is_(None), col(Feed.url).in_(urls)]
    return [col(Feed.removed_at).is_(None), Feed.active,
            or_(col(Feed.next_fetch_at).is_(None), Feed.next_fetch_at <= now)]


def lease_holders(session: Session, now: datetime) -> set[str]:
    """Who holds a feed lease that has not expired."""
    return set(session.exec(select(Feed.lease_holder).where(Feed.lease_until >= now,
                                                            col(Feed.lease_holder).is_not(None)).distinct()))


def leased_feeds(session: Session, now: datetime, holder: str | None,
                 urls: Sequence[str] | None = None) -> list[Feed]:
    """Due (or named) feeds whose lease another holder has now."""
    query = select(Feed).where(*_due(now, urls), Feed.lease_until >= now)
    if holder is not None:
        query = query.where(or_(col(Feed.lease_holder).is_(None), Feed.lease_holder != holder))
    return list(session.exec(query.order_by(Feed.id)))


def release_feed(session: Session, feed_id: int, values: dict) -> None:
    """Write the feed's new state and give up the lease. On the session's connection, as Core: once
    per feed per run, and the ORM's UPDATE would first look for Feed objects to bring up to date."""
    table = Feed.__table__
    session.connection().execute(update(table).where(table.c.id == feed_id).values(lease_until=None, **values))


_IDENTITY = Article.__table__.c.identity
# SQLite: the identities as one expanding parameter of a statement built once. `in_(chunk)` built a
# statement per feed and coerced each identity into an element of it, a fifth of storing a feed.
_KNOWN_IN = select(_IDENTITY).where(_IDENTITY.in_(bindparam("identities", expanding=True)))


def known_identities(session: Session, identities: Sequence[str]) -> set[str]:
    """Which of these article identities are stored already (Core, on the session's connection)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # one array parameter: see insert_articles
        found = connection.execute(select(_IDENTITY).where(_IDENTITY == _any_identity()),
                                   {"identities": list(identities)})
        return set(found.scalars())
    known: set[str] = set()
    for start in range(0, len(identities), INSERT_CHUNK):
        chunk = list(identities[start : start + INSERT_CHUNK])
        known.update(connection.execute(_KNOWN_IN, {"identities": chunk}).scalars())
    return known


def insert_articles(session: Session, rows: Sequence[dict]) -> list[int]:
    """Insert articles, skipping any whose identity or (feed, guid) is stored; returns the new ids."""
    if not rows:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _insert_articles_pipelined(connection, rows)
    # One compiled statement, executed over all rows (SQLAlchemy batches it as "insertmanyvalues").
    statement = upsert_insert(session, Article).on_conflict_do_nothing().returning(Article.id)
    return list(connection.execute(statement, list(rows)).scalars())


def _insert_articles_pipelined(connection, rows: Sequence[dict]) -> list[int]:
    """PostgreSQL: an INSERT of one row, which psycopg sends for every row without waiting for each
    (executemany in pipeline mode), then the ids of the rows this transaction inserted, by identity.
    One INSERT … RETURNING of all rows (insertmanyvalues) is a statement of 13 placeholders a row,
    which psycopg parses anew each time (it keeps the parse only of statements of at most 50
    parameters): a third of the client's CPU in storing a feed of 500 entries. xmin is the
    transaction that wrote a row: a row of one of these identities stored before is not returned."""
    connection.execute(upsert_insert(connection, Article).on_conflict_do_nothing(), list(rows))
    ours = literal_column("article.xmin") == text("pg_current_xact_id()::xid")
    table = Article.__table__
    found = connection.execute(select(table.c.id).where(_IDENTITY == _any_identity(), ours).order_by(table.c.id),
                               {"identities": [row["identity"] for row in rows]})
    return list(found.scalars())


def _any_identity():
    """`= ANY(:identities)`, the identities as one array parameter (PostgreSQL)."""
    return any_(bindparam("identities", type_=ARRAY(String)))


def latest_articles(session: Session, limit: int = 50) -> list[tuple[Article, str]]:
    """The newest articles with their feed's name."""
    rows = session.exec(
        select(Article, Feed.name).join(Feed, Feed.id == Article.feed_id)
        .order_by(col(Article.published_at).desc(), col(Article.id).desc()).limit(limit)
    )
    return list(rows)


def count_articles(session: Session) -> int:
    """How many articles are stored."""
    return session.exec(select(func.count()).select_from(Article)).one()


def take_lease(session: Session, name: str, holder: str, now: datetime, length: timedelta,
               gone: Sequence[str] = ()) -> bool:
    """Hold job `name` until now + length, unless another holder's lease still runs (the leases of
    the holders in `gone`, processes that no longer run, count as expired)."""
    from storage.db import upsert_insert
    from storage.models import JobLease

    session.execute(upsert_insert(session, JobLease).on_conflict_do_nothing(),
                    [{"name": name, "holder": holder, "until": now - timedelta(seconds=1)}])
    free = or_(JobLease.until < now, JobLease.holder == holder, col(JobLease.holder).in_(gone))
    taken = session.execute(update(JobLease).where(JobLease.name == name, free)
                            .values(holder=holder, until=now + length))
    return taken.rowcount > 0


def job_lease_holder(session: Session, name: str) -> str | None:
    """Who holds (or last held) job `name`."""
    from storage.models import JobLease

    return session.exec(select(JobLease.holder).where(JobLease.name == name)).first()


def unread_articles(session: Session, limit: int = 10_000) -> list[tuple[int, int]]:
    """(feed id, article id) of articles stored but not read yet, oldest first: a run that was killed,
    or stopped, before its later stages were done with them."""
    return list(session.exec(select(Article.feed_id, Article.id).where(col(Article.read_at).is_(None))
                             .order_by(Article.id).limit(limit)))


def prune_articles(session: Session, before: datetime) -> int:
    """Drop the text of articles fetched before a time; their rows stay, so claims keep their source."""
    result = session.execute(update(Article).where(Article.fetched_at < before, Article.text != "")
                             .values(text="", summary="", features={}))
    return result.rowcount


def item_of_articles(session: Session) -> dict[int, int | None]:
    """Every article's item id, by article id."""
    return dict(session.exec(select(Article.id, Article.item_id)).all())
