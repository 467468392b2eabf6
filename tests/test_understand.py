"""Input as people type it: time zones by city, old name or offset; days in many forms and languages,
relative ones counted in the reader's zone; a day name that does not fit; /help and /nonews."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.nlp.gazetteer import shared
from handlers.context import Desk, Incoming
from handlers.registry import respond
from handlers.understand import day, zone, zone_label
from storage import subscribers
from storage.db import session_scope
from tests.helpers import Clock

# 23:30 in London is already the next day in Kyiv.
LATE = datetime(2023, 1, 10, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize("typed, meant", [
    ("Kyiv", "Europe/Kyiv"), ("kyiv", "Europe/Kyiv"), ("Europe/Kiev", "Europe/Kyiv"), ("europe/amsterdam",
     "Europe/Amsterdam"), ("Odesa", "Europe/Kyiv"), ("Amsterdam", "Europe/Amsterdam"), ("UTC+2", "Etc/GMT-2"),
    ("utc-5", "Etc/GMT+5"), ("GMT+3", "Etc/GMT-3"), ("UTC", "UTC"), ("Nowhereville", None), ("UTC+20", None),
    ("", None)])
def test_time_zones_as_people_type_them(typed, meant):
    assert zone(typed) == meant


def test_offsets_are_shown_the_way_they_were_typed():
    assert zone_label("Etc/GMT-2") == "UTC+2" and zone_label("Etc/GMT+5") == "UTC-5"
    assert zone_label("Europe/Kyiv") == "Europe/Kyiv"


@pytest.mark.parametrize("typed, first", [
    ("3 days ago", date(2023, 1, 8)), ("tomorrow", date(2023, 1, 12)), ("2023/01/08", date(2023, 1, 8)),
    ("8 січня 2023", date(2023, 1, 8)), ("8 января 2023", date(2023, 1, 8)), ("yesterday", date(2023, 1, 10)),
    ("gisteren", date(2023, 1, 10)), ("2023-01-08", date(2023, 1, 8))])
def test_days_in_many_forms_relative_to_today_in_kyiv(typed, first):
    found = day(typed, LATE, "Europe/Kyiv")
    assert found is not None and found.first == first and found.wrong_weekday is None


def test_relative_days_follow_the_readers_zone():
    assert day("yesterday", LATE, "Europe/London").first == date(2023, 1, 9)
    assert day("yesterday", LATE, "Europe/Kyiv").first == date(2023, 1, 10)


def test_a_day_name_that_does_not_fit_is_noted():
    assert day("maandag 8 januari 2023", LATE, "Europe/Kyiv").wrong_weekday == 0  # the 8th was a Sunday
    assert day("Sunday 8 January 2023", LATE, "Europe/Kyiv").wrong_weekday is None
    assert day("someday", LATE, "Europe/Kyiv") is None


@pytest.fixture
def desk(engine, cache_dir):
    return Desk(engine, lambda: shared(cache_dir), clock=Clock(LATE))


def say(desk, text, chat=7, lang="en"):
    return [r.text for r in respond(desk, Incoming(chat, text, language_code=lang))]


def test_timezone_command_stores_the_canonical_name(desk, engine):
    assert say(desk, "/timezone kyiv") == ["Time zone: Europe/Kyiv."]
    assert say(desk, "/timezone Europe/Kiev") == ["Time zone: Europe/Kyiv."]
    assert say(desk, "/timezone UTC+2") == ["Time zone: UTC+2."]
    with session_scope(engine) as session:
        assert subscribers.get(session, 7).timezone == "Etc/GMT-2"
    assert "is not a time zone I know" in say(desk, "/timezone Nowhere-on-Sea")[0]


def test_date_command_says_which_day_it_read(desk):
    say(desk, "/timezone Kyiv")
    (reply,) = say(desk, "/date yesterday")
    assert reply.startswith("I read that as January 10, 2023.")
    (reply,) = say(desk, "/date maandag 8 januari 2023", lang="nl")
    assert "Note: January 8, 2023 is a Sunday, not a Monday." in reply
    (reply,) = say(desk, "/date 2023-01-08")
    assert "I read that as" not in reply


def test_help_lists_every_command_and_nonews_shows_the_setting(desk):
    help_text = say(desk, "/help")[0]
    for command in ("/follow", "/following", "/unfollow", "/nonews", "/date", "/digest", "/forgetme"):
        assert command in help_text
    assert "silence" in say(desk, "/nonews")[0]
    assert say(desk, "/nonews on") == ["You will hear when a digest window has no news."]
    assert "you get a message" in say(desk, "/nonews")[0]
