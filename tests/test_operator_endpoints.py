"""Issue 16, item 8: /healthz says 503 and why when polling or the job queue stalls (not only when the
database is down); /metrics carries the standard process and Python collectors, ingest and read
durations, and a scrape never counts the big tables (the counts come from a job)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import event
from telegram import Bot

from bot import metrics
from bot.app import build_application
from bot.serve import poll_beat_class
from bot.cli.groupeval import store_labelled
from bot.config import Settings
from bot.items.stages import ReadAndGroup
from bot.jobs import run_ingest
from tests.botapi import BotApiServer
from tests.factories import rss
from tests.helpers import Clock, add_feed
from tests.fanoutkit import STORY


class Ticks:
    """A monotonic clock that moves when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sample(body: str, name: str) -> float:
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")


@pytest.fixture
def served(engine):
    """/healthz and /metrics on a port, with a health and counts of this test's own."""
    ticks, port = Ticks(), _port()
    health, figures = metrics.Health(clock=ticks), metrics.Figures()
    http = metrics.serve(engine, port, health=health, figures=figures)
    yield f"http://127.0.0.1:{port}", health, figures, ticks
    metrics.stop(http)


def test_healthz_is_unhealthy_when_polling_or_the_job_queue_stalls(served):
    base, health, _, ticks = served
    health.watch("polling", 300)
    health.watch("job queue", 300)
    assert httpx.get(f"{base}/healthz").text == "ok\n"
    ticks.now += 200
    health.beat("job queue")
    ticks.now += 150  # polling: 350 s without a poll answered; the job queue: 150 s
    answer = httpx.get(f"{base}/healthz")
    assert answer.status_code == 503 and answer.text == "polling stalled: last tick 350 s ago (bound 300 s)\n"
    ticks.now += 200
    answer = httpx.get(f"{base}/healthz")
    assert answer.status_code == 503 and "job queue stalled: last tick 350 s ago" in answer.text
    health.beat("polling")
    health.beat("job queue")
    assert httpx.get(f"{base}/healthz").status_code == 200


async def test_each_poll_telegram_answers_is_a_beat(monkeypatch):
    ticks = Ticks()
    monkeypatch.setattr(metrics, "HEALTH", metrics.Health(clock=ticks))
    metrics.HEALTH.watch("polling", 300)
    api = BotApiServer().start()
    try:
        async with Bot("123:TEST", base_url=api.base_url, get_updates_request=poll_beat_class()(connection_pool_size=1)) as bot:
            ticks.now += 400
            assert metrics.HEALTH.problems()
            await bot.get_updates(timeout=0)  # no updates: still an answered poll
            assert metrics.HEALTH.problems() == []
            ticks.now += 400
            api.fail_next("getUpdates", 409, "Conflict: terminated by other getUpdates request")
            with pytest.raises(Exception):
                await bot.get_updates(timeout=0)
            assert metrics.HEALTH.problems()[0].startswith("polling stalled")  # refused: no beat
    finally:
        api.stop()


def test_the_bot_watches_polling_and_its_job_queue(engine, monkeypatch):
    monkeypatch.setattr(metrics, "HEALTH", metrics.Health())
    settings = Settings(telegram_bot_token="123:TEST", health_stall_seconds=120, metrics_port=9999)
    application = build_application(settings, engine, ingest=False)
    assert metrics.HEALTH.bounds == {"polling": 120, "job queue": 120}
    assert {"heartbeat", "figures"} <= {job.name for job in application.job_queue.jobs()}
    assert isinstance(application.bot._request[0], poll_beat_class())  # PTB keeps (getUpdates request, the other one)


async def test_a_scrape_reads_no_big_table_and_the_counts_come_from_the_job(engine, server, ingestor, served):
    base, _, figures, _ = served
    add_feed(engine, server.route("/feed", rss(3)))
    await ingestor.run_once()
    statements: list[str] = []
    listen = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        before = httpx.get(f"{base}/metrics").text
        scraped = list(statements)
        figures.refresh(engine)  # the figures job
        statements.clear()
        after = httpx.get(f"{base}/metrics").text
        scraped_again = list(statements)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    for each in (scraped, scraped_again):
        assert 1 <= len(each) <= 3, each
        assert not any(f"FROM {table}" in s for s in each for table in ("article", "item", "subscriber")), each
    assert "frontbrief_articles " not in before and _sample(before, "frontbrief_feeds_ok") == 1.0
    assert _sample(after, "frontbrief_articles") == 3.0 and _sample(after, "frontbrief_subscribers") == 0.0
    assert _sample(after, "frontbrief_counts_age_seconds") >= 0


async def test_metrics_carry_process_python_ingest_and_read_figures(engine, server, ingestor, served, cache_dir):
    base, *_ = served
    add_feed(engine, server.route("/feed", rss(2)))
    runs = _sample(httpx.get(f"{base}/metrics").text, "frontbrief_ingest_run_seconds_count")
    await run_ingest(ingestor)
    ReadAndGroup(engine, cache_dir, clock=Clock(datetime(2023, 1, 8, 10, tzinfo=UTC))).process(
        store_labelled(engine, [STORY]))
    body = httpx.get(f"{base}/metrics").text
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes", "python_info{",
                 "python_gc_objects_collected_total{", "frontbrief_feed_ingest_seconds_bucket{",
                 "frontbrief_read_seconds_bucket{"):
        assert name in body, name
    assert _sample(body, "frontbrief_ingest_run_seconds_count") == runs + 1
    assert _sample(body, "frontbrief_read_seconds_count") >= 1
