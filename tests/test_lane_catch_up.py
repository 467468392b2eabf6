"""Issue 17: the lanes hand out their rate when the process waits for the CPU at each wake-up. The
pump's slots are counted from the schedule, not from its late wake-ups (which lost a third to a half
of the slots on a busy machine), catching up one missed slot at most, and never more than `rate` go
out in any second, as Telegram counts; and a send after a pause takes one slot, not a burst of the
slots nobody wanted. On a clock that moves only when told (no timing)."""

from __future__ import annotations

import random

from bot.digests.lanes import Lanes


class Ticks:
    """A monotonic clock that moves only when told."""

    def __init__(self, at: float = 0.0) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def pump(lanes: Lanes, clock: Ticks, until: float, late) -> list[float]:
    """The pump with someone always waiting: it sleeps until the next slot is free, wakes `late()`
    seconds after that, and hands out slots until none is free. The times of the slots."""
    granted = []
    while clock.at < until:
        clock.at += lanes.free_in() + late()
        while lanes.grant(catch_up=True):
            granted.append(clock.at)
    return granted


def test_a_pump_that_wakes_late_each_time_still_hands_out_the_rate():
    clock = Ticks()
    lanes = Lanes(rate=10, clock=clock)
    granted = pump(lanes, clock, 10.0, lambda: 0.04)  # 40 % of a slot late at every wake-up
    assert len(granted) >= 95  # 10 s at 10 a second (timed from the wake-ups: 71)


def test_never_more_than_the_rate_in_any_second_however_late_the_wake_ups():
    clock, rng = Ticks(), random.Random(17)
    lanes = Lanes(rate=28, clock=clock)
    granted = pump(lanes, clock, 60.0, lambda: rng.choice([0.0, 0.0, 0.0, 0.05]))
    most = max(sum(1 for t in granted if at - 1.0 < t <= at) for at in granted)
    assert most <= 28  # the catch-up alone would let 29 through in some second


def test_a_send_after_a_pause_takes_one_slot_not_the_missed_ones():
    clock = Ticks(100.0)
    lanes = Lanes(rate=10, clock=clock)
    assert lanes.grant() and not lanes.grant(catch_up=True)  # the next one is a slot later
    clock.at = 100.1
    assert lanes.grant(catch_up=True) and not lanes.grant(catch_up=True)
