"""Bot memory benchmark: `python -m bot run` in its own process (polling the Bot API test server) with
its first scheduled ingest of a real day of feed items (rss-2023-war, one RSS document per source,
served from loopback as in bench/replay.py). Prints the process's resident memory from
/proc/<pid>/status: before the ingest, its peak (VmHWM) and its steady size (VmRSS once it settled)
after the ingest. Aim: steady < 250 MB.
Run: .venv/bin/python bench/botmemory.py [--corpus ../shared/corpora] [--start 2023-03-13] [--days 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.replay import load, rss  # noqa: E402
from tests.botapi import BotApiServer  # noqa: E402
from tests.feedserver import FeedServer  # noqa: E402

SETTLE = 10  # seconds of VmRSS samples after the ingest; steady is their median


def status_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


def wait_for_line(log: Path, text: str, process: subprocess.Popen, timeout: float) -> None:
    """Until the process has logged a line holding `text` (or died, or the time is up)."""
    deadline = time.monotonic() + timeout
    while text not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"no {text!r} in the bot's log:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def main() -> None:
    """Serve the feeds and the Bot API, start the bot, measure around its first ingest."""
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora"))
    cli.add_argument("--start", default="2023-03-13", help="the first day replayed (ISO)")
    cli.add_argument("--days", type=int, default=1)
    args = cli.parse_args()
    feeds = load(Path(args.corpus), date.fromisoformat(args.start), args.days)
    server = FeedServer().start()
    urls = [server.route(f"/feed/{n}", rss(source, entries)) for n, (source, entries) in enumerate(sorted(feeds.items()))]
    api = BotApiServer().start()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        (tmp / "feeds.toml").write_text("".join(f'[[feed]]\nname = "{u}"\nurl = "{u}"\n\n' for u in urls))
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:MEMORY", "TELEGRAM_API_BASE_URL": api.base_url,
               "DATABASE_URL": f"sqlite:///{tmp}/bot.db", "FEEDS_FILE": str(tmp / "feeds.toml"),
               "ALLOW_PRIVATE_FEEDS": "true", "CACHE_DIR": str(ROOT / "data" / "cache"), "FETCH_JITTER_SECONDS": "0",
               "TELEGRAM_POLL_TIMEOUT": "1", "LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT)}
        log = tmp / "bot.log"
        with open(log, "w") as out:
            bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp, stdout=out, stderr=out)
        try:
            started = time.monotonic()
            wait_for_line(log, "starting:", bot, 120)
            before = status_mb(bot.pid)
            wait_for_line(log, "ingest: ", bot, 3600)
            seconds = time.monotonic() - started
            samples = []
            for _ in range(SETTLE):
                time.sleep(1)
                samples.append(status_mb(bot.pid)["VmRSS"])
            after = status_mb(bot.pid)
        finally:
            bot.terminate()
            bot.wait(timeout=30)
            api.stop()
            server.stop()
    steady = statistics.median(samples)
    total = sum(map(len, feeds.values()))
    print(f"bot process, first scheduled ingest of {args.start} + {args.days} day(s) ({total:,} entries, "
          f"{len(urls)} feeds, done {seconds:.0f} s after start): before {before['VmRSS']:.0f} MB, "
          f"peak (VmHWM) {after['VmHWM']:.0f} MB, steady (VmRSS, median of {SETTLE} s) {steady:.0f} MB "
          f"(aim: steady < 250 MB) {'OK' if steady < 250 else 'MISSED'}")


if __name__ == "__main__":
    main()
