"""Shared fixtures: real databases (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set),
a local feed server, an ingestor with test-sized limits, the Bot API test server, and a world of one
read and grouped story with a way to subscribe chats to it."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from bot.ingest.feedpolicy import Policy
from bot.ingest.fetch import FetchLimits
from bot.ingest.pipeline import IngestConfig, Ingestor
from storage.db import make_engine, migrate
from tests.botapi import BotApiServer
from tests.feedserver import FeedServer

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that tries to reach anything but loopback fails."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
            raise RuntimeError(f"test tried to reach {address!r}: no network beyond loopback")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def postgres_engine() -> Iterator[Engine]:
    """An engine on a fresh schema of the test PostgreSQL database, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def bare_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An empty database of each kind, not migrated."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
        yield engine
        engine.dispose()
    else:
        yield from postgres_engine()


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    """A migrated database of each kind."""
    migrate(bare_engine)
    return bare_engine


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A feed server on 127.0.0.1, stopped after the test."""
    feed_server = FeedServer().start()
    yield feed_server
    feed_server.stop()


TEST_LIMITS = FetchLimits(timeout=1.0, max_bytes=200_000, max_redirects=3, user_agent="Frontbrief-test/1",
                          allow_private=True)  # the test feed server lives on loopback
TEST_POLICY = Policy(interval=timedelta(minutes=15), max_errors=3, max_backoff=timedelta(hours=6))


@pytest.fixture
def ingest_config() -> IngestConfig:
    """Small limits so that the bad-input cases are quick."""
    return IngestConfig(limits=TEST_LIMITS, policy=TEST_POLICY, concurrency=4)


@pytest.fixture
def ingestor(engine: Engine, ingest_config: IngestConfig) -> Ingestor:
    """An ingestor on the test database."""
    return Ingestor(engine, ingest_config)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One compiled gazetteer for the whole test session."""
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def reader(cache_dir: str):
    """read() of one text: (text, lang, published) → the reading as plain data."""
    from datetime import date

    from bot.nlp.pipeline import ArticleInput, read

    def read_one(text: str, lang: str, published: date = date(2023, 1, 8)) -> dict:
        (reading,) = read([ArticleInput(text, lang, published)], cache_dir)
        return reading

    return read_one


@pytest.fixture
def api() -> Iterator[BotApiServer]:
    """The Bot API test server on 127.0.0.1 with Telegram's default limits, stopped after the test."""
    bot_api = BotApiServer().start()
    yield bot_api
    bot_api.stop()


@pytest.fixture
def world(engine: Engine, cache_dir: str):
    """One item (tests.fanoutkit.STORY), read and grouped at 10:00 UTC, and a way to add subscribers."""
    from bot.cli.groupeval import store_labelled
    from bot.items.stages import ReadAndGroup
    from storage import subscribers
    from storage.db import session_scope
    from tests.fanoutkit import STORY
    from tests.helpers import Clock

    ids = store_labelled(engine, [STORY])
    ReadAndGroup(engine, cache_dir, clock=Clock(datetime(2023, 1, 8, 10, tzinfo=UTC))).process(ids)

    def subscribe(chat_id: int, lang: str = "en", times=("12:00",), **extra) -> None:
        with session_scope(engine) as session:
            subscribers.get_or_create(session, chat_id, "private", lang, datetime(2023, 1, 1, tzinfo=UTC))
            subscribers.change(session, chat_id, datetime(2023, 1, 1, tzinfo=UTC), subscribed=True,
                               times=list(times), **extra)

    return subscribe


@pytest.fixture
def sloviansk(engine: Engine, cache_dir: str):
    """tests.answerkit's two reports, read and grouped at noon: the engine and the gazetteer."""
    from bot.cli.groupeval import store_labelled
    from bot.items.stages import ReadAndGroup
    from bot.nlp.gazetteer import shared
    from tests.answerkit import ARTICLES, AT
    from tests.helpers import Clock

    ids = store_labelled(engine, ARTICLES)
    ReadAndGroup(engine, cache_dir, clock=Clock(AT.replace(hour=12))).process(ids)
    return engine, shared(cache_dir)
