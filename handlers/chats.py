"""Chat life: a user who blocks the bot becomes inactive; a group that becomes a supergroup keeps
its settings under the new id."""

from __future__ import annotations

import asyncio

from telegram import ChatMember, Update
from telegram.ext import ContextTypes

from handlers.common import desk
from storage import subscribers
from storage.db import session_scope

GONE = (ChatMember.BANNED, ChatMember.LEFT)


async def on_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot's own membership changed (blocked, unblocked, removed from a group)."""
    change = update.my_chat_member
    active = change.new_chat_member.status not in GONE
    front = desk(context)

    def record() -> None:
        with session_scope(front.engine) as session:
            if subscribers.get(session, change.chat.id) is not None:
                subscribers.change(session, change.chat.id, front.clock(), active=active)

    await asyncio.to_thread(record)


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup."""
    message = update.effective_message
    old, new = message.chat.id, message.migrate_to_chat_id
    front = desk(context)

    def record() -> None:
        with session_scope(front.engine) as session:
            subscribers.migrate_chat(session, old, new, front.clock())

    await asyncio.to_thread(record)
