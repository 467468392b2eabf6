"""Stored articles go on to reading and grouping in bounded batches, one feed after another in turn:
a huge feed does not hold the others back, and a killed run keeps each batch it finished."""

from __future__ import annotations

import asyncio
from collections import deque

import pytest
from sqlalchemy import text

from bot.ingest.handoff import BATCH, Handoff, fair_batch
from bot.ingest.pipeline import Ingestor
from bot.items.stages import ReadAndGroup
from tests.factories import item, rss
from tests.helpers import Clock, add_feed, articles_of


def test_a_batch_takes_one_article_from_each_feed_in_turn():
    waiting = {1: deque(range(100, 200)), 2: deque([201, 202]), 3: deque([301])}
    assert fair_batch(waiting, 5) == ([100, 201, 301, 101, 202], 2)
    assert list(waiting) == [1] and fair_batch(waiting, 3, after=2) == ([102, 103, 104], 1)


def test_more_feeds_than_a_batch_holds_all_get_their_turn():
    waiting = {feed: deque([feed * 10, feed * 10 + 1]) for feed in range(1, 8)}
    first, last = fair_batch(waiting, 4)
    second, _ = fair_batch(waiting, 4, after=last)
    assert first == [10, 20, 30, 40] and second == [50, 60, 70, 11]


def test_a_batch_depends_on_what_waits_not_on_the_order_it_came_in():
    one = {3: deque([31, 32]), 1: deque([11]), 2: deque([21, 22])}
    other = {2: deque([21, 22]), 1: deque([11]), 3: deque([31, 32])}
    assert fair_batch(one, 4) == fair_batch(other, 4) == ([11, 21, 31, 22], 2)


async def test_feeds_that_arrive_close_together_go_in_one_batch():
    seen: list[list[int]] = []

    async def stage(ids: list[int]) -> None:
        seen.append(ids)

    handoff = Handoff([stage], size=10, linger=0.2)
    runner = asyncio.create_task(handoff.run())
    handoff.put(2, [21, 22])
    await asyncio.sleep(0.05)  # the other feed answers a moment later
    handoff.put(1, [11])
    await asyncio.sleep(0.5)
    handoff.close()
    await runner
    assert seen == [[11, 21, 22]]


async def test_the_handoff_ends_when_closed_and_drained():
    seen: list[list[int]] = []

    async def stage(ids: list[int]) -> None:
        seen.append(ids)

    handoff = Handoff([stage], size=2)
    handoff.put(1, [1, 2, 3])
    handoff.put(2, [])
    handoff.close()
    await handoff.run()
    assert seen == [[1, 2], [3]]


async def test_a_huge_feed_does_not_hold_back_the_others(engine, server, ingest_config):
    clock = Clock()
    huge = server.route("/huge", rss([item(n) for n in range(5 * BATCH)]))
    small = server.route("/small", rss([item(10_000 + n) for n in range(2)]))
    for url in (huge, small):
        add_feed(engine, url, clock)
    await Ingestor(engine, ingest_config, clock=clock).run_once()  # stored; their reader never ran
    batches: list[list[int]] = []

    async def stage(ids: list[int]) -> None:
        batches.append(ids)

    clock.advance(minutes=1)
    await Ingestor(engine, ingest_config, stages=[stage], clock=clock).run_once()
    assert max(map(len, batches)) <= BATCH and sum(map(len, batches)) == 5 * BATCH + 2
    assert {a.id for a in articles_of(engine, small)} <= set(batches[0])  # in the first batch, not the last


class Killed(BaseException):
    """Stands for the process dying (no handler runs)."""


async def test_a_killed_run_keeps_the_batches_it_finished(engine, server, ingest_config, cache_dir):
    clock = Clock()
    add_feed(engine, server.route("/feed", rss([item(n) for n in range(3 * BATCH)])), clock)
    reader, done = ReadAndGroup(engine, cache_dir, clock=clock), []

    async def dies_in_the_third_batch(ids: list[int]) -> None:
        if len(done) == 2:
            raise Killed()
        await reader(ids)
        done.append(ids)

    with pytest.raises(Killed):
        await Ingestor(engine, ingest_config, stages=[dies_in_the_third_batch], clock=clock).run_once()
    with engine.connect() as conn:
        read = conn.execute(text("SELECT count(*) FROM article WHERE read_at IS NOT NULL")).scalar_one()
    assert read == 2 * BATCH
    await Ingestor(engine, ingest_config, stages=[reader], clock=clock).run_once()  # the next run: the rest
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM article WHERE read_at IS NULL")).scalar_one() == 0
