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
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot import metrics
from bot.digests import compose, schedule, tgtext
from bot.items import lookup
from bot.nlp.gazetteer import Gazetteer
from storage import deliveries, itemqueries
from storage.db import Engine, retrying, session_scope
from storage.models import utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")


class Pacer:
    """At most `rate` messages a second overall and one per `chat_interval` seconds per chat; after a
    429 no chat gets a message until Telegram's retry_after has passed."""

    def __init__(self, rate: float = 30.0, chat_interval: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self.gap, self.chat_interval, self.clock = 1.0 / rate if rate else 0.0, chat_interval, clock
        self.next_any = 0.0
        self.next_chat: dict[int, float] = {}

    def slot(self, chat_id: int) -> float:
        """Reserve the first moment (on the clock) a message to this chat may go."""
        at = max(self.clock(), self.next_any, self.next_chat.get(chat_id, 0.0))
        self.next_any = at + self.gap
        self.next_chat[chat_id] = at + self.chat_interval
        return at

    def hold(self, seconds: float) -> None:
        """Telegram said wait: the flood limit is the bot's, so every chat waits, not just this one."""
        self.next_any = max(self.next_any, self.clock() + seconds)

    async def wait(self, chat_id: int) -> None:
        """Sleep until a message to this chat may go (no await between reading and reserving)."""
        delay = self.slot(chat_id) - self.clock()
        if delay > 0:
            await asyncio.sleep(delay)


@dataclass
class FanOut:
    """What one fan-out did."""

    sent: int = 0
    empty: int = 0
    blocked: int = 0
    failed: int = 0
    partial: int = 0  # delivered but for messages Telegram refused (recorded in the delivery's error)
    resent_plain: int = 0
    messages: int = 0
    renders: set = field(default_factory=set)


class Sender:
    """Sends the digests that are due, through any object with Telegram's send_message."""

    def __init__(self, engine: Engine, bot, gazetteer: Callable[[], Gazetteer], clock: Callable[[], datetime] = utcnow,
                 pacer: Pacer | None = None, retries: int = 3, backoff: float = 0.5,
                 lease: timedelta = timedelta(minutes=10), paid_broadcast: bool = False, concurrency: int = 1) -> None:
        self.engine, self.bot, self.gazetteer, self.clock = engine, bot, gazetteer, clock
        self.pacer, self.retries, self.backoff, self.lease = pacer or Pacer(), retries, backoff, lease
        self.paid_broadcast, self.concurrency = paid_broadcast, max(1, concurrency)
        self.stopping = asyncio.Event()
        self._renders: dict[tuple, list[str]] = {}
        self.compose_seconds: dict[tuple, float] = {}

    def stop(self) -> None:
        """Finish the messages in flight, then stop (the rest resumes on the next run)."""
        self.stopping.set()

    async def run(self) -> FanOut:
        """Send every digest due now, to `concurrency` chats at a time: one message at a time cannot
        reach Telegram's 30 a second when a round trip takes more than 33 ms; the pacer keeps the rate."""
        now, report = self.clock(), FanOut()
        due, later, follows = await _in_thread(self._due, now)
        await self._write(deliveries.set_next_due, later)
        metrics.DUE.set(len(due))
        chats = iter(due)

        async def worker() -> None:
            for digest in chats:  # one iterator for all workers: each chat is taken once
                if self.stopping.is_set():
                    return
                await self._chat(digest, now, follows.get(digest.chat_id, frozenset()), report)
                metrics.DUE.dec()

        async with asyncio.TaskGroup() as workers:
            for _ in range(self.concurrency):
                workers.create_task(worker())
        return report

    def _due(self, now: datetime) -> tuple[list[_Due], list[tuple], dict[int, frozenset[str]]]:
        """The chats due now (with their follows), and when the others are due (blocking: in a thread)."""
        due, later = [], []
        with session_scope(self.engine) as session:
            for s in deliveries.digest_subscribers(session, now):
                window = schedule.due_window(s.times, s.timezone, s.last_digest_at, s.created_at, now)
                if window is None:  # not yet: remember when, so that the next checks skip the chat
                    later.append((s.chat_id, schedule.next_due(s.times, s.timezone, s.last_digest_at, s.created_at),
                                  s.updated_at))
                else:
                    after = schedule.next_due(s.times, s.timezone, window[1], s.created_at)
                    due.append(_Due(s.chat_id, s.language, window, s.notify_empty, (after, s.updated_at)))
            return due, later, deliveries.follows_of(session, [d.chat_id for d in due])

    async def _chat(self, due: _Due, now: datetime, followed: frozenset[str], report: FanOut) -> None:
        """Claim this chat's due window and deliver its digest (unless another sender has it)."""
        claimed = await self._write(deliveries.claim, due.chat_id, due.language, due.window, now, now - self.lease)
        if claimed is None:
            return
        delivery_id, parts_sent, in_doubt = claimed
        if in_doubt:  # counted and logged: the one way a chat can get a message twice
            metrics.IN_DOUBT.inc()
            log.warning("taking over the digest for chat %s from a sender that died: its message %d may have "
                        "reached the chat already and is sent again", due.chat_id, parts_sent + 1)
        messages = await self.render(due.language, due.window, followed, due.notify_empty, report)
        await self._deliver(_Job(delivery_id, due.chat_id, due.window[1], parts_sent, due.next_due), messages, report)

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
        the digest's messages, each with a button per item it holds."""
        key = (lang, window, followed, empty_note)
        if key not in self._renders:
            def read() -> list:
                with session_scope(self.engine) as session:
                    items = itemqueries.items_updated_between(session, *window)
                    described = lookup.describe_items(session, self.gazetteer(), items, lang)
                return compose.compose_replies(described, lang, window, followed, empty_note)

            started = time.perf_counter()
            self._renders[key] = await _in_thread(retrying, read)  # a database restart is waited for too
            self.compose_seconds[key] = time.perf_counter() - started
        report.renders.add(key)
        return self._renders[key]

    async def _deliver(self, job: _Job, messages: list, report: FanOut) -> None:
        if not messages:
            await self._finish(job, "empty")
            report.empty += 1
            return
        status, errors = "sent", []
        for index in range(job.parts_sent, len(messages)):
            if self.stopping.is_set():
                await self._write(deliveries.pause, job.id)  # the next run goes on at this message
                return
            message = messages[index]  # a Reply with its buttons, or bare text
            text, buttons = (message, None) if isinstance(message, str) else (message.text, message.buttons)
            outcome = await self._send_one(job.chat_id, text, report, buttons)
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
        await self._finish(job, status, error="; ".join(errors) or None, parts=len(messages),
                           parts_sent=len(messages) if status in ("sent", "partial") else None)
        setattr(report, status, getattr(report, status) + 1)

    async def _send_one(self, chat_id: int, text: str, report: FanOut, buttons: list | None = None) -> _Outcome:
        """One message: as HTML, then (refused) as plain text cut the same way; 429s waited out,
        network errors retried. 'sent', 'blocked', 'refused' (this message) or 'failed' (this chat)."""
        failures, parse_mode, error = 0, "HTML", ""
        extra = {"allow_paid_broadcast": True} if self.paid_broadcast else {}
        if buttons:
            extra["reply_markup"] = InlineKeyboardMarkup(
                [[InlineKeyboardButton(label[:64], callback_data=data) for label, data in row] for row in buttons])
        while True:
            await self.pacer.wait(chat_id)
            try:
                await self.bot.send_message(chat_id, text, parse_mode=parse_mode, disable_web_page_preview=True,
                                            **extra)
                return _Outcome("sent", error)
            except RetryAfter as exc:  # Telegram says when: every send waits that long, then this one again
                metrics.SEND_ERRORS.labels("429").inc()
                wait = exc.retry_after.total_seconds() if isinstance(exc.retry_after, timedelta) else exc.retry_after
                log.info("Telegram asks to wait %s s", wait)
                self.pacer.hold(float(wait))
            except Forbidden as exc:
                metrics.SEND_ERRORS.labels("403").inc()
                await self._write(deliveries.deactivate, chat_id, self.clock())
                return _Outcome("blocked", exc.message)
            except BadRequest as exc:
                metrics.SEND_ERRORS.labels("400").inc()
                if parse_mode is None:
                    log.warning("Telegram refused a message to %s even as plain text: %s", chat_id, exc.message)
                    return _Outcome("refused", f"{error}; as plain text: {exc.message}")
                log.warning("Telegram refused a message to %s (%s); resending as plain text", chat_id, exc.message)
                text, parse_mode, error = tgtext.fallback(text), None, exc.message
                report.resent_plain += 1
            except NetworkError as exc:
                metrics.SEND_ERRORS.labels("network").inc()
                failures += 1
                if failures > self.retries:
                    log.warning("giving up on %s after %d tries: %s", chat_id, failures, exc)
                    return _Outcome("failed", f"network: {exc}")
                await asyncio.sleep(self.backoff * 2 ** (failures - 1))

    async def alerts(self) -> int:
        """One short alert per chat about news on the places it follows since its last alert; a burst
        of articles gives one alert. Returns how many alerts went out."""
        now, sent = self.clock(), 0
        pending = await _in_thread(retrying, lambda: self._alert_news(now))
        for chat_id, (slugs, markup) in pending.items():
            parts = tgtext.split(markup)
            outcomes = [await self._send_one(chat_id, part, FanOut()) for part in parts]
            if outcomes and outcomes[0].status == "sent":
                sent += 1
            await _in_thread(retrying, lambda c=chat_id, s=slugs: self._alerted(c, s, now))
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

    async def _finish(self, job: _Job, status: str, **values: object) -> None:
        await self._write(deliveries.finish, job.id, job.chat_id, job.window_end, status, self.clock(),
                          next_due=job.next_due, **{k: v for k, v in values.items() if v is not None})


ALERT_PLACES, ALERT_TITLES = 10, 10


def alert_text(gazetteer: Gazetteer, lang: str, slugs: list[str], titles: list[dict]) -> str:
    """Pure: an alert's HTML, the places named (the first ten) and the newest titles."""
    from bot.i18n import t

    places = [gazetteer.get(s) for s in slugs]
    names = [p.name_nl if lang == "nl" else p.name for p in places if p is not None]
    shown = ", ".join(names[:ALERT_PLACES]) + (" …" if len(names) > ALERT_PLACES else "")
    lines = [f"<b>{tgtext.escape(t(lang, 'alert.header', places=shown))}</b>"]
    for found in titles[:ALERT_TITLES]:
        title = found.get(lang) or next(iter(found.values()), "")
        lines.append(f"• {tgtext.escape(title[:200], inline=True)}")
    return "\n".join(lines)


async def _in_thread(work: Callable[..., T], *args: object) -> T:
    """Blocking work (the database) off the event loop, so that every chat's answers go on meanwhile."""
    return await asyncio.to_thread(work, *args)


class _Outcome(NamedTuple):
    """How one message went: sent, blocked, refused (this message) or failed (this chat), and why."""

    status: str
    error: str


class _Due(NamedTuple):
    """A digest due now: the chat, its language, the window, whether it wants an empty one, and when
    its next digest falls after this one (with the time of the settings that was worked out from)."""

    chat_id: int
    language: str
    window: tuple[datetime, datetime]
    notify_empty: bool
    next_due: tuple[datetime | None, datetime]


@dataclass(frozen=True, slots=True)
class _Job:
    """A claimed delivery: its row, chat, window end, how many of its messages went out already, and
    the chat's next digest time once this one is done."""

    id: int
    chat_id: int
    window_end: datetime
    parts_sent: int
    next_due: tuple[datetime | None, datetime]
