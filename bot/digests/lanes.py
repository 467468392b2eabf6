"""Telegram's budget, shared by the bot's two kinds of sending: replies to commands first, digests
paced behind them. One overall rate (about 30 messages a second per bot) is handed out a slot at a
time, always to a waiting reply before a waiting digest; a 429 holds the chat it came for (Telegram
limits each chat on its own: about one message a second in private chats, 20 a minute in groups),
so one chat's wait never holds up another chat's reply. A hold of the whole bot is kept for the
flood limit, when a 429 names no chat.

Slots are counted from the schedule, not from when the pump woke up: on a busy machine the process
waits for the CPU tens of milliseconds at each wake-up, and timing each slot from the wake-up lost
that much per slot (bench/bot.py under load: 10-19 slots a second of the 28, every handler waiting
in the reply lane, replies 5 s late). A late pump hands out the slot it missed (one: two at once
at most, since bunched sends are what draws Telegram's 429 for the whole bot; a catch-up of 0.1 s
drew 27-67 of them a run), and never more than `rate` in any second, as Telegram counts.

Rejected: python-telegram-bot's AIORateLimiter, which on any 429 pauses every request of the bot,
and which queues replies behind the digest sends that reached it first."""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

REPLY, DIGEST = 0, 1  # lanes, in the order they are served
LANE: contextvars.ContextVar[int] = contextvars.ContextVar("lane", default=REPLY)  # the sending task's lane
WINDOW = 1.0  # Telegram counts a bot's messages per second
COUNTED = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage", "forwardMessage",
                     "editMessageText", "editMessageCaption", "editMessageReplyMarkup"})


class Lanes:
    """The overall rate, handed out slot by slot, replies first; and per-chat holds after a 429."""

    def __init__(self, rate: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.gap, self.clock = 1.0 / rate if rate else 0.0, clock
        self.per_window = max(1, int(rate * WINDOW)) if rate else 0  # 0: no limit
        self.next_any = 0.0  # the first moment the next slot may be handed out
        self.recent: deque[float] = deque()  # when the slots of the last WINDOW were handed out
        self.held: dict[object, float] = {}  # chat → until when Telegram asked it to wait
        self.waiting: tuple[deque, deque] = (deque(), deque())  # futures, per lane
        self._pump: asyncio.Task | None = None

    def hold(self, chat_id: object, seconds: float) -> None:
        """Telegram said this chat waits `seconds`: only this chat."""
        self.held[chat_id] = max(self.held.get(chat_id, 0.0), self.clock() + seconds)

    def hold_all(self, seconds: float) -> None:
        """The bot's flood limit: no slot for anyone until it has passed."""
        self.next_any = max(self.next_any, self.clock() + seconds)

    def held_for(self, chat_id: object) -> float:
        """Seconds this chat still has to wait (0 when it may get a message now)."""
        until = self.held.get(chat_id)
        if until is None:
            return 0.0
        left = until - self.clock()
        if left <= 0:
            del self.held[chat_id]  # the hold is over: forget it (the dict stays as small as the holds)
        return max(0.0, left)

    def grant(self, catch_up: bool = False) -> bool:
        """Take the next slot now, if it is free (no await between looking and taking). The pump
        (`catch_up`) counts the next slot from this one's time in the schedule, so that its waking
        late costs no slots; a send that found nobody waiting counts from now (no burst after a pause)."""
        now = self.clock()
        if now < self.next_any or self._window_full(now):
            return False
        self.next_any = (max(self.next_any, now - self.gap) if catch_up else now) + self.gap
        if self.per_window:
            self.recent.append(now)
        return True

    def _window_full(self, now: float) -> bool:
        """Whether `rate` slots went out within the last WINDOW already."""
        while self.recent and now - self.recent[0] >= WINDOW:
            self.recent.popleft()
        return bool(self.per_window) and len(self.recent) >= self.per_window

    def free_in(self) -> float:
        """Seconds until the next slot may be handed out."""
        now = self.clock()
        full = self._window_full(now)
        return max(0.0, self.next_any - now, self.recent[0] + WINDOW - now if full else 0.0)

    async def take(self, lane: int, chat_id: object = None) -> None:
        """Wait for this chat's hold to pass, then for a slot: a reply goes before every digest waiting."""
        while (left := self.held_for(chat_id)) > 0:
            await asyncio.sleep(left)
        if not any(self.waiting[: lane + 1]) and self.grant():
            return
        ticket = asyncio.get_running_loop().create_future()
        self.waiting[lane].append(ticket)
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._hand_out())
        await ticket

    async def _hand_out(self) -> None:
        """Give each free slot to the first waiter of the first lane that has one."""
        while any(self.waiting):
            await asyncio.sleep(self.free_in())  # 0 when catching up: the waiter served last runs first
            if not self.grant(catch_up=True):  # taken meanwhile (a send that found no one waiting), or a hold: wait again
                continue
            ticket = next_waiter(self.waiting)  # popped only with its slot in hand: no waiter is ever lost
            if ticket is not None:
                ticket.set_result(None)


def next_waiter(waiting: tuple[deque, ...]) -> asyncio.Future | None:
    """The first waiter still waiting, lane by lane (one that gave up is dropped)."""
    for lane in waiting:
        while lane:
            ticket = lane.popleft()
            if not ticket.done():
                return ticket
    return None


def retry_seconds(exc: RetryAfter) -> float:
    """Telegram's retry_after in seconds (a timedelta in newer python-telegram-bot)."""
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class LaneLimiter(BaseRateLimiter[dict]):
    """python-telegram-bot's rate limiter on the lanes: a reply takes a reply slot (and is tried again
    after its chat's 429, up to `max_retries` times); a digest's send was paced by the sender already
    and passes straight through, its 429 going back to the sender, which holds that chat."""

    def __init__(self, lanes: Lanes, max_retries: int = 3) -> None:
        self.lanes, self.max_retries = lanes, max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, bool | dict | list]],
                              args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                              rate_limit_args: dict | None) -> bool | dict | list:
        """One Bot API call, in its lane."""
        counted, lane, chat_id = endpoint in COUNTED, LANE.get(), data.get("chat_id")
        for attempt in range(self.max_retries + 1):
            if counted and lane == REPLY:
                await self.lanes.take(REPLY, chat_id)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if chat_id is None:
                    self.lanes.hold_all(retry_seconds(exc))
                else:
                    self.lanes.hold(chat_id, retry_seconds(exc))
                if lane != REPLY or attempt == self.max_retries:
                    raise
        raise AssertionError("unreachable")


class Pacer:
    """The digest lane: a slot of the shared overall rate (behind every waiting reply), and at most one
    message per `chat_interval` seconds per chat; a 429 holds that chat only."""

    def __init__(self, rate: float = 30.0, chat_interval: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 lanes: Lanes | None = None) -> None:
        self.lanes = lanes if lanes is not None else Lanes(rate, clock)
        self.chat_interval, self.clock = chat_interval, clock
        self.next_chat: dict[int, float] = {}

    def chat_delay(self, chat_id: int) -> float:
        """Seconds until this chat may get its next digest message."""
        return max(0.0, self.next_chat.get(chat_id, 0.0) - self.clock())

    def hold(self, chat_id: int, seconds: float) -> None:
        """Telegram answered 429 for this chat: it waits, the others go on."""
        self.lanes.hold(chat_id, seconds)

    async def wait(self, chat_id: int) -> None:
        """Sleep until a message to this chat may go, then take a digest slot."""
        if (delay := self.chat_delay(chat_id)) > 0:
            await asyncio.sleep(delay)
        await self.lanes.take(DIGEST, chat_id)
        if self.chat_interval:
            if len(self.next_chat) > 4096:  # forget chats whose spacing is over: memory stays flat
                now = self.clock()
                self.next_chat = {c: at for c, at in self.next_chat.items() if at > now}
            self.next_chat[chat_id] = self.clock() + self.chat_interval
