"""Pure: items + a subscriber's language, follows and window → digest messages. Ranked (followed
places first, then new, then the most sources, then disputes, then the most recently updated); each
item short enough for a phone (headline, day, what disagrees, its two or three core claims, how many
more, a button for the full item), so that ten items fit in two messages; packed at item boundaries
within Telegram's limit as Telegram counts it (bot.digests.tgtext); one render serves everyone who
shares (language, window, follows)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from bot.digests.replies import LIMIT, Reply, render_item
from bot.digests.tgtext import length, split
from bot.i18n import day, language_of, t, tn

CORE_CLAIMS = 3
ITEM_BUDGET = 720  # units per item: five items and a header fill one message, so ten fill two


def rank(items: list[dict], window_start: datetime, followed: frozenset[str]) -> list[dict]:
    """Followed places first, then new items, then by sources and disputes, then the newest."""
    def key(item: dict) -> tuple:
        follows = bool(followed & set(item.get("places", ())))
        new = datetime.fromisoformat(item["created"]) > window_start
        sources = sum(1 + len(a["copies"]) for a in item["articles"])
        # The newest first: by the instant, not by the text of the timestamp.
        return (not follows, not new, -sources, not item["disputed"], -datetime.fromisoformat(item["updated"]).timestamp())
    return sorted(items, key=key)


def _block(item: dict, number: int, lang: str, start: datetime) -> tuple[str, tuple[str, str]]:
    label = t(lang, ("digest.new" if datetime.fromisoformat(item["created"]) > start else "digest.updated"))
    text, _ = render_item(item, lang, limit=CORE_CLAIMS, compact=True, budget=ITEM_BUDGET)
    title = " ".join((item["title"] or "").split())
    title = title if len(title) <= 40 else title[:39].rstrip() + "…"
    return f"<i>[{label}]</i> {number}. " + text, (t(lang, "button.item", number=number, title=title), f"it:{item['id']}")


def compose_replies(items: list[dict], lang: str, window: tuple[datetime, datetime],
                    followed: frozenset[str] = frozenset(), empty_note: bool = False) -> list[Reply]:
    """The messages of one digest, each with a button per item it holds ([] when there is nothing to say)."""
    lang = language_of(lang)
    if not items:
        return [Reply(t(lang, "digest.empty"))] if empty_note else []
    start, end = window
    header = (f"<b>{t(lang, 'digest.title', day=day(lang, end.date()))}</b>\n"
              f"<i>{tn(lang, 'digest.count', 'digest.count.plural', len(items))}</i>")
    continued = f"<i>{t(lang, 'digest.more')}</i>"
    replies = [Reply(header)]
    for number, item in enumerate(rank(items, start, followed), 1):
        block, button = _block(item, number, lang, start)
        joined = replies[-1].text + "\n\n" + block
        if length(joined) <= LIMIT:
            replies[-1].text = joined
        else:
            parts = split(continued + "\n\n" + block, LIMIT)  # a block longer than a message: never cut inside a tag
            replies += [Reply(part) for part in parts]
        replies[-1].buttons.append([button])
    return replies


def compose(items: list[dict], lang: str, window: tuple[datetime, datetime],
            followed: frozenset[str] = frozenset(), empty_note: bool = False) -> list[str]:
    """The texts of one digest's messages ([] when there is nothing to say)."""
    return [reply.text for reply in compose_replies(items, lang, window, followed, empty_note)]


@lru_cache(maxsize=256)
def cached(key: tuple, render) -> tuple[str, ...]:
    """One render per key (language, window, follows): `render()` runs once per key."""
    return tuple(render())
