"""When digests are due: own time zone, daylight-saving changes, downtime, first digest."""

from datetime import UTC, date, datetime, timedelta

from bot.digests.schedule import LONGEST_WINDOW, due_window, latest_slot, next_due, slot_instants

TIMES = ["08:00", "13:00", "19:00"]
JOINED = datetime(2024, 1, 1, tzinfo=UTC)


def test_slots_follow_the_local_clock_across_daylight_saving():
    winter = slot_instants(TIMES, "Europe/Amsterdam", date(2024, 3, 30))
    summer = slot_instants(TIMES, "Europe/Amsterdam", date(2024, 3, 31))
    assert [s.hour for s in winter] == [7, 12, 18] and [s.hour for s in summer] == [6, 11, 17]
    autumn = slot_instants(["02:30"], "Europe/Amsterdam", date(2024, 10, 27))  # 02:30 happens twice
    assert len(autumn) == 1
    gap = slot_instants(["02:30"], "Europe/Amsterdam", date(2024, 3, 31))  # 02:30 does not happen
    assert len(gap) == 1 and gap[0] == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)


def test_each_subscriber_in_their_own_time_zone():
    now = datetime(2024, 6, 1, 6, 30, tzinfo=UTC)
    kyiv = latest_slot(["08:00"], "Europe/Kyiv", now)  # 08:00 in Kyiv is 05:00 UTC: passed
    amsterdam = latest_slot(["08:00"], "Europe/Amsterdam", now)  # 06:00 UTC: passed as well
    new_york = latest_slot(["08:00"], "America/New_York", now)  # 12:00 UTC: yesterday's
    assert kyiv == datetime(2024, 6, 1, 5, tzinfo=UTC) and amsterdam == datetime(2024, 6, 1, 6, tzinfo=UTC)
    assert new_york == datetime(2024, 5, 31, 12, tzinfo=UTC)


def test_a_slot_is_due_once():
    now = datetime(2024, 6, 1, 11, 5, tzinfo=UTC)  # 13:05 in Amsterdam
    window = due_window(TIMES, "Europe/Amsterdam", datetime(2024, 6, 1, 6, tzinfo=UTC), JOINED, now)
    assert window == (datetime(2024, 6, 1, 6, tzinfo=UTC), datetime(2024, 6, 1, 11, tzinfo=UTC))
    assert due_window(TIMES, "Europe/Amsterdam", window[1], JOINED, now + timedelta(minutes=30)) is None


def test_downtime_collapses_missed_slots_into_one_short_window():
    last = datetime(2024, 5, 20, 17, tzinfo=UTC)
    now = datetime(2024, 6, 1, 11, 5, tzinfo=UTC)
    start, end = due_window(TIMES, "Europe/Amsterdam", last, JOINED, now)
    assert end == datetime(2024, 6, 1, 11, tzinfo=UTC) and end - start == LONGEST_WINDOW


def test_a_new_subscriber_gets_the_last_day_at_the_next_slot():
    joined = datetime(2024, 6, 1, 9, tzinfo=UTC)
    assert due_window(TIMES, "Europe/Amsterdam", None, joined, datetime(2024, 6, 1, 10, tzinfo=UTC)) is None
    start, end = due_window(TIMES, "Europe/Amsterdam", None, joined, datetime(2024, 6, 1, 11, 1, tzinfo=UTC))
    assert (start, end) == (joined, datetime(2024, 6, 1, 11, tzinfo=UTC))


ZONES = ["Europe/Amsterdam", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"]
TIME_SETS = [["08:00", "13:00", "19:00"], ["02:30"], ["00:00", "23:59"]]


def test_next_due_is_exactly_when_a_digest_becomes_due():
    """Across spring-forward and autumn-repeat days in several zones: a digest is due at an instant
    exactly when that instant is at or after next_due, so a sender that looks only at chats whose
    next_due has come misses none and looks at no chat too early."""
    checked = 0
    for zone in ZONES:
        for times in TIME_SETS:
            for start in (datetime(2023, 3, 25, tzinfo=UTC), datetime(2023, 10, 28, tzinfo=UTC),
                          datetime(2023, 4, 1, tzinfo=UTC), datetime(2023, 11, 4, tzinfo=UTC)):
                subscribed = start + timedelta(hours=5, minutes=17)
                for last in (None, start + timedelta(hours=7), start + timedelta(days=1, hours=11, minutes=30)):
                    after = next_due(times, zone, last, subscribed)
                    for step in range(0, 4 * 24 * 4):  # every quarter of an hour for four days
                        now = start + timedelta(minutes=15 * step)
                        if now < (last or subscribed):
                            continue
                        due = due_window(times, zone, last, subscribed, now) is not None
                        assert due == (after <= now), (zone, times, last, now, after)
                        checked += 1
    assert checked > 10_000


def test_a_chat_without_times_is_never_due():
    assert next_due([], "UTC", None, datetime(2023, 1, 1, tzinfo=UTC)) is None
