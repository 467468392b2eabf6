"""Ingest benchmark: 10,000 generated entries in 20 feeds served from a local HTTP server.

Prints articles/s of our fetch + parse + clean + store (on SQLite, and on PostgreSQL when
TEST_POSTGRES_URL is set) beside, in the same process and rounds: a floor (feedparser parsing the same
bytes, with the same headers and options as ours give it, alone: no Content-Location, see
bot.ingest.baseless) and the peer, reader (fetch+parse+store into its SQLite, from the bench extra; aim:
ours ahead of it). Each figure is wall time, with the process's CPU seconds for the same stretch beside
it: on a machine shared with other work the CPU seconds are the steadier comparison.
Run with `make bench` or `.venv/bin/python bench/ingest.py`.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from html import escape
from pathlib import Path

import feedparser
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.ingest.feedpolicy import Policy  # noqa: E402
from bot.ingest.fetch import FetchLimits  # noqa: E402
from bot.ingest.pipeline import IngestConfig, Ingestor  # noqa: E402
from storage.db import make_engine, migrate  # noqa: E402
from tests.feedserver import FeedServer  # noqa: E402
from tests.helpers import add_feed  # noqa: E402

FEEDS, PER_FEED, ROUNDS = 20, 500, 3
SCHEMA = f"bench_ingest_{os.getpid()}"  # its own: two benches on one server must not drop each other's
PLACES = ["Kramatorsk", "Charkiv", "Kherson", "Bakhmut", "Zaporizhzhia", "Soledar", "Dnipro", "Kyiv"]
WORDS = ("the ministry said that a strike hit the town overnight and officials denied any losses while "
         "witnesses reported damage to several buildings near the station").split()


def _entry(rng: random.Random, feed: int, n: int) -> str:
    place = rng.choice(PLACES)
    paragraphs = "".join(f"<p>{' '.join(rng.choices(WORDS, k=40))} in {place}.</p>" for _ in range(3))
    return (f"<item><title>{escape(f'Report {feed}-{n}: strike on {place}')}</title>"
            f"<link>https://bench.example.test/{feed}/{n}?utm_source=rss</link><guid>bench-{feed}-{n}</guid>"
            f"<pubDate>Sun, 08 Jan 2023 10:{n % 60:02d}:00 +0100</pubDate>"
            f"<description>{escape(paragraphs)}</description></item>")


def feeds() -> list[bytes]:
    """FEEDS bodies of PER_FEED entries each, the same every run."""
    rng = random.Random(8)
    return [(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench {f}</title>'
             f"<language>en</language>{''.join(_entry(rng, f, n) for n in range(PER_FEED))}</channel></rss>").encode()
            for f in range(FEEDS)]


def floor(bodies: list[bytes]) -> tuple[float, float]:
    """Seconds (wall, CPU) for feedparser alone to parse every body, given the headers ours gives it."""
    started, cpu = time.perf_counter(), time.process_time()
    for body in bodies:
        headers = {"content-type": "application/rss+xml; charset=utf-8"}
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
        assert len(parsed.entries) == PER_FEED
    return time.perf_counter() - started, time.process_time() - cpu


def peer(server: FeedServer, tmp: str) -> tuple[float, float] | None:
    """Seconds (wall, CPU) for reader to fetch, parse and store every feed into a fresh database (None: not installed)."""
    try:
        from reader import make_reader
    except ImportError:
        return None
    reader = make_reader(f"{tmp}/reader.sqlite")
    for f in range(FEEDS):
        reader.add_feed(server.url(f"/bench/{f}"))
    started, cpu = time.perf_counter(), time.process_time()
    reader.update_feeds(workers=4)
    seconds = time.perf_counter() - started, time.process_time() - cpu
    assert reader.get_entry_counts().total == FEEDS * PER_FEED
    reader.close()
    return seconds


def ours(url: str, server: FeedServer) -> tuple[float, float]:
    """Seconds (wall, CPU) for a full ingest of every feed into a fresh database."""
    engine = make_engine(url)
    migrate(engine)
    for f in range(FEEDS):
        add_feed(engine, server.url(f"/bench/{f}"))
    config = IngestConfig(limits=FetchLimits(timeout=60, allow_private=True), policy=Policy(), concurrency=4)
    started, cpu = time.perf_counter(), time.process_time()
    reports = asyncio.run(Ingestor(engine, config).run_once())
    seconds = time.perf_counter() - started, time.process_time() - cpu
    assert sum(r.new for r in reports) == FEEDS * PER_FEED, [r.message for r in reports]
    engine.dispose()
    return seconds


def _best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The least wall time of the rounds, and the least CPU time (each its own round's best)."""
    return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)


def _postgres_url(create: bool = True) -> str | None:
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        return None
    engine = make_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE" + (f"; CREATE SCHEMA {SCHEMA}" if create else "")))
    engine.dispose()
    return base


def main() -> None:
    """Run the floor and our ingest ROUNDS times each, interleaved, and print the best of each."""
    bodies = feeds()
    server = FeedServer().start()
    for f, body in enumerate(bodies):
        server.route(f"/bench/{f}", body)
    total = FEEDS * PER_FEED
    print(f"{total} entries in {FEEDS} feeds, {sum(map(len, bodies)) / 1e6:.1f} MB; best of {ROUNDS} rounds")
    targets = {"sqlite": None, "postgresql": _postgres_url()}
    for name, pg in targets.items():
        if name == "postgresql" and pg is None:
            print("postgresql: skipped (TEST_POSTGRES_URL not set)")
            continue
        floors, runs, peers = [], [], []
        for round_ in range(ROUNDS):
            floors.append(floor(bodies))
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{tmp}/bench.db" if pg is None else pg
                if pg is not None:
                    _postgres_url()  # a fresh schema each round
                    url = pg + ("&" if "?" in pg else "?") + f"options=-csearch_path%3D{SCHEMA}"
                runs.append(ours(url, server))
                peers.append(peer(server, tmp))
        (best_floor, floor_cpu), (best, cpu) = _best(floors), _best(runs)
        print(f"{name}: feedparser alone {best_floor:.2f} s ({total / best_floor:,.0f} entries/s; CPU {floor_cpu:.2f} s); "
              f"fetch+parse+store {best:.2f} s ({total / best:,.0f} articles/s; CPU {cpu:.2f} s); "
              f"ratio {best / best_floor:.2f}x")
        if None not in peers:
            best_peer, peer_cpu = _best(peers)
            print(f"  reader (SQLite) fetch+parse+store {best_peer:.2f} s ({total / best_peer:,.0f} entries/s; "
                  f"CPU {peer_cpu:.2f} s); ours/reader {best / best_peer:.2f}x, CPU {cpu / peer_cpu:.2f}x (aim < 1) "
                  f"{'OK' if best < best_peer else 'MISSED'}")
        else:
            print("  reader: not installed (make bench installs the bench extra)")
    _postgres_url(create=False)
    server.stop()


if __name__ == "__main__":
    main()
