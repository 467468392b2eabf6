"""Issue 17, item 6, through the Bot API test server with the bot's own rate limiter: a 429 holds the
chat it was for (another chat's reply goes meanwhile), and a reply takes the next slot before every
digest message waiting for one (never after digests that queued behind it)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Bot

from bot.digests.lanes import DIGEST, REPLY, LaneLimiter, Lanes
from bot.digests.send import Pacer, Sender
from storage import subscribers
from storage.db import session_scope
from tests.botapi import Limits
from tests.helpers import Clock
from tests.telegram_app import chatting
from tests.fanoutkit import NOW

JOINED = datetime(2023, 1, 1, tzinfo=UTC)


async def _until(condition) -> None:
    """Wait (on the event loop) until the condition holds."""
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the condition never held")


async def _updates(tg, count: int) -> list:
    """The next `count` updates users queued, fetched as the bot's poller would."""
    found = []
    while len(found) < count:
        found += await tg.application.bot.get_updates(offset=tg.offset, timeout=1)
        tg.offset = found[-1].update_id + 1 if found else tg.offset
    return found


async def test_a_reply_to_another_chat_goes_while_a_chat_waits_out_its_429(engine, cache_dir):
    # Telegram's per-chat limit: one message, then that chat waits five seconds; the bot has room.
    limits = Limits(per_chat=1, window=5.0, burst=1, overall=100)
    async with chatting(engine, cache_dir, rate_limiter=LaneLimiter(Lanes(rate=100)), limits=limits) as tg:
        tg.api.user_says(1, "/help")
        tg.api.user_says(1, "/help")
        first, second = await _updates(tg, 2)
        await tg.application.process_update(first)
        held = asyncio.create_task(tg.application.process_update(second))  # 429 for chat 1: it waits
        await _until(lambda: ("chat", 1) in tg.api.state.refused)
        tg.api.user_says(2, "/help")
        (other,) = await _updates(tg, 1)
        await tg.application.process_update(other)
        assert [s.chat_id for s in tg.api.state.sent] == [1, 2]  # chat 2 answered while chat 1 is held
        await held
        assert [s.chat_id for s in tg.api.state.sent] == [1, 2, 1]  # and chat 1 after its retry_after
        assert tg.api.state.refused == [("chat", 1)]  # one 429, for chat 1 only


class Recorded(Lanes):
    """Lanes that note when each send asked for a slot and when it got one."""

    def __init__(self, rate: float) -> None:
        super().__init__(rate)
        self.events: list[tuple[str, int, object]] = []

    async def take(self, lane: int, chat_id: object = None) -> None:
        self.events.append(("asks", lane, chat_id))
        await super().take(lane, chat_id)
        self.events.append(("gets", lane, chat_id))


async def test_a_reply_is_sent_before_the_digests_waiting_when_it_asked(engine, cache_dir):
    lanes = Recorded(rate=25)  # slow enough that the digests queue for their slots
    with session_scope(engine) as session:
        for chat in range(100, 130):
            subscribers.get_or_create(session, chat, "private", "en", JOINED)
            subscribers.change(session, chat, JOINED, subscribed=True, times=["12:00"])

    async def digest(*args, **kwargs) -> list[str]:
        return ["<b>digest</b>"]

    async with chatting(engine, cache_dir, rate_limiter=LaneLimiter(lanes)) as tg:
        async with Bot("123:TEST", base_url=tg.api.base_url) as bot:
            sender = Sender(engine, bot, lambda: None, clock=Clock(NOW), pacer=Pacer(chat_interval=0, lanes=lanes),
                            concurrency=8)
            sender.render = digest
            fan_out = asyncio.create_task(sender.run())
            await _until(lambda: len(lanes.waiting[DIGEST]) >= 5)
            tg.api.user_says(7, "/help")
            (update,) = await _updates(tg, 1)
            await tg.application.process_update(update)
            await fan_out
    asks = lanes.events.index(("asks", REPLY, 7))
    gets = lanes.events.index(("gets", REPLY, 7))
    waiting_then = {c for kind, lane, c in lanes.events[:asks] if kind == "asks" and lane == DIGEST} - \
                   {c for kind, lane, c in lanes.events[:asks] if kind == "gets" and lane == DIGEST}
    assert len(waiting_then) >= 5  # digests were queued when the reply asked
    assert not [e for e in lanes.events[asks:gets] if e[0] == "gets"]  # none got a slot before the reply
    sent = [s.chat_id for s in tg.api.state.sent]
    assert sorted(sent) == [7, *range(100, 130)]  # every digest once, and the reply
    assert not set(sent[sent.index(7) + 1:]).isdisjoint(waiting_then)  # those waiting went after it
