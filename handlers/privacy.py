"""Privacy: /forgetme deletes what the bot keeps of a chat, once the chat confirms with a button."""

from __future__ import annotations

from bot.digests.replies import Reply
from bot.i18n import t
from handlers.context import Desk, Incoming, stamp
from storage import deliveries, subscribers
from storage.db import session_scope


def forgetme(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Ask to confirm: deleting cannot be undone."""
    row = desk.settings(msg)
    lang = row.language
    return [Reply(t(lang, "forget.confirm"), [[(t(lang, "button.forget"), f"forget:{stamp(row)}"),
                                               (t(lang, "button.keep"), "keep")]])]


def forget(desk: Desk, msg: Incoming) -> list[Reply]:
    """Confirmed: delete the chat's data (settings, follows, delivery log, a question waiting)."""
    lang = desk.language(msg)
    with session_scope(desk.engine) as session:
        deliveries.forget(session, msg.chat_id)
        subscribers.forget(session, msg.chat_id)
    return [Reply(t(lang, "forgotten"))]


def keep(desk: Desk, msg: Incoming) -> list[Reply]:
    """Not confirmed: nothing is deleted."""
    return [Reply(t(desk.language(msg), "forget.kept"))]
