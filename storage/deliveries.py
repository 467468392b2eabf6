"""Delivery log and follows: functions that take a Session; no business rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Integer, bindparam, case, delete, func, or_, union_all, update
from sqlmodel import Session, col, select

from storage.db import upsert_insert
from storage.models import Delivery, Follow, Item, ItemPlace, Subscriber, UTCDateTime


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
                     .where(Subscriber.chat_id == bindparam("chat"), Subscriber.updated_at == _at("seen"))
                     .values(next_due_at=_at("due")).execution_options(synchronize_session=False),
                     [{"chat": chat, "due": due, "seen": seen} for chat, due, seen in rows])


# The fan-out's hot path: Core statements built once, on one Connection, one short transaction each
# (the ORM Session, and statements rebuilt for every message, cost more than the work at thousands of
# deliveries a second).

def _at(name: str):
    """A bound instant, typed (stored as naive UTC, as every time column)."""
    return bindparam(name, type_=UTCDateTime())


DUE_COLUMNS = (Subscriber.chat_id, Subscriber.language, Subscriber.times, Subscriber.timezone,
               Subscriber.last_digest_at, Subscriber.created_at, Subscriber.updated_at, Subscriber.notify_empty)
_MAYBE_DUE = (Subscriber.subscribed, Subscriber.active,
              or_(col(Subscriber.next_due_at).is_(None), col(Subscriber.next_due_at) <= _at("now")))
# The pages walk the chats by id (the primary key) and test each one's time as they go: a condition
# on next_due_at that its index could serve would have the planner read every remaining due chat and
# sort them, for each page again (quadratic in the audience).
_DUE_PAGE = (select(*DUE_COLUMNS)
             .where(Subscriber.subscribed, Subscriber.active, Subscriber.chat_id > bindparam("after"),
                    func.coalesce(Subscriber.next_due_at, _at("now")) <= _at("now"))
             .order_by(Subscriber.chat_id).limit(bindparam("size")))
_ANY_DUE = select(Subscriber.chat_id).where(*_MAYBE_DUE).limit(1)
_FOLLOWS = select(Follow.chat_id, Follow.slug).where(col(Follow.chat_id).in_(bindparam("chats", expanding=True)))


def any_due(conn: Connection, now: datetime) -> bool:
    """Whether any chat may have a digest due (one indexed read: the check made every minute)."""
    return conn.execute(_ANY_DUE, {"now": now}).first() is not None


def due_page(conn: Connection, now: datetime, after: int, size: int) -> list:
    """The next `size` chats (by id, after `after`) that want digests, can get them and may have one
    due by now: rows of DUE_COLUMNS. Keyset pages: a fan-out holds one page of chats, not all."""
    return conn.execute(_DUE_PAGE, {"now": now, "after": after, "size": size}).all()


def follows_in(conn: Connection, chat_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """Followed places per chat, for one page of chats."""
    found: dict[int, set[str]] = {}
    if chat_ids:
        for chat_id, slug in conn.execute(_FOLLOWS, {"chats": list(chat_ids)}):
            found.setdefault(chat_id, set()).add(slug)
    return {c: frozenset(s) for c, s in found.items()}


def claim_many(conn: Connection, wanted: Sequence[tuple[int, str, tuple[datetime, datetime]]], now: datetime,
               stale_before: datetime) -> dict[int, tuple[int, int, bool]]:
    """Take the deliveries of several (chat, language, window)s in one statement: the new ones in one
    multi-row insert; a chat whose row exists already is tried on its own, as `claim` does. By chat:
    (id, parts already sent, whether a message may be in doubt); a chat another sender holds, or one
    done already, is left out."""
    rows = [_claim_row(chat_id, language, window, now) for chat_id, language, window in wanted]
    if not rows:
        return {}
    insert = upsert_insert(conn, Delivery).on_conflict_do_nothing()
    made = {chat: (did, sent, False) for chat, did, sent in
            conn.execute(insert.returning(Delivery.chat_id, Delivery.id, Delivery.parts_sent), rows)}
    for chat_id, _, window in wanted:
        if chat_id not in made and (taken := _take_over(conn, chat_id, window[1], now, stale_before)) is not None:
            made[chat_id] = taken
    return made


def claim(conn: Connection, chat_id: int, language: str, window: tuple[datetime, datetime], now: datetime,
          stale_before: datetime) -> tuple[int, int, bool] | None:
    """Take the delivery of one window for one chat: a new row, one a fan-out paused (stopped cleanly
    between its messages), or one a sender left claimed long enough ago: that sender died, perhaps
    with a message in flight. (id, parts already sent, whether a message may be in doubt), or None
    when it is done or another sender holds it."""
    insert = upsert_insert(conn, Delivery)
    row = _claim_row(chat_id, language, window, now)
    made = conn.execute(insert.on_conflict_do_nothing().returning(Delivery.id, Delivery.parts_sent), [row]).first()
    if made is not None:
        return made[0], made[1], False
    return _take_over(conn, chat_id, window[1], now, stale_before)


def _claim_row(chat_id: int, language: str, window: tuple[datetime, datetime], now: datetime) -> dict:
    return {"chat_id": chat_id, "language": language, "window_start": window[0], "window_end": window[1],
            "status": "claimed", "claimed_at": now, "parts": 0, "parts_sent": 0, "attempts": 1}


_TAKE_OVER = [(update(Delivery).where(Delivery.chat_id == bindparam("chat"), Delivery.window_end == _at("end"),
                                      *left)
               .values(status="claimed", claimed_at=_at("now"), attempts=Delivery.attempts + 1)
               .returning(Delivery.id, Delivery.parts_sent), doubt)
              for left, doubt in (((Delivery.status == "paused",), False),
                                  # claimed by a sender that died before it began: nothing can have been sent
                                  ((Delivery.status == "claimed", Delivery.claimed_at < _at("stale")), False),
                                  ((Delivery.status == "sending", Delivery.claimed_at < _at("stale")), True))]


def _take_over(conn: Connection, chat_id: int, end: datetime, now: datetime,
               stale_before: datetime) -> tuple[int, int, bool] | None:
    """A delivery row that exists: paused (go on at once), claimed by a dead sender that never began it
    (nothing sent), or left by a dead sender mid-send (in doubt)."""
    for statement, doubt in _TAKE_OVER:
        made = conn.execute(statement, {"chat": chat_id, "end": end, "now": now, "stale": stale_before}).first()
        if made is not None:
            return made[0], made[1], doubt
    return None


def release(conn: Connection, delivery_ids: Sequence[int]) -> None:
    """Withdraw claims a stopping fan-out took but did not start: nothing was sent, so they go as if
    never claimed (the next sender claims them afresh, at once, not after the lease)."""
    if delivery_ids:
        conn.execute(delete(Delivery).where(col(Delivery.id).in_(delivery_ids), Delivery.status == "claimed",
                                            Delivery.parts_sent == 0))


_START = (update(Delivery).where(Delivery.id == bindparam("did"), Delivery.status == "claimed")
          .values(status="sending"))


def start_many(conn: Connection, delivery_ids: Sequence[int]) -> None:
    """Mark claimed deliveries whose first message is about to go: from here on, a sender that dies
    leaves its chat in doubt (a message may have reached it). Claims never started are not."""
    if delivery_ids:
        conn.execute(_START, [{"did": did} for did in delivery_ids])


_PAUSE = update(Delivery).where(Delivery.id == bindparam("did")).values(status="paused")


def pause(conn: Connection, delivery_id: int) -> None:
    """A fan-out stopping cleanly between a digest's messages: nothing in flight, the next sender
    may go on at once."""
    conn.execute(_PAUSE, {"did": delivery_id})


def progress(conn: Connection, delivery_id: int, **values: object) -> None:
    """Record how far a delivery got."""
    conn.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))


_CLOSE = (update(Delivery).where(Delivery.id == bindparam("did"))
          .values(status=bindparam("status"), sent_at=_at("at"), error=bindparam("error"),
                  parts=func.coalesce(bindparam("parts", type_=Integer), Delivery.parts),
                  parts_sent=func.coalesce(bindparam("parts_sent", type_=Integer), Delivery.parts_sent)))
_MOVE_ON = (update(Subscriber).where(Subscriber.chat_id == bindparam("chat"))
            .values(last_digest_at=_at("end"),
                    next_due_at=case((Subscriber.updated_at == _at("seen"), _at("due")), else_=None)))




def finish_many(conn: Connection, rows: Sequence[dict]) -> None:
    """Close several deliveries at once, in two statements each executed for every row (delivery_id,
    chat_id, window_end, status, now; optional error, parts, parts_sent and next_due: the chat's next
    due time and the settings' time it was worked out from). Whatever the outcome (sent, empty,
    partial, failed, blocked) the window is done and the chat's digest clock moves on: a later window
    never repeats it; settings changed since next_due was worked out leave it to be worked out again."""
    if rows:
        conn.execute(_CLOSE, [{"did": r["delivery_id"], "status": r["status"], "at": r["now"], "error": r.get("error"),
                               "parts": r.get("parts"), "parts_sent": r.get("parts_sent")} for r in rows])
        conn.execute(_MOVE_ON, [{"chat": r["chat_id"], "end": r["window_end"], "seen": (r.get("next_due") or _NONE)[1],
                                 "due": (r.get("next_due") or _NONE)[0]} for r in rows])


_NONE = (None, None)


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
