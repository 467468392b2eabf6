"""Thin scheduler callbacks: the ingest job, on APScheduler alone or on python-telegram-bot's JobQueue."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from telegram.ext import Application, ContextTypes

from bot import metrics
from bot.ingest.pipeline import Ingestor
from bot.leases import holder_name, is_gone
from storage import queries
from storage.db import session_scope
from storage.models import utcnow

log = logging.getLogger(__name__)
INGEST_JOB = "ingest"
HEARTBEAT = timedelta(seconds=30)  # how often the job queue says it is alive (see /healthz)
HOLDER = holder_name(token=False)


def job_options(interval: timedelta, first: float | None = None) -> dict:
    """APScheduler options shared by both schedulers: one run at a time, missed runs coalesced; and,
    for a JobQueue job, its first run `first` seconds from now given as the job's own run time. PTB
    turns `first` into a time when the job is added, and the job queue starts only after _post_init
    has warmed the bot up (bot.app): APScheduler, finding that time past by then, would move the first
    run a whole interval on (the first ingest 15 minutes late). A run time of the job's own is kept,
    and run at once when the queue starts late (well within the misfire grace)."""
    options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": max(1, int(interval.total_seconds()))}
    if first is not None:
        options["next_run_time"] = datetime.now(UTC) + timedelta(seconds=first)
    return options


async def run_ingest(ingestor: Ingestor) -> None:
    """One scheduled pass; an exception is logged, never fatal to the scheduler."""
    try:
        with metrics.INGEST_SECONDS.time():
            reports = await ingestor.run_once()
    except asyncio.CancelledError:  # SIGTERM mid-run: what was stored is read by the next run
        log.info("ingest stopped mid-run; the next run goes on with what this one stored")
        return
    except Exception:
        log.exception("scheduled ingest failed")
        return
    new = sum(r.new for r in reports)
    failed = sum(r.status == "error" for r in reports)
    leased = sum(r.status == "leased" for r in reports)
    log.info("ingest: %d feeds, %d new articles, %d errors", len(reports) - leased, new, failed)
    if leased:
        log.warning("ingest: %d due feeds skipped, being fetched by another process (%s)", leased,
                    ", ".join(sorted({r.message or "" for r in reports if r.status == "leased"}))[:300])


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
    options = job_options(interval, first=1) | ({"jitter": jitter} if jitter else {})
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
            holder = queries.job_lease_holder(session, name)  # a killed process's lease need not be waited out
            return queries.take_lease(session, name, HOLDER, utcnow(), length, [holder] if is_gone(holder) else [])

    return await asyncio.to_thread(take)


def schedule_sending(application: Application, digest_every: timedelta, alert_every: timedelta) -> None:
    """Digests, alerts and retention on the bot's JobQueue."""
    application.job_queue.run_repeating(digest_job, interval=digest_every, first=5, name="digests",
                                        job_kwargs=job_options(digest_every, first=5))
    application.job_queue.run_repeating(alert_job, interval=alert_every, first=30, name="alerts",
                                        data=alert_every, job_kwargs=job_options(alert_every, first=30))
    day = timedelta(days=1)
    application.job_queue.run_repeating(retention_job, interval=day, first=60, name="retention",
                                        job_kwargs=job_options(day, first=60))


async def beat() -> None:
    """The job queue is alive: /healthz turns unhealthy when this stops."""
    metrics.HEALTH.beat("job queue")


async def count_figures(engine) -> None:
    """The full counts for /metrics, made here so that no scrape walks the big tables."""
    try:
        await asyncio.to_thread(metrics.FIGURES.refresh, engine)
    except Exception:
        log.exception("counting the figures for /metrics failed")


async def heartbeat_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: the heartbeat."""
    await beat()


async def figures_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: the counts for /metrics."""
    await count_figures(context.bot_data["engine"])


def schedule_upkeep(application: Application, stall: timedelta, count_every: timedelta | None) -> None:
    """The heartbeat (watched by /healthz within `stall`) and, when metrics are served, the counts."""
    metrics.HEALTH.watch("job queue", stall.total_seconds())
    application.job_queue.run_repeating(heartbeat_job, interval=HEARTBEAT, first=0, name="heartbeat",
                                        job_kwargs=job_options(HEARTBEAT, first=0))
    if count_every is not None:
        application.job_queue.run_repeating(figures_job, interval=count_every, first=1, name="figures",
                                            job_kwargs=job_options(count_every, first=1))


def schedule_upkeep_standalone(scheduler: AsyncIOScheduler, engine, stall: timedelta,
                               count_every: timedelta | None) -> None:
    """The same heartbeat and counts on a plain APScheduler (the ingest process)."""
    metrics.HEALTH.watch("job queue", stall.total_seconds())
    now = datetime.now(scheduler.timezone)
    scheduler.add_job(beat, IntervalTrigger(seconds=HEARTBEAT.total_seconds()), id="heartbeat", next_run_time=now,
                      **job_options(HEARTBEAT))
    if count_every is not None:
        scheduler.add_job(functools.partial(count_figures, engine), IntervalTrigger(seconds=count_every.total_seconds()),
                          id="figures", next_run_time=now, **job_options(count_every))
