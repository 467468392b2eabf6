"""The fan-out's delivery records on the real databases: a chat's closing record goes in one
transaction with the start of the worker's next chat, and is committed before that chat's first
message, so that every message Telegram took is on record before anything else is sent."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.digests.send import Pacer, Sender
from bot.nlp.gazetteer import shared
from storage.models import Delivery
from tests.fanoutkit import NOW, Relay
from tests.helpers import Clock

CHATS = range(1, 9)


def _statuses(engine) -> dict[int, str]:
    """What another connection sees committed: each chat's delivery status."""
    with engine.connect() as conn:
        return dict(conn.execute(select(Delivery.chat_id, Delivery.status)).all())


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_every_chat_is_on_record_before_the_next_message_goes(engine, api, cache_dir, world, concurrency):
    for chat in CHATS:
        world(chat)
    seen_unrecorded: list[tuple[int, int, str]] = []
    async with Bot("123:TEST", base_url=api.base_url) as bot:
        sender = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0),
                        concurrency=concurrency)
        original = bot.send_message

        async def checked(chat_id, *args, **kwargs):
            committed = _statuses(engine)
            done = {s.chat_id for s in api.state.sent}  # chats Telegram took a message for (one each)
            seen_unrecorded.extend((chat_id, earlier, committed.get(earlier, "none")) for earlier in done
                                   if committed.get(earlier) != "sent" and earlier != chat_id
                                   and concurrency == 1)  # several at once: the others may be in flight
            assert committed[chat_id] == "sending"  # begun on record before its first message
            return await original(chat_id, *args, **kwargs)

        sender.bot = Relay(bot, checked)
        report = await sender.run()
    assert report.sent == len(CHATS) and seen_unrecorded == []
    assert set(_statuses(engine).values()) == {"sent"}


async def test_a_chats_close_and_the_next_chats_start_share_one_transaction(engine, api, cache_dir, world):
    for chat in CHATS:
        world(chat)
    async with Bot("123:TEST", base_url=api.base_url) as bot:
        sender = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0))
        report = await sender.run()
    assert report.sent == len(CHATS)
    # the first start and the last close on their own, every other close with the next start (not 2 per chat)
    assert sender.records.transactions == len(CHATS) + 1


async def test_a_close_is_not_held_while_the_next_chats_digest_is_made(engine, api, cache_dir, world):
    world(1, "en")
    world(2, "nl")  # another language: its digest is made after chat 1 got its own
    async with Bot("123:TEST", base_url=api.base_url) as bot:
        sender = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0))
        made = sender._compose
        during: list[dict[int, str]] = []

        async def compose(key):
            during.append(_statuses(engine))
            return await made(key)

        sender._compose = compose
        await sender.run()
    assert during[1][1] == "sent"  # chat 1 closed and committed before chat 2's digest was composed


async def test_a_digest_that_fails_to_render_leaves_the_chat_before_on_record(engine, api, cache_dir, world):
    world(1)
    world(2)  # the same digest: made once, so chat 1's close would wait to go with chat 2's start
    async with Bot("123:TEST", base_url=api.base_url) as bot:
        sender = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0))
        made, calls = sender.render, []

        async def render(*args):
            calls.append(args)
            if len(calls) == 2:
                raise RuntimeError("the database went away while composing")
            return await made(*args)

        sender.render = render
        with pytest.raises(BaseExceptionGroup):
            await sender.run()
    assert len(api.state.sent) == 1 and _statuses(engine)[api.state.sent[0].chat_id] == "sent"
