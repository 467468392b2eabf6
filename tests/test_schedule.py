"""The ingest job on a schedule: plain APScheduler for `ingest`, the JobQueue inside the bot."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram.ext import CallbackContext

from bot.app import build_application
from bot.config import load_settings
from bot.ingest.pipeline import Ingestor
from bot.jobs import INGEST_JOB, schedule_standalone
from tests.factories import rss
from tests.helpers import add_feed, articles_of


async def test_standalone_schedule_repeats_and_never_overlaps():
    running, overlaps, runs = 0, 0, 0

    async def slow_job() -> None:
        nonlocal running, overlaps, runs
        running += 1
        overlaps = max(overlaps, running)
        runs += 1
        await asyncio.sleep(0.35)  # longer than the interval: the next run must wait, not pile up
        running -= 1

    scheduler = AsyncIOScheduler()
    schedule_standalone(scheduler, slow_job, timedelta(seconds=0.1), jitter=0)
    job = scheduler.get_job(INGEST_JOB)
    assert job.coalesce and job.max_instances == 1
    scheduler.start()
    await asyncio.sleep(1.0)
    scheduler.shutdown(wait=False)
    assert overlaps == 1 and 2 <= runs <= 4, (overlaps, runs)


def _settings(engine_url: str, **extra):
    return load_settings(database_url=engine_url, telegram_bot_token="123456:TEST-token",
                         telegram_api_base_url="http://127.0.0.1:9/bot", **extra)


async def test_the_bot_schedules_ingest_on_its_job_queue(engine, server):
    url = server.route("/feed", rss(2))
    add_feed(engine, url)
    settings = _settings(str(engine.url), fetch_interval_minutes=10, fetch_jitter_seconds=30, allow_private_feeds=True)
    application = build_application(settings, engine)
    jobs = {job.name: job for job in application.job_queue.jobs()}
    assert set(jobs) == {INGEST_JOB, "digests", "alerts", "retention", "heartbeat"}  # no metrics port: no counts job
    job = jobs[INGEST_JOB]
    assert job.job.trigger.interval == timedelta(minutes=10) and job.job.trigger.jitter == 30
    assert job.job.coalesce and job.job.max_instances == 1
    await job.callback(CallbackContext(application))  # what the JobQueue runs, on the real database
    assert len(articles_of(engine, url)) == 2
    assert isinstance(application.bot_data["ingestor"], Ingestor)


async def test_no_ingest_leaves_only_the_sending_jobs(engine):
    application = build_application(_settings(str(engine.url)), engine, ingest=False)
    jobs = {job.name: job for job in application.job_queue.jobs()}
    assert set(jobs) == {"digests", "alerts", "retention", "heartbeat"}
    assert jobs["digests"].job.trigger.interval == timedelta(seconds=60) and jobs["digests"].job.max_instances == 1


async def test_jobs_keep_their_first_run_when_the_job_queue_starts_late(engine):
    """The job queue starts after _post_init's warm-up: a first run due meanwhile is run at once, not
    moved a whole interval on (the bot's first ingest came 15 minutes late)."""
    settings = _settings(str(engine.url), fetch_interval_minutes=15)
    application = build_application(settings, engine)
    await asyncio.sleep(1.5)  # the warm-up between scheduling and the queue's start, past the ingest's first=1
    await application.job_queue.start()
    try:
        jobs = {job.name: job for job in application.job_queue.jobs()}
        due = jobs[INGEST_JOB].next_t - datetime.now(UTC)
        assert due < timedelta(seconds=5), due  # not 15 minutes on
        assert jobs["heartbeat"].next_t - datetime.now(UTC) < timedelta(seconds=5)
    finally:
        await application.job_queue.stop(wait=False)
