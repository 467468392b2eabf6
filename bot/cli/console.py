"""The bot without Telegram: the same command registry, replies printed as a person would read them."""

from __future__ import annotations

import sys
from collections.abc import Callable

from bot.digests.replies import Reply, as_text
from handlers.context import Desk, Incoming
from handlers.registry import respond

CONSOLE_CHAT = 1
__all__ = ["CONSOLE_CHAT", "Reply", "as_text", "chat_once", "interactive", "stdin_is_interactive"]


def chat_once(desk: Desk, text: str, lang: str | None) -> list[Reply]:
    """One message from the console user; the replies."""
    return respond(desk, Incoming(CONSOLE_CHAT, text, user_name="console", language_code=lang))


def interactive(desk: Desk, lang: str | None, read: Callable[[str], str] = input,
                write: Callable[[str], None] = print) -> None:
    """A console chat: type commands, or a button's number to press it; Ctrl-D or /quit ends. Every
    button shown keeps its number for the whole chat, as a button in Telegram stays pressable."""
    if read is input:
        enable_line_editing()
    write("Frontbrief console chat. Try /kramatorsk, /charkiv, /date 2023-01-08, /help; /quit ends.")
    buttons: dict[int, str] = {}
    while True:
        try:
            line = read("you> ").strip()
        except EOFError:
            write("")
            return
        if line in ("/quit", "/exit"):
            return
        if line.isdigit() and int(line) in buttons:
            replies = respond(desk, Incoming(CONSOLE_CHAT, buttons[int(line)], user_name="console",
                                             language_code=lang, callback=True))
        else:
            replies = chat_once(desk, line, lang)
        for reply in replies:
            first = len(buttons) + 1
            buttons.update(enumerate((data for row in reply.buttons for _, data in row), first))
            write(as_text(reply, first))
            write("")


def enable_line_editing() -> None:
    """Arrow keys and history at the prompt (readline), where the platform has it."""
    try:
        import readline  # noqa: F401  (importing it is what turns line editing on for input())
    except ImportError:  # Windows without pyreadline
        pass


def stdin_is_interactive() -> bool:
    """Whether a person sits at the console (CI and pipes get no prompt)."""
    return sys.stdin is not None and sys.stdin.isatty()
