"""The one table of commands and buttons, and the dispatch that both the Telegram adapter and the
console chat call: a message or button press in, replies out. It sends nothing itself."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.digests.replies import Reply
from bot.i18n import LANGUAGES, t
from handlers import admin, follows, places, privacy, settings
from handlers.context import Desk, Incoming, clean

Command = Callable[[Desk, Incoming, str], list[Reply]]
MAX_INPUT = 1000
COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@(\w+))?(?:\s+(.*))?$", re.S)

# In menu order: these are shown in Telegram's command menu.
MENU_COMMANDS: dict[str, Command] = {
    "start": settings.start, "help": settings.help_, "place": places.place, "date": places.date_,
    "digest": settings.digest, "follow": follows.follow, "following": follows.following,
    "subscribe": settings.subscribe, "unsubscribe": settings.unsubscribe, "language": settings.language,
    "times": settings.times, "timezone": settings.timezone, "settings": settings.settings,
    "sources": settings.sources, "forgetme": privacy.forgetme,
}
# Known but not in the menu.
OTHER_COMMANDS: dict[str, Command] = {
    "stop": settings.unsubscribe, "unfollow": follows.unfollow, "nonews": settings.nonews,
    "stats": admin.stats, "feeds": admin.feeds,
}
COMMANDS = MENU_COMMANDS | OTHER_COMMANDS
MENU = tuple(MENU_COMMANDS)


def respond(desk: Desk, msg: Incoming) -> list[Reply]:
    """The replies to one message or button press."""
    verdict = desk.throttle.check(msg.chat_id)
    if verdict != "ok":
        return [Reply(t(desk.language(msg), "throttled"))] if verdict == "tell" else []
    text = clean(msg.text)
    if len(msg.text) > MAX_INPUT:
        return [Reply(t(desk.language(msg), "too_long", limit=MAX_INPUT))]
    if msg.callback:
        return press(desk, msg, text)
    match = COMMAND.match(text)
    if match is None:
        return [] if msg.chat_type != "private" else [Reply(t(desk.language(msg), "unknown_command"))]
    name, target, args = match.group(1).lower(), (match.group(2) or "").lower(), (match.group(3) or "").strip()
    if target and desk.bot_name and target != desk.bot_name.lower():
        return []  # /cmd@OtherBot in a group is not for us
    command = COMMANDS.get(name)
    if command is not None:
        return command(desk, msg, args)
    return places.place_command(desk, msg, name)


def press(desk: Desk, msg: Incoming, data: str) -> list[Reply]:
    """A button press: subscribe, unsubscribe, a language, a suggested place, a page, or a full item."""
    kind, _, rest = data.partition(":")
    if kind == "sub":
        return settings.subscribe(desk, msg, "")
    if kind == "unsub":
        return settings.unsubscribe(desk, msg, "")
    if kind == "lang" and rest in LANGUAGES:
        return settings.set_language(desk, msg, rest)
    if kind == "pl" and rest:
        return places.show_place(desk, desk.language(msg), rest, 1)
    if kind == "pg":
        return places.show_page(desk, desk.language(msg), rest)
    if kind == "it":
        return places.show_item(desk, desk.language(msg), rest)
    return []
