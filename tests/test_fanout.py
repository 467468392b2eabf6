"""Digest fan-out through the Bot API test server on the real databases: every digest exactly once,
Telegram's 429/403/400/500 handled, a fan-out stopped halfway resumed without duplicates, alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from telegram import Bot

from bot import metrics
from bot.digests import schedule
from bot.digests.send import Pacer, Sender
from bot.nlp.gazetteer import shared
from storage import deliveries, subscribers
from storage.db import session_scope
from tests.botapi import BotApiServer
from tests.fanoutkit import NOW, Relay, fan_out, sent_to
from tests.helpers import Clock


async def test_each_due_digest_goes_out_once_and_renders_are_shared(engine, api, cache_dir, world):
    for chat in (1, 2, 3):
        world(chat, "en")
    world(4, "nl")
    world(5, "en", times=("18:00",), last_digest_at=datetime(2023, 1, 7, 17, tzinfo=UTC))  # due at 18:00 only
    _, report = await fan_out(engine, api, cache_dir)
    assert report.sent == 4 and len(report.renders) == 2
    assert "Kramatorsk" in sent_to(api, 1)[0].plain and "Frontbrief-samenvatting" in sent_to(api, 4)[0].plain
    assert sent_to(api, 5) == []
    _, again = await fan_out(engine, api, cache_dir, now=NOW + timedelta(minutes=30))
    assert again.sent == 0 and len(api.state.sent) == 4
    with session_scope(engine) as session:
        assert {d.status for d in deliveries.deliveries(session)} == {"sent"}


async def test_later_checks_read_only_the_chats_whose_next_digest_has_come(engine, api, cache_dir, world):
    world(1)  # due at 12:00 Amsterdam
    world(5, times=("18:00",), last_digest_at=datetime(2023, 1, 7, 17, tzinfo=UTC))  # next at 18:00
    await fan_out(engine, api, cache_dir)
    with session_scope(engine) as session:
        assert subscribers.get(session, 1).next_due_at == datetime(2023, 1, 9, 11, tzinfo=UTC)  # tomorrow 12:00
        assert subscribers.get(session, 5).next_due_at == datetime(2023, 1, 8, 17, tzinfo=UTC)  # today 18:00
        assert deliveries.digest_subscribers(session, NOW + timedelta(hours=1)) == []  # nothing to look at
        assert [s.chat_id for s in deliveries.digest_subscribers(session, datetime(2023, 1, 8, 17, tzinfo=UTC))] == [5]
        subscribers.change(session, 1, NOW, times=["13:00"])  # new times: worked out again
    with session_scope(engine) as session:
        assert [s.chat_id for s in deliveries.digest_subscribers(session, NOW + timedelta(hours=1))] == [1]
    _, later = await fan_out(engine, api, cache_dir, now=datetime(2023, 1, 8, 12, 1, tzinfo=UTC))  # 13:01 there
    assert later.empty == 1  # looked at and closed: no news since its last digest, and it did not ask for a note
    with session_scope(engine) as session:
        assert subscribers.get(session, 1).next_due_at == datetime(2023, 1, 9, 12, tzinfo=UTC)  # tomorrow 13:00


async def test_settings_changed_during_a_fan_out_are_not_overwritten_by_its_next_due(engine, api, cache_dir, world):
    world(1)
    world(5, times=("18:00",), last_digest_at=datetime(2023, 1, 7, 17, tzinfo=UTC))
    async with Bot("123:TEST", base_url=api.base_url) as bot:
        sender = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0))

        async def user_changes_times_meanwhile(chat_id, *args, **kwargs):
            with session_scope(engine) as session:
                subscribers.change(session, chat_id, NOW + timedelta(seconds=1), times=["13:00"])
            return await bot.send_message(chat_id, *args, **kwargs)

        sender.bot = Relay(bot, user_changes_times_meanwhile)
        await sender.run()
    with session_scope(engine) as session:
        assert subscribers.get(session, 1).next_due_at is None  # to be worked out from 13:00, not 12:00
        seen = subscribers.get(session, 5).updated_at
    with engine.begin() as conn:  # a time worked out from settings read before they changed: not kept
        deliveries.set_next_due(conn, [(5, datetime(2023, 1, 9, tzinfo=UTC), seen - timedelta(seconds=1))])
    with session_scope(engine) as session:
        assert subscribers.get(session, 5).next_due_at == datetime(2023, 1, 8, 17, tzinfo=UTC)


async def test_a_429_holds_its_chat_only_and_the_digest_goes_after_retry_after(engine, api, cache_dir, world):
    world(1)
    world(2)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=1)
    _, report = await fan_out(engine, api, cache_dir, concurrency=2)
    assert report.sent == 2 and len(sent_to(api, 1)) == len(sent_to(api, 2)) == 1
    assert [s.chat_id for s in api.state.sent] == [2, 1]  # chat 2 did not wait for chat 1's retry_after


async def test_403_marks_the_subscriber_inactive(engine, api, cache_dir, world):
    world(1)
    api.state.blocked.add(1)
    _, report = await fan_out(engine, api, cache_dir)
    assert report.blocked == 1
    with session_scope(engine) as session:
        assert not subscribers.get(session, 1).active
        assert deliveries.deliveries(session, 1)[0].status == "blocked"


async def test_400_on_entities_is_resent_as_plain_text(engine, api, cache_dir, world):
    world(1)
    api.fail_next("sendMessage", 400, "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3")
    _, report = await fan_out(engine, api, cache_dir)
    (message,) = sent_to(api, 1)
    assert report.sent == 1 and report.resent_plain == 1 and "<b>" not in message.text and "Kramatorsk" in message.text


async def test_server_errors_are_retried_then_recorded(engine, api, cache_dir, world):
    world(1)
    world(2)
    api.fail_next("sendMessage", 500, "Internal Server Error", times=2)
    _, report = await fan_out(engine, api, cache_dir, retries=3)
    assert report.sent == 2 and len(sent_to(api, 1)) == 1
    api.state.sent.clear()
    world(3)
    api.fail_next("sendMessage", 500, "Internal Server Error", times=10)
    _, report = await fan_out(engine, api, cache_dir, retries=2)
    assert report.failed == 1 and sent_to(api, 3) == []
    with session_scope(engine) as session:
        assert deliveries.deliveries(session, 3)[0].status == "failed"


async def test_a_fan_out_stopped_halfway_resumes_without_duplicates(engine, api, cache_dir, world):
    chats = list(range(10, 30))
    for chat in chats:
        world(chat)
    async with Bot("123:TEST", base_url=api.base_url) as bot:
        first = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0))
        original = bot.send_message

        async def stop_after_seven(*args, **kwargs):
            result = await original(*args, **kwargs)
            if len(api.state.sent) == 7:
                first.stop()  # SIGTERM in the middle of the fan-out
            return result

        first.bot = Relay(bot, stop_after_seven)
        report = await first.run()
    assert report.sent == 7
    _, rest = await fan_out(engine, api, cache_dir, lease=timedelta(0))
    assert rest.sent == 13
    assert sorted(s.chat_id for s in api.state.sent) == chats  # every chat exactly once


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_several_chats_at_once_get_each_digest_once(engine, cache_dir, world, concurrency):
    server = BotApiServer(latency=0.1).start()  # Telegram a tenth of a second away
    try:
        for chat in range(40, 52):
            world(chat)
        _, report = await fan_out(engine, server, cache_dir, concurrency=concurrency)
    finally:
        server.stop()
    assert report.sent == 12 and sorted(s.chat_id for s in server.state.sent) == list(range(40, 52))
    assert server.most_sending == concurrency  # that many sends were waiting for Telegram together
    with session_scope(engine) as session:
        assert [d.status for d in deliveries.deliveries(session)] == ["sent"] * 12


async def test_a_fan_out_stopped_between_messages_goes_on_at_once(engine, api, cache_dir, world):
    world(1)
    parts = ["<b>one</b>", "two", "three"]

    async def long_digest(*args, **kwargs) -> list[str]:
        return parts  # a digest of three messages

    async with Bot("123:TEST", base_url=api.base_url) as bot:
        first = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0))
        first.render = long_digest

        async def stop_after_one(*args, **kwargs):
            result = await bot.send_message(*args, **kwargs)
            first.stop()  # SIGTERM between the first and second message
            return result

        first.bot = Relay(bot, stop_after_one)
        await first.run()
        with session_scope(engine) as session:
            (paused,) = deliveries.deliveries(session, 1)
            assert (paused.status, paused.parts_sent) == ("paused", 1)
        second = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW + timedelta(seconds=5)),
                        pacer=Pacer(1000, 0))  # well within the ten-minute lease: a paused digest needs none
        second.render = long_digest
        report = await second.run()
    assert report.sent == 1 and [s.plain for s in sent_to(api, 1)] == ["one", "two", "three"]


async def test_a_digest_left_by_a_dead_sender_is_taken_over_and_counted_in_doubt(engine, api, cache_dir, world, caplog):
    world(1)
    with session_scope(engine) as session:
        row = subscribers.get(session, 1)
        window = schedule.due_window(row.times, row.timezone, None, row.created_at, NOW)
    with engine.begin() as conn:  # a sender began it twenty minutes ago and was killed
        delivery_id = deliveries.claim(conn, 1, "en", window, NOW - timedelta(minutes=20), NOW - timedelta(minutes=30))[0]
        deliveries.start_many(conn, [delivery_id])
    before = metrics.REGISTRY.get_sample_value("frontbrief_deliveries_in_doubt_total") or 0.0
    _, report = await fan_out(engine, api, cache_dir)
    assert report.sent == 1 and len(sent_to(api, 1)) == 1
    assert metrics.REGISTRY.get_sample_value("frontbrief_deliveries_in_doubt_total") - before == 1
    assert "may have reached the chat already" in caplog.text


async def test_a_digest_claimed_by_a_dead_sender_that_never_began_it_is_not_in_doubt(engine, api, cache_dir, world, caplog):
    world(1)
    with session_scope(engine) as session:
        row = subscribers.get(session, 1)
        window = schedule.due_window(row.times, row.timezone, None, row.created_at, NOW)
    with engine.begin() as conn:  # claimed ahead in a batch twenty minutes ago; the sender died before sending
        deliveries.claim(conn, 1, "en", window, NOW - timedelta(minutes=20), NOW - timedelta(minutes=30))
    before = metrics.REGISTRY.get_sample_value("frontbrief_deliveries_in_doubt_total") or 0.0
    _, report = await fan_out(engine, api, cache_dir)
    assert report.sent == 1 and len(sent_to(api, 1)) == 1
    assert (metrics.REGISTRY.get_sample_value("frontbrief_deliveries_in_doubt_total") or 0.0) == before
    assert "may have reached the chat already" not in caplog.text


async def test_an_empty_window_sends_nothing_unless_asked(engine, api, cache_dir, world):
    world(1)
    world(2, notify_empty=True)
    later = datetime(2023, 1, 9, 11, 5, tzinfo=UTC)
    with session_scope(engine) as session:
        for chat in (1, 2):
            subscribers.change(session, chat, later, last_digest_at=datetime(2023, 1, 8, 11, tzinfo=UTC))
    _, report = await fan_out(engine, api, cache_dir, now=later)
    assert report.empty == 1 and report.sent == 1 and sent_to(api, 1) == []
    assert sent_to(api, 2)[0].plain == "No news since your last digest."


async def test_followers_get_one_alert_for_a_burst(engine, api, cache_dir, world, caplog):
    world(1)
    with session_scope(engine) as session:
        deliveries.follow(session, 1, "kramatorsk", datetime(2023, 1, 8, 8, tzinfo=UTC))
        deliveries.follow(session, 1, "donetsk_oblast", datetime(2023, 1, 8, 8, tzinfo=UTC))
    async with Bot("123:TEST", base_url=api.base_url) as bot:
        sender = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0))
        with caplog.at_level("INFO", logger="bot.digests.send"):
            assert await sender.alerts() == 1
        assert "alerts: 1 of 1 chats alerted about 2 places" in caplog.text  # one INFO line per batch
        assert await sender.alerts() == 0  # nothing new since
    (alert,) = sent_to(api, 1)
    assert "News about" in alert.plain and "Kramatorsk" in alert.plain
