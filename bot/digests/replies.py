"""Pure: lookup results → Telegram HTML messages in the reader's language, paged, each within
Telegram's limit as Telegram counts it (bot.digests.tgtext), every string from a feed escaped by
tgtext.escape and every link an http(s) one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html import unescape

from bot.digests import claimtext
from bot.digests.tgtext import LIMIT, escape, length
from bot.i18n import day, t, tn
from bot.items.accounts import of_item

__all__ = ["LIMIT", "Reply", "more_button", "render_chunk", "render_full", "render_item", "render_page", "span"]
ITEMS_PER_PAGE = 2
CLAIMS_SHOWN = 5  # a handful per item; the rest behind a button that says how many
SIDES = ("RU", "UA", "other", "outlet")
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


def _accounts(item: dict, limit: int | None, short: str | None = None) -> tuple[list[dict], int]:
    """The accounts shown (the weightiest `limit`, or all) and how many more there are. A short line
    in language `short` (a digest) shows only what it can say in that language: an account known only
    by another language's words waits behind the button, counted, where it shows marked as such."""
    accounts = [a for a in of_item(item, short or "en") if not a.get("headline_only") or a["side"] != "outlet"]
    sayable = [a for a in accounts if claimtext.contentful(short, a)] if short else accounts
    shown = sayable if limit is None else sayable[:limit]
    return shown, len(accounts) - len(shown)


def _by_side(lang: str, shown: list[dict], by_id: dict[int, dict], compact: bool) -> list[str]:
    lines = []
    for side in SIDES:
        here = [a for a in shown if a["side"] == side]
        if here:
            lines.append(f"<u>{t(lang, f'side.{side}')}</u>")
            lines += [claimtext.line(lang, a, by_id, compact) for a in here]
    return lines


def render_item(item: dict, lang: str, limit: int | None = CLAIMS_SHOWN, compact: bool = False,
                budget: int | None = None) -> tuple[str, int]:
    """One item: headline, day, what disagrees, its weightiest claims by side (speaker, what they say,
    every outlet), and how many more there are (never a silent cut). Returns (HTML, claims not shown)."""
    of_item(item, lang)
    when = date.fromisoformat(item["event_date"]) if item["event_date"] else None
    lines = [f"<b>{_feed(item['title'], 300)}</b>", f"<i>{day(lang, when)}</i>" if when else ""]
    disputes = claimtext.disagreement(lang, item.get("accounts", []), item.get("disagreements", []))
    if disputes:
        lines.append(disputes)
    elif item["disputed"]:
        lines.append(f"⚠️ {t(lang, 'mark.disputed')}")
    by_id = {a["id"]: a for a in item.get("accounts", [])}
    shown, more = _accounts(item, limit, lang if compact else None)
    while True:
        body = _by_side(lang, shown, by_id, compact)
        tail = [f"<i>{escape(tn(lang, 'item.more', 'item.more.plural', more))}</i>"] if more else []
        if not compact:
            outlets = sorted({a["outlet"] for a in item["articles"]} | {c["outlet"] for a in item["articles"] for c in a["copies"]})
            tail.append(f"<i>{_feed(t(lang, 'sources.line', outlets=', '.join(outlets)), 400)}</i>")
        text = "\n".join(line for line in lines + body + tail if line)
        if not shown or length(text) <= (budget or LIMIT // ITEMS_PER_PAGE - 50):
            return text, more
        shown, more = shown[:-1], more + 1  # too long for its share of a message: one claim fewer, counted


def more_button(lang: str, item: dict, more: int) -> list[tuple[str, str]]:
    """The button that shows an item in full."""
    title = _cut(" ".join((item["title"] or "").split()), 40)
    return [(tn(lang, "button.more", "button.more.plural", more, title=title), f"it:{item['id']}")]


def render_full(item: dict, lang: str) -> Reply:
    """One item with every claim (the adapter splits a long one into messages)."""
    text, _ = render_item(item, lang, limit=None, budget=10 ** 9)
    return Reply(text)


def span(total: int, page: int) -> tuple[int, int, int]:
    """Page `page` (from 1) of an answer of `total` items, kept within its pages: (page, first, end),
    the items it shows being items[first:end]."""
    pages = max(1, -(-total // ITEMS_PER_PAGE))
    page = min(max(page, 1), pages)
    return page, (page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE


def render_page(subject: str, items: list[dict], page: int, lang: str, callback: str) -> Reply:
    """Page `page` (from 1) of an answer, with paging buttons whose data is `callback` + page."""
    page, first, end = span(len(items), page)
    return render_chunk(subject, items[first:end], len(items), page, lang, callback)


def render_chunk(subject: str, chunk: list[dict], total: int, page: int, lang: str, callback: str) -> Reply:
    """Page `page` (from 1, within its pages: see span) of an answer of `total` items, from the items
    that page shows alone: the others need not be described to say how many there are."""
    pages = max(1, -(-total // ITEMS_PER_PAGE))
    header = f"<b>{escape(tn(lang, 'answer.header', 'answer.header.plural', total, subject=subject))}</b>"
    if pages > 1:
        header += f" <i>({t(lang, 'page', page=page, pages=pages)})</i>"
    rendered = [render_item(i, lang) for i in chunk]
    text = "\n\n".join([header] + [r for r, _ in rendered])
    while length(text) > LIMIT and len(rendered) > 1:  # never cut HTML in the middle: leave items out
        rendered.pop()
        text = "\n\n".join([header] + [r for r, _ in rendered])
    buttons = [more_button(lang, i, more) for i, (_, more) in zip(chunk, rendered) if more]
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
