"""The bot without Telegram: the same Frontdesk, replies printed as a person would read them."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from html import unescape

from bot.commands import Frontdesk, Incoming
from bot.replies import Reply

CONSOLE_CHAT = 1
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_TAG = re.compile(r"</?(?:b|i|u|s|code|pre|blockquote)>")


def as_text(reply: Reply) -> str:
    """Telegram HTML as plain text: links become "name <url>", buttons numbered."""
    text = _LINK.sub(lambda m: f"{m.group(2)} <{unescape(m.group(1))}>", reply.text)
    text = unescape(_TAG.sub("", text))
    buttons = [label for row in reply.buttons for label, _ in row]
    if buttons:
        text += "\n" + "  ".join(f"[{n}] {label}" for n, label in enumerate(buttons, 1))
    return text


def chat_once(desk: Frontdesk, text: str, lang: str | None) -> list[Reply]:
    """One message from the console user; the replies."""
    return desk.handle(Incoming(CONSOLE_CHAT, text, user_name="console", language_code=lang))


def interactive(desk: Frontdesk, lang: str | None, read: Callable[[str], str] = input,
                write: Callable[[str], None] = print) -> None:
    """A console chat: type commands, or a button's number to press it; Ctrl-D or /quit ends."""
    write("Frontbrief console chat. Try /kramatorsk, /charkiv, /date 2023-01-08, /help; /quit ends.")
    buttons: list[str] = []
    while True:
        try:
            line = read("you> ").strip()
        except EOFError:
            write("")
            return
        if line in ("/quit", "/exit"):
            return
        if line.isdigit() and 0 < int(line) <= len(buttons):
            replies = desk.handle(Incoming(CONSOLE_CHAT, buttons[int(line) - 1], user_name="console",
                                           language_code=lang, callback=True))
        else:
            replies = chat_once(desk, line, lang)
        buttons = [data for reply in replies for row in reply.buttons for _, data in row]
        for reply in replies:
            write(as_text(reply))
            write("")


def stdin_is_interactive() -> bool:
    """Whether a person sits at the console (CI and pipes get no prompt)."""
    return sys.stdin is not None and sys.stdin.isatty()
