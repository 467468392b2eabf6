"""The pure schedule policy: backoff, Retry-After, ttl, deactivation, validators."""

from datetime import UTC, datetime, timedelta

from bot.ingest.feedpolicy import Outcome, Policy, backoff, decide

NOW = datetime(2023, 1, 8, 12, 0, tzinfo=UTC)
POLICY = Policy(interval=timedelta(minutes=15), max_errors=5, max_backoff=timedelta(hours=2))


def test_backoff_doubles_from_one_interval_and_is_capped():
    delays = [backoff(n, POLICY) for n in range(1, 8)]
    assert delays[:4] == [timedelta(minutes=m) for m in (15, 30, 60, 120)]
    assert delays[4:] == [timedelta(hours=2)] * 3


def test_an_error_counts_backs_off_and_keeps_validators():
    update = decide(Outcome("error", "timeout"), error_count=2, stored_ttl=30, now=NOW, policy=POLICY)
    assert update.error_count == 3 and update.last_status == "error" and update.last_error == "timeout"
    assert update.next_fetch_at == NOW + timedelta(minutes=60)
    assert update.active and not update.set_validators and update.ttl_minutes == 30


def test_retry_after_longer_than_the_backoff_wins():
    update = decide(Outcome("error", "HTTP 429", retry_after=90 * 60), 0, None, NOW, POLICY)
    assert update.next_fetch_at == NOW + timedelta(minutes=90)
    short = decide(Outcome("error", "HTTP 503", retry_after=5), 0, None, NOW, POLICY)
    assert short.next_fetch_at == NOW + timedelta(minutes=15)


def test_a_feed_is_deactivated_when_errors_reach_the_limit():
    assert decide(Outcome("error", "x"), 3, None, NOW, POLICY).active
    assert not decide(Outcome("error", "x"), 4, None, NOW, POLICY).active


def test_success_resets_errors_stores_validators_and_honours_ttl():
    update = decide(Outcome("ok", etag='"v2"', last_modified="Sun, 08 Jan 2023 10:00:00 GMT", ttl_minutes=60),
                    error_count=4, stored_ttl=None, now=NOW, policy=POLICY)
    assert update.error_count == 0 and update.active and update.succeeded
    assert update.set_validators and update.etag == '"v2"'
    assert update.next_fetch_at == NOW + timedelta(minutes=60)


def test_not_modified_is_a_success_that_keeps_validators_and_stored_ttl():
    update = decide(Outcome("not_modified"), error_count=1, stored_ttl=40, now=NOW, policy=POLICY)
    assert update.succeeded and update.error_count == 0 and not update.set_validators
    assert update.next_fetch_at == NOW + timedelta(minutes=40)


def test_ttl_shorter_than_the_interval_does_not_speed_us_up():
    update = decide(Outcome("ok", ttl_minutes=1), 0, None, NOW, POLICY)
    assert update.next_fetch_at == NOW + timedelta(minutes=15)
