"""Pure: the text of an alert about followed places (sent by bot.digests.send)."""

from __future__ import annotations

from bot.digests import tgtext
from bot.nlp.gazetteer import Gazetteer

ALERT_PLACES, ALERT_TITLES = 10, 10


def alert_text(gazetteer: Gazetteer, lang: str, slugs: list[str], titles: list[dict]) -> str:
    """Pure: an alert's HTML, the places named (the first ten) and the newest titles."""
    from bot.i18n import t

    places = [gazetteer.get(s) for s in slugs]
    names = [p.name_nl if lang == "nl" else p.name for p in places if p is not None]
    shown = ", ".join(names[:ALERT_PLACES]) + (" …" if len(names) > ALERT_PLACES else "")
    lines = [f"<b>{tgtext.escape(t(lang, 'alert.header', places=shown))}</b>"]
    for found in titles[:ALERT_TITLES]:
        title = found.get(lang) or next(iter(found.values()), "")
        lines.append(f"• {tgtext.escape(title[:200], inline=True)}")
    return "\n".join(lines)
