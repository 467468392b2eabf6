"""Pure: lookup results → Telegram HTML messages in the reader's language, paged, each within
Telegram's limit as Telegram counts it (bot.digests.tgtext), every string from a feed escaped by
tgtext.escape and every link an http(s) one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html import unescape

from bot.digests.tgtext import LIMIT, escape, length, link
from bot.i18n import day, t, tn

__all__ = ["LIMIT", "Reply", "render_item", "render_page"]
ITEMS_PER_PAGE = 2
CLAIMS_PER_SIDE = 4
CONTENT_CHARS = 220
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_TAG = re.compile(r"</?(?:b|i|u|s|code|pre|blockquote)>")


@dataclass
class Reply:
    """One message: HTML text, button rows of (label, callback data), and what else to do."""

    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)
    menu_language: str | None = None  # set the chat's command menu to this language


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _feed(text: str | None, limit: int) -> str:
    """A one-line string from a feed, shortened, then escaped (never cut inside an entity)."""
    return escape(_cut(" ".join((text or "").split()), limit), inline=True)


def _claim(claim: dict, lang: str) -> str:
    speaker = _feed(claim["speaker"], CONTENT_CHARS)
    stance = t(lang, f"stance.{claim['stance']}")
    content = _feed(claim["text"], CONTENT_CHARS)
    outlet = link(claim["article_url"], _feed(claim["outlet"], CONTENT_CHARS))
    mark = f" <i>({t(lang, 'mark.disputed')})</i>" if claim["disputed"] else \
        f" <i>({t(lang, 'mark.unverified')})</i>" if claim["unverified"] else ""
    said = f"<b>{speaker}</b> {stance}: {content}" if content else f"<b>{speaker}</b> {stance}"
    return f"• {said} — {outlet}{mark}"


def render_item(item: dict, lang: str) -> str:
    """One item: headline, day, claims by side with speaker and outlet link, marks."""
    when = date.fromisoformat(item["event_date"]) if item["event_date"] else None
    head = f"<b>{_feed(item['title'], 300)}</b>"
    sub = day(lang, when) if when else ""
    if item["disputed"]:
        sub += f" · ⚠️ {t(lang, 'mark.disputed')}"
    lines = [head, f"<i>{sub}</i>" if sub else ""]
    for side in ("RU", "UA", "other"):
        claims = [c for c in item["claims"] if c["side"] == side and c["speaker"]]
        if claims:
            lines.append(f"<u>{t(lang, f'side.{side}')}</u>")
            lines += [_claim(c, lang) for c in claims[:CLAIMS_PER_SIDE]]
    outlets = sorted({a["outlet"] for a in item["articles"]} | {c["outlet"] for a in item["articles"] for c in a["copies"]})
    lines.append(f"<i>{_feed(t(lang, 'sources.line', outlets=', '.join(outlets)), 400)}</i>")
    text = "\n".join(line for line in lines if line)
    while length(text) > LIMIT // ITEMS_PER_PAGE - 50 and any(line.startswith("•") for line in lines):
        # An item with very many claims gives up its last ones (never its headline or sources line).
        last = max(i for i, line in enumerate(lines) if line.startswith("•"))
        lines.pop(last)
        if not lines[last - 1].startswith(("•", "<b>", "<i>")) and (last >= len(lines) or not lines[last].startswith("•")):
            lines.pop(last - 1)  # a side heading left without claims
        text = "\n".join(line for line in lines if line)
    return text


def render_page(subject: str, items: list[dict], page: int, lang: str, callback: str) -> Reply:
    """Page `page` (from 1) of an answer, with paging buttons whose data is `callback` + page."""
    pages = max(1, -(-len(items) // ITEMS_PER_PAGE))
    page = min(max(page, 1), pages)
    chunk = items[(page - 1) * ITEMS_PER_PAGE : page * ITEMS_PER_PAGE]
    header = f"<b>{escape(tn(lang, 'answer.header', 'answer.header.plural', len(items), subject=subject))}</b>"
    if pages > 1:
        header += f" <i>({t(lang, 'page', page=page, pages=pages)})</i>"
    rendered = [render_item(i, lang) for i in chunk]
    text = "\n\n".join([header] + rendered)
    while length(text) > LIMIT and len(rendered) > 1:  # never cut HTML in the middle: leave items out
        rendered.pop()
        text = "\n\n".join([header] + rendered)
    buttons = []
    if pages > 1:
        row = []
        if page > 1:
            row.append(("‹", f"{callback}:{page - 1}"))
        if page < pages:
            row.append(("›", f"{callback}:{page + 1}"))
        buttons.append(row)
    return Reply(text, buttons)


def as_text(reply: Reply, first: int = 1) -> str:
    """Telegram HTML as plain text: links become "name <url>", buttons numbered from `first`."""
    text = _LINK.sub(lambda m: f"{m.group(2)} <{unescape(m.group(1))}>", reply.text)
    text = unescape(_TAG.sub("", text))
    buttons = [label for row in reply.buttons for label, _ in row]
    if buttons:
        text += "\n" + "  ".join(f"[{n}] {label}" for n, label in enumerate(buttons, first))
    return text
