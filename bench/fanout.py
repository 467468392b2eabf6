"""Fan-out benchmark: 10,000 and 100,000 subscribers in 2 languages and 6 time zones, one digest each,
on SQLite and (with TEST_POSTGRES_URL or BENCH_POSTGRES_URL set) PostgreSQL.

Each fan-out runs in a process of its own against a local sink that answers at once, so that its
peak memory (ru_maxrss) is the sending's, not the set-up's (spaCy reads the stories). Prints the send
loop's throughput against its floor (at least 1,000 messages/s, so that Telegram's limit, not our
code, sets the pace), the peak memory at 10,000 and at 100,000 subscribers with their ratio against
its ceiling (1.2), the distinct renders (one per language and window, shared by everyone who has it),
and the check made every minute when nothing is due. Then the pacer against a sink 150 ms away.
Run: .venv/bin/python bench/fanout.py [N ...]   (default: 10000 100000)
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.digests.send import Pacer, Sender  # noqa: E402
from bot.nlp.gazetteer import shared  # noqa: E402
from storage.db import make_engine, migrate  # noqa: E402
from storage.models import Subscriber  # noqa: E402

ZONES = ["Europe/Amsterdam", "Europe/Kyiv", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC"]
NOW = datetime(2023, 1, 8, 23, 59, tzinfo=UTC)
FLOOR, MEMORY_CEILING = 1_000, 1.2
CACHE = str(ROOT / "data" / "cache")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))  # chats at once (SEND_CONCURRENCY, at most 32; default 5)


class Sink:
    """Answers every send at once."""

    def __init__(self) -> None:
        self.count = 0

    async def send_message(self, chat_id, text, **kwargs) -> None:
        self.count += 1


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(url: str, total: int) -> None:
    """The stories (read and grouped) and `total` subscribers, each with a digest due at NOW."""
    from bot.cli.groupeval import Labelled, store_labelled
    from bot.items.stages import ReadAndGroup

    engine = make_engine(url)
    migrate(engine)
    stories = [Labelled("a", "en", NOW - timedelta(hours=h + 25), "Wire", f"Strike on Kharkiv number {h}",
                        f"A missile hit Kharkiv overnight, governor Oleh Syniehubov said; {h + 2} people were wounded.")
               for h in range(6)]
    ReadAndGroup(engine, CACHE, clock=lambda: NOW - timedelta(hours=25)).process(store_labelled(engine, stories))
    joined = datetime(2023, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for first in range(0, total, 10_000):
            conn.execute(insert(Subscriber), [
                {"chat_id": 1_000_000 + n, "chat_type": "private", "language": ("en", "nl")[n % 2],
                 "times": ["08:00", "13:00", "19:00"], "timezone": ZONES[n % len(ZONES)], "subscribed": True,
                 "active": True, "created_at": joined, "updated_at": joined, "notify_empty": False,
                 "last_digest_at": NOW - timedelta(hours=26)} for n in range(first, min(total, first + 10_000))])
    engine.dispose()


def send(url: str) -> dict:
    """One fan-out into the sink (in its own process): its figures. The gazetteer is loaded first, as
    in the bot, which has loaded it for its answers long before its first digest."""
    engine = make_engine(url)
    shared(CACHE)
    sink = Sink()
    sender = Sender(engine, sink, lambda: shared(CACHE), clock=lambda: NOW, pacer=Pacer(rate=0, chat_interval=0),
                    concurrency=CONCURRENCY)
    started = time.perf_counter()
    report = asyncio.run(sender.run())
    elapsed = time.perf_counter() - started
    return {"sent": report.sent, "messages": report.messages, "seconds": elapsed, "peak_mb": peak_mb(),
            "renders": len(report.renders), "compose": sum(sender.compose_seconds.values()),
            "idle": idle_check(engine)}


def idle_check(engine) -> list[float]:
    """The check the bot makes every minute, when nothing is due: with every chat's next digest time
    unknown (each one worked out from its times and zone) and with them known (an indexed read)."""
    sender = Sender(engine, Sink(), lambda: shared(CACHE), clock=lambda: NOW)  # all sent at NOW: none due
    with engine.begin() as conn:
        conn.execute(update(Subscriber).values(next_due_at=None))
    figures = []
    for _ in range(2):
        started = time.perf_counter()
        asyncio.run(sender.run())
        figures.append(time.perf_counter() - started)
    return figures


def databases() -> list[tuple[str, object]]:
    """(name, a function making a fresh database URL on a stack) for SQLite and, when configured, PostgreSQL."""
    made = [("SQLite", lambda stack: f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/fanout.db")]
    postgres = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")
    if postgres:
        from tests.soak import fresh_database

        made.append(("PostgreSQL", lambda stack: stack.enter_context(fresh_database(postgres, "fanout"))))
    return made


def main(sizes: list[int]) -> None:
    for name, fresh in databases():
        figures = {}
        for total in sizes:
            with ExitStack() as stack:
                url = fresh(stack)
                fill(url, total)
                child = subprocess.run([sys.executable, __file__, "--send", url], capture_output=True, text=True,
                                       check=True)
            figures[total] = found = json.loads(child.stdout.strip().splitlines()[-1])
            rate = found["messages"] / found["seconds"]
            unknown, known = found["idle"]
            print(f"{name}, {total:,} subscribers, {CONCURRENCY} chats at once: {found['messages']:,} messages in {found['seconds']:.1f} s = "
                  f"{rate:,.0f} messages/s (floor {FLOOR:,}/s: {'met' if rate >= FLOOR else 'NOT met'}); "
                  f"peak memory {found['peak_mb']:.0f} MB; {found['renders']} distinct renders, composed in "
                  f"{found['compose']:.2f} s; a check with nothing due: {unknown:.2f} s working out every chat, "
                  f"{known * 1000:.1f} ms once next digest times are kept", flush=True)
        small, large = min(figures), max(figures)
        if small != large:
            ratio = figures[large]["peak_mb"] / figures[small]["peak_mb"]
            print(f"{name}: peak memory at {large:,} / at {small:,} subscribers = {ratio:.2f} "
                  f"(ceiling {MEMORY_CEILING}: {'met' if ratio <= MEMORY_CEILING else 'NOT met'})")
    at_telegram_latency()


class SlowSink(Sink):
    """Answers every send after a network round trip."""

    def __init__(self, latency: float) -> None:
        super().__init__()
        self.latency = latency

    async def send_message(self, chat_id, text, **kwargs) -> None:
        await asyncio.sleep(self.latency)
        self.count += 1


def at_telegram_latency(chats: int = 300, latency: float = 0.15) -> None:
    """The real pacer (30/s) against a sink that answers after `latency`: one chat at a time and
    several at once, each against the floor of the pacer alone (a sink that answers at once). Its
    own small database, so that the figures are the sending's, not a large table's."""
    joined = NOW - timedelta(days=30)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/latency.db")
        migrate(engine)
        for run, (wait, concurrency) in enumerate([(0.0, 1), (latency, 1), (latency, 5)]):
            with engine.begin() as conn:
                conn.execute(insert(Subscriber), [
                    {"chat_id": 5_000_000 + run * chats + n, "chat_type": "private", "language": "en",
                     "times": ["08:00"], "timezone": "UTC", "subscribed": True, "active": True, "created_at": joined,
                     "updated_at": joined, "notify_empty": True, "last_digest_at": NOW - timedelta(hours=26)}
                    for n in range(chats)])
            sink = SlowSink(wait)
            sender = Sender(engine, sink, lambda: shared(CACHE), clock=lambda: NOW, pacer=Pacer(30, 1.0),
                            concurrency=concurrency)
            started = time.perf_counter()
            asyncio.run(sender.run())
            rate = sink.count / (time.perf_counter() - started)
            floor = rate if run == 0 else floor
            print(f"Telegram {wait * 1000:.0f} ms away, {concurrency} chat(s) at once: {sink.count} messages, "
                  f"{rate:.1f} messages/s = {rate / floor:.2f} of the pacer alone")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--send"]:
        print(json.dumps(send(sys.argv[2])))
    else:
        main([int(n) for n in sys.argv[1:]] or [10_000, 100_000])
