"""Group commit for the fan-out's delivery records: what several chats' senders hand in while one
transaction runs goes together in the next one, and each sender waits until its own record is
committed before it moves on. So every message Telegram took is recorded before its sender sends
anything else (a crash repeats at most the message in flight per chat being sent to, as with one
transaction per message), yet a fan-out of thousands of chats a second costs one transaction per
handful of messages, not one each. Where the database takes several writers at once (PostgreSQL),
a few transactions may run side by side: the rows of one chat are only ever in one of them, so they
never wait on each other's locks, and the commits' waits on the disk overlap."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

R = TypeVar("R")


class GroupCommit(Generic[R]):
    """Rows handed to `add` are written by `write(rows)` (blocking: one transaction, in a thread)."""

    def __init__(self, write: Callable[[list[R]], None], parallel: int = 1) -> None:
        self.write, self.parallel = write, max(1, parallel)
        self.pending: list[tuple[R, asyncio.Future]] = []
        self.transactions = 0  # how many transactions it took (for tests and benchmarks)
        self._flushing: set[asyncio.Task] = set()

    async def add(self, row: R) -> None:
        """Hand in a row; return once it is committed (or raise what the write raised)."""
        done = asyncio.get_running_loop().create_future()
        self.pending.append((row, done))
        self._flushing = {task for task in self._flushing if not task.done()}
        if len(self._flushing) < self.parallel:  # else a running one takes the row when its commit is done
            self._flushing.add(asyncio.create_task(self._flush()))
        await asyncio.shield(done)  # a sender cancelled meanwhile does not take others' records with it

    async def _flush(self) -> None:
        while self.pending:
            batch, self.pending = self.pending, []
            try:
                await asyncio.to_thread(self.write, [row for row, _ in batch])
            except Exception as exc:  # every sender of the batch learns it (none of its rows is kept)
                outcome: Exception | None = exc
            else:
                outcome = None
            self.transactions += 1
            for _, done in batch:
                if not done.done():
                    done.set_exception(outcome) if outcome is not None else done.set_result(None)
