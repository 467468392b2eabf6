"""Replay benchmark: a real day or week of feed items (rss-2023-war) served from loopback as the feeds
they came from, one RSS document per source, built in memory at run time (never written to the tree).

Each figure is measured in its own child process (so peak memory is that run's alone), three times,
and printed with its peer or floor from the same run:
  - whole ingest (fetch → read → group): articles/s, p95 seconds from fetch to grouped, peak memory;
    floor: our fetch+parse+store alone (aim: whole ≤ 3× of it);
  - fetch+parse+store: ours beside reader's (`reader` from the bench extra; aim: ahead of it);
  - a nothing-new pass as a whole process (`python -m bot ingest --once`, every feed answering 304)
    beside reader's `update_feeds` in a fresh process (aim: time and memory ≤ reader's), a process
    that only imports the command (what the pass costs before it fetches anything), and one that only
    imports the libraries a pass cannot do without (SQLAlchemy's ORM under SQLModel, pydantic-settings,
    httpx): the floor of this stack, whatever our own code does.
Each time is wall time with the CPU seconds of the same stretch beside it: on a machine shared with
other work the CPU seconds are the steadier comparison.
Run: .venv/bin/python bench/replay.py [--corpus ../shared/corpora] [--start 2023-03-13] [--days 7]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = 3
CONCURRENCY = 8


def load(corpus: Path, start: date, days: int) -> dict[str, list[dict]]:
    """The corpus entries published in [start, start + days), by feed URL."""
    end = start + timedelta(days=days)
    feeds: dict[str, list[dict]] = defaultdict(list)
    with gzip.open(corpus / "rss-2023-war" / "entries.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            entry = json.loads(line)
            try:
                published = datetime.fromisoformat(entry["date_published"])
            except (TypeError, ValueError):
                continue
            if start <= published.date() < end:
                feeds[entry["source"]].append(entry)
    return dict(feeds)


def rss(source: str, entries: list[dict]) -> bytes:
    """One RSS 2.0 document holding a feed's entries, as the feed served them."""
    language = Counter(e.get("language") or "" for e in entries).most_common(1)[0][0]
    items = "".join(
        f"<item><title>{escape(e.get('title') or '')}</title><link>{escape(e.get('link') or '')}</link>"
        f"<guid>{escape(e.get('link') or e.get('title') or '')}</guid>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(e['date_published']))}</pubDate>"
        f"<description>{escape(e.get('description') or '')}</description></item>" for e in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(source)}</title>'
            f"<link>{escape(source)}</link><language>{escape(language)}</language>{items}</channel></rss>").encode()


def peak_mb() -> float:
    """This process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- the child processes: each measures one thing and prints one JSON line ----

def child_ours(database: str, urls: list[str], whole: bool) -> dict:
    """Our ingest of every feed into a fresh database: fetch+parse+store, or the whole path."""
    import asyncio

    from bot.ingest.fetch import FetchLimits
    from bot.ingest.pipeline import IngestConfig, Ingestor
    from storage.db import make_engine, migrate
    from tests.helpers import add_feed

    engine = make_engine(database)
    migrate(engine)
    for url in urls:
        add_feed(engine, url)
    fetched, grouped = {}, {}

    def on_report(report) -> None:
        began = time.perf_counter() - report.seconds
        fetched.update({article_id: began for article_id in report.article_ids})

    stages = []
    if whole:
        from bot.items.stages import ReadAndGroup

        reader = ReadAndGroup(engine, str(ROOT / "data" / "cache"))

        async def timed(ids: list[int]) -> None:
            await reader(ids)
            grouped.update({article_id: time.perf_counter() for article_id in ids})

        stages = [timed]
    config = IngestConfig(limits=FetchLimits(timeout=120, allow_private=True), concurrency=CONCURRENCY)
    started, cpu = time.perf_counter(), time.process_time()
    reports = asyncio.run(Ingestor(engine, config, stages=stages).run_once(on_report=on_report))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    lags = sorted(grouped[i] - fetched[i] for i in grouped if i in fetched)
    p95 = statistics.quantiles(lags, n=20)[18] if len(lags) >= 20 else (lags[-1] if lags else None)
    return {"seconds": seconds, "cpu": cpu, "articles": sum(r.new for r in reports), "p95": p95, "mb": peak_mb(),
            "errors": [r.message for r in reports if r.status == "error"][:3]}


def child_reader(database: str, urls: list[str]) -> dict:
    """reader's fetch+parse+store of every feed into a fresh database (the peer)."""
    from reader import make_reader

    peer = make_reader(database)
    for url in urls:
        peer.add_feed(url)
    started, cpu = time.perf_counter(), time.process_time()
    peer.update_feeds(workers=CONCURRENCY)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "articles": peer.get_entry_counts().total, "mb": peak_mb()}


# ---- the parent: serves the feeds, runs the children, prints the figures ----

def run_child(*args: str) -> dict:
    """Run this file as a child doing one measurement; its JSON line."""
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"child {args[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def whole_process(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds, peak MB and CPU seconds of a process run start to end."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{argv[:4]} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def nothing_new(tmp: Path, urls: list[str]) -> dict[str, list[tuple[float, float, float]]]:
    """The 304 pass as a whole process, ours (`python -m bot ingest --once`) and reader's, ROUNDS each."""
    ours_db, peer_db = f"sqlite:///{tmp}/ours304.db", str(tmp / "peer304.sqlite")
    run_child("ours", ours_db, "fps", *urls)
    run_child("reader", peer_db, *urls)
    feeds = tmp / "feeds.toml"
    feeds.write_text("".join(f'[[feed]]\nname = "{u}"\nurl = "{u}"\n\n' for u in urls))
    env = {**os.environ, "DATABASE_URL": ours_db, "FEEDS_FILE": str(feeds), "ALLOW_PRIVATE_FEEDS": "true",
           "CACHE_DIR": str(ROOT / "data" / "cache"), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}
    peer = (f"from reader import make_reader; make_reader({peer_db!r}).update_feeds(scheduled=False, "
            f"workers={CONCURRENCY})")
    import sqlite3

    found: dict[str, list[tuple[float, float, float]]] = {"ours": [], "reader": [], "imports": [], "stack": []}
    with sqlite3.connect(f"{tmp}/ours304.db") as conn:  # nothing left to read, as after a whole run
        conn.execute("UPDATE article SET read_at = fetched_at")
    for _ in range(ROUNDS):
        with sqlite3.connect(f"{tmp}/ours304.db") as conn:  # every feed due again, as at its next turn
            conn.execute("UPDATE feed SET next_fetch_at = NULL")
        found["ours"].append(whole_process([sys.executable, "-m", "bot", "ingest", "--once"], env))
        found["reader"].append(whole_process([sys.executable, "-c", peer], env))
        found["imports"].append(whole_process([sys.executable, "-c", IMPORTS], env))
        found["stack"].append(whole_process([sys.executable, "-c", STACK], env))
    return found


# What `ingest --once` imports before it does anything: the floor of a 304 pass in this stack.
IMPORTS = "import asyncio, bot.cli.main, bot.cli.ingesting, bot.ingest.pipeline"
# What no pass of this stack can do without, whatever our code does: the floor of its process.
STACK = "import asyncio, sqlalchemy.orm, pydantic_settings, httpx"


def median(runs: list[dict], key: str) -> float:
    """The median of one figure over the rounds."""
    return statistics.median(r[key] for r in runs)


def report(whole: list[dict], fps: list[dict], peer: list[dict]) -> None:
    """Print the figures of one span, each beside its floor or peer from this run."""
    n = whole[0]["articles"]
    w, f = median(whole, "seconds"), median(fps, "seconds")
    wc, fc = median(whole, "cpu"), median(fps, "cpu")
    print(f"  whole ingest (fetch → read → group): {n / w:,.1f} articles/s ({w:.2f} s, CPU {wc:.2f} s), p95 "
          f"fetch→grouped {median(whole, 'p95'):.2f} s, peak {median(whole, 'mb'):.0f} MB; "
          f"{w / f:.2f}× our fetch+parse+store, CPU {wc / fc:.2f}× (aim ≤ 3×) {'OK' if w <= 3 * f else 'MISSED'}")
    print_fps(fps, peer)


def print_fps(fps: list[dict], peer: list[dict]) -> None:
    """Our fetch+parse+store beside reader's."""
    n, f, p = fps[0]["articles"], median(fps, "seconds"), median(peer, "seconds")
    fc, pc = median(fps, "cpu"), median(peer, "cpu")
    print(f"  fetch+parse+store: ours {f:.2f} s (CPU {fc:.2f} s, {n / f:,.0f}/s, {median(fps, 'mb'):.0f} MB), "
          f"reader {p:.2f} s (CPU {pc:.2f} s, {peer[0]['articles'] / p:,.0f}/s, {median(peer, 'mb'):.0f} MB); "
          f"ours/reader {f / p:.2f}×, CPU {fc / pc:.2f}× (aim < 1) {'OK' if f < p else 'MISSED'}")


def report_idle(idle: dict[str, list[tuple[float, float, float]]]) -> None:
    """Print the nothing-new pass beside reader's."""
    (ours_s, ours_mb, ours_cpu), (peer_s, peer_mb, peer_cpu), (floor_s, floor_mb, floor_cpu), (stack_s, stack_mb, stack_cpu) = (
        [statistics.median(x) for x in zip(*idle[k])] for k in ("ours", "reader", "imports", "stack"))
    ok = ours_s <= peer_s and ours_mb <= peer_mb
    print(f"  304 pass, whole process: ours {ours_s:.2f} s (CPU {ours_cpu:.2f} s) {ours_mb:.0f} MB, reader {peer_s:.2f} s "
          f"(CPU {peer_cpu:.2f} s) {peer_mb:.0f} MB; time {ours_s / peer_s:.2f}×, CPU {ours_cpu / peer_cpu:.2f}×, "
          f"memory {ours_mb / peer_mb:.2f}× (aim ≤ 1) {'OK' if ok else 'MISSED'}; of ours, a process that only imports "
          f"the command: {floor_s:.2f} s (CPU {floor_cpu:.2f} s) {floor_mb:.0f} MB; one that only imports SQLAlchemy's "
          f"ORM, pydantic-settings and httpx: {stack_s:.2f} s (CPU {stack_cpu:.2f} s) {stack_mb:.0f} MB")


def parent(args: argparse.Namespace) -> None:
    """Serve the span's feeds and measure; median of ROUNDS runs each."""
    from tests.feedserver import FeedServer

    feeds = load(Path(args.corpus), date.fromisoformat(args.start), args.days)
    server = FeedServer().start()
    urls = [server.route(f"/feed/{n}", rss(source, entries), etag=f'"{n}-v1"')
            for n, (source, entries) in enumerate(sorted(feeds.items()))]
    total = sum(map(len, feeds.values()))
    print(f"replay of {args.start} + {args.days} days: {total:,} entries in {len(urls)} feeds "
          f"(median of {ROUNDS} runs each)")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        fps, peer, whole = [], [], []
        for n in range(ROUNDS):
            fps.append(run_child("ours", f"sqlite:///{tmp}/fps{n}.db", "fps", *urls))
            peer.append(run_child("reader", str(tmp / f"peer{n}.sqlite"), *urls))
            if not args.no_whole:
                whole.append(run_child("ours", f"sqlite:///{tmp}/whole{n}.db", "whole", *urls))
        idle = nothing_new(tmp, urls)
    server.stop()
    if whole:
        report(whole, fps, peer)
    else:
        print_fps(fps, peer)
    report_idle(idle)


def main() -> None:
    """Parent by default; `--child KIND ...` measures one thing in this process."""
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, database, *rest = sys.argv[2:]
        if kind == "ours":
            result = child_ours(database, rest[1:], whole=rest[0] == "whole")
        else:
            result = child_reader(database, rest)
        print(json.dumps(result))
        return
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--corpus", default="../shared/corpora", help="the corpora folder (default: ../shared/corpora)")
    cli.add_argument("--start", default="2023-03-13", help="the first day replayed (ISO)")
    cli.add_argument("--days", type=int, default=7, help="how many days (1: a day, 7: a week)")
    cli.add_argument("--no-whole", action="store_true", help="skip the whole ingest (reading and grouping)")
    parent(cli.parse_args())


if __name__ == "__main__":
    main()
