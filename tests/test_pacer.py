"""The lanes and the digest pacer: Telegram's overall rate shared by replies and digests (replies
first), one digest message per chat interval, and a 429 that holds only its chat."""

from __future__ import annotations

import asyncio
from collections import deque

from bot.digests.lanes import DIGEST, REPLY, Lanes, Pacer, next_waiter


class Ticks:
    """A monotonic clock that moves only when told."""

    def __init__(self, at: float = 0.0) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def test_slots_are_spaced_by_the_overall_rate():
    clock = Ticks()
    lanes = Lanes(rate=10, clock=clock)
    assert [lanes.grant(), lanes.grant()] == [True, False]
    clock.at = 0.1
    assert lanes.grant()


def test_a_429_holds_its_chat_and_not_the_others():
    clock = Ticks(5.0)
    lanes = Lanes(rate=30, clock=clock)
    lanes.hold(1, 2.0)  # Telegram answered 429 with retry_after=2 for chat 1
    assert lanes.held_for(1) == 2.0 and lanes.held_for(2) == 0.0 and lanes.grant()
    clock.at = 20.0
    assert lanes.held_for(1) == 0.0 and lanes.held == {}  # over, and forgotten


def test_the_flood_limit_holds_the_whole_bot():
    clock = Ticks(1.0)
    lanes = Lanes(rate=0, clock=clock)
    assert lanes.grant() and lanes.grant()  # no rate: no spacing
    lanes.hold_all(1.0)
    assert not lanes.grant()
    clock.at = 2.0
    assert lanes.grant()


def test_a_waiting_reply_gets_the_next_slot_before_digests_that_waited_longer():
    loop = asyncio.new_event_loop()
    try:
        digest, reply, gone = (loop.create_future() for _ in range(3))
        gone.cancel()  # a reply that gave up is passed over
        waiting = (deque([gone, reply]), deque([digest]))
        assert next_waiter(waiting) is reply and next_waiter(waiting) is digest and next_waiter(waiting) is None
    finally:
        loop.close()


async def test_replies_queued_behind_a_held_bot_go_out_before_the_digests_queued_first():
    lanes = Lanes(rate=1000)
    lanes.hold_all(0.05)  # every slot taken for a moment: everyone queues
    order: list[str] = []

    async def send(name: str, lane: int) -> None:
        await lanes.take(lane, chat_id=name)
        order.append(name)

    digests = [asyncio.create_task(send(f"digest {n}", DIGEST)) for n in range(3)]
    await asyncio.sleep(0)  # the digests are waiting first
    replies = [asyncio.create_task(send(f"reply {n}", REPLY)) for n in range(2)]
    await asyncio.gather(*digests, *replies)
    assert order == ["reply 0", "reply 1", "digest 0", "digest 1", "digest 2"]


def test_one_digest_message_per_chat_interval_and_held_chats_wait():
    clock = Ticks()
    pacer = Pacer(rate=0, chat_interval=1.0, clock=clock)
    asyncio.run(pacer.wait(1))
    assert pacer.chat_delay(1) == 1.0 and pacer.chat_delay(2) == 0.0
    pacer.hold(2, 3.0)
    assert pacer.lanes.held_for(2) == 3.0 and pacer.lanes.held_for(1) == 0.0
