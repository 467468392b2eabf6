"""Bot benchmark: 200 users send place and date commands through the Bot API test server to
`python -m bot run` (its own process, on the demo data) while a digest fan-out to 3,000 other chats
runs in the same process. The test server applies Telegram's limits as Telegram does: about 30
messages a second for the bot, one a second per private chat with a short burst allowed, 20 a
minute per group; a 429 names the chat's retry_after. Prints replies/s and reply time p50/p95
(aim: p95 at most 2 s), and how many digest messages went out meanwhile; then where the replies at or
above p95 spent their time (waiting for the bot's poll, inside the bot, in the server and back, a
429 included) and when in the run they were asked.

Each user reads the answer before the next command and thinks `think` seconds (uniform between the
two figures given; users arrive over the first ten seconds): a person, not a script, so that the
commands offered stay within what Telegram lets one bot send (200 users at 10 s apart are 20/s of
the 30). With think times below a second the offered commands exceed Telegram's 30/s and no bot
can answer them all within seconds: the figure then measures the queue, not the bot.
Run: .venv/bin/python bench/bot.py [users] [commands per user] [think min] [think max] [digest chats]
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
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.cli.main import main as cli  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.models import Subscriber  # noqa: E402
from tests.botapi import BotApiServer, Limits  # noqa: E402

COMMANDS = ["/kramatorsk", "/charkiv", "/bakhmut", "/soledar", "/kherson", "/date 2023-01-08",
            "/date 8 januari 2023", "/place Makiivka", "/donetsk_oblast", "/date yesterday"]
AIM = 2.0
DIGEST_CHATS = 1_000_000  # the first chat id of the digest subscribers


class Server(BotApiServer):
    """The test server, waking only the user a message is for (not all 200 on every message)."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.arrived: dict[int, threading.Condition] = defaultdict(threading.Condition)
        self.fetched: dict[int, float] = {}  # chat → when the bot's getUpdates took its latest command
        self.reached: dict[int, float] = {}  # chat → when the bot's first sendMessage for it arrived

    def user_says(self, chat_id: int, text: str, **options) -> None:
        self.fetched.pop(chat_id, None)
        self.reached.pop(chat_id, None)
        super().user_says(chat_id, text, **options)

    def m_getupdates(self, params: dict) -> list[dict]:
        updates = super().m_getupdates(params)
        now = time.monotonic()
        for update in updates:
            self.fetched.setdefault(update.get("message", {}).get("chat", {}).get("id"), now)
        return updates

    def m_sendmessage(self, params: dict) -> dict:
        self.reached.setdefault(int(params["chat_id"]), time.monotonic())
        return super().m_sendmessage(params)

    def _record(self, sent) -> None:
        super()._record(sent)
        with self.arrived[sent.chat_id]:
            self.arrived[sent.chat_id].notify_all()

    def answered(self, chat: int, before: int) -> None:
        """Wait until the chat has had more than `before` messages."""
        with self.arrived[chat]:
            if not self.arrived[chat].wait_for(lambda: self.state.counts[chat] > before, timeout=600):
                raise AssertionError(f"no answer to chat {chat}")


def subscribe(url: str, chats: int) -> None:
    """`chats` subscribers whose digest is due now (a slot a few minutes ago, the last a day before)."""
    if not chats:
        return
    now = datetime.now(UTC)
    slot = (now - timedelta(minutes=3)).strftime("%H:%M")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(Subscriber), [
            {"chat_id": DIGEST_CHATS + n, "chat_type": "private", "language": ("en", "nl")[n % 2], "times": [slot],
             "timezone": "UTC", "subscribed": True, "active": True, "created_at": now - timedelta(days=30),
             "updated_at": now - timedelta(days=30), "notify_empty": True, "last_digest_at": now - timedelta(days=1, hours=1)}
            for n in range(chats)])
    engine.dispose()


def main() -> None:
    """Start the server and the bot, let the fan-out begin, let the users talk, measure each reply."""
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    per_user = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    think = (float(sys.argv[3]) if len(sys.argv) > 3 else 5.0, float(sys.argv[4]) if len(sys.argv) > 4 else 15.0)
    digest_chats = int(sys.argv[5]) if len(sys.argv) > 5 else 3_000
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        os.environ.setdefault("CACHE_DIR", str(ROOT / "data" / "cache"))
        cli(["demo"])
        url = f"sqlite:///{tmp}/data/demo.db"
        subscribe(url, digest_chats)
        limits = Limits(per_chat=1, burst=3, overall=30, window=1.0, per_group=20, group_window=60.0)
        api = Server(limits=limits).start()
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:BENCH", "TELEGRAM_API_BASE_URL": api.base_url,
               "DATABASE_URL": url, "TELEGRAM_POLL_TIMEOUT": "1", "LOG_LEVEL": "ERROR", "DIGEST_CHECK_SECONDS": "5"}
        bot = subprocess.Popen([sys.executable, "-m", "bot", "run", "--no-ingest"], env=env, cwd=tmp)
        api.wait_for(lambda sent: sum(s.chat_id >= DIGEST_CHATS for s in sent) >= min(20, digest_chats) and any(
            m == "getUpdates" for m, _ in api.state.calls), timeout=120)  # polling, and the fan-out on
        replies, started = talk(api, users, per_user, think)
        elapsed = time.monotonic() - started
        digests = sum(1 for s in api.state.sent if s.chat_id >= DIGEST_CHATS)
        refused = Counter(kind for kind, _ in api.state.refused)
        bot.terminate()
        bot.wait(timeout=30)
        api.stop()
    delays = [done - asked for asked, _, _, done, _ in replies]
    total = len(delays)
    p95 = statistics.quantiles(delays, n=20)[18]
    print(f"{users} users x {per_user} commands (reading each answer, then {think[0]:g}-{think[1]:g} s of thought) "
          f"during a fan-out to {digest_chats:,} chats: {total} replies in {elapsed:.1f} s = {total / elapsed:.1f} "
          f"replies/s; reply time p50 {statistics.median(delays):.2f} s, p95 {p95:.2f} s (aim: p95 <= {AIM:g} s: "
          f"{'met' if p95 <= AIM else 'NOT met'}); {digests:,} digest messages sent by then; 429s: {refused['chat']} for a "
          f"chat, {refused['all']} for the bot (Telegram's limits: 30 messages/s for the bot, 1/s per chat, bursts of 3)")
    print(breakdown(replies, started, p95))


def breakdown(replies: list[tuple], started: float, p95: float) -> str:
    """Where the replies at or above p95 spent their time, against all replies: waiting for the bot's
    poll (server side), inside the bot (poll answered → first send reached the server: queueing, the
    database, building, the rate limiter), and in the server and back (the send, a 429 and its retry);
    and when in the run the slow ones came (seconds since the first user arrived)."""
    def phases(rows: list[tuple]) -> str:
        parts = [("poll", 1, 0), ("bot", 2, 1), ("send", 3, 2)]
        return ", ".join(f"{name} {statistics.median(r[b] - r[a] for r in rows):.2f}/"
                         f"{max(r[b] - r[a] for r in rows):.2f}" for name, b, a in parts)
    slow = [r for r in replies if r[3] - r[0] >= p95]
    delays = [r[3] - r[0] for r in replies]
    when = sorted(round(r[0] - started) for r in slow)
    return (f"reply time max {max(delays):.2f} s; phases median/max, all replies: {phases(replies)}; "
            f"the {len(slow)} at or above p95: {phases(slow)}; asked at s {when[:12]}{' …' if len(when) > 12 else ''}")


def talk(api: Server, users: int, per_user: int, think: tuple[float, float]) -> tuple[list[tuple], float]:
    """Every user's commands, each answered before the next; per reply (asked, taken by the bot's poll,
    first send reached the server, answered, chat), and when it began."""
    delays: list[tuple] = []
    rng = random.Random(7)
    lock = threading.Lock()

    def user(chat: int, arrive: float, pauses: list[float], commands: list[str]) -> None:
        time.sleep(arrive)
        for pause, command in zip(pauses, commands):
            before, asked = api.state.counts[chat], time.monotonic()
            api.user_says(chat, command)
            api.answered(chat, before)
            done = time.monotonic()
            with lock:
                delays.append((asked, api.fetched.get(chat, asked), api.reached.get(chat, done), done, chat))
            time.sleep(pause)

    plans = [(10_000 + n, rng.uniform(0, 10), [rng.uniform(*think) for _ in range(per_user)],
              [rng.choice(COMMANDS) for _ in range(per_user)]) for n in range(users)]
    threads = [threading.Thread(target=user, args=plan) for plan in plans]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return delays, started


if __name__ == "__main__":
    main()
