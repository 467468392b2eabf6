"""Delivery log and follows: functions that take a Session; no business rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, case, delete, or_, union_all, update
from sqlmodel import Session, col, select

from storage.db import upsert_insert
from storage.models import Delivery, Follow, Item, ItemPlace, Subscriber


def digest_subscribers(session: Session, now: datetime) -> list[Subscriber]:
    """The chats that want digests, can get them, and may have one due by now (or have yet to be
    worked out)."""
    maybe_due = or_(col(Subscriber.next_due_at).is_(None), col(Subscriber.next_due_at) <= now)
    found = session.exec(select(Subscriber).where(Subscriber.subscribed, Subscriber.active, maybe_due))
    return sorted(found, key=lambda s: s.chat_id)  # sorted here: ORDER BY would walk the whole table by key


def set_next_due(conn: Connection, rows: Sequence[tuple[int, datetime | None, datetime]]) -> None:
    """Remember, per (chat, next digest time, settings as of), when its next digest falls; not where
    the settings changed since they were read (the time was worked out from the old ones)."""
    if rows:
        conn.execute(update(Subscriber)
                     .where(Subscriber.chat_id == bindparam("chat"), Subscriber.updated_at == bindparam("seen"))
                     .values(next_due_at=bindparam("due")).execution_options(synchronize_session=False),
                     [{"chat": chat, "due": due, "seen": seen} for chat, due, seen in rows])


# The fan-out's hot path: Core statements on one Connection, one short transaction each (the ORM
# Session costs more than the work at thousands of deliveries a second).

def claim(conn: Connection, chat_id: int, language: str, window: tuple[datetime, datetime], now: datetime,
          stale_before: datetime) -> tuple[int, int, bool] | None:
    """Take the delivery of one window for one chat: a new row, one a fan-out paused (stopped cleanly
    between its messages), or one a sender left claimed long enough ago: that sender died, perhaps
    with a message in flight. (id, parts already sent, whether a message may be in doubt), or None
    when it is done or another sender holds it."""
    start, end = window
    insert = upsert_insert(conn, Delivery)
    row = {"chat_id": chat_id, "language": language, "window_start": start, "window_end": end,
           "status": "claimed", "claimed_at": now, "parts": 0, "parts_sent": 0, "attempts": 1}
    made = conn.execute(insert.on_conflict_do_nothing().returning(Delivery.id, Delivery.parts_sent), [row]).first()
    if made is not None:
        return made[0], made[1], False
    mine = (Delivery.chat_id == chat_id, Delivery.window_end == end)
    for left, doubt in ((Delivery.status == "paused", False),
                        (and_(Delivery.status == "claimed", Delivery.claimed_at < stale_before), True)):
        made = conn.execute(update(Delivery).where(*mine, left)
                            .values(status="claimed", claimed_at=now, attempts=Delivery.attempts + 1)
                            .returning(Delivery.id, Delivery.parts_sent)).first()
        if made is not None:
            return made[0], made[1], doubt
    return None


def pause(conn: Connection, delivery_id: int) -> None:
    """A fan-out stopping cleanly between a digest's messages: nothing in flight, the next sender
    may go on at once."""
    conn.execute(update(Delivery).where(Delivery.id == delivery_id).values(status="paused"))


def progress(conn: Connection, delivery_id: int, **values: object) -> None:
    """Record how far a delivery got."""
    conn.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))


def finish(conn: Connection, delivery_id: int, chat_id: int, window_end: datetime, status: str, now: datetime,
           error: str | None = None, next_due: tuple[datetime | None, datetime] | None = None,
           **values: object) -> None:
    """Close a delivery; whatever the outcome (sent, empty, partial, failed, blocked) the window is
    done and the chat's digest clock moves on, to next_due (its time, and the settings' time it was
    worked out from: changed since, it is worked out again): a later window never repeats it."""
    conn.execute(update(Delivery).where(Delivery.id == delivery_id)
                 .values(status=status, sent_at=now, error=error, **values))
    due, seen = next_due if next_due is not None else (None, None)
    conn.execute(update(Subscriber).where(Subscriber.chat_id == chat_id).values(
        last_digest_at=window_end,
        next_due_at=case((Subscriber.updated_at == seen, due), else_=None) if seen is not None else None))


def deactivate(conn: Connection, chat_id: int, now: datetime) -> None:
    """The chat blocked the bot or is gone."""
    conn.execute(update(Subscriber).where(Subscriber.chat_id == chat_id).values(active=False, updated_at=now))


def deliveries(session: Session, chat_id: int | None = None) -> list[Delivery]:
    """The delivery log (of one chat)."""
    query = select(Delivery).order_by(Delivery.id)
    if chat_id is not None:
        query = query.where(Delivery.chat_id == chat_id)
    return list(session.exec(query))


def follow(session: Session, chat_id: int, slug: str, now: datetime) -> None:
    """Start following a place."""
    session.execute(upsert_insert(session, Follow).on_conflict_do_nothing(),
                    [{"chat_id": chat_id, "slug": slug, "created_at": now, "alerted_at": now}])


def unfollow(session: Session, chat_id: int, slug: str) -> bool:
    """Stop following a place."""
    return session.execute(delete(Follow).where(Follow.chat_id == chat_id, Follow.slug == slug)).rowcount > 0


def following(session: Session, chat_id: int) -> list[str]:
    """The places a chat follows."""
    return list(session.exec(select(Follow.slug).where(Follow.chat_id == chat_id).order_by(Follow.slug)))


def follows_of(session: Session, chat_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """Followed places per chat."""
    found: dict[int, set[str]] = {}
    for chat_id, slug in session.exec(select(Follow.chat_id, Follow.slug).where(col(Follow.chat_id).in_(chat_ids))):
        found.setdefault(chat_id, set()).add(slug)
    return {c: frozenset(s) for c, s in found.items()}


def all_follows(session: Session) -> list[Follow]:
    """Every follow of an active chat."""
    return list(session.exec(select(Follow).join(Subscriber, Subscriber.chat_id == Follow.chat_id)
                             .where(Subscriber.active)))


def alert_news(session: Session, until: datetime, per_chat: int = 10) -> dict[int, tuple[str, list[str], list[int]]]:
    """In one read for every active chat: the followed places with items updated since the chat's
    last alert on them (up to `until`), and the newest `per_chat` of those items; by chat:
    (language, places, item ids). A place's news includes the places in it (region)."""
    def matches(on) -> object:
        return (select(Follow.chat_id, Follow.slug, Follow.alerted_at, ItemPlace.item_id)
                .join(ItemPlace, on).join(Subscriber, Subscriber.chat_id == Follow.chat_id).where(Subscriber.active))

    found = union_all(matches(ItemPlace.slug == Follow.slug), matches(ItemPlace.region == Follow.slug)).subquery()
    rows = session.exec(
        select(found.c.chat_id, found.c.slug, Item.id, Subscriber.language)
        .join(Item, Item.id == found.c.item_id).join(Subscriber, Subscriber.chat_id == found.c.chat_id)
        .where(col(Item.merged_into).is_(None), Item.updated_at <= until,
               or_(found.c.alerted_at.is_(None), Item.updated_at > found.c.alerted_at))
        .order_by(found.c.chat_id, col(Item.updated_at).desc(), Item.id.desc()))
    news: dict[int, tuple[str, list[str], list[int]]] = {}
    for chat_id, slug, item_id, language in rows:
        _, slugs, items = news.setdefault(chat_id, (language, [], []))
        if slug not in slugs:
            slugs.append(slug)
        if item_id not in items and len(items) < per_chat:
            items.append(item_id)
    for _, slugs, _ in news.values():
        slugs.sort()
    return news


def alerted(session: Session, chat_id: int, slugs: Sequence[str], now: datetime) -> None:
    """Remember when a chat was last alerted about these places."""
    session.execute(update(Follow).where(Follow.chat_id == chat_id, col(Follow.slug).in_(slugs)).values(alerted_at=now))


def forget(session: Session, chat_id: int) -> None:
    """Delete a chat's follows and deliveries (part of /forgetme)."""
    session.execute(delete(Follow).where(Follow.chat_id == chat_id))
    session.execute(delete(Delivery).where(Delivery.chat_id == chat_id))


def chat_languages(session: Session, chat_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(chat, language) pairs."""
    return list(session.exec(select(Subscriber.chat_id, Subscriber.language).where(col(Subscriber.chat_id).in_(chat_ids))))
