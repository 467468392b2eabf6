"""/healthz and Prometheus /metrics, read from a real database."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import httpx
from telegram import Bot

from bot import metrics
from bot.cli.groupeval import store_labelled
from bot.digests.send import Pacer, Sender
from bot.items.stages import ReadAndGroup
from bot.nlp.gazetteer import shared
from storage import deliveries, subscribers
from storage.db import session_scope
from storage.models import utcnow
from tests.botapi import BotApiServer
from tests.factories import rss
from tests.helpers import Clock, add_feed
from tests.fanoutkit import NOW, STORY


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_health_and_metrics(engine, server, ingestor):
    add_feed(engine, server.route("/feed", rss(3)))
    add_feed(engine, server.route("/broken", b"nope", status=500))
    await ingestor.run_once()
    metrics.FIGURES.refresh(engine)  # what the figures job does every few minutes
    port = _port()
    http = metrics.serve(engine, port, health=metrics.Health())  # this process watches nothing
    try:
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/healthz").text == "ok\n"
        body = httpx.get(f"{base}/metrics").text
        assert "frontbrief_feeds_ok 1.0" in body and "frontbrief_feeds_failing 1.0" in body
        assert "frontbrief_articles 3.0" in body and "frontbrief_articles_ingested_total" in body
        assert httpx.get(f"{base}/nope").status_code == 404
    finally:
        metrics.stop(http)


def _sample(body: str, name: str) -> float:
    """A sample's value in Prometheus's text format."""
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")


async def test_digest_metrics_follow_a_fan_out(engine, cache_dir):
    store = ReadAndGroup(engine, cache_dir, clock=Clock(datetime(2023, 1, 8, 10, tzinfo=UTC)))
    store.process(store_labelled(engine, [STORY]))
    for chat in (1, 2, 3):
        with session_scope(engine) as session:
            subscribers.get_or_create(session, chat, "private", "en", datetime(2023, 1, 1, tzinfo=UTC))
            subscribers.change(session, chat, datetime(2023, 1, 1, tzinfo=UTC), subscribed=True, times=["12:00"])
    api, port = BotApiServer().start(), _port()
    api.user_blocks(3)
    http = metrics.serve(engine, port, health=metrics.Health())  # this process watches nothing
    scrape = lambda: httpx.get(f"http://127.0.0.1:{port}/metrics").text  # noqa: E731
    sent_before, blocked_before = _sample(scrape(), "frontbrief_digests_sent_total"), _errors(scrape(), "403")
    try:
        async with Bot("123:TEST", base_url=api.base_url) as bot:
            first = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0))
            first.bot = _StopAfterOne(bot, first)
            await first.run()
            halfway = scrape()
            await Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0)).run()
        metrics.FIGURES.refresh(engine)  # the figures job
        done = scrape()
        with engine.begin() as conn:  # a digest claimed a minute after its window ended, and not sent
            deliveries.claim(conn, 1, "en", (utcnow() - timedelta(hours=4), utcnow() - timedelta(seconds=60)),
                             utcnow(), utcnow())
        lagging = scrape()
    finally:
        metrics.stop(http)
        api.stop()
    assert _sample(halfway, "frontbrief_digests_due") == 2.0
    assert _sample(halfway, "frontbrief_delivery_lag_seconds") == 0
    assert _sample(done, "frontbrief_digests_due") == 0.0
    assert _sample(done, "frontbrief_digests_sent_total") - sent_before == 2  # chats 1 and 2; 3 blocked the bot
    assert _errors(done, "403") - blocked_before == 1
    assert _sample(done, "frontbrief_items") == 1.0 and _sample(done, "frontbrief_subscribers") == 2.0
    assert _sample(lagging, "frontbrief_delivery_lag_seconds") >= 60


def _errors(body: str, kind: str) -> float:
    try:
        return _sample(body, f'frontbrief_send_errors_total{{kind="{kind}"}}')
    except AssertionError:
        return 0.0  # no error of that kind yet in this process


class _StopAfterOne:
    """The bot, stopping its sender after the first digest (as SIGTERM would)."""

    def __init__(self, bot: Bot, sender: Sender) -> None:
        self._bot, self._sender = bot, sender

    async def send_message(self, *args, **kwargs):
        result = await self._bot.send_message(*args, **kwargs)
        self._sender.stop()
        return result

    def __getattr__(self, name: str):
        return getattr(self._bot, name)
