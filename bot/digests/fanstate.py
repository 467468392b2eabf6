"""What a fan-out keeps while it works (bot.digests.send): the report of what it did, and per chat
the digest due, the delivery claimed for it, and the records a worker hands in to be committed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple


@dataclass
class FanOut:
    """What one fan-out did."""

    sent: int = 0
    empty: int = 0
    blocked: int = 0
    failed: int = 0
    partial: int = 0  # delivered but for messages Telegram refused (recorded in the delivery's error)
    resent_plain: int = 0
    messages: int = 0
    renders: set = field(default_factory=set)


class Due(NamedTuple):
    """A digest due now: the chat, its language, the window, whether it wants an empty one, and when
    its next digest falls after this one (with the time of the settings that was worked out from)."""

    chat_id: int
    language: str
    window: tuple[datetime, datetime]
    notify_empty: bool
    next_due: tuple[datetime | None, datetime]


class Record(NamedTuple):
    """What a worker hands in before it sends on: the close of its last chat, the start of its next."""

    close: dict | None = None
    start: int | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed delivery: its row, chat, window end, how many of its messages went out already, and
    the chat's next digest time once this one is done."""

    id: int
    chat_id: int
    window_end: datetime
    parts_sent: int
    next_due: tuple[datetime | None, datetime]
