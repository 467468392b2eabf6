"""Pure decisions about a feed after a fetch: its validators, error count, next fetch, and whether
it stays active. It does not interact with anything; the pipeline applies what it returns."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


# The longest validators the feed table keeps (storage.models.Feed). A longer one cannot be sent
# back intact, so none is kept and the next fetch is unconditional; a cut one would never match.
MAX_ETAG = 512
MAX_LAST_MODIFIED = 128


def _keepable(value: str | None, limit: int) -> str | None:
    return value if value is not None and len(value) <= limit else None


@dataclass(frozen=True, slots=True)
class Policy:
    """The knobs of the schedule."""

    interval: timedelta = timedelta(minutes=15)
    max_errors: int = 10
    max_backoff: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to, in the terms the policy needs."""

    status: str  # "ok", "warning", "empty", "not_modified" or "error"
    message: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    ttl_minutes: int | None = None
    retry_after: float | None = None
    title: str | None = None  # the feed's own <title>, when it was parsed


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """The feed's new state; the validators are written only when set_validators is true."""

    last_status: str
    last_error: str | None
    error_count: int
    next_fetch_at: datetime
    active: bool
    set_validators: bool
    etag: str | None
    last_modified: str | None
    ttl_minutes: int | None
    succeeded: bool


def backoff(error_count: int, policy: Policy) -> timedelta:
    """Exponential: one interval after the first error, doubling, capped."""
    exponent = min(max(error_count - 1, 0), 30)
    return min(policy.interval * (2**exponent), policy.max_backoff)


def retry_wait(retry_after: float | None, policy: Policy) -> timedelta:
    """The server's Retry-After, within the longest backoff: a server may slow us down, not stop
    a feed for centuries (or overflow the clock) while it still shows as active."""
    if not retry_after or math.isnan(retry_after) or retry_after <= 0:
        return timedelta(0)
    return timedelta(seconds=min(retry_after, policy.max_backoff.total_seconds()))


def feed_name(name: str, url: str, title: str | None) -> str | None:
    """The feed's own title as its name when its name is only its URL (a feed added by URL); None:
    keep the name (one the operator gave is never overwritten)."""
    title = " ".join((title or "").split())[:200]
    return title if name == url and title and title != url else None


def decide(outcome: Outcome, error_count: int, stored_ttl: int | None, now: datetime, policy: Policy) -> FeedUpdate:
    """The feed's next state after an attempt."""
    if outcome.status == "error":
        errors = error_count + 1
        delay = max(backoff(errors, policy), retry_wait(outcome.retry_after, policy))
        return FeedUpdate(
            last_status="error", last_error=outcome.message, error_count=errors,
            next_fetch_at=now + delay, active=errors < policy.max_errors,
            set_validators=False, etag=None, last_modified=None, ttl_minutes=stored_ttl, succeeded=False,
        )
    modified = outcome.status != "not_modified"
    ttl = outcome.ttl_minutes if modified else stored_ttl
    wait = max(policy.interval, timedelta(minutes=ttl or 0))
    return FeedUpdate(
        last_status=outcome.status, last_error=outcome.message, error_count=0,
        next_fetch_at=now + wait, active=True, set_validators=modified,
        etag=_keepable(outcome.etag, MAX_ETAG), last_modified=_keepable(outcome.last_modified, MAX_LAST_MODIFIED),
        ttl_minutes=ttl, succeeded=True,
    )
