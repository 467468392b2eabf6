"""Load and fault scenarios, each bounded in count and time, loopback only, each ending with a count
of what was lost or sent twice. `make soak` runs them at full size (bench/soak.py); `make test` runs
them small (tests/test_soak.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from telegram import Bot

from bot.cli.groupeval import load_set, store_labelled
from bot.config import Settings
from bot.digests.send import Pacer, Sender
from bot.ingest.fetch import FetchLimits
from bot.ingest.pipeline import IngestConfig, Ingestor
from bot.items.stages import ReadAndGroup
from bot.nlp.gazetteer import shared
from handlers.context import Desk, Incoming, Throttle
from handlers.registry import respond
from storage import subscribers
from storage.db import make_engine, migrate, session_scope
from tests.botapi import BotApiServer, Limits
from tests.factories import item, rss
from tests.feedserver import FeedServer
from tests.helpers import Clock, add_feed

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2023, 1, 8, 11, 5, tzinfo=UTC)
SEND_CONCURRENCY = Settings.model_fields["send_concurrency"].default  # as the bot sends; also the most
# messages a sender killed with SIGKILL can leave in doubt


@dataclass
class Outcome:
    """What a scenario held, what it injected, and what went wrong (must be zero)."""

    scenario: str
    load: str
    faults: str
    lost: int
    duplicated: int
    seconds: float
    in_doubt: int = 0  # deliveries taken over from a killed sender, each logged

    def line(self) -> str:
        return (f"{self.scenario:28} load: {self.load:52} faults: {self.faults:44} "
                f"lost: {self.lost}  duplicated: {self.duplicated}  ({self.seconds:.1f} s)")


@contextmanager
def fresh_database(base_url: str, prefix: str = "soak", migrated: bool = True) -> Iterator[str]:
    """A new schema on PostgreSQL (with the current tables unless not `migrated`), as a URL other
    processes can use too; dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = base_url + ("&" if "?" in base_url else "?") + f"options=-csearch_path%3D{schema}"
    if migrated:
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _subscribe(url: str, chats: range, times: list[str], zone: str = "UTC", last=None) -> None:
    engine = make_engine(url)
    with session_scope(engine) as session:
        for chat in chats:
            subscribers.get_or_create(session, chat, "private", "en", datetime(2023, 1, 1, tzinfo=UTC))
            subscribers.change(session, chat, datetime(2023, 1, 1, tzinfo=UTC), subscribed=True, times=times,
                               timezone=zone, notify_empty=True, last_digest_at=last)
    engine.dispose()


def _lost_and_twice(expected: range, sent_to: list[int]) -> tuple[int, int]:
    counts = Counter(sent_to)
    return sum(1 for chat in expected if counts[chat] == 0), sum(1 for n in counts.values() if n > 1)


def fanout_under_rate_limits(url: str, cache_dir: str, subscribers_n: int, overall: int = 30) -> Outcome:
    """Digests to many chats through the test server enforcing 30/s overall, sent unpaced so that
    Telegram's 429s are met and waited out."""
    started = time.monotonic()
    _subscribe(url, range(1, subscribers_n + 1), ["12:00"], "Europe/Amsterdam")
    api = BotApiServer(limits=Limits(per_chat=1, overall=overall, window=1.0)).start()

    async def run() -> None:
        async with Bot("123:SOAK", base_url=api.base_url) as bot:
            sender = Sender(make_engine(url), bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(0, 0),
                            concurrency=SEND_CONCURRENCY)
            await sender.run()

    try:
        asyncio.run(run())
    finally:
        api.stop()
    refused = sum(1 for method, _ in api.state.calls if method == "sendMessage") - len(api.state.sent)
    lost, twice = _lost_and_twice(range(1, subscribers_n + 1), [m.chat_id for m in api.state.sent])
    return Outcome("fan-out, rate limits on",
                   f"{subscribers_n} subscribers, {overall} msg/s enforced, {SEND_CONCURRENCY} at once",
                   f"{refused} answered 429", lost, twice, time.monotonic() - started)


def queries_during_ingest(url: str, cache_dir: str, queries_n: int) -> Outcome:
    """Many concurrent place queries while an ingest reads and groups the labelled set."""
    started = time.monotonic()
    engine = make_engine(url)
    articles = load_set()
    ids = store_labelled(engine, articles)
    desk = Desk(engine, lambda: shared(cache_dir), throttle=Throttle(limit=10**9))
    errors: list[str] = []
    ingest = threading.Thread(target=ReadAndGroup(engine, cache_dir).process, args=(ids,))
    ingest.start()
    places = ["/kramatorsk", "/kharkiv", "/bakhmut", "/odesa", "/kherson", "/place Soledar", "/date 2023-01-08"]

    def ask(n: int) -> None:
        try:
            if not respond(desk, Incoming(50_000 + n, places[n % len(places)])):
                errors.append("no reply")
        except Exception as exc:  # counted as lost answers
            errors.append(repr(exc))

    askers = [threading.Thread(target=ask, args=(n,)) for n in range(queries_n)]
    for thread in askers:
        thread.start()
    for thread in askers + [ingest]:
        thread.join()
    with engine.connect() as conn:
        stored, distinct, read = conn.execute(
            text("SELECT count(*), count(DISTINCT identity), count(item_id) FROM article")).one()
    engine.dispose()
    return Outcome("queries during an ingest", f"{queries_n} concurrent queries, {len(ids)} articles",
                   "none", len(errors) + (len(ids) - read), stored - distinct, time.monotonic() - started)


def feed_dies_midway(url: str, cache_dir: str, feeds_n: int) -> Outcome:
    """Feed servers that cut responses off halfway, then recover: every article arrives, once."""
    started = time.monotonic()
    engine = make_engine(url)
    server = FeedServer().start()
    clock = Clock(NOW)
    config = IngestConfig(limits=FetchLimits(timeout=2, allow_private=True), concurrency=4)
    try:
        for n in range(feeds_n):
            add_feed(engine, server.route(f"/f{n}", rss([item(1000 * n + k) for k in range(10)]), truncate=n % 2 == 0), clock)
        first = asyncio.run(Ingestor(engine, config, clock=clock).run_once())
        for n in range(feeds_n):
            server.route(f"/f{n}", rss([item(1000 * n + k) for k in range(10)]))
        clock.advance(hours=1)
        asyncio.run(Ingestor(engine, config, clock=clock).run_once())
    finally:
        server.stop()
    with engine.connect() as conn:
        stored, distinct = conn.execute(text("SELECT count(*), count(DISTINCT identity) FROM article")).one()
    engine.dispose()
    cut = sum(r.status == "error" for r in first)
    return Outcome("feed server dies midway", f"{feeds_n} feeds x 10 entries", f"{cut} responses cut off",
                   feeds_n * 10 - stored, stored - distinct, time.monotonic() - started)


def sigkill_mid_fanout(url: str, cache_dir: str, subscribers_n: int, workdir: Path) -> Outcome:
    """The bot process killed with SIGKILL in the middle of a fan-out, then started again."""
    started = time.monotonic()
    now = datetime.now(UTC)
    _subscribe(url, range(1, subscribers_n + 1), [f"{h:02d}:00" for h in range(0, 24, 4)], "UTC",
               last=now - timedelta(days=2))
    api = BotApiServer().start()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:KILL", "TELEGRAM_API_BASE_URL": api.base_url,
           "DATABASE_URL": url, "CACHE_DIR": cache_dir, "TELEGRAM_POLL_TIMEOUT": "1", "LOG_LEVEL": "ERROR",
           "DIGEST_CHECK_SECONDS": "5", "DELIVERY_LEASE_SECONDS": "1", "SEND_CHAT_INTERVAL": "0", "SEND_RATE": "25",
           "SEND_CONCURRENCY": str(SEND_CONCURRENCY)}

    log_path = workdir / "second.log"

    def bot(log=subprocess.DEVNULL, level: str = "ERROR") -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "bot", "run", "--no-ingest"], cwd=workdir,
                                env={**env, "LOG_LEVEL": level}, stdout=subprocess.DEVNULL, stderr=log)

    try:
        first = bot()
        api.wait_for(lambda sent: len(sent) >= subscribers_n // 3, timeout=120)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        killed_at = len(api.state.sent)
        time.sleep(1.5)
        with log_path.open("wb") as log:  # the second sender logs each digest it takes over in doubt
            second = bot(log, "WARNING")
            api.wait_for(lambda sent: len({m.chat_id for m in sent}) >= subscribers_n, timeout=300)
            time.sleep(6)
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=30)
    finally:
        api.stop()
    # in doubt: a digest the killed sender had begun (claims it took ahead and never began are not)
    doubted = log_path.read_text(errors="replace").count("may have reached the chat already")
    lost, twice = _lost_and_twice(range(1, subscribers_n + 1), [m.chat_id for m in api.state.sent])
    return Outcome("SIGKILL mid fan-out", f"{subscribers_n} subscribers, 2 processes, {SEND_CONCURRENCY} at once",
                   f"SIGKILL after {killed_at} digests, {doubted} in doubt", lost, twice, time.monotonic() - started,
                   doubted)


class _Background:
    """A coroutine run to its end in a thread of its own, while the scenario injects its fault; what it
    raised is kept, to be counted as lost."""

    def __init__(self, work: Callable[[], Coroutine]) -> None:
        self.failures: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(work,))
        self.thread.start()

    def _run(self, work: Callable[[], Coroutine]) -> None:
        try:
            asyncio.run(work())
        except BaseException as exc:  # counted by the scenario
            self.failures.append(exc)


def restart_command() -> list[str] | None:
    """How to restart the PostgreSQL server under test (TEST_POSTGRES_RESTART), if we may."""
    command = os.environ.get("TEST_POSTGRES_RESTART", "").split()
    return command or None


def _restart_postgres(command: list[str]) -> float:
    """Restart the server (connections cut, then refused until it is up); the seconds it took."""
    started = time.monotonic()
    subprocess.run(command, check=True, timeout=120, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def postgres_restart_during_ingest(url: str, cache_dir: str, feeds_n: int, restart: list[str]) -> Outcome:
    """PostgreSQL restarted while one ingest run fetches and stores slow feeds: by the end of that
    same run every article is stored, once."""
    started = time.monotonic()
    engine = make_engine(url)
    server = FeedServer().start()
    clock = Clock(NOW)
    config = IngestConfig(limits=FetchLimits(timeout=5, allow_private=True), concurrency=4)
    done: list[str] = []
    try:
        for n in range(feeds_n):
            add_feed(engine, server.route(f"/f{n}", rss([item(1000 * n + k) for k in range(10)]), delay=0.25), clock)
        ingestor = Ingestor(engine, config, clock=clock)
        runner = _Background(lambda: ingestor.run_once(on_report=lambda r: done.append(r.status)))
        while len(done) < feeds_n // 4 and runner.thread.is_alive():
            time.sleep(0.05)
        at = len(done)
        took = _restart_postgres(restart)
        runner.thread.join(timeout=300)
    finally:
        server.stop()
    with engine.connect() as conn:
        stored, distinct = conn.execute(text("SELECT count(*), count(DISTINCT identity) FROM article")).one()
    engine.dispose()
    lost = feeds_n * 10 - distinct + len(runner.failures) + sum(status != "ok" for status in done)
    return Outcome("PostgreSQL restart, ingest", f"{feeds_n} slow feeds x 10 entries",
                   f"restart ({took:.1f} s) after {at} feeds", lost, stored - distinct, time.monotonic() - started)


def postgres_restart_during_fanout(url: str, cache_dir: str, subscribers_n: int, restart: list[str]) -> Outcome:
    """PostgreSQL restarted in the middle of a paced fan-out: the run waits for it and goes on;
    every digest arrives, once, and is recorded as sent."""
    started = time.monotonic()
    _subscribe(url, range(1, subscribers_n + 1), ["12:00"], "Europe/Amsterdam")
    api = BotApiServer().start()

    async def run() -> None:
        async with Bot("123:SOAK", base_url=api.base_url) as bot:
            await Sender(make_engine(url), bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(20, 0),
                         concurrency=SEND_CONCURRENCY).run()

    try:
        runner = _Background(run)
        api.wait_for(lambda sent: len(sent) >= subscribers_n // 3, timeout=120)
        at = len(api.state.sent)
        took = _restart_postgres(restart)
        runner.thread.join(timeout=600)
    finally:
        api.stop()
    engine = make_engine(url)
    with engine.connect() as conn:
        recorded = conn.execute(text("SELECT count(*) FROM delivery WHERE status = 'sent'")).scalar_one()
    engine.dispose()
    lost, twice = _lost_and_twice(range(1, subscribers_n + 1), [m.chat_id for m in api.state.sent])
    return Outcome("PostgreSQL restart, fan-out", f"{subscribers_n} subscribers, 20 msg/s, {SEND_CONCURRENCY} at once",
                   f"restart ({took:.1f} s) after {at} digests",
                   lost + len(runner.failures) + (subscribers_n - recorded), twice, time.monotonic() - started)
