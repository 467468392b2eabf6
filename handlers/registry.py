"""The one table of commands and buttons, and the dispatch that both the Telegram adapter and the
console chat call: a message or button press in, replies out. It sends nothing itself.

Telegram's rules for groups and channels are kept here: in a group, what changes the chat's settings
needs one of its administrators (the adapter looks the sender up and says so in Incoming.admin); a
channel is managed from a private chat with one of its administrators by naming it (/subscribe
@channel: the adapter resolves it into Incoming.target), and its digests go to the channel."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.digests.replies import Reply
from bot.digests.tgtext import escape
from bot.i18n import LANGUAGES, N_, t
from handlers import admin, follows, places, privacy, settings
from handlers.context import Desk, Incoming, clean

Command = Callable[[Desk, Incoming, str], list[Reply]]
MAX_INPUT = 1000
COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@(\w+))?(?:\s+(.*))?$", re.S)
CHANNEL = re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{3,31})(?:\s+(.*))?$", re.S)

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
# In a group, these need a chat administrator (those in READ_BARE only when given an argument).
ADMIN_ONLY = {"subscribe", "unsubscribe", "stop", "language", "times", "timezone", "nonews", "forgetme",
              "follow", "unfollow"}
READ_BARE = {"language", "nonews"}
ADMIN_BUTTONS = {"sub", "unsub", "lang", "set", "forget", "keep"}
# Buttons that carry the settings' stamp, and those whose answer replaces the message they sit on.
STAMPED = {"sub", "unsub", "lang", "set", "forget"}
EDITING = STAMPED | {"pg", "keep"}
# What a private chat may do to a channel it names.
CHANNEL_COMMANDS = {"subscribe", "unsubscribe", "stop", "language", "times", "timezone", "nonews", "settings"}
ANSWERS = {"place": places.place, "times": settings.times}  # the questions a next message may answer
CHANNEL_PROBLEMS = {"not_found": N_("channel.not_found"), "not_channel": N_("channel.not_channel"),
                    "bot_not_member": N_("channel.bot_not_member"), "bot_not_admin": N_("channel.bot_not_admin"),
                    "user_not_admin": N_("channel.user_not_admin")}


def parse(text: str) -> tuple[str, str, str] | None:
    """(command, addressed bot, arguments) of a command message, else None."""
    match = COMMAND.match(clean(text[: MAX_INPUT + 1]))
    if match is None:
        return None
    return match.group(1).lower(), (match.group(2) or "").lower(), (match.group(3) or "").strip()


def command_of(text: str, callback: bool = False) -> str:
    """What a message or press is, as a label with few values (metrics): a command's name, "place"
    for /<place>, "button:<kind>", or "text"."""
    if callback:
        kind = text.partition(":")[0]
        return f"button:{kind}" if kind in EDITING | {"pl"} else "button:other"
    found = parse(text)
    if found is None:
        return "text"
    return found[0] if found[0] in COMMANDS else "place"


def needs_admin(text: str, callback: bool = False) -> bool:
    """Whether, in a group, this message or press needs a chat administrator."""
    if callback:
        return text.partition(":")[0] in ADMIN_BUTTONS
    found = parse(text)
    return found is not None and found[0] in ADMIN_ONLY and (found[0] not in READ_BARE or bool(found[2]))


def channel_named(text: str) -> str | None:
    """The @channel a private chat's command names as its first argument, if it may manage one."""
    found = parse(text)
    named = CHANNEL.match(found[2]) if found is not None and found[0] in CHANNEL_COMMANDS else None
    return named.group(1) if named else None


def edits(data: str) -> bool:
    """Whether a press's answer replaces the message the button sits on."""
    return data.partition(":")[0] in EDITING


def respond(desk: Desk, msg: Incoming) -> list[Reply]:
    """The replies to one message or button press."""
    verdict = desk.throttle.check(msg.chat_id)
    if verdict != "ok":
        return [Reply(t(desk.language(msg), "throttled"))] if verdict == "tell" else []
    text = clean(msg.text)
    if len(msg.text) > MAX_INPUT:
        return [Reply(t(desk.language(msg), "too_long", limit=MAX_INPUT))]
    if msg.chat_type in ("group", "supergroup") and msg.admin is False and needs_admin(text, msg.callback):
        return [Reply(t(desk.language(msg), "group.admins_only"))]
    if msg.callback:
        return press(desk, msg, text)
    found = parse(text)
    if found is None:
        return answer(desk, msg, text)
    name, target, args = found
    if target and desk.bot_name and target != desk.bot_name.lower():
        return []  # /cmd@OtherBot in a group is not for us
    if msg.chat_type == "private":
        desk.expected(msg)  # a command instead of the answer asked for: the question is dropped
    if msg.target is not None and name in CHANNEL_COMMANDS:
        return for_channel(desk, msg, COMMANDS[name], args)
    command = COMMANDS.get(name)
    if command is not None:
        return command(desk, msg, args)
    return places.place_command(desk, msg, name)


def answer(desk: Desk, msg: Incoming, text: str) -> list[Reply]:
    """A message that is no command: the answer to a question asked (/place without a place), else
    in a private chat a word on what works."""
    if msg.chat_type != "private":
        return []
    asked = desk.expected(msg)
    if asked in ANSWERS:
        return ANSWERS[asked](desk, msg, text)
    return [Reply(t(desk.language(msg), "unknown_command"))]


def for_channel(desk: Desk, msg: Incoming, command: Command, args: str) -> list[Reply]:
    """A command about a channel, from a private chat with its admin: run on the channel's settings,
    answered here (without buttons: they would act on this chat)."""
    target = msg.target
    if target.problem is not None:
        return [Reply(escape(t(desk.language(msg), CHANNEL_PROBLEMS[target.problem], channel=target.name)))]
    rest = CHANNEL.match(args).group(2) or ""
    channel = replace(msg, chat_id=target.chat_id, chat_type="channel", target=None)
    title = f"<b>{escape(target.title or target.name, inline=True)}</b>\n"
    return [Reply(title + reply.text, menu_language=None) for reply in command(desk, channel, rest.strip())]


def press(desk: Desk, msg: Incoming, data: str) -> list[Reply]:
    """A button press: subscribe, unsubscribe, a language, the settings panel, forgetting, a
    suggested place, a page, or a full item. A stamped button older than the chat's settings has expired."""
    kind, *rest = data.split(":")
    if kind in STAMPED:
        if not rest or rest[-1] != desk.stamp(msg):
            return [Reply(t(desk.language(msg), "menu.expired"))]
        rest = rest[:-1]
    if kind == "sub":
        return settings.subscribe(desk, msg, "")
    if kind == "unsub":
        return settings.unsubscribe(desk, msg, "")
    if kind == "lang" and rest and rest[0] in LANGUAGES:
        return settings.set_language(desk, msg, rest[0])
    if kind == "set":
        return settings.panel_press(desk, msg, rest)
    if kind == "forget":
        return privacy.forget(desk, msg)
    if kind == "keep":
        return privacy.keep(desk, msg)
    if kind == "pl" and rest:
        return places.show_place(desk, desk.language(msg), ":".join(rest), 1)
    if kind == "pg":
        return places.show_page(desk, desk.language(msg), ":".join(rest))
    if kind == "it":
        return places.show_item(desk, desk.language(msg), ":".join(rest))
    return []
