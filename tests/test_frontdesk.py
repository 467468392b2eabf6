"""The Frontdesk directly (what Telegram and the console share): follows, "no news", /forgetme."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.nlp.gazetteer import shared
from handlers.context import Desk, Incoming, Throttle, clean
from handlers.registry import respond
from storage import deliveries, subscribers
from storage.db import session_scope


@pytest.fixture
def desk(engine, cache_dir):
    return Desk(engine, lambda: shared(cache_dir))


def say(desk, text, chat=7, lang="en"):
    return [r.text for r in respond(desk, Incoming(chat, text, language_code=lang))]


def test_follow_unfollow_and_following(desk, engine):
    assert "You follow Kharkiv" in say(desk, "/follow Charkov")[0]
    assert "You follow Kramatorsk" in say(desk, "/follow kramatorsk")[0]
    assert say(desk, "/following")[0] == "You follow: Kharkiv (/kharkiv), Kramatorsk (/kramatorsk)"
    assert "no longer follow Kharkiv" in say(desk, "/unfollow kharkiv")[0]
    assert "did not follow Kharkiv" in say(desk, "/unfollow kharkiv")[0]
    assert "no place called" in say(desk, "/follow Atlantis")[0]
    assert "For example /follow" in say(desk, "/follow")[0]


def test_no_news_setting(desk, engine):
    say(desk, "/nonews on")
    with session_scope(engine) as session:
        assert subscribers.get(session, 7).notify_empty
    assert say(desk, "/nonews off")[0] == "Windows without news stay silent."


def test_forgetme_removes_settings_follows_and_deliveries(desk, engine):
    say(desk, "/subscribe")
    say(desk, "/follow kramatorsk")
    now = datetime(2023, 1, 8, tzinfo=UTC)
    with engine.begin() as conn:
        assert deliveries.claim(conn, 7, "en", (now, now), now, now) is not None
    (ask,) = respond(desk, Incoming(7, "/forgetme"))
    (yes, no) = ask.buttons[0]
    with session_scope(engine) as session:
        assert subscribers.get(session, 7) is not None  # asked, not yet done
    assert "Nothing was deleted" in respond(desk, Incoming(7, no[1], callback=True))[0].text
    assert "deleted" in respond(desk, Incoming(7, yes[1], callback=True))[0].text
    with session_scope(engine) as session:
        assert subscribers.get(session, 7) is None
        assert deliveries.following(session, 7) == [] and deliveries.deliveries(session, 7) == []


def test_throttle_tells_once_then_drops_then_forgives():
    now = [0.0]
    throttle = Throttle(limit=3, seconds=10, clock=lambda: now[0])
    assert [throttle.check(1) for _ in range(5)] == ["ok", "ok", "ok", "tell", "drop"]
    assert throttle.check(2) == "ok"
    now[0] = 11.0
    assert throttle.check(1) == "ok"


def test_clean_removes_invisible_and_control_characters():
    assert clean("\u200f/place\u200b Kyiv\x07 ") == "/place Kyiv"


def test_admin_commands_for_admins_only(engine, cache_dir):
    from bot.ingest.feeds import FeedSpec
    from storage import queries
    from storage.db import session_scope as scope

    with scope(engine) as session:
        queries.upsert_feed(session, FeedSpec(url="https://example.test/f", name="Test feed"), datetime.now(UTC))
    desk = Desk(engine, lambda: shared(cache_dir), admins=frozenset({42}))
    assert say(desk, "/stats", chat=7) == ["That command is for the bot's operators only."]
    assert say(desk, "/feeds", chat=7) == ["That command is for the bot's operators only."]
    stats = say(desk, "/stats", chat=42)[0]
    assert "Feeds: 1 (0 failing)" in stats and "Subscribers: 0" in stats
    assert "Test feed" in say(desk, "/feeds", chat=42)[0]


def test_digest_now_shows_what_is_new_since_the_last_digest(engine, cache_dir):
    from bot.cli.groupeval import Labelled, store_labelled
    from bot.items.stages import ReadAndGroup
    from tests.helpers import Clock

    story = Labelled("a", "en", datetime(2023, 1, 8, 9, tzinfo=UTC), "Wire", "Missile hits Kharkiv",
                     "A missile hit an industrial site in Kharkiv overnight, the governor said.")
    ReadAndGroup(engine, cache_dir, clock=Clock(datetime(2023, 1, 8, 10, tzinfo=UTC))).process(
        store_labelled(engine, [story]))
    desk = Desk(engine, lambda: shared(cache_dir), clock=Clock(datetime(2023, 1, 8, 12, tzinfo=UTC)))
    (digest,) = say(desk, "/digest")
    assert "Frontbrief digest" in digest and "Missile hits Kharkiv" in digest
    with session_scope(engine) as session:
        subscribers.change(session, 7, datetime(2023, 1, 8, 11, tzinfo=UTC),
                           last_digest_at=datetime(2023, 1, 8, 11, tzinfo=UTC))
    assert say(desk, "/digest") == ["Nothing new yet."]
