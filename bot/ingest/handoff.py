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
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence

log = logging.getLogger(__name__)
BATCH = 32  # articles per hand-off: how long another feed waits at most, in readings
Stage = Callable[[list[int]], Awaitable[None]]


def fair_batch(waiting: dict[int, deque[int]], size: int) -> list[int]:
    """Up to `size` ids taken one per feed in turn, oldest first within a feed; a feed that gave one
    goes to the back of the line (so across batches every waiting feed gets its turn). Taken ids leave
    `waiting`."""
    batch: list[int] = []
    while waiting and len(batch) < size:
        feed = next(iter(waiting))
        ids = waiting.pop(feed)
        batch.append(ids.popleft())
        if ids:
            waiting[feed] = ids
    return batch


class Handoff:
    """Collects the ids of stored articles per feed and runs the stages over fair batches of them."""

    def __init__(self, stages: Sequence[Stage], size: int = BATCH) -> None:
        self.stages, self.size = tuple(stages), size
        self.waiting: dict[int, deque[int]] = {}
        self.more = asyncio.Event()
        self.closed = False

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
            batch = fair_batch(self.waiting, self.size)
            if batch:
                await self._hand_on(batch)
            elif self.closed:
                return
            else:
                self.more.clear()
                await self.more.wait()

    async def _hand_on(self, batch: list[int]) -> None:
        for stage in self.stages:
            try:
                await stage(batch)
            except Exception:  # the articles stay unread; the next run hands them on again
                log.exception("a stage failed on a batch of %d articles; they are left for the next run", len(batch))


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
