"""Thin scheduler callbacks: the ingest job, on APScheduler alone or on python-telegram-bot's JobQueue."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from telegram.ext import Application, ContextTypes

from bot.ingest.pipeline import Ingestor
from storage import queries
from storage.db import session_scope
from storage.models import utcnow

log = logging.getLogger(__name__)
INGEST_JOB = "ingest"
HOLDER = f"{socket.gethostname()}:{os.getpid()}"


def job_options(interval: timedelta) -> dict:
    """APScheduler options shared by both schedulers: one run at a time, missed runs coalesced."""
    return {"coalesce": True, "max_instances": 1, "misfire_grace_time": max(1, int(interval.total_seconds()))}


async def run_ingest(ingestor: Ingestor) -> None:
    """One scheduled pass; an exception is logged, never fatal to the scheduler."""
    try:
        reports = await ingestor.run_once()
    except Exception:
        log.exception("scheduled ingest failed")
        return
    new = sum(r.new for r in reports)
    failed = sum(r.status == "error" for r in reports)
    log.info("ingest: %d feeds, %d new articles, %d errors", len(reports), new, failed)


def schedule_standalone(scheduler: AsyncIOScheduler, job: Callable[[], Awaitable[None]],
                        interval: timedelta, jitter: int) -> None:
    """Add the ingest job to a plain APScheduler, first run now."""
    trigger = IntervalTrigger(seconds=interval.total_seconds(), jitter=jitter or None)
    scheduler.add_job(job, trigger, id=INGEST_JOB, next_run_time=datetime.now(scheduler.timezone),
                      **job_options(interval))


async def ingest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: the same pass, with the Ingestor kept in bot_data."""
    await run_ingest(context.bot_data["ingestor"])


def schedule_on_job_queue(application: Application, interval: timedelta, jitter: int) -> None:
    """Add the ingest job to the bot's JobQueue, first run right after start."""
    options = job_options(interval) | ({"jitter": jitter} if jitter else {})
    application.job_queue.run_repeating(ingest_job, interval=interval, first=1, name=INGEST_JOB,
                                        job_kwargs=options)


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: send the digests that are due."""
    sender = context.bot_data["make_sender"](context.bot)
    context.bot_data["sender"] = sender
    try:
        report = await sender.run()
    except Exception:
        log.exception("digest fan-out failed")
        return
    if report.sent or report.failed or report.blocked:
        log.info("digests: %d sent, %d empty, %d blocked, %d failed, %d renders", report.sent, report.empty,
                 report.blocked, report.failed, len(report.renders))


async def alert_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: alerts about followed places, by one process at a time."""
    if not await holds_lease(context, "alerts", context.job.data or timedelta(minutes=5)):
        return
    try:
        await context.bot_data["make_sender"](context.bot).alerts()
    except Exception:
        log.exception("alerts failed")


async def retention_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: drop the text of old articles (items and claims stay)."""
    if not await holds_lease(context, "retention", timedelta(hours=1)):
        return
    engine, days = context.bot_data["engine"], context.bot_data["retention_days"]

    def prune() -> int:
        with session_scope(engine) as session:
            return queries.prune_articles(session, utcnow() - timedelta(days=days))

    pruned = await asyncio.to_thread(prune)
    log.info("retention: the text of %d articles older than %d days was dropped", pruned, days)


async def holds_lease(context: ContextTypes.DEFAULT_TYPE, name: str, length: timedelta) -> bool:
    """Whether this process may run job `name` now (a lease in the database, for several processes)."""
    engine = context.bot_data["engine"]

    def take() -> bool:
        with session_scope(engine) as session:
            return queries.take_lease(session, name, HOLDER, utcnow(), length)

    return await asyncio.to_thread(take)


def schedule_sending(application: Application, digest_every: timedelta, alert_every: timedelta) -> None:
    """Digests, alerts and retention on the bot's JobQueue."""
    application.job_queue.run_repeating(digest_job, interval=digest_every, first=5, name="digests",
                                        job_kwargs=job_options(digest_every))
    application.job_queue.run_repeating(alert_job, interval=alert_every, first=30, name="alerts",
                                        data=alert_every, job_kwargs=job_options(alert_every))
    day = timedelta(days=1)
    application.job_queue.run_repeating(retention_job, interval=day, first=60, name="retention",
                                        job_kwargs=job_options(day))
