"""Storage on the real databases: migrations, WAL, UTC times, idempotent inserts."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select

from bot.ingest.feeds import FeedSpec
from storage import deliveries, queries
from storage.db import make_engine, migrate, session_scope
from storage.models import Article, Feed, Subscriber


def test_migrations_create_the_schema_the_models_describe(engine):
    assert {"feed", "article", "alembic_version"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_migrate_twice_is_a_no_op(engine):
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_times_come_back_as_aware_utc(engine):
    amsterdam = timezone(timedelta(hours=1))
    with session_scope(engine) as session:
        feed = queries.upsert_feed(session, FeedSpec(url="https://example.test/f", name="f"),
                                   datetime(2023, 1, 8, 12, 0, tzinfo=amsterdam))
    with session_scope(engine) as session:
        stored = session.get(Feed, feed.id)
    assert stored.next_fetch_at == datetime(2023, 1, 8, 11, 0, tzinfo=UTC)
    assert stored.next_fetch_at.tzinfo is not None


def test_naive_times_are_refused(engine):
    with pytest.raises(Exception, match="naive datetime"):
        with session_scope(engine) as session:
            queries.upsert_feed(session, FeedSpec(url="https://example.test/n", name="n"), datetime(2023, 1, 1))


def _row(feed_id: int, identity: str, guid: str | None) -> dict:
    return {"feed_id": feed_id, "identity": identity, "url": None, "link": None, "guid": guid,
            "content_hash": "h", "title": "t", "summary": "", "text": "", "author": None,
            "language": "en", "published_at": None, "fetched_at": datetime.now(UTC)}


def test_insert_articles_skips_known_identities_and_guids(engine):
    with session_scope(engine) as session:
        feed = queries.upsert_feed(session, FeedSpec(url="https://example.test/f", name="f"), datetime.now(UTC))
        first = queries.insert_articles(session, [_row(feed.id, "a", "g1"), _row(feed.id, "b", "g2")])
    with session_scope(engine) as session:
        again = queries.insert_articles(session, [_row(feed.id, "a", "g9"), _row(feed.id, "c", "g2"),
                                                  _row(feed.id, "d", None)])
        titles = session.exec(select(Article.identity).order_by(Article.identity)).all()
    assert len(first) == 2 and len(again) == 1
    assert titles == ["a", "b", "d"]


def test_two_processes_adding_the_feed_list_at_once_add_each_feed_once(engine):
    specs = [FeedSpec(url=f"https://example.test/f{n}", name=f"f{n}") for n in range(3)]
    added: list[int] = []

    def second_process() -> None:
        with session_scope(engine) as session:
            added.append(queries.add_missing_feeds(session, specs + specs))

    with session_scope(engine) as first:
        added.append(queries.add_missing_feeds(first, specs))
        other = threading.Thread(target=second_process)
        other.start()
        time.sleep(0.3)  # the other one now reads the list and waits on these uncommitted rows
    other.join(timeout=30)
    assert added == [3, 0]
    with session_scope(engine) as session:
        assert sorted(f.url for f, _ in queries.listed_feeds(session)) == [s.url for s in specs]


def test_removed_feed_keeps_articles_and_is_not_revived_by_the_list(engine):
    spec = FeedSpec(url="https://example.test/f", name="f")
    with session_scope(engine) as session:
        feed = queries.upsert_feed(session, spec, datetime.now(UTC))
        queries.insert_articles(session, [_row(feed.id, "a", "g1")])
    with session_scope(engine) as session:
        assert queries.remove_feed(session, spec.url, datetime.now(UTC))
        assert not queries.remove_feed(session, "https://example.test/unknown", datetime.now(UTC))
    with session_scope(engine) as session:
        assert queries.add_missing_feeds(session, [spec]) == 0
        assert queries.listed_feeds(session) == []
        assert queries.count_articles(session) == 1
    with session_scope(engine) as session:
        revived = queries.upsert_feed(session, spec, datetime.now(UTC))
        assert revived.active and revived.removed_at is None


def test_upgrading_a_database_filled_by_the_first_schema_keeps_its_data(bare_engine):
    migrate(bare_engine, "0001")
    now = datetime(2023, 1, 8, tzinfo=UTC)
    with bare_engine.begin() as conn:
        conn.execute(text("INSERT INTO feed (url, name, keywords, fulltext, active, error_count, created_at) "
                          "VALUES ('https://example.test/f', 'Old feed', '[]', false, true, 0, :now)"),
                     {"now": now.replace(tzinfo=None)})
        conn.execute(text("INSERT INTO article (feed_id, identity, content_hash, title, summary, text, fetched_at) "
                          "VALUES (1, 'u1', 'h1', 'An old article', 's', 't', :now)"), {"now": now.replace(tzinfo=None)})
    migrate(bare_engine)
    with session_scope(bare_engine) as session:
        (article,) = session.exec(select(Article)).all()
        assert article.title == "An old article" and article.features == {} and article.item_id is None
        assert queries.listed_feeds(session)[0][0].name == "Old feed"
    with bare_engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0007"


def test_upgrading_a_database_filled_by_the_previous_schema_keeps_its_subscribers(bare_engine):
    migrate(bare_engine, "0005")
    joined, last = datetime(2023, 1, 1), datetime(2023, 1, 8, 11)
    with bare_engine.begin() as conn:
        conn.execute(text("INSERT INTO subscriber (chat_id, chat_type, language, times, timezone, subscribed, active, "
                          "created_at, updated_at, last_digest_at, notify_empty) VALUES (7, 'private', 'nl', "
                          "'[\"08:00\"]', 'Europe/Amsterdam', true, true, :joined, :joined, :last, false)"),
                     {"joined": joined, "last": last})
    migrate(bare_engine)
    with session_scope(bare_engine) as session:
        (row,) = session.exec(select(Subscriber)).all()
        assert (row.language, row.times, row.last_digest_at, row.next_due_at) == ("nl", ["08:00"], last.replace(tzinfo=UTC), None)
        # a row from before the upgrade is looked at by the next fan-out, which works out its next digest
        assert [s.chat_id for s in deliveries.digest_subscribers(session, datetime(2023, 1, 8, 12, tzinfo=UTC))] == [7]


def test_a_job_lease_has_one_holder_at_a_time(engine):
    now = datetime(2023, 1, 8, 12, tzinfo=UTC)
    with session_scope(engine) as session:
        assert queries.take_lease(session, "alerts", "bot-1", now, timedelta(minutes=5))
    with session_scope(engine) as session:
        assert not queries.take_lease(session, "alerts", "bot-2", now + timedelta(minutes=1), timedelta(minutes=5))
        assert queries.take_lease(session, "alerts", "bot-1", now + timedelta(minutes=1), timedelta(minutes=5))
    with session_scope(engine) as session:
        assert queries.take_lease(session, "alerts", "bot-2", now + timedelta(minutes=7), timedelta(minutes=5))


def test_retention_drops_old_text_and_keeps_the_rows(engine):
    with session_scope(engine) as session:
        feed = queries.upsert_feed(session, FeedSpec(url="https://example.test/f", name="f"), datetime.now(UTC))
        old, new = _row(feed.id, "old", "g1"), _row(feed.id, "new", "g2")
        old.update(text="old text", summary="old", fetched_at=datetime(2022, 1, 1, tzinfo=UTC))
        new.update(text="new text")
        queries.insert_articles(session, [old, new])
    with session_scope(engine) as session:
        assert queries.prune_articles(session, datetime(2023, 1, 1, tzinfo=UTC)) == 1
    with session_scope(engine) as session:
        texts = dict(session.exec(select(Article.identity, Article.text)).all())
    assert texts == {"old": "", "new": "new text"}
