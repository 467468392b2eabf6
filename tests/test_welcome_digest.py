"""Issue 16, item 7, end to end through the Bot API test server: /subscribe answers with the latest
items at once (a short digest of the last hours), then the schedule takes over, and the first
scheduled digest does not repeat what the welcome sent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Bot

from bot.cli.groupeval import Labelled, store_labelled
from bot.digests.send import Pacer, Sender
from bot.i18n import t
from bot.items.stages import ReadAndGroup
from bot.nlp.gazetteer import shared
from storage import deliveries, subscribers
from storage.db import session_scope
from tests.helpers import Clock
from tests.telegram_app import chatting
from tests.fanoutkit import STORY

SUBSCRIBED_AT = datetime(2023, 1, 8, 10, 30, tzinfo=UTC)  # 11:30 in Amsterdam; digests at 08, 13 and 19
LATER = Labelled("b", "en", datetime(2023, 1, 8, 11, 30, tzinfo=UTC), "Lviv Wire",  # another outlet: another link
                 "Ukraine claims 12 tanks destroyed near Bakhmut",
                 "Ukraine's defence ministry said on Sunday it had destroyed 12 Russian tanks near Bakhmut. "
                 "Russia denied it.")


@pytest.fixture
async def tg(engine, cache_dir):
    async with chatting(engine, cache_dir, clock=Clock(SUBSCRIBED_AT)) as talking:
        yield talking


def _read(engine, cache_dir, article, at):
    ReadAndGroup(engine, cache_dir, clock=Clock(at)).process(store_labelled(engine, [article]))


async def _fan_out(engine, cache_dir, api, at):
    async with Bot("123:TEST", base_url=api.base_url) as bot:
        await Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(at), pacer=Pacer(1000, 0)).run()


async def test_a_new_subscriber_gets_the_latest_news_then_the_schedule(tg, engine, cache_dir):
    _read(engine, cache_dir, STORY, datetime(2023, 1, 8, 10, tzinfo=UTC))  # half an hour before /subscribe
    confirmation, *welcome = await tg.says(41, "/subscribe")
    assert t("en", "subscribe.latest", hours=12) in confirmation.plain
    assert welcome and "Kramatorsk" in welcome[0].plain and "Frontbrief digest" in welcome[0].plain
    with session_scope(engine) as session:
        assert subscribers.get(session, 41).last_digest_at == SUBSCRIBED_AT

    await _fan_out(engine, cache_dir, tg.api, datetime(2023, 1, 8, 12, 5, tzinfo=UTC))  # after 13:00 there
    assert [s for s in tg.api.state.sent if s.chat_id == 41] == [confirmation, *welcome]  # nothing again
    with session_scope(engine) as session:
        (first,) = deliveries.deliveries(session, 41)
    assert (first.status, first.window_start) == ("empty", SUBSCRIBED_AT)

    _read(engine, cache_dir, LATER, datetime(2023, 1, 8, 13, tzinfo=UTC))
    await _fan_out(engine, cache_dir, tg.api, datetime(2023, 1, 8, 18, 5, tzinfo=UTC))  # after 19:00
    evening = [s for s in tg.api.state.sent if s.chat_id == 41][1 + len(welcome):]
    shown = "\n".join(s.plain for s in evening)
    assert "Bakhmut" in shown and "Kramatorsk" not in shown


async def test_without_recent_news_the_subscriber_is_told_so(tg, engine):
    (only,) = await tg.says(42, "/subscribe")
    assert t("en", "subscribe.no_news", hours=12) in only.plain
