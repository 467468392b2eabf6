"""Issue 17, item 5: what made the fan-out's cost grow with the audience, counted (not timed) on the
real databases: the chats held in memory at once, the statements that claim and close deliveries,
and the group commit that closes several chats' deliveries in one transaction."""

from __future__ import annotations

import asyncio
import math
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import event
from telegram import Bot

from bot.digests.batch import GroupCommit
from bot.digests.send import Pacer, Sender
from storage import deliveries, subscribers
from storage.db import session_scope
from tests.helpers import Clock
from tests.fanoutkit import NOW

JOINED = datetime(2023, 1, 1, tzinfo=UTC)


def _subscribe(engine, chats: range) -> None:
    with session_scope(engine) as session:
        for chat in chats:
            subscribers.get_or_create(session, chat, "private", "en", JOINED)
            subscribers.change(session, chat, JOINED, subscribed=True, times=["12:00"])


class Statements:
    """The SQL statements an engine sends (an executemany counts once), by their first words."""

    def __init__(self, engine) -> None:
        self.seen: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.seen.append(" ".join(statement.split()[:3]).upper())

    def count(self, start: str) -> int:
        return sum(1 for s in self.seen if s.startswith(start))


async def _fan_out(engine, api, now, **options) -> Sender:
    async def digest(*args, **kwargs) -> list[str]:
        return ["<b>news</b>"]

    async with Bot("123:TEST", base_url=api.base_url) as bot:
        sender = Sender(engine, bot, lambda: None, clock=Clock(now), pacer=Pacer(1000, 0), **options)
        sender.render = digest
        await sender.run()
    return sender


async def test_chats_held_and_statements_per_chat_do_not_grow_with_the_audience(engine, api):
    held, claims, pages = {}, {}, {}
    for size, first, now in ((10, 1, NOW), (40, 1000, NOW + timedelta(days=1))):
        _subscribe(engine, range(first, first + size))
        statements = Statements(engine)
        sender = await _fan_out(engine, api, now, page=8, claim_batch=4, concurrency=2)
        event.remove(engine, "before_cursor_execute", statements._seen)
        held[size] = sender.most_held
        claims[size] = statements.count("INSERT INTO DELIVERY")
        pages[size] = sum(1 for s in statements.seen if s.startswith("SELECT SUBSCRIBER.CHAT_ID, SUBSCRIBER.LANGUAGE"))
    assert len(api.state.sent) == 10 + 40 + 10  # the second day's round: the first ten and the forty
    assert all(0 < most <= 8 + 4 for most in held.values())  # a page and a claim batch, whatever the audience
    assert claims == {10: math.ceil(10 / 4), 40: math.ceil(50 / 4)}  # one insert per batch, not per chat
    assert pages == {10: 2, 40: math.ceil(50 / 8)}  # keyset pages of eight


async def test_several_deliveries_are_closed_by_two_statements_in_one_transaction(engine):
    _subscribe(engine, range(1, 6))
    window = (NOW - timedelta(days=1), NOW)
    with engine.begin() as conn:
        claimed = deliveries.claim_many(conn, [(chat, "en", window) for chat in range(1, 6)], NOW, NOW)
    assert sorted(claimed) == [1, 2, 3, 4, 5] and not any(doubt for _, _, doubt in claimed.values())
    statements = Statements(engine)
    with engine.begin() as conn:
        deliveries.finish_many(conn, [{"delivery_id": claimed[c][0], "chat_id": c, "window_end": NOW, "status": "sent",
                                       "now": NOW, "next_due": (NOW + timedelta(days=1), JOINED), "parts": 1,
                                       "parts_sent": 1} for c in range(1, 6)])
    assert statements.count("UPDATE DELIVERY") == 1 and statements.count("UPDATE SUBSCRIBER") == 1
    with session_scope(engine) as session:
        assert {(d.status, d.parts_sent) for d in deliveries.deliveries(session)} == {("sent", 1)}
        rows = [subscribers.get(session, c) for c in range(1, 6)]
        assert {(r.last_digest_at, r.next_due_at) for r in rows} == {(NOW, NOW + timedelta(days=1))}
    with engine.begin() as conn:  # done: nobody claims them again
        assert deliveries.claim_many(conn, [(chat, "en", window) for chat in range(1, 6)], NOW, NOW) == {}


async def test_what_comes_in_while_a_commit_runs_goes_together_in_the_next():
    written: list[list[int]] = []
    first_started, go_on = threading.Event(), threading.Event()

    def write(rows: list[int]) -> None:
        if not written:
            first_started.set()
            go_on.wait(10)
        written.append(rows)

    commits = GroupCommit(write)
    first = asyncio.create_task(commits.add(1))
    await asyncio.to_thread(first_started.wait, 10)  # the first transaction is running
    rest = [asyncio.create_task(commits.add(n)) for n in (2, 3, 4)]
    await asyncio.sleep(0)
    go_on.set()
    await asyncio.gather(first, *rest)
    assert written == [[1], [2, 3, 4]] and commits.transactions == 2


async def test_a_failed_commit_is_raised_to_every_sender_of_its_batch():
    def write(rows: list[int]) -> None:
        raise RuntimeError("database gone")

    commits = GroupCommit(write)
    outcomes = await asyncio.gather(commits.add(1), commits.add(2), return_exceptions=True)
    assert [type(o) for o in outcomes] == [RuntimeError, RuntimeError]


async def test_with_parallel_writers_a_second_commit_runs_beside_the_first_and_a_third_waits():
    running, most, lock = [0], [0], threading.Lock()
    both_running, go_on = threading.Event(), threading.Event()
    written: list[list[int]] = []

    def write(rows: list[int]) -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            if running[0] == 2:
                both_running.set()
        go_on.wait(10)
        with lock:
            running[0] -= 1
            written.append(rows)

    commits = GroupCommit(write, parallel=2)
    first = []
    for n in (1, 2):
        first.append(asyncio.create_task(commits.add(n)))
        await asyncio.sleep(0.01)  # its transaction takes it and begins
    await asyncio.to_thread(both_running.wait, 10)  # two transactions at once
    rest = [asyncio.create_task(commits.add(n)) for n in (3, 4)]
    await asyncio.sleep(0)
    go_on.set()
    await asyncio.gather(*first, *rest)
    assert most[0] == 2 and sorted(map(sorted, written)) == [[1], [2], [3, 4]] and commits.transactions == 3
