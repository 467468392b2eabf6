"""Subscription and settings: /start, /subscribe, /unsubscribe, /language, /times, /timezone,
/settings, /nonews, /digest, /help and /sources."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.digests.compose import compose_replies
from bot.digests.replies import Reply
from bot.digests.tgtext import escape
from bot.i18n import LANGUAGES, t
from bot.items import lookup
from handlers import understand
from handlers.context import Desk, Incoming
from storage import deliveries, itemqueries, subscribers
from storage.db import session_scope

TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
ON, OFF = ("on", "aan", "yes", "ja", "1"), ("off", "uit", "no", "nee", "0")
LANGUAGE_BUTTONS = [("English", "lang:en"), ("Nederlands", "lang:nl")]


def start(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Greet in the user's language and offer to subscribe."""
    lang = desk.settings(msg).language
    return [Reply(escape(t(lang, "start.greeting", name=msg.user_name or "")),
                  [[(t(lang, "button.subscribe"), "sub")]], menu_language=lang)]


def subscribe(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Start digests."""
    row = desk.settings(msg)
    if row.subscribed and row.active:
        return [Reply(t(row.language, "already_subscribed"))]
    desk.change(msg, subscribed=True, active=True)
    return [Reply(escape(t(row.language, "subscribed", times=", ".join(row.times), timezone=row.timezone)))]


def unsubscribe(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Stop digests."""
    row = desk.settings(msg)
    if not row.subscribed:
        return [Reply(t(row.language, "not_subscribed"))]
    desk.change(msg, subscribed=False)
    return [Reply(t(row.language, "unsubscribed"))]


def language(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Offer the languages as buttons (or take one given as argument)."""
    lang = desk.settings(msg).language
    if args.lower() in LANGUAGES:
        return set_language(desk, msg, args.lower())
    return [Reply(t(lang, "language.prompt"), [LANGUAGE_BUTTONS])]


def set_language(desk: Desk, msg: Incoming, lang: str) -> list[Reply]:
    """Take a language, and show the command menu in it."""
    desk.change(msg, language=lang)
    return [Reply(t(lang, "language.set"), menu_language=lang)]


def times(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Set the digest times."""
    lang = desk.settings(msg).language
    parts = args.replace(",", " ").split()
    if not parts or len(parts) > 6:
        return [Reply(t(lang, "times.usage"))]
    found_times = []
    for part in parts:
        found = TIME.match(part)
        if found is None:
            return [Reply(escape(t(lang, "times.invalid", value=part[:40])))]
        found_times.append(f"{int(found.group(1)):02d}:{found.group(2)}")
    desk.change(msg, times=sorted(set(found_times)))
    return [Reply(t(lang, "times.set", times=", ".join(sorted(set(found_times)))))]


def timezone(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Set the time zone (an IANA name)."""
    lang = desk.settings(msg).language
    if not args:
        return [Reply(t(lang, "timezone.usage"))]
    zone = understand.zone(args[:80])
    if zone is None:
        return [Reply(escape(t(lang, "timezone.invalid", value=args[:60])))]
    desk.change(msg, timezone=zone)
    return [Reply(escape(t(lang, "timezone.set", timezone=understand.zone_label(zone))))]


def settings(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Everything at once, with buttons."""
    row = desk.settings(msg)
    lang = row.language
    text = t(lang, "settings", language={"en": "English", "nl": "Nederlands"}[lang],
             subscribed=t(lang, ("yes" if row.subscribed else "no")), times=", ".join(row.times),
             timezone=row.timezone)
    toggle = (t(lang, "button.unsubscribe"), "unsub") if row.subscribed else (t(lang, "button.subscribe"), "sub")
    return [Reply(escape(text), [LANGUAGE_BUTTONS, [toggle]])]


def nonews(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """/nonews on|off: a message also when a digest window has no news; without an argument, the setting."""
    row = desk.settings(msg)
    word = args.strip().lower()
    if word not in ON + OFF:
        return [Reply(t(row.language, ("nonews.state.on" if row.notify_empty else "nonews.state.off")))]
    desk.change(msg, notify_empty=word in ON)
    return [Reply(t(row.language, ("nonews.on" if word in ON else "nonews.off")))]


def digest(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """The digest now: what is new since the chat's last digest (or the last day), as digests read."""
    row = desk.settings(msg)
    now = desk.clock()
    since = row.last_digest_at or now - timedelta(days=1)
    with session_scope(desk.engine) as session:
        items = lookup.describe_items(session, desk.gazetteer, itemqueries.items_updated_between(session, since, now),
                                      row.language)
        followed = frozenset(deliveries.following(session, msg.chat_id))
    return compose_replies(items, row.language, (since, now), followed) or [Reply(t(row.language, "digest.none"))]


def help_(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """What the bot does."""
    return [Reply(escape(t(desk.language(msg), "help")))]


def sources(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """The feeds being read."""
    lang = desk.language(msg)
    with session_scope(desk.engine) as session:
        feeds = "\n".join(f"• {f.name}" for f in subscribers.active_feeds(session))
    return [Reply(escape(t(lang, "sources", feeds=feeds)))]  # any number of feeds: the adapter splits it
