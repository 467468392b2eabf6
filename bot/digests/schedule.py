"""Pure: when a subscriber's next digest is due, in their own time zone, across daylight-saving
changes. Missed slots (downtime) collapse into one digest: only the latest slot counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

FIRST_WINDOW = timedelta(hours=24)  # a new subscriber's first digest looks back a day
LONGEST_WINDOW = timedelta(days=2)  # after long downtime: one digest of the last two days, not a pile


def slot_instants(times: list[str], zone: str, day: date) -> list[datetime]:
    """The UTC instants of a local day's digest times. A time that does not exist that day (the
    spring-forward gap) falls an hour later; one that exists twice (autumn) counts once."""
    tz = ZoneInfo(zone)
    instants = []
    for hhmm in times:
        hour, minute = (int(part) for part in hhmm.split(":"))
        local = datetime.combine(day, time(hour, minute), tzinfo=tz)  # fold=0: the first of two
        instants.append(local.astimezone(UTC))
    return sorted(set(instants))


def latest_slot(times: list[str], zone: str, now: datetime) -> datetime | None:
    """The most recent scheduled instant at or before now."""
    today = now.astimezone(ZoneInfo(zone)).date()
    for back in range(3):
        past = [s for s in slot_instants(times, zone, today - timedelta(days=back)) if s <= now]
        if past:
            return past[-1]
    return None


def due_window(times: list[str], zone: str, last_digest: datetime | None, subscribed: datetime,
               now: datetime) -> tuple[datetime, datetime] | None:
    """(start, end] of the digest due now, or None when nothing is due."""
    slot = latest_slot(times, zone, now)
    if slot is None:
        return None
    since = last_digest if last_digest is not None else max(subscribed, slot - FIRST_WINDOW)
    if slot <= since:
        return None
    return max(since, slot - LONGEST_WINDOW), slot


def next_due(times: list[str], zone: str, last_digest: datetime | None, subscribed: datetime) -> datetime | None:
    """The first digest time after the last digest (or after subscribing): no digest is due before
    it, so a sender need not look at the chat until then. None when the chat has no times."""
    after = last_digest if last_digest is not None else subscribed
    day = after.astimezone(ZoneInfo(zone)).date()
    for ahead in range(3):
        later = [s for s in slot_instants(times, zone, day + timedelta(days=ahead)) if s > after]
        if later:
            return later[0]
    return None


@lru_cache(maxsize=4096)
def plan(times: tuple[str, ...], zone: str, last_digest: datetime | None, subscribed: datetime,
         now: datetime) -> tuple[tuple[datetime, datetime] | None, datetime | None]:
    """The window due now (None: not yet) and the first digest time after it (or, not due, the
    next one). Cached: the chats of one fan-out share a few schedules, worked out once each."""
    window = due_window(list(times), zone, last_digest, subscribed, now)
    after = window[1] if window is not None else last_digest
    return window, next_due(list(times), zone, after, subscribed)
