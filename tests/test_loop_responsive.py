"""Issue 11, item 12: the digest sender's and the alert job's database work runs off the event loop,
so another chat's answer is served while their statement waits; the alert read is one statement
for all follows. Proven by ordering, not by timing: a lock held by the test makes the job's next
statement wait; the answer has to get through (and the test lets go of the lock) while it waits."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, text
from telegram import Bot

from bot.digests.send import Pacer, Sender
from bot.nlp.gazetteer import shared
from storage import deliveries
from storage.db import session_scope
from tests.helpers import Clock
from tests.fanoutkit import NOW, sent_to

FAILSAFE = 20.0  # seconds: only so that a blocked loop ends the test instead of hanging it


class LockHeld:
    """The test's own transaction holding the lock the job's next write (or read of follows) needs,
    and a signal when the job's statement starts waiting for it."""

    def __init__(self, engine) -> None:
        self.engine, self.waiting, self.events = engine, threading.Event(), []
        self.postgres = engine.dialect.name == "postgresql"
        self.conn = engine.connect()
        if self.postgres:
            self.conn.execute(text("LOCK TABLE follow, delivery IN ACCESS EXCLUSIVE MODE"))
        else:
            self.conn.exec_driver_sql("BEGIN IMMEDIATE")
        self.lock = threading.Lock()
        self.timer = threading.Timer(FAILSAFE, self.release, ["failsafe"])
        self.timer.start()  # now: a job that blocks the loop must not keep the test from ending
        event.listen(engine, "before_cursor_execute", self._watch)

    def _watch(self, conn, cursor, statement: str, *args) -> None:
        words = statement.lstrip().split(None, 1)[0].upper()
        blocked = ("follow" in statement or "delivery" in statement) if self.postgres else \
            words in ("INSERT", "UPDATE", "DELETE")
        if blocked and conn is not self.conn:
            self.waiting.set()

    def release(self, by: str) -> None:
        with self.lock:
            if self.conn is None:
                return
            self.events.append(by)
            self.conn.rollback() if self.postgres else self.conn.exec_driver_sql("ROLLBACK")
            self.conn.close()
            self.conn = None

    def close(self) -> None:
        self.timer.cancel()
        self.release("end")
        event.remove(self.engine, "before_cursor_execute", self._watch)


async def _answer_while_it_waits(held: LockHeld, bot: Bot) -> None:
    """Another chat's answer, as soon as the job's statement waits for the lock; then let go."""
    while not held.waiting.is_set():
        await asyncio.sleep(0.01)
    await bot.send_message(99, "an answer to another chat")
    held.events.append("answered")
    held.release("test")


@pytest.mark.parametrize("job", ["digests", "alerts"])
async def test_another_chat_is_answered_while_a_job_waits_for_the_database(engine, api, cache_dir, world, job):
    world(1)
    with session_scope(engine) as session:
        deliveries.follow(session, 1, "kramatorsk", datetime(2023, 1, 8, 8, tzinfo=UTC))
    async with Bot("123:TEST", base_url=api.base_url) as bot:
        sender = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(NOW), pacer=Pacer(1000, 0))
        sender.gazetteer()  # loaded before: loading it is not what is measured
        held = LockHeld(engine)
        try:
            work = asyncio.create_task(sender.run() if job == "digests" else sender.alerts())
            await asyncio.gather(work, _answer_while_it_waits(held, bot))
        finally:
            held.close()
    assert held.events[:2] == ["answered", "test"]  # the answer went out while the job's statement waited
    assert len(sent_to(api, 1)) == 1  # and the job did its work once the lock was free


async def test_the_alert_read_is_one_statement_however_many_places_a_chat_follows(engine, api, cache_dir, world):
    world(1)
    gazetteer = shared(cache_dir)
    slugs = ["kramatorsk"] + sorted(p.slug for p in gazetteer.places if p.slug != "kramatorsk")[:300]
    statements: list[str] = []

    def count(conn, cursor, statement: str, *args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    async def reads_for(follows: list[str]) -> int:
        with session_scope(engine) as session:
            for slug in follows:
                deliveries.follow(session, 1, slug, datetime(2023, 1, 8, 8, tzinfo=UTC))
        statements.clear()
        async with Bot("123:TEST", base_url=api.base_url) as bot:
            sender = Sender(engine, bot, lambda: gazetteer, clock=Clock(NOW), pacer=Pacer(1000, 0))
            event.listen(engine, "before_cursor_execute", count)
            try:
                assert await sender.alerts() == 1
            finally:
                event.remove(engine, "before_cursor_execute", count)
        with session_scope(engine) as session:
            session.execute(text("UPDATE follow SET alerted_at = :at"), {"at": datetime(2023, 1, 8, 8, tzinfo=UTC)})
        return len(statements)

    assert await reads_for(slugs[:1]) == await reads_for(slugs) <= 3
