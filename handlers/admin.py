"""Admin commands, for ADMIN_CHAT_IDS only: /stats and /feeds."""

from __future__ import annotations

from bot.digests.replies import Reply
from bot.digests.tgtext import escape
from bot.i18n import t
from handlers.context import Desk, Incoming
from storage import subscribers
from storage.db import session_scope


def stats(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """How the service is doing."""
    lang = desk.language(msg)
    if msg.chat_id not in desk.admins:
        return [Reply(t(lang, "admin.only"))]
    with session_scope(desk.engine) as session:
        figures = subscribers.stats(session, desk.clock())
    return [Reply(escape(t(lang, "admin.stats", **figures)))]


def feeds(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Every feed's state and last error."""
    lang = desk.language(msg)
    if msg.chat_id not in desk.admins:
        return [Reply(t(lang, "admin.only"))]
    with session_scope(desk.engine) as session:
        rows = subscribers.feed_states(session)
    lines = [f"{'✅' if f.error_count == 0 else '⚠️'} {f.name}: {f.last_status or '–'}"
             + (f" ({f.last_error[:80]})" if f.last_error else "") for f in rows]
    return [Reply(escape("\n".join(lines) or "–"))]  # as long as it is: the adapter splits it for Telegram
