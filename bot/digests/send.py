"""The only module that sends: digest fan-out with a durable delivery log, paced within Telegram's
limits, a few chats at a time. Each (chat, window) is claimed before sending and marked after every
message, so a fan-out that stops (SIGTERM) resumes where it stopped without sending anything twice; a
crash (SIGKILL) can repeat the messages that were in flight, at most one per chat being sent to, and
each delivery taken over from a dead sender is logged and counted as in doubt. A message Telegram
refuses (even as plain text) is recorded with Telegram's words and skipped; the digest's other
messages still go, and the chat's clock moves on whatever the outcome, so nothing is sent twice.
All database work runs in worker threads: a slow statement never holds up other chats' answers."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from functools import partial
from datetime import datetime, timedelta
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import metrics
from bot.digests import compose, schedule, tgtext
from bot.digests.alerts import alert_text
from bot.digests.batch import GroupCommit
from bot.digests.fanstate import Due, FanOut, Job, Record
from bot.digests.lanes import DIGEST, LANE, Pacer
from bot.digests.outgoing import Outcome, Outgoing
from bot.items import lookup
from bot.nlp.gazetteer import Gazetteer
from storage import deliveries, itemqueries
from storage.db import Engine, retrying, session_scope
from storage.models import utcnow

__all__ = ["FanOut", "Pacer", "Sender", "alert_text"]
log = logging.getLogger(__name__)
T = TypeVar("T")
PAGE = 1000  # chats read at a time: a fan-out holds one page of chats, however many subscribe
WRITERS = 3  # delivery-record transactions at once where the database allows it (within the pool's 5)


class Sender:
    """Sends the digests that are due, through any object with Telegram's send_message."""

    def __init__(self, engine: Engine, bot, gazetteer: Callable[[], Gazetteer], clock: Callable[[], datetime] = utcnow,
                 pacer: Pacer | None = None, retries: int = 3, backoff: float = 0.5,
                 lease: timedelta = timedelta(minutes=10), paid_broadcast: bool = False, concurrency: int = 1,
                 page: int = PAGE, claim_batch: int = 32) -> None:
        self.engine, self.bot, self.gazetteer, self.clock = engine, bot, gazetteer, clock
        self.outgoing = Outgoing(pacer or Pacer(), retries, backoff, paid_broadcast)
        self.lease, self.concurrency = lease, max(1, concurrency)
        self.page, self.claim_batch = max(1, page), max(1, claim_batch)
        self.stopping = asyncio.Event()
        self._renders: dict[tuple, asyncio.Future] = {}
        self._markups: dict[int, InlineKeyboardMarkup] = {}  # by id of a rendered message: built once
        self.compose_seconds: dict[tuple, float] = {}
        self.most_held = 0  # the most chats held in memory at once (read per page, claimed, queued)
        # deliveries closed and begun (only begun ones can be in doubt); SQLite takes one writer at a time
        self.records = GroupCommit(self._write_records, parallel=1 if engine.dialect.name == "sqlite" else WRITERS)

    def stop(self) -> None:
        """Finish the messages in flight, then stop (the rest resumes on the next run)."""
        self.stopping.set()

    async def run(self) -> FanOut:
        """Send every digest due now, to `concurrency` chats at a time: one message at a time cannot
        reach Telegram's 30 a second when a round trip takes more than 33 ms; the pacer keeps the rate.
        Chats are read a page at a time and claimed `claim_batch` at a time, so that memory and the
        statements per message do not grow with the audience. Sends go in the digest lane, behind replies."""
        now, report, lane = self.clock(), FanOut(), LANE.set(DIGEST)
        metrics.DUE.set(0)  # counted up as pages are claimed, down as chats are handled
        try:
            if await _in_thread(retrying, partial(self._any_due, now)):
                queue: asyncio.Queue = asyncio.Queue(maxsize=self.claim_batch)
                unstarted: list[int] = []
                async with asyncio.TaskGroup() as workers:
                    for _ in range(self.concurrency):
                        workers.create_task(self._worker(queue, now, report, unstarted))
                    await self._feed(queue, now, unstarted)
                    for _ in range(self.concurrency):
                        await queue.put(None)
                await self._write(deliveries.release, unstarted)  # stopped: the next sender takes them at once
        finally:
            LANE.reset(lane)
        return report

    def _any_due(self, now: datetime) -> bool:
        with self.engine.connect() as conn:
            return deliveries.any_due(conn, now)

    async def _feed(self, queue: asyncio.Queue, now: datetime, unstarted: list[int]) -> None:
        """Page by page: remember when the chats not due yet are due, claim the due ones, queue them."""
        after = -(2**63)
        while not self.stopping.is_set():
            rows, due, later, follows = await _in_thread(retrying, partial(self._page, now, after))
            self.most_held = max(self.most_held, len(rows) + queue.qsize())
            await self._write(deliveries.set_next_due, later)
            for first in range(0, len(due), self.claim_batch):
                chunk = due[first:first + self.claim_batch]
                claimed = await self._write(deliveries.claim_many, [(d.chat_id, d.language, d.window) for d in chunk],
                                            now, now - self.lease)
                metrics.DUE.inc(len(claimed))
                for digest in chunk:
                    if digest.chat_id not in claimed:
                        continue  # another sender has it, or it is done
                    if self.stopping.is_set():  # still due (and counted so): the next run sends it
                        unstarted.append(claimed[digest.chat_id][0])
                        continue
                    await queue.put((digest, claimed[digest.chat_id], follows.get(digest.chat_id, frozenset())))
            if len(rows) < self.page:
                return
            after = rows[-1].chat_id

    def _page(self, now: datetime, after: int) -> tuple[list, list[Due], list[tuple], dict[int, frozenset[str]]]:
        """One page of chats that may be due: the due ones (with their follows), and when the others
        are due (blocking: in a thread)."""
        due, later = [], []
        with self.engine.connect() as conn:
            rows = deliveries.due_page(conn, now, after, self.page)
            for s in rows:
                window, next_due = schedule.plan(tuple(s.times), s.timezone, s.last_digest_at, s.created_at, now)
                if window is None:  # not yet: remember when, so that the next checks skip the chat
                    later.append((s.chat_id, next_due, s.updated_at))
                else:
                    due.append(Due(s.chat_id, s.language, window, s.notify_empty, (next_due, s.updated_at)))
            return rows, due, later, deliveries.follows_in(conn, [d.chat_id for d in due])

    async def _worker(self, queue: asyncio.Queue, now: datetime, report: FanOut, unstarted: list[int]) -> None:
        """Deliver queued chats one after another until told there are no more. A chat's closing record
        goes in one transaction with the start of the worker's next chat, before that chat's first
        message (so every message Telegram took is recorded before anything else is sent); when no
        chat is waiting, it is committed on its own at once."""
        close: dict | None = None
        while True:
            if close is not None and queue.empty():
                await self.records.add(Record(close=close))
                close = None
            if (queued := await queue.get()) is None:
                break
            digest, claimed, followed = queued
            if self.stopping.is_set():  # still due (and counted so): the next run sends it
                unstarted.append(claimed[0])
            else:
                close = await self._chat(digest, claimed, followed, report, close)
                metrics.DUE.dec()
        if close is not None:
            await self.records.add(Record(close=close))

    async def _chat(self, due: Due, claimed: tuple[int, int, bool], followed: frozenset[str], report: FanOut,
                    close: dict | None) -> dict | None:
        """Deliver a claimed chat's digest (committing `close`, the worker's previous chat, with its
        start); its own closing record, or None when it paused."""
        delivery_id, parts_sent, in_doubt = claimed
        if in_doubt:  # counted and logged: the one way a chat can get a message twice
            metrics.IN_DOUBT.inc()
            log.warning("taking over the digest for chat %s from a sender that died: its message %d may have "
                        "reached the chat already and is sent again", due.chat_id, parts_sent + 1)
        key = (due.language, due.window, followed, due.notify_empty)
        if close is not None and not (key in self._renders and self._renders[key].done()):
            await self.records.add(Record(close=close))  # not held while a render is made
            close = None
        try:
            messages = await self.render(*key, report)
        except BaseException:
            if close is not None:  # the digest failed (or was cancelled): the chat before stays on record
                await asyncio.shield(self.records.add(Record(close=close)))
            raise
        await self.records.add(Record(close=close, start=delivery_id))  # committed before the first message goes
        return await self._deliver(Job(delivery_id, due.chat_id, due.window[1], parts_sent, due.next_due), messages,
                                   report)

    async def _write(self, change: Callable[..., T], *args: object, **values: object) -> T:
        """One short transaction in a worker thread; a database that went away (a restart) is waited
        for, so that a message Telegram took is always recorded and never sent again."""
        def attempt() -> T:
            with self.engine.begin() as conn:
                return change(conn, *args, **values)

        return await _in_thread(retrying, attempt)

    async def render(self, lang: str, window: tuple[datetime, datetime], followed: frozenset[str],
                     empty_note: bool, report: FanOut) -> list:
        """One render per (language, window, follows, empty note), shared by every chat that has it:
        the digest's messages, each with a button per item it holds. Chats asking for one being made
        wait for it: it is made once however many are sent to at once."""
        key = (lang, window, followed, empty_note)
        if key not in self._renders:
            self._renders[key] = asyncio.ensure_future(self._compose(key))
        try:
            messages = await asyncio.shield(self._renders[key])
        except Exception:
            self._renders.pop(key, None)  # not kept: the next chat tries again
            raise
        report.renders.add(key)
        return messages

    async def _compose(self, key: tuple) -> list:
        lang, window, followed, empty_note = key

        def read() -> list:
            with session_scope(self.engine) as session:
                items = itemqueries.items_updated_between(session, *window)
                described = lookup.describe_items(session, self.gazetteer(), items, lang)
            return compose.compose_replies(described, lang, window, followed, empty_note)

        started = time.perf_counter()
        made = await _in_thread(retrying, read)  # a database restart is waited for too
        self.compose_seconds[key] = time.perf_counter() - started
        return made

    async def _deliver(self, job: Job, messages: list, report: FanOut) -> dict | None:
        """Send a digest's messages from where it got to; the delivery's closing record (committed by
        the caller before anything else is sent), or None when the fan-out stopped between messages."""
        if not messages:
            report.empty += 1
            return self._close(job, "empty")
        status, errors = "sent", []
        for index in range(job.parts_sent, len(messages)):
            if self.stopping.is_set():
                await self._write(deliveries.pause, job.id)  # the next run goes on at this message
                return None
            message = messages[index]  # a Reply with its buttons, or bare text
            text = message if isinstance(message, str) else message.text
            outcome = await self._send_one(job.chat_id, text, report, self._markup(message))
            if outcome.status == "refused":  # this message only: the others still go
                status = "partial"
                errors.append(f"message {index + 1}/{len(messages)}: {outcome.error}")
            elif outcome.status != "sent":  # the chat is gone, or Telegram unreachable for good
                status = outcome.status
                errors.append(f"message {index + 1}/{len(messages)}: {outcome.error}")
                break
            else:
                report.messages += 1
                metrics.SENT.inc()
            if index + 1 < len(messages):  # the last one is recorded with the finish, in one transaction
                await self._write(deliveries.progress, job.id, parts=len(messages), parts_sent=index + 1,
                                  **({"error": "; ".join(errors)} if errors else {}))
        setattr(report, status, getattr(report, status) + 1)
        return self._close(job, status, error="; ".join(errors) or None, parts=len(messages),
                           parts_sent=len(messages) if status in ("sent", "partial") else None)

    def _markup(self, message) -> InlineKeyboardMarkup | None:
        """A rendered message's buttons, built once for every chat that gets it."""
        if isinstance(message, str) or not message.buttons:
            return None
        if id(message) not in self._markups:
            self._markups[id(message)] = InlineKeyboardMarkup(
                [[InlineKeyboardButton(label[:64], callback_data=data) for label, data in row] for row in message.buttons])
        return self._markups[id(message)]

    async def _send_one(self, chat_id: int, text: str, report: FanOut, markup: InlineKeyboardMarkup | None = None
                        ) -> Outcome:
        outcome = await self.outgoing.send(self.bot, chat_id, text, self._blocked, markup)
        report.resent_plain += outcome.plain
        return outcome

    async def _blocked(self, chat_id: int) -> None:
        await self._write(deliveries.deactivate, chat_id, self.clock())

    async def alerts(self) -> int:
        """One short alert per chat about news on the places it follows since its last alert; a burst
        of articles gives one alert (in the digest lane, behind replies). Returns how many went out."""
        now, sent, lane = self.clock(), 0, LANE.set(DIGEST)
        try:
            pending = await _in_thread(retrying, lambda: self._alert_news(now))
            for chat_id, (slugs, markup) in pending.items():
                parts = tgtext.split(markup)
                outcomes = [await self._send_one(chat_id, part, FanOut()) for part in parts]
                if outcomes and outcomes[0].status == "sent":
                    sent += 1
                await _in_thread(retrying, lambda c=chat_id, s=slugs: self._alerted(c, s, now))
        finally:
            LANE.reset(lane)
        if pending:
            log.info("alerts: %d of %d chats alerted about %d places", sent, len(pending),
                     len({slug for slugs, _ in pending.values() for slug in slugs}))
        return sent

    def _alert_news(self, now: datetime) -> dict[int, tuple[list[str], str]]:
        """Per chat with news: the places with news and its alert (one set-based read for every
        chat, and the gazetteer perhaps loaded: blocking, so in a thread)."""
        with session_scope(self.engine) as session:
            found = deliveries.alert_news(session, now)
            titles = itemqueries.titles_of(session, {i for _, _, items in found.values() for i in items})
        gazetteer = self.gazetteer()
        return {chat: (slugs, alert_text(gazetteer, lang, slugs, [titles[i] for i in items if i in titles]))
                for chat, (lang, slugs, items) in found.items()}

    def _alerted(self, chat_id: int, slugs: list[str], now: datetime) -> None:
        with session_scope(self.engine) as session:
            deliveries.alerted(session, chat_id, slugs, now)

    def _close(self, job: Job, status: str, **values: object) -> dict:
        """A delivery's closing record: its outcome, and the chat's clock moved on."""
        return {"delivery_id": job.id, "chat_id": job.chat_id, "window_end": job.window_end, "status": status,
                "now": self.clock(), "next_due": job.next_due, **values}

    def _write_records(self, records: list[Record]) -> None:
        """Deliveries closed and begun, several chats' in one transaction (blocking: in a thread)."""
        def attempt() -> None:
            with self.engine.begin() as conn:
                deliveries.finish_many(conn, [r.close for r in records if r.close is not None])
                deliveries.start_many(conn, [r.start for r in records if r.start is not None])

        retrying(attempt)


async def _in_thread(work: Callable[..., T], *args: object) -> T:
    """Blocking work (the database) off the event loop, so that every chat's answers go on meanwhile."""
    return await asyncio.to_thread(work, *args)
