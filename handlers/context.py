"""What every command is given: the message as the bot sees it, and the desk (engine, gazetteer,
clock, throttle, admins) passed in explicitly instead of kept on a class."""

from __future__ import annotations

import hashlib
import re
import threading
import time
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.i18n import language_of
from bot.nlp.gazetteer import Gazetteer
from handlers.answercache import AnswerCache
from storage import subscribers
from storage.db import Engine, session_scope
from storage.models import Subscriber, utcnow

INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
ANSWER_WITHIN = timedelta(minutes=10)  # a question (/place without a place) waits this long for its answer


@dataclass(frozen=True, slots=True)
class Target:
    """A channel named in a private chat (/subscribe @channel), as Telegram described it to the adapter:
    problem is None when the bot may post there and the user administers it; else what is wrong
    ("not_found", "not_channel", "bot_not_member", "bot_not_admin", "user_not_admin")."""

    name: str
    chat_id: int | None = None
    title: str = ""
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """A message or a button press, as the bot sees it; `admin` is whether the sender administers the
    chat (looked up by the adapter for the commands that need it in a group; None: not looked up),
    `target` the channel a private chat names."""

    chat_id: int
    text: str
    chat_type: str = "private"
    user_name: str = ""
    language_code: str | None = None
    callback: bool = False
    admin: bool | None = None
    target: Target | None = None


class Throttle:
    """At most `limit` requests per chat in `seconds`; the first one over gets told, the rest ignored."""

    def __init__(self, limit: int = 20, seconds: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self.seen: dict[int, deque] = defaultdict(deque)
        self.lock = threading.Lock()  # answers run in worker threads

    def check(self, chat_id: int) -> str:
        """'ok', 'tell' (first over the limit) or 'drop'."""
        with self.lock:
            now, seen = self.clock(), self.seen[chat_id]
            while seen and now - seen[0] > self.seconds:
                seen.popleft()
            seen.append(now)
            if len(seen) <= self.limit:
                return "ok"
            return "tell" if len(seen) == self.limit + 1 else "drop"


def clean(text: str) -> str:
    """Input as a person meant it: NFC, no zero-width or direction marks, no control characters."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


@dataclass(slots=True)
class Desk:
    """The shared state every command reads: storage, the gazetteer (loaded on first use), the clock,
    the per-chat throttle, the admin chats, the optional translator and the answers kept."""

    engine: Engine
    load_gazetteer: Callable[[], Gazetteer]
    bot_name: str = ""
    clock: Callable[[], datetime] = utcnow
    throttle: Throttle = field(default_factory=Throttle)
    admins: frozenset[int] = frozenset()
    translator: object | None = None  # bot.digests.translate.Translator when TRANSLATE_URL is set
    answers: AnswerCache = field(default_factory=AnswerCache)

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer, loaded (once, process-wide) on first use."""
        return self.load_gazetteer()

    def language(self, msg: Incoming) -> str:
        """The chat's language: its setting, else what Telegram says of the user."""
        with session_scope(self.engine) as session:
            row = subscribers.get(session, msg.chat_id)
            return row.language if row else language_of(msg.language_code)

    def zone(self, msg: Incoming) -> str:
        """The chat's time zone: its setting, else the default a new subscriber gets."""
        with session_scope(self.engine) as session:
            row = subscribers.get(session, msg.chat_id)
            return row.timezone if row else subscribers.DEFAULT_TIMEZONE

    def settings(self, msg: Incoming) -> Subscriber:
        """The chat's settings row, made with defaults on first contact."""
        with session_scope(self.engine) as session:
            return subscribers.get_or_create(session, msg.chat_id, msg.chat_type, language_of(msg.language_code),
                                             self.clock())

    def change(self, msg: Incoming, **values: object) -> None:
        """Change some of the chat's settings."""
        self.settings(msg)
        with session_scope(self.engine) as session:
            subscribers.change(session, msg.chat_id, self.clock(), **values)

    def stamp(self, msg: Incoming) -> str | None:
        """The version of the chat's settings that a keyboard carries; None when the chat has none."""
        with session_scope(self.engine) as session:
            row = subscribers.get(session, msg.chat_id)
        return stamp(row) if row is not None else None

    def expect(self, msg: Incoming, command: str) -> None:
        """The chat's next message answers `command`."""
        with session_scope(self.engine) as session:
            subscribers.expect(session, msg.chat_id, command, self.clock())

    def expected(self, msg: Incoming) -> str | None:
        """The command the chat's message answers, if one asked lately; asked once only."""
        with session_scope(self.engine) as session:
            return subscribers.take_expected(session, msg.chat_id, self.clock() - ANSWER_WITHIN)


def stamp(row: Subscriber) -> str:
    """A short version of a chat's settings (changes whenever they change): buttons carry it, so a
    press on a keyboard older than the settings is recognised and does not act twice."""
    moment = row.updated_at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    return hashlib.blake2s(moment.encode(), digest_size=3).hexdigest()
