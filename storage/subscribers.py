"""Subscriber rows: functions that take a Session; no business rules."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, select

from storage.db import upsert_insert
from storage.models import Awaiting, Feed, Subscriber

DEFAULT_TIMEZONE = Subscriber.model_fields["timezone"].default


def get(session: Session, chat_id: int) -> Subscriber | None:
    """The chat's row, if any."""
    return session.get(Subscriber, chat_id)


def get_or_create(session: Session, chat_id: int, chat_type: str, language: str, now: datetime) -> Subscriber:
    """The chat's row, made with defaults on first contact."""
    row = session.get(Subscriber, chat_id)
    if row is None:
        row = Subscriber(chat_id=chat_id, chat_type=chat_type, language=language, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
    return row


def change(session: Session, chat_id: int, now: datetime, **values: object) -> None:
    """Update settings of a chat; its next digest time is to be worked out again."""
    session.execute(update(Subscriber).where(Subscriber.chat_id == chat_id)
                    .values({"updated_at": now, "next_due_at": None, **values}))


def forget(session: Session, chat_id: int) -> bool:
    """Delete everything kept about a chat."""
    session.execute(delete(Awaiting).where(Awaiting.chat_id == chat_id))
    return session.execute(delete(Subscriber).where(Subscriber.chat_id == chat_id)).rowcount > 0


def expect(session: Session, chat_id: int, command: str, now: datetime) -> None:
    """The chat's next message is the argument of `command`."""
    insert = upsert_insert(session, Awaiting)
    session.execute(insert.on_conflict_do_update(index_elements=["chat_id"], set_={"command": command, "since": now}),
                    [{"chat_id": chat_id, "command": command, "since": now}])


def take_expected(session: Session, chat_id: int, since: datetime) -> str | None:
    """The command waiting for this chat's message (asked after `since`), no longer waiting. Every
    command in a private chat asks: when nothing waits, a read, never a write that queues behind the
    digests' writes for SQLite's one write lock."""
    if session.execute(select(Awaiting.chat_id).where(Awaiting.chat_id == chat_id)).first() is None:
        return None
    found = session.execute(delete(Awaiting).where(Awaiting.chat_id == chat_id)
                            .returning(Awaiting.command, Awaiting.since)).first()
    return found[0] if found is not None and found[1] > since else None


def migrate_chat(session: Session, old_id: int, new_id: int, now: datetime) -> None:
    """A group became a supergroup: its settings move to the new chat id."""
    if session.get(Subscriber, new_id) is None:
        session.execute(update(Subscriber).where(Subscriber.chat_id == old_id).values(chat_id=new_id, updated_at=now))


def active_feeds(session: Session) -> list[Feed]:
    """Feeds being read, by name."""
    return list(session.exec(select(Feed).where(Feed.active, Feed.removed_at == None).order_by(Feed.name)))  # noqa: E711


def stats(session: Session, now: datetime) -> dict[str, int]:
    """Figures for the admin's /stats."""
    from datetime import timedelta

    from sqlalchemy import func

    from storage.models import Article, Delivery, Item

    def count(query) -> int:
        return session.exec(query).one()

    day = now - timedelta(days=1)
    return {
        "feeds": count(select(func.count()).select_from(Feed).where(Feed.removed_at == None)),  # noqa: E711
        "failing": count(select(func.count()).select_from(Feed).where(Feed.error_count > 0)),
        "articles": count(select(func.count()).select_from(Article)),
        "items": count(select(func.count()).select_from(Item).where(Item.merged_into == None)),  # noqa: E711
        "subscribers": count(select(func.count()).select_from(Subscriber).where(Subscriber.subscribed,
                                                                                Subscriber.active)),
        "sent": count(select(func.count()).select_from(Delivery).where(Delivery.status == "sent",
                                                                       Delivery.sent_at > day)),
    }


def feed_states(session: Session) -> list[Feed]:
    """Every feed not removed, by name."""
    return list(session.exec(select(Feed).where(Feed.removed_at == None).order_by(Feed.name)))  # noqa: E711
