"""One ingest run: claim due feeds, fetch, parse, store, hand new articles on. Decides nothing itself:
what a response means for a feed comes from bot.ingest.feedpolicy, what an entry is from bot.ingest.parse."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import httpx

from bot.ingest.feedpolicy import Outcome, Policy, decide, feed_name
from bot.ingest.fetch import FetchLimits, FetchResult, fetch, make_client
from bot.ingest.fulltext import extract_text, wants_fulltext
from bot.ingest.handoff import Handoff, Stage
from bot.leases import holder_name, is_gone
from bot.metrics import ARTICLES_IN, FEED_SECONDS
from storage import queries
from storage.db import Engine, aretrying, refresh_statistics, retrying, session_scope
from storage.models import utcnow

if TYPE_CHECKING:  # the parser is imported when a feed sends a body: a pass of 304s never needs it
    from bot.ingest.parse import ParsedArticle, ParsedFeed

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IngestConfig:
    """Everything one run needs to know, as plain values."""

    limits: FetchLimits = FetchLimits()
    policy: Policy = Policy()
    concurrency: int = 8
    lease: timedelta = timedelta(minutes=10)
    # A run that stores at least this many articles (a first run, a backlog) refreshes the database's
    # planner statistics once its stages are done: a bulk load must not leave queries planned for
    # the empty tables it began with. Smaller runs are left to autovacuum (see README).
    analyze_after: int = 1000


@dataclass(slots=True)
class FeedReport:
    """The per-feed summary line of a run."""

    url: str
    name: str
    status: str
    new: int = 0
    seen: int = 0
    filtered: int = 0
    message: str | None = None
    seconds: float = 0.0
    article_ids: list[int] = dataclasses.field(default_factory=list)


class Ingestor:
    """Runs ingest passes over the feeds stored in one database."""

    def __init__(self, engine: Engine, config: IngestConfig, stages: Sequence[Stage] = (),
                 clock: Callable[[], datetime] = utcnow, holder: str | None = None) -> None:
        self.engine, self.config, self.stages, self.clock = engine, config, tuple(stages), clock
        self.holder = holder or holder_name()  # whose the feed leases this ingestor takes are

    async def run_once(self, urls: Sequence[str] | None = None,
                       on_claimed: Callable[[int], None] | None = None,
                       on_report: Callable[[FeedReport], None] | None = None) -> list[FeedReport]:
        """Fetch every due feed (or the named ones) once, handing stored articles to the stages as
        they come; returns one report per feed (those another process is fetching: "leased")."""
        handoff = Handoff(self.stages)
        if self.stages:  # what earlier runs stored and never got read goes on first
            for feed_id, article_id in await aretrying(self._unread):
                handoff.put(feed_id, [article_id])
        stages = asyncio.create_task(handoff.run())
        try:
            reports = await self._fetch_all(urls, handoff, on_claimed, on_report)
        except BaseException:
            stages.cancel()
            raise
        handoff.close()
        await stages
        if sum(r.new for r in reports) >= self.config.analyze_after:
            await asyncio.to_thread(retrying, lambda: refresh_statistics(self.engine))
        return reports

    async def _fetch_all(self, urls: Sequence[str] | None, handoff: Handoff,
                         on_claimed: Callable[[int], None] | None,
                         on_report: Callable[[FeedReport], None] | None) -> list[FeedReport]:
        tasks, busy = await aretrying(lambda: self._claim(urls))
        if on_claimed:
            on_claimed(len(tasks))
        gate = asyncio.Semaphore(self.config.concurrency)
        async with make_client(self.config.limits) as client:

            async def one(task: queries.FeedTask) -> FeedReport:
                async with gate:
                    report = await self._ingest_feed(client, task)
                handoff.put(task.id, report.article_ids)
                if on_report:
                    on_report(report)
                return report

            reports = await asyncio.gather(*(one(task) for task in tasks))
        return list(reports) + busy

    def _unread(self) -> list[tuple[int, int]]:
        with session_scope(self.engine) as session:
            return queries.unread_articles(session)

    def _claim(self, urls: Sequence[str] | None) -> tuple[list[queries.FeedTask], list[FeedReport]]:
        now = self.clock()
        with session_scope(self.engine) as session:
            gone = sorted(h for h in queries.lease_holders(session, now) if is_gone(h))
            if gone:
                log.warning("taking over the feed leases of %s: no such process runs any more", ", ".join(gone))
            tasks = queries.claim_feeds(session, now, self.config.lease, urls, self.holder, gone)
            busy = [_leased(feed) for feed in queries.leased_feeds(session, now, self.holder, urls)]
        return tasks, busy

    async def _ingest_feed(self, client: httpx.AsyncClient, task: queries.FeedTask) -> FeedReport:
        started = time.perf_counter()
        report = FeedReport(url=task.url, name=task.name, status="error")
        try:
            result = await fetch(client, task.url, self.config.limits, task.etag, task.last_modified)
            if task.fulltext and result.status == "ok":  # pages are fetched for the entries not stored yet
                outcome, entries = await asyncio.to_thread(self._read, task, result, report)
                unknown = await asyncio.to_thread(self._unknown, entries, report)
                fresh = dict(zip(unknown, await self._with_fulltext(client, list(unknown.values()))))
                await asyncio.to_thread(self._store, task, outcome, fresh, report)
            else:  # one worker-thread hop and one transaction: parse, skip what is stored, store, release
                await asyncio.to_thread(self._read_and_store, task, result, report)
        except Exception as exc:  # one feed's bug must not stop the run or keep the lease
            log.exception("ingest of %s failed", task.url)
            await asyncio.to_thread(self._store, task, Outcome("error", f"internal error: {exc!r}"), {}, report)
        report.seconds = time.perf_counter() - started
        FEED_SECONDS.observe(report.seconds)
        return report

    def _read_and_store(self, task: queries.FeedTask, result: FetchResult, report: FeedReport) -> None:
        outcome, entries = self._read(task, result, report)
        self._store(task, outcome, entries, report, check_known=True)

    def _read(self, task: queries.FeedTask, result: FetchResult,
              report: FeedReport) -> tuple[Outcome, dict[str, ParsedArticle]]:
        """What the response means, and the feed's entries by identity, each once (the database is not read)."""
        if result.status == "not_modified":
            return Outcome("not_modified"), {}
        if result.status == "error":
            return Outcome("error", result.error, retry_after=result.retry_after), {}
        from bot.ingest.parse import ParseError, parse_feed

        try:
            parsed = parse_feed(result.body, result.headers, base_url=result.final_url,
                                language=task.language, keywords=task.keywords)
        except ParseError as exc:
            return Outcome("error", f"{exc.kind}: {exc}"), {}
        report.filtered = parsed.filtered_out
        unique = _unique(task.id, parsed.articles)
        report.seen = len(parsed.articles) - len(unique)
        return _outcome(parsed, result), unique

    def _unknown(self, entries: dict[str, ParsedArticle], report: FeedReport) -> dict[str, ParsedArticle]:
        """The entries not stored yet (before their pages are fetched)."""
        if not entries:
            return {}

        def read() -> dict[str, ParsedArticle]:
            with session_scope(self.engine) as session:
                return _not_in(session, entries, report)

        return retrying(read)

    async def _with_fulltext(self, client: httpx.AsyncClient, articles: list[ParsedArticle]) -> list[ParsedArticle]:
        async def enrich(article: ParsedArticle) -> ParsedArticle:
            if not article.link or not wants_fulltext(article.text):
                return article
            page = await fetch(client, article.link, self.config.limits)
            text = await asyncio.to_thread(extract_text, page.body, article.link) if page.status == "ok" else None
            return dataclasses.replace(article, text=text) if text and len(text) > len(article.text) else article

        return list(await asyncio.gather(*(enrich(a) for a in articles)))

    def _store(self, task: queries.FeedTask, outcome: Outcome, fresh: dict[str, ParsedArticle], report: FeedReport,
               check_known: bool = False) -> None:
        """Store the new entries and release the feed with its new state, in one transaction; with
        `check_known`, the entries already stored are first left out in that same transaction."""
        now = self.clock()
        update = decide(outcome, task.error_count, task.ttl_minutes, now, self.config.policy)
        values = {"last_status": update.last_status, "last_error": update.last_error,
                  "error_count": update.error_count, "next_fetch_at": update.next_fetch_at,
                  "active": update.active, "ttl_minutes": update.ttl_minutes, "last_fetched_at": now}
        if update.set_validators:
            values |= {"etag": update.etag, "last_modified": update.last_modified}
        if update.succeeded:
            values["last_success_at"] = now
            if name := feed_name(task.name, task.url, outcome.title):  # named by its URL: its own title from now on
                values["name"] = report.name = name
        seen = report.seen

        def write() -> list[int]:  # safe to repeat: articles already stored are skipped
            report.seen = seen
            with session_scope(self.engine) as session:
                entries = _not_in(session, fresh, report) if check_known and fresh else fresh
                rows = [_row(task.id, key, article, now) for key, article in entries.items()]
                ids = queries.insert_articles(session, rows) if rows else []
                queries.release_feed(session, task.id, values)
                report.seen += len(entries) - len(ids)
                return ids

        report.article_ids = retrying(write)
        report.new = len(report.article_ids)
        ARTICLES_IN.inc(report.new)
        report.status, report.message = update.last_status, update.last_error
        if not update.active:
            report.message = f"{update.last_error} (deactivated after {update.error_count} errors)"


def _leased(feed) -> FeedReport:
    holder = feed.lease_holder or "another run"
    until = feed.lease_until.strftime("%Y-%m-%d %H:%M UTC")
    return FeedReport(url=feed.url, name=feed.name, status="leased",
                      message=f"being fetched by another process ({holder}); its lease runs until {until}")


def _unique(feed_id: int, articles: list[ParsedArticle]) -> dict[str, ParsedArticle]:
    """The entries by identity: a feed that repeats a guid or a link keeps its first entry."""
    unique: dict[str, ParsedArticle] = {}
    guids: set[str] = set()
    for article in articles:
        key = article.identity(feed_id)
        if key not in unique and (article.guid is None or article.guid not in guids):
            unique[key] = article
            if article.guid:
                guids.add(article.guid)
    return unique


def _not_in(session, entries: dict[str, ParsedArticle], report: FeedReport) -> dict[str, ParsedArticle]:
    """The entries whose identity is not stored yet; those that are count as seen."""
    known = queries.known_identities(session, list(entries))
    report.seen += len(known)
    return {key: article for key, article in entries.items() if key not in known}


def _outcome(parsed: ParsedFeed, result: FetchResult) -> Outcome:
    status = "warning" if parsed.warnings else ("ok" if parsed.articles or parsed.filtered_out else "empty")
    message = "; ".join(parsed.warnings) or ("the feed has no entries" if status == "empty" else None)
    return Outcome(status, message, etag=result.etag, last_modified=result.last_modified,
                   ttl_minutes=parsed.ttl_minutes, title=parsed.title)


def _row(feed_id: int, identity: str, article: ParsedArticle, now: datetime) -> dict:
    return {
        "feed_id": feed_id, "identity": identity, "url": article.url,
        "link": article.link, "guid": article.guid, "content_hash": article.content_hash,
        "title": article.title, "summary": article.summary, "text": article.text,
        "author": article.author, "language": article.language,
        "published_at": article.published_at, "fetched_at": now,
    }
