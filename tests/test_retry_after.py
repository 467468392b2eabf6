"""Retry-After is honoured only up to the longest backoff (FEED_MAX_BACKOFF_HOURS): a server may
slow a feed down, not park it for centuries while it shows as active, nor overflow the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.ingest.feedpolicy import Outcome, Policy, decide
from bot.ingest.fetch import parse_retry_after
from bot.ingest.pipeline import Ingestor
from tests.conftest import TEST_POLICY
from tests.factories import rss
from tests.helpers import Clock, add_feed, feed_row

NOW = datetime(2023, 1, 8, 12, 0, tzinfo=UTC)
POLICY = Policy(interval=timedelta(minutes=15), max_errors=5, max_backoff=timedelta(hours=2))


@pytest.mark.parametrize("seconds", [3 * 3600, 999_999_999_999_999, 1e300, float("inf")])
def test_a_retry_after_beyond_the_longest_backoff_is_cut_to_it(seconds):
    update = decide(Outcome("error", "HTTP 503", retry_after=seconds), 0, None, NOW, POLICY)
    assert update.next_fetch_at == NOW + POLICY.max_backoff and update.active


def test_an_http_date_centuries_ahead_is_cut_to_the_longest_backoff():
    wait = parse_retry_after("Sat, 08 Jan 5195 12:00:00 GMT", NOW)
    update = decide(Outcome("error", "HTTP 503", retry_after=wait), 0, None, NOW, POLICY)
    assert wait > 100 * 365 * 86400 and update.next_fetch_at == NOW + POLICY.max_backoff


@pytest.mark.parametrize("value", ["999999999999999", "Sat, 08 Jan 5195 12:00:00 GMT", "\u00b2"],
                         ids=["15-digits", "year-5195", "superscript-two"])
async def test_a_503_with_a_hostile_retry_after_parks_the_feed_no_longer_than_the_backoff(
        engine, server, ingest_config, value):
    clock = Clock()
    url = server.route("/busy", rss(1), status=503, headers={"Retry-After": value})
    add_feed(engine, url, clock)
    (report,) = await Ingestor(engine, ingest_config, clock=clock).run_once()
    row = feed_row(engine, url)
    assert report.status == "error" and "HTTP 503" in row.last_error and row.active
    assert clock.now + ingest_config.policy.interval <= row.next_fetch_at <= clock.now + TEST_POLICY.max_backoff
