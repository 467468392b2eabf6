"""Subscription and settings: /start, /subscribe, /unsubscribe, /language, /times, /timezone,
/settings, /nonews, /digest, /help and /sources, and the settings buttons. Buttons that change
settings carry the settings' stamp (handlers.context.stamp): a press on an older keyboard is told the
menu expired instead of acting again. A new subscriber gets the latest news at once (a short digest of
the last hours); the schedule goes on from there, so the first scheduled digest does not repeat it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.digests.compose import compose, compose_replies, rank
from bot.digests.replies import Reply
from bot.digests.tgtext import escape
from bot.i18n import LANGUAGES, t
from bot.items import lookup
from handlers import understand
from handlers.context import Desk, Incoming, stamp
from storage import deliveries, itemqueries, subscribers
from storage.db import session_scope
from storage.models import Subscriber

TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
ON, OFF = ("on", "aan", "yes", "ja", "1"), ("off", "uit", "no", "nee", "0")
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}
WELCOME_HOURS = 12  # a new subscriber's first answer: the news of the last hours
WELCOME_ITEMS = 5


def language_buttons(row: Subscriber, prefix: str = "lang") -> list[tuple[str, str]]:
    """One button per language, stamped with the settings they were shown with."""
    return [(name, f"{prefix}:{code}:{stamp(row)}") for code, name in LANGUAGE_NAMES.items()]


def start(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Greet in the user's language and offer to subscribe."""
    row = desk.settings(msg)
    return [Reply(escape(t(row.language, "start.greeting", name=msg.user_name or "")),
                  [[(t(row.language, "button.subscribe"), f"sub:{stamp(row)}")]], menu_language=row.language)]


def subscribe(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Start digests, with the latest news at once (a channel gets its first at the next digest time)."""
    row = desk.settings(msg)
    lang = row.language
    if row.subscribed and row.active:
        return [Reply(t(lang, "already_subscribed"))]
    if msg.chat_type == "channel":
        desk.change(msg, subscribed=True, active=True)
        return [Reply(escape(t(lang, "channel.subscribed", times=", ".join(row.times), timezone=row.timezone)))]
    now = desk.clock()
    latest = welcome(desk, msg, lang, now)
    desk.change(msg, subscribed=True, active=True, last_digest_at=now)  # the schedule goes on from the welcome
    then = (t(lang, "subscribe.latest", hours=WELCOME_HOURS) if latest
            else t(lang, "subscribe.no_news", hours=WELCOME_HOURS))
    text = t(lang, "subscribed", times=", ".join(row.times), timezone=row.timezone) + "\n\n" + then
    return [Reply(escape(text))] + latest


def welcome(desk: Desk, msg: Incoming, lang: str, now: datetime) -> list[Reply]:
    """A short digest of the last hours: the first few items as the digest ranks them."""
    window = (now - timedelta(hours=WELCOME_HOURS), now)
    with session_scope(desk.engine) as session:
        items = lookup.describe_items(session, desk.gazetteer, itemqueries.items_updated_between(session, *window),
                                      lang)
        followed = frozenset(deliveries.following(session, msg.chat_id))
    top = rank(items, window[0], followed)[:WELCOME_ITEMS]
    return [Reply(text) for text in compose(top, lang, window, followed)]


def unsubscribe(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Stop digests."""
    row = desk.settings(msg)
    if not row.subscribed:
        return [Reply(t(row.language, "not_subscribed"))]
    desk.change(msg, subscribed=False)
    return [Reply(t(row.language, "unsubscribed"))]


def language(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Offer the languages as buttons (or take one given as argument)."""
    row = desk.settings(msg)
    if args.lower() in LANGUAGES:
        return set_language(desk, msg, args.lower())
    return [Reply(t(row.language, "language.prompt"), [language_buttons(row)])]


def set_language(desk: Desk, msg: Incoming, lang: str) -> list[Reply]:
    """Take a language, and show the command menu in it."""
    desk.change(msg, language=lang)
    return [Reply(t(lang, "language.set"), menu_language=lang)]


def times(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Set the digest times; without them, ask for them (the next message answers)."""
    lang = desk.settings(msg).language
    parts = args.replace(",", " ").split()
    if not parts and msg.chat_type == "private":
        desk.expect(msg, "times")
        return [Reply(t(lang, "times.ask"))]
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
    """Everything at once, with buttons that change it (and show the panel again)."""
    row = desk.settings(msg)
    lang = row.language
    text = t(lang, "settings", language=LANGUAGE_NAMES[lang],
             subscribed=t(lang, ("yes" if row.subscribed else "no")), times=", ".join(row.times),
             timezone=row.timezone)
    toggle = ((t(lang, "button.unsubscribe"), f"set:unsub:{stamp(row)}") if row.subscribed
              else (t(lang, "button.subscribe"), f"set:sub:{stamp(row)}"))
    return [Reply(escape(text), [language_buttons(row, "set:lang"), [toggle]])]


def panel_press(desk: Desk, msg: Incoming, what: list[str]) -> list[Reply]:
    """A button on the settings panel: change, then the panel as it is now (the message is edited)."""
    if what[:1] == ["lang"] and what[1:] and what[1] in LANGUAGES:
        desk.change(msg, language=what[1])
        panel = settings(desk, msg, "")[0]
        panel.menu_language = what[1]  # the command menu in the new language too
        return [panel]
    if what == ["sub"]:
        latest = subscribe(desk, msg, "")[1:]
        return settings(desk, msg, "") + latest
    if what == ["unsub"]:
        desk.change(msg, subscribed=False)
        return settings(desk, msg, "")
    return []


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
