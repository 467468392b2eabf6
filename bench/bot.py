"""Bot benchmark: 200 concurrent users send place and date commands through the Bot API test server
to `python -m bot run` (its own process, on the demo data). Prints replies/s and p95 reply time.
Run: .venv/bin/python bench/bot.py [users] [commands per user]
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli.main import main as cli  # noqa: E402
from tests.botapi import BotApiServer, Limits  # noqa: E402

COMMANDS = ["/kramatorsk", "/charkiv", "/bakhmut", "/soledar", "/kherson", "/date 2023-01-08",
            "/date 8 januari 2023", "/place Makiivka", "/donetsk_oblast", "/date yesterday"]


def main() -> None:
    """Start the server and the bot, let the users talk, measure each reply."""
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    per_user = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        os.environ.setdefault("CACHE_DIR", str(ROOT / "data" / "cache"))
        cli(["demo"])
        # Telegram's real limits: about 30 messages a second overall, one a second per chat.
        api = BotApiServer(limits=Limits(per_chat=1, overall=30, window=1.0)).start()
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:BENCH", "TELEGRAM_API_BASE_URL": api.base_url,
               "DATABASE_URL": f"sqlite:///{tmp}/data/demo.db", "TELEGRAM_POLL_TIMEOUT": "1", "LOG_LEVEL": "ERROR"}
        bot = subprocess.Popen([sys.executable, "-m", "bot", "run", "--no-ingest"], env=env, cwd=tmp)
        while not any(m == "getUpdates" for m, _ in api.state.calls):
            time.sleep(0.1)
        asked: dict[int, list[float]] = {}
        rng = random.Random(7)
        started = time.monotonic()

        def user(chat: int) -> None:
            for _ in range(per_user):
                asked.setdefault(chat, []).append(time.monotonic())
                api.user_says(chat, rng.choice(COMMANDS))
                time.sleep(rng.uniform(0.5, 1.5))

        threads = [threading.Thread(target=user, args=(10_000 + n,)) for n in range(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        total = users * per_user
        api.wait_for(lambda sent: len(sent) >= total, timeout=600)
        elapsed = time.monotonic() - started
        delays = []
        for chat, times in asked.items():
            answers = [s for s in api.state.sent if s.chat_id == chat]
            for asked_at, sent in zip(times, answers):
                delays.append(sent_time(api, sent) - asked_at)
        bot.terminate()
        bot.wait(timeout=30)
        api.stop()
    print(f"{users} users x {per_user} commands = {total} replies in {elapsed:.1f} s: {total / elapsed:.1f} replies/s; "
          f"reply time p50 {statistics.median(delays):.2f} s, p95 {statistics.quantiles(delays, n=20)[18]:.2f} s "
          f"(Telegram's limit of 30 messages/s overall applies)")


def sent_time(api: BotApiServer, sent) -> float:
    """When the server recorded a message."""
    return api.sent_at.get(id(sent), time.monotonic())


if __name__ == "__main__":
    main()
