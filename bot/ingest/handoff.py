"""The hand-off from an ingest run to the stages after it (reading, grouping). Articles wait per feed
and go on in bounded batches, one article from each feed in turn, while the run goes on fetching: a
feed of 10,000 new entries does not hold back the articles of the others until it is read, and a run
killed midway keeps every batch its stages finished. Each run also hands on what earlier runs stored
and never got read (a kill, a stop), whether or not it stores anything new itself.

Rejected: one stage call at the end of the run (every feed waited for the largest, and a kill lost all
the reading of the run); a stage call per feed (a huge feed still reads alone for minutes, and
reading in several threads at once only competes for the same cores)."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import lru_cache

log = logging.getLogger(__name__)
BATCH = 32  # articles per hand-off: how long another feed waits at most, in readings
# How long a short batch waits for more feeds to arrive. Grouping is incremental, so what goes into
# one batch (and in which order) decides items: feeds that finish together are read together, in a
# batch that depends only on what arrived, not on which of them the network answered first.
LINGER = 0.5
Stage = Callable[[list[int]], Awaitable[None]]


def fair_batch(waiting: dict[int, deque[int]], size: int, after: int | None = None) -> tuple[list[int], int | None]:
    """Up to `size` ids taken one per feed in turn, in feed order after the feed served last (`after`),
    oldest first within a feed, so that across batches every waiting feed gets its turn; returns the
    batch and the feed served last. Taken ids leave `waiting`."""
    batch: list[int] = []
    while waiting and len(batch) < size:
        feeds = sorted(waiting)
        after = next((f for f in feeds if after is None or f > after), feeds[0])
        ids = waiting[after]
        batch.append(ids.popleft())
        if not ids:
            del waiting[after]
    return batch, after


class Handoff:
    """Collects the ids of stored articles per feed and runs the stages over fair batches of them."""

    def __init__(self, stages: Sequence[Stage], size: int = BATCH, linger: float = LINGER) -> None:
        self.stages, self.size, self.linger = tuple(stages), size, linger
        self.waiting: dict[int, deque[int]] = {}
        self.more = asyncio.Event()
        self.closed = False
        self.served: int | None = None
        self.handed = False  # whether this run handed anything on (else there is nothing to give back)

    def put(self, feed_id: int, ids: Iterable[int]) -> None:
        """Articles of a feed, stored and ready for the stages."""
        queue = self.waiting.get(feed_id, deque())
        queue.extend(ids)
        if queue and self.stages:
            self.waiting[feed_id] = queue
            self.more.set()

    def close(self) -> None:
        """Nothing more will come: run() ends once what waits is handed on."""
        self.closed = True
        self.more.set()

    async def run(self) -> None:
        """Hand batches on until closed and nothing waits."""
        while True:
            await self._gather()
            batch, self.served = fair_batch(self.waiting, self.size, self.served)
            if batch:
                await self._hand_on(batch)
                release_memory(collect=False)
            elif self.closed:
                if self.handed:  # a pass that read nothing (every feed 304) made nothing to collect
                    release_memory(collect=True)
                return
            else:
                self.more.clear()
                await self.more.wait()

    async def _gather(self) -> None:
        """Until a batch is full, the run is closed, or no feed arrived for `linger` seconds."""
        while not self.closed and sum(map(len, self.waiting.values())) < self.size:
            self.more.clear()
            try:
                await asyncio.wait_for(self.more.wait(), self.linger)
            except TimeoutError:
                return

    async def _hand_on(self, batch: list[int]) -> None:
        self.handed = True
        for stage in self.stages:
            try:
                await stage(batch)
            except Exception:  # the articles stay unread; the next run hands them on again
                log.exception("a stage failed on a batch of %d articles; they are left for the next run", len(batch))


def release_memory(collect: bool) -> None:
    """Give what a batch freed back to the system. Reading a batch (its documents, in worker threads,
    each with a malloc arena of its own) leaves the freed memory scattered over the arenas, where
    the process keeps it as its resident size between runs; glibc's malloc_trim returns the free
    pages of every arena. `collect`: first collect the cycles the run left (once per run: a full
    collection over spaCy's and the gazetteer's objects is not free)."""
    if collect:
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes  # only once a batch was read

    try:
        return ctypes.CDLL(None).malloc_trim  # glibc; elsewhere (musl, macOS) there is none, and no need
    except (OSError, AttributeError):
        return None


class Deferred:
    """A stage built when its first batch comes (in a worker thread, so fetching goes on meanwhile):
    a run that stores nothing new and finds nothing unread never pays for building it (spaCy).
    Handoff.run hands on one batch at a time, so it is never built twice."""

    def __init__(self, build: Callable[[], Stage]) -> None:
        self.build: Callable[[], Stage] = build
        self.stage: Stage | None = None

    async def __call__(self, ids: list[int]) -> None:
        """Build the stage if need be, then hand it the batch."""
        if self.stage is None:
            self.stage = await asyncio.to_thread(self.build)
        await self.stage(ids)
