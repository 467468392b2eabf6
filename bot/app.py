"""Wiring in one place: settings → engine → feeds → ingestor → python-telegram-bot Application → jobs."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from typing import TYPE_CHECKING

from bot import metrics
from bot.config import Settings, ephemeral_platform
from bot.serve import poll_beat_class
from bot.ingest.feedpolicy import Policy
from bot.ingest.feeds import load_feed_list
from bot.ingest.fetch import FetchLimits
from bot.ingest.handoff import Deferred
from bot.ingest.pipeline import IngestConfig, Ingestor
from storage import queries
from storage.db import Engine, SchemaError, check_schema, make_engine, migrate, session_scope, sqlite_file

if TYPE_CHECKING:  # Telegram is imported by the functions that build the bot: `ingest` never needs it
    from telegram.ext import Application, ContextTypes

log = logging.getLogger(__name__)


def open_storage(settings: Settings) -> Engine:
    """The engine, migrated to the current schema, with the configured feeds added."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    specs = load_feed_list(settings.feeds_file)
    with session_scope(engine) as session:
        added = queries.add_missing_feeds(session, specs)
    if added:
        log.info("added %d feeds from %s", added, settings.feeds_file)
    return engine


def open_existing(settings: Settings, hint: str = "run `python -m bot ingest --once` (or `python -m bot run`)") -> Engine:
    """The engine of a database that must already hold the current schema: for the commands that only
    read. Nothing is created, migrated or added; a missing or older schema is a SchemaError saying what to run."""
    path = sqlite_file(settings.database_url)
    where = str(path) if path else settings.database_url.rpartition("@")[2]
    if path is not None and not path.exists():
        raise SchemaError(f"There is no database at {where} yet: {hint} first.")
    engine = make_engine(settings.database_url)
    try:
        check_schema(engine)
    except SchemaError as exc:
        engine.dispose()
        raise SchemaError(f"The database at {where} {exc}: {hint} first, which migrates it.") from None
    return engine


def warn_if_ephemeral(settings: Settings, environ: Mapping[str, str]) -> None:
    """On a Procfile platform, a local SQLite file is on a disk that the next restart wipes: say so."""
    platform = ephemeral_platform(environ)
    if platform and settings.database_kind == "sqlite":
        log.warning("running on %s with SQLite (%s): that file is lost on every restart or deploy; "
                    "set DATABASE_URL to a PostgreSQL database", platform, settings.database_url)


def startup_line(settings: Settings, bot_name: str, feeds: int) -> str:
    """What this process is: bot, mode, database kind, metrics address and feeds, in one line."""
    mode = f"webhook {settings.webhook_url}" if settings.webhook_url else "polling"
    metrics = f"port {settings.metrics_port}" if settings.metrics_port else "off"
    return (f"Frontbrief @{bot_name or '?'} starting: {mode}, {settings.database_kind} database, "
            f"metrics {metrics}, {feeds} active feeds")


def make_ingestor(settings: Settings, engine: Engine) -> Ingestor:
    """The ingest run with the stages after it: reading and grouping into items, built (spaCy loaded)
    when the first articles come to be read: a pass with nothing new never loads it."""

    def read_and_group():
        from bot.items.stages import ReadAndGroup

        return ReadAndGroup(engine, str(settings.cache_dir))

    return Ingestor(engine, ingest_config(settings), stages=[Deferred(read_and_group)])


def ingest_config(settings: Settings) -> IngestConfig:
    """The ingest run's limits and schedule policy from the settings."""
    limits = FetchLimits(timeout=settings.fetch_timeout_seconds, max_bytes=settings.fetch_max_bytes,
                         max_redirects=settings.fetch_max_redirects, user_agent=settings.user_agent,
                         allow_private=settings.allow_private_feeds)
    policy = Policy(interval=timedelta(minutes=settings.fetch_interval_minutes),
                    max_errors=settings.feed_max_errors,
                    max_backoff=timedelta(hours=settings.feed_max_backoff_hours))
    return IngestConfig(limits=limits, policy=policy, concurrency=settings.fetch_concurrency)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every handler or job error; a user never sees a traceback. Telegram refusing a call is an
    expected event (one line); anything else is a bug (with its traceback, for the operator), and the
    user whose message met it is told, once, that something went wrong."""
    from telegram import Update
    from telegram.error import TelegramError

    from handlers.adapter import apologize

    update_id = getattr(update, "update_id", None)
    if isinstance(context.error, TelegramError):
        log.warning("Telegram refused a call while handling update %s: %s", update_id, context.error)
    else:
        log.error("error while handling update %s", update_id, exc_info=context.error)
        if isinstance(update, Update):
            await apologize(update, context)


def make_desk(settings: Settings, engine: Engine):
    """The command answering service, with the gazetteer loaded on first use."""
    from bot.nlp.gazetteer import shared
    from handlers.context import Desk

    return Desk(engine, lambda: shared(str(settings.cache_dir)), admins=frozenset(settings.admin_chat_ids),
                translator=make_translator(settings))


def make_translator(settings: Settings):
    """The machine translation client, or None when TRANSLATE_URL is not set (then nothing is sent)."""
    if not settings.translate_url:
        return None
    from bot.digests.translate import Translator

    key = settings.translate_api_key.get_secret_value() if settings.translate_api_key else None
    return Translator(settings.translate_url, key, timeout=settings.translate_timeout_seconds,
                      cooldown=settings.translate_pause_seconds)


def make_sender(settings: Settings, engine: Engine, bot, lanes=None):
    """The digest sender on a bot, paced as configured, in the digest lane of `lanes` (shared with replies)."""
    from bot.digests.send import Pacer, Sender
    from bot.nlp.gazetteer import shared

    pacer = Pacer(settings.send_rate, settings.send_chat_interval, lanes=lanes)
    return Sender(engine, bot, lambda: shared(str(settings.cache_dir)), pacer=pacer, paid_broadcast=settings.paid_broadcast,
                  lease=timedelta(seconds=settings.delivery_lease_seconds), concurrency=settings.send_concurrency)


def add_handlers(application: Application) -> None:
    """Every handler, in one place."""
    from telegram.ext import CallbackQueryHandler, ChatMemberHandler, MessageHandler, filters

    from handlers.adapter import on_button, on_command, on_member, on_migrate, on_text

    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    application.add_handler(ChatMemberHandler(on_member, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(CallbackQueryHandler(on_button))
    fresh = ~filters.UpdateType.EDITED  # an edited message was answered already, as first sent
    application.add_handler(MessageHandler(filters.COMMAND & fresh, on_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & fresh, on_text))


def settle_heap() -> None:
    """What is loaded by now (the gazetteer, the date readers, the libraries) lives as long as the
    process: collected once, then moved out of the collector's sight (gc.freeze), so that a full
    collection later walks only what was made since, not all of it while every reply in flight waits."""
    import gc

    gc.collect()
    gc.freeze()


async def _post_init(application: Application) -> None:
    """After getMe: what the first commands would load made now, before any update is taken
    (handlers.warmup); the bot's own name (for /cmd@Name in groups), the command menu per language,
    and SIGTERM handled here so that a fan-out in progress finishes its current message and stops."""
    import asyncio
    import signal

    from handlers.adapter import menu
    from handlers.warmup import warm

    await asyncio.to_thread(warm, application.bot_data["desk"])
    settle_heap()

    def on_term() -> None:
        sender = application.bot_data.get("sender")
        if sender is not None:
            sender.stop()
        application.stop_running()

    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, on_term)

    application.bot_data["desk"].bot_name = (application.bot.username or "").lower()
    log.info(application.bot_data["startup"](application.bot.username or ""))
    await application.bot.set_my_commands(menu("en"))
    for lang in ("en", "nl"):
        await application.bot.set_my_commands(menu(lang), language_code=lang)


def build_application(settings: Settings, engine: Engine, ingest: bool = True) -> Application:
    """The bot: HTML by default, pointed at the configured Bot API server, its sends in two lanes of
    one overall rate: replies first, digests behind them; a 429 holds only the chat it was for."""
    from telegram.constants import ParseMode
    from telegram.ext import Application, Defaults

    from bot.digests.lanes import LaneLimiter, Lanes
    from bot.jobs import schedule_on_job_queue, schedule_sending, schedule_upkeep

    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .rate_limiter(LaneLimiter(lanes := Lanes(settings.send_rate), max_retries=3))
        .concurrent_updates(16)  # one slow answer must not hold up everybody else's
        .post_init(_post_init)
    )
    stall = timedelta(seconds=settings.health_stall_seconds)
    if not settings.webhook_url:  # a webhook has no poll to watch: Telegram calls us
        builder = builder.get_updates_request(poll_beat_class()(connection_pool_size=1))
        metrics.HEALTH.watch("polling", stall.total_seconds())
    application = builder.build()
    application.bot_data["engine"] = engine
    application.bot_data["ingestor"] = make_ingestor(settings, engine)
    application.bot_data["desk"] = make_desk(settings, engine)
    application.bot_data["make_sender"] = lambda bot: make_sender(settings, engine, bot, lanes)
    application.bot_data["retention_days"] = settings.article_retention_days
    with session_scope(engine) as session:
        feeds = sum(1 for feed, _ in queries.listed_feeds(session) if feed.active)
    application.bot_data["startup"] = lambda name: startup_line(settings, name, feeds)
    add_handlers(application)
    application.add_error_handler(on_error)
    if ingest:
        interval = timedelta(minutes=settings.fetch_interval_minutes)
        schedule_on_job_queue(application, interval, settings.fetch_jitter_seconds)
    schedule_sending(application, timedelta(seconds=settings.digest_check_seconds),
                     timedelta(minutes=settings.alert_minutes))
    schedule_upkeep(application, stall, timedelta(seconds=settings.metrics_count_seconds)
                    if settings.metrics_port else None)
    return application
