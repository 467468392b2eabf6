"""Places and days: /place, /date, /<place> by any spelling, "did you mean" buttons and paging."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from babel.dates import format_date

from bot.digests import translate
from bot.digests.replies import Reply, render_chunk, render_full, span
from bot.digests.tgtext import escape
from bot.i18n import day, t
from bot.items import lookup
from handlers import understand
from handlers.context import Desk, Incoming
from storage.db import Session, session_scope

ANSWER_ITEMS = 30  # items an answer counts and pages through, newest first


def place(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """A place by any spelling; without one, ask for it (the next message answers)."""
    lang = desk.language(msg)
    if not args and msg.chat_type == "private":
        desk.expect(msg, "place")
        return [Reply(t(lang, "place.ask"))]
    if not args:
        return [Reply(t(lang, "place.usage"))]
    return show_place(desk, lang, args, 1)


def date_(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """A day in many forms."""
    lang = desk.language(msg)
    if not args:
        return [Reply(t(lang, "date.usage"))]
    found = understand.day(args[:100], desk.clock(), desk.zone(msg))
    if found is None:
        return [Reply(escape(t(lang, "date.invalid", value=args[:60])))]
    replies = show_date(desk, lang, found.first, found.last, 1)
    note = understood(lang, args, found)
    if note:
        replies[0].text = escape(note) + "\n\n" + replies[0].text
    return replies


def understood(lang: str, typed: str, found: understand.Day) -> str:
    """A line saying which day was read, unless it was typed as that very date; and a day name that does not fit."""
    subject = day(lang, found.first) if found.first == found.last else f"{day(lang, found.first)} – {day(lang, found.last)}"
    lines = [] if typed.strip() == found.first.isoformat() == found.last.isoformat() else [
        t(lang, "date.understood", day=subject)]
    if found.wrong_weekday is not None:
        lines.append(t(lang, "date.wrong_weekday", day=subject, weekday=weekday(lang, found.first),
                       named=weekday(lang, found.first + timedelta(days=found.wrong_weekday - found.first.weekday()))))
    return "\n".join(lines)


def weekday(lang: str, when: date) -> str:
    """The day's name in the reader's language ("Sunday", "zondag")."""
    return format_date(when, "EEEE", locale=lang)


def place_command(desk: Desk, msg: Incoming, name: str) -> list[Reply]:
    """/<place>: a command that is no command of ours may name a place."""
    lang = desk.language(msg)
    gazetteer = desk.gazetteer
    found = gazetteer.get(name) or next(iter(gazetteer.candidates(name, fuzzy=False)), None)
    if found is not None:
        return show_place(desk, lang, found.slug, 1)
    if msg.chat_type != "private":
        return []  # in a group, another bot's command is none of our business
    if len(name) >= 4 and gazetteer.suggest(name, 1, cutoff=80):
        return show_place(desk, lang, name, 1)  # a misspelt place: "did you mean" buttons
    return [Reply(t(lang, "unknown_command"))]


def show_place(desk: Desk, lang: str, name: str, page: int) -> list[Reply]:
    """One page of the items about a place, or "did you mean" buttons."""
    try:
        place = lookup.find_place(desk.gazetteer, name)
    except lookup.UnknownPlace as exc:
        buttons = [[(p.name_nl if lang == "nl" else p.name, f"pl:{p.slug}")] for p in exc.suggestions[:5]]
        text = t(lang, "place.unknown", name=escape(name[:60]))
        return [Reply(text + ("\n" + t(lang, "place.suggest") if buttons else ""), buttons)]
    subject = lookup.place_name(place, lang)
    return _answer(desk, ("p", place.slug, page, lang), lang, page, lambda session: lookup.place_items(
        session, desk.gazetteer, place.slug, limit=ANSWER_ITEMS)[1],
        lambda items, shown, at: render_chunk(subject, shown, len(items), at, lang, f"pg:p:{place.slug}"),
        escape(t(lang, "place.none", place=subject)))


def show_date(desk: Desk, lang: str, first: date, last: date, page: int) -> list[Reply]:
    """One page of the items with claims about a day or a period."""
    subject = day(lang, first) if first == last else f"{day(lang, first)} – {day(lang, last)}"
    return _answer(desk, ("d", first, last, page, lang), lang, page, lambda session: lookup.date_items(
        session, first, last, limit=ANSWER_ITEMS),
        lambda items, shown, at: render_chunk(subject, shown, len(items), at, lang, f"pg:d:{first:%Y%m%d}:{last:%Y%m%d}"),
        escape(t(lang, "date.none", day=subject)))


def _answer(desk: Desk, key: tuple, lang: str, page: int, find: Callable[[Session], list],
            render: Callable[[list, list[dict], int], Reply], none: str) -> list[Reply]:
    """An answer's page as kept (desk.answers) while the store has not changed since, else made: the
    items found, only the page's described, translated and rendered, then kept when it is final."""
    with session_scope(desk.engine) as session:
        mark = lookup.newest_change(session)
        kept = desk.answers.get(key, mark)
        if kept is not None:
            return kept
        items = find(session)
        at, first, end = span(len(items), page)
        shown = lookup.describe_items(session, desk.gazetteer, items[first:end], lang)
    if not items:
        replies = [Reply(none)]
    else:
        translate.fill(desk.translator, desk.engine, shown, lang)
        replies = [render(items, shown, at)]
    if desk.translator is None or not translate.wanted(shown, lang):  # nothing left to translate later
        desk.answers.put(key, mark, replies)
    return replies


def show_item(desk: Desk, lang: str, rest: str) -> list[Reply]:
    """The "more" button: one item with every claim ("it:<item id>")."""
    if not rest.isdigit():
        return []
    key = ("i", int(rest), lang)
    with session_scope(desk.engine) as session:
        mark = lookup.newest_change(session)
        kept = desk.answers.get(key, mark)
        if kept is not None:
            return kept
        item = lookup.by_item(session, desk.gazetteer, int(rest), lang)
    if item is None:
        replies = [Reply(escape(t(lang, "item.gone")))]
    else:
        translate.fill(desk.translator, desk.engine, [item], lang)
        replies = [render_full(item, lang)]
    if desk.translator is None or item is None or not translate.wanted([item], lang):
        desk.answers.put(key, mark, replies)
    return replies


def show_page(desk: Desk, lang: str, rest: str) -> list[Reply]:
    """A paging button: "p:<slug>:<page>" or "d:<first>:<last>:<page>"."""
    parts = rest.split(":")
    try:
        page = int(parts[-1])
        if parts[0] == "p":
            return show_place(desk, lang, parts[1], page)
        if parts[0] == "d":
            first, last = (datetime.strptime(p, "%Y%m%d").date() for p in parts[1:3])
            return show_date(desk, lang, first, last, page)
    except (ValueError, IndexError):
        return []
    return []
