"""The pacer: Telegram's limits overall and per chat, and a 429 that holds every chat."""

from __future__ import annotations

from bot.digests.send import Pacer


class Ticks:
    """A monotonic clock that moves only when told."""

    def __init__(self, at: float = 0.0) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def test_messages_are_spaced_overall_and_per_chat():
    pacer = Pacer(rate=10, chat_interval=1.0, clock=Ticks())
    assert [pacer.slot(chat) for chat in (1, 2, 1, 3)] == [0.0, 0.1, 1.0, 1.1]


def test_a_429_holds_every_chat_until_retry_after():
    clock = Ticks(5.0)
    pacer = Pacer(rate=30, chat_interval=1.0, clock=clock)
    assert pacer.slot(1) == 5.0
    pacer.hold(2.0)  # Telegram answered 429 with retry_after=2 for chat 1
    assert pacer.slot(2) == 7.0 and pacer.slot(3) > 7.0
    clock.at = 20.0
    assert pacer.slot(4) == 20.0  # the hold is over


def test_no_rate_means_no_spacing_but_a_hold_still_counts():
    clock = Ticks(1.0)
    pacer = Pacer(rate=0, chat_interval=0, clock=clock)
    assert [pacer.slot(chat) for chat in (1, 1, 2)] == [1.0, 1.0, 1.0]
    pacer.hold(1.0)
    assert pacer.slot(1) == 2.0
