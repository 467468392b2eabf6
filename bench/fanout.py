"""Fan-out benchmark: 100,000 subscribers in 2 languages and 6 time zones, one digest each.

Prints composition time and the number of distinct renders (one per language and window, shared by
everyone who has it), and the send loop's own throughput against a local sink that answers at once
(aim: at least 1,000 messages/s, so that Telegram's limit, not our code, sets the pace), with the
process's peak memory at 10,000 and at 100,000 subscribers. Then the pacer against a sink 150 ms
away, one chat at a time and five at once. Run: .venv/bin/python bench/fanout.py [N]
"""

from __future__ import annotations

import asyncio
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.cli.groupeval import Labelled, store_labelled  # noqa: E402
from bot.digests.send import Pacer, Sender  # noqa: E402
from bot.items.stages import ReadAndGroup  # noqa: E402
from bot.nlp.gazetteer import shared  # noqa: E402
from storage.db import make_engine, migrate  # noqa: E402
from storage.models import Subscriber  # noqa: E402
from tests.helpers import Clock  # noqa: E402,F401

ZONES = ["Europe/Amsterdam", "Europe/Kyiv", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC"]
NOW = datetime(2023, 1, 8, 23, 59, tzinfo=UTC)


class Sink:
    """Answers every send at once."""

    def __init__(self) -> None:
        self.count = 0

    async def send_message(self, chat_id, text, **kwargs) -> None:
        self.count += 1


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/fanout.db")
        migrate(engine)
        cache = str(Path("data/cache").resolve())
        stories = [Labelled("a", "en", NOW - timedelta(hours=h + 25), "Wire", f"Strike on Kharkiv number {h}",
                            f"A missile hit Kharkiv overnight, governor Oleh Syniehubov said; {h + 2} people were wounded.")
                   for h in range(6)]
        ReadAndGroup(engine, cache, clock=lambda: NOW - timedelta(hours=25)).process(store_labelled(engine, stories))
        joined = datetime(2023, 1, 1, tzinfo=UTC)
        with engine.begin() as conn:
            for first in range(0, total, 10_000):
                conn.execute(insert(Subscriber), [
                    {"chat_id": 1_000_000 + n, "chat_type": "private", "language": ("en", "nl")[n % 2],
                     "times": ["08:00", "13:00", "19:00"], "timezone": ZONES[n % len(ZONES)], "subscribed": True,
                     "active": True, "created_at": joined, "updated_at": joined, "notify_empty": False,
                     "last_digest_at": NOW - timedelta(hours=26)} for n in range(first, min(total, first + 10_000))])
        sink = Sink()
        sender = Sender(engine, sink, lambda: shared(cache), clock=lambda: NOW, pacer=Pacer(rate=0, chat_interval=0))
        marks: dict[int, float] = {}
        original = sink.send_message

        async def counted(chat_id, text, **kwargs):
            await original(chat_id, text, **kwargs)
            if sink.count in (10_000, total):
                marks[sink.count] = peak_mb()

        sink.send_message = counted
        started = time.perf_counter()
        report = asyncio.run(sender.run())
        elapsed = time.perf_counter() - started
        compose_time = sum(sender.compose_seconds.values())
        print(f"{total:,} subscribers, 2 languages, {len(ZONES)} time zones: {report.sent:,} digests, "
              f"{report.messages:,} messages in {elapsed:.1f} s = {report.messages / elapsed:,.0f} messages/s "
              f"(aim: at least 1,000/s)")
        print(f"distinct renders: {len(report.renders)}; composition time in all: {compose_time:.2f} s")
        print("peak memory: " + ", ".join(f"{mb:.0f} MB at {n:,} subscribers" for n, mb in sorted(marks.items())))
        idle_checks(engine, cache, total)
    at_telegram_latency(str(Path("data/cache").resolve()))


def idle_checks(engine, cache: str, total: int) -> None:
    """The check the bot makes every minute, when nothing is due: with every chat's next digest time
    unknown (each one worked out from its times and zone, as every check did before they were kept)
    and with them known (an indexed read of the chats due)."""
    sender = Sender(engine, Sink(), lambda: shared(cache), clock=lambda: NOW)  # all sent at NOW: none due
    with engine.begin() as conn:
        conn.execute(update(Subscriber).values(next_due_at=None))
    figures = []
    for _ in range(2):
        started = time.perf_counter()
        asyncio.run(sender.run())
        figures.append(time.perf_counter() - started)
    print(f"a check with nothing due among {total:,} subscribers: {figures[0]:.2f} s working out every chat, "
          f"{figures[1] * 1000:.1f} ms once next digest times are kept ({figures[0] / figures[1]:,.0f}x)")


class SlowSink(Sink):
    """Answers every send after a network round trip."""

    def __init__(self, latency: float) -> None:
        super().__init__()
        self.latency = latency

    async def send_message(self, chat_id, text, **kwargs) -> None:
        await asyncio.sleep(self.latency)
        self.count += 1


def at_telegram_latency(cache: str, chats: int = 300, latency: float = 0.15) -> None:
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
            sender = Sender(engine, sink, lambda: shared(cache), clock=lambda: NOW, pacer=Pacer(30, 1.0),
                            concurrency=concurrency)
            started = time.perf_counter()
            asyncio.run(sender.run())
            rate = sink.count / (time.perf_counter() - started)
            floor = rate if run == 0 else floor
            print(f"Telegram {wait * 1000:.0f} ms away, {concurrency} chat(s) at once: {sink.count} messages, "
                  f"{rate:.1f} messages/s = {rate / floor:.2f} of the pacer alone")


if __name__ == "__main__":
    main()
