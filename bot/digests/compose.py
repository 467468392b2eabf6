"""Pure: items + a subscriber's language, follows and window → digest messages. Ranked (followed
places first, then new, then the most sources and disputes), split by the one splitter (bot.digests.tgtext:
at item boundaries, within Telegram's limit as Telegram counts it); one render serves everyone who
shares (language, window, follows)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from bot.digests.replies import LIMIT, render_item
from bot.digests.tgtext import split
from bot.i18n import day, language_of, t, tn


def rank(items: list[dict], window_start: datetime, followed: frozenset[str]) -> list[dict]:
    """Followed places first, then new items, then by sources and disputes, then the newest."""
    def key(item: dict) -> tuple:
        follows = bool(followed & set(item.get("places", ())))
        new = datetime.fromisoformat(item["created"]) > window_start
        sources = sum(1 + len(a["copies"]) for a in item["articles"])
        return (not follows, not new, -sources, not item["disputed"], item["updated"][::-1])
    return sorted(items, key=key)


def compose(items: list[dict], lang: str, window: tuple[datetime, datetime],
            followed: frozenset[str] = frozenset(), empty_note: bool = False) -> list[str]:
    """The messages of one digest ([] when there is nothing to say)."""
    lang = language_of(lang)
    if not items:
        return [t(lang, "digest.empty")] if empty_note else []
    start, end = window
    header = (f"<b>{t(lang, 'digest.title', day=day(lang, end.date()))}</b>\n"
              f"<i>{tn(lang, 'digest.count', 'digest.count.plural', len(items))}</i>")
    blocks = [header]
    for item in rank(items, start, followed):
        label = t(lang, ("digest.new" if datetime.fromisoformat(item["created"]) > start else "digest.updated"))
        blocks.append(f"<i>[{label}]</i> " + render_item(item, lang))
    return split("\n\n".join(blocks), LIMIT, continued=f"<i>{t(lang, 'digest.more')}</i>")


@lru_cache(maxsize=256)
def cached(key: tuple, render) -> tuple[str, ...]:
    """One render per key (language, window, follows): `render()` runs once per key."""
    return tuple(render())
