"""Issue 11, item 2: digests measured as Telegram measures them, and a refused message that neither
loses the digest's other messages nor repeats earlier ones (on the real databases, through the Bot
API test server)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram import Bot

from bot.digests.compose import compose
from bot.digests.send import Pacer, Sender
from bot.nlp.gazetteer import shared
from storage import deliveries, subscribers
from storage.db import session_scope
from tests.botapi import parse_html, utf16_length
from tests.helpers import Clock
from tests.test_compose import WINDOW, claim, item
from tests.fanoutkit import NOW, fan_out, sent_to

SLOT = datetime(2023, 1, 8, 11, tzinfo=UTC)  # the 12:00 Amsterdam slot NOW falls just after


def _emoji_items(count: int) -> list[dict]:
    return [item(n, f"🇺🇦 Story {n} " + "🔥" * 120, "2023-01-08T09:00:00+00:00",
                 claims=[claim(f"Speaker {k} 🎖️", "UA", "assert", "💥" * 100, "Outlet 📰", f"https://o.test/{n}/{k}")
                         for k in range(4)]) for n in range(count)]


def test_an_emoji_rich_digest_is_split_within_telegrams_limit():
    messages = compose(_emoji_items(12), "en", WINDOW)
    assert all(len(m) <= 4096 for m in messages)  # what the old splitter measured: not what Telegram counts
    assert all(utf16_length(parse_html(m)) <= 4096 for m in messages)
    assert sum(m.count("Story ") for m in messages) == 12  # every item once, none cut in two


async def _deliver(engine, api, cache_dir, parts, now=NOW):
    async def digest(*args, **kwargs) -> list[str]:
        return parts

    async with Bot("123:TEST", base_url=api.base_url) as bot:
        sender = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(now), pacer=Pacer(1000, 0))
        sender.render = digest
        return await sender.run()


async def test_a_refused_message_is_recorded_and_the_others_still_go(engine, api, cache_dir, world):
    world(1)
    api.fail_when("sendMessage", lambda p: "REFUSE" in str(p.get("text")), 400, "Bad Request: MESSAGE_REFUSED")
    report = await _deliver(engine, api, cache_dir, ["<b>one</b>", "two REFUSE", "three", "four"])
    assert [s.plain for s in sent_to(api, 1)] == ["one", "three", "four"] and report.partial == 1
    with session_scope(engine) as session:
        (delivery,) = deliveries.deliveries(session, 1)
        assert (delivery.status, delivery.parts, delivery.parts_sent) == ("partial", 4, 4)
        assert "message 2/4" in delivery.error and "message_refused" in delivery.error.lower()
        row = subscribers.get(session, 1)
        assert row.last_digest_at == SLOT and row.next_due_at == SLOT + timedelta(days=1)
    again = await _deliver(engine, api, cache_dir, ["<b>one</b>", "two REFUSE", "three", "four"],
                           now=NOW + timedelta(hours=2))
    assert again.sent == again.partial == 0 and len(sent_to(api, 1)) == 3  # nothing repeated


async def test_the_plain_text_fallback_is_cut_the_way_telegram_counts(engine, api, cache_dir, world):
    world(1)
    too_long = "<b>" + "😀" * 2100 + "</b>"  # 4,200 UTF-16 units of text, 2,107 characters
    report = await _deliver(engine, api, cache_dir, ["one", too_long, "three"])
    sent = sent_to(api, 1)
    assert [s.plain for s in sent][::2] == ["one", "three"] and report.sent == 1 and report.resent_plain == 1
    assert sent[1].plain.startswith("😀") and utf16_length(sent[1].plain) <= 4096


async def test_a_failed_delivery_keeps_telegrams_words_and_the_clock_moves(engine, api, cache_dir, world):
    world(3)
    api.fail_next("sendMessage", 500, "Internal Server Error", times=10)
    _, report = await fan_out(engine, api, cache_dir, retries=2)
    assert report.failed == 1
    with session_scope(engine) as session:
        (delivery,) = deliveries.deliveries(session, 3)
        assert delivery.status == "failed" and "Internal Server Error" in delivery.error
        assert subscribers.get(session, 3).next_due_at == SLOT + timedelta(days=1)
