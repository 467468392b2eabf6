"""Privacy: /forgetme deletes what the bot keeps of a chat."""

from __future__ import annotations

from bot.digests.replies import Reply
from bot.i18n import t
from handlers.context import Desk, Incoming
from storage import deliveries, subscribers
from storage.db import session_scope


def forgetme(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Delete the chat's data: settings, follows, delivery log."""
    lang = desk.language(msg)
    with session_scope(desk.engine) as session:
        deliveries.forget(session, msg.chat_id)
        subscribers.forget(session, msg.chat_id)
    return [Reply(t(lang, "forgotten"))]
