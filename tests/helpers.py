"""Small helpers shared by the ingest tests: a clock that moves when told, and feed rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, event
from sqlmodel import select

from bot.ingest.feeds import FeedSpec
from storage import queries
from storage.db import session_scope
from storage.models import Article, Feed


class Clock:
    """An injected clock; advance() moves it."""

    def __init__(self, start: datetime = datetime(2023, 1, 8, 12, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def add_feed(engine: Engine, url: str, clock: Clock | None = None, **fields: object) -> int:
    """Store a feed and return its id."""
    spec = FeedSpec(url=url, name=fields.pop("name", url), **fields)
    with session_scope(engine) as session:
        return queries.upsert_feed(session, spec, (clock or Clock())()).id


def feed_row(engine: Engine, url: str) -> Feed:
    """The stored feed with that URL."""
    with session_scope(engine) as session:
        return session.exec(select(Feed).where(Feed.url == url)).one()


def articles_of(engine: Engine, url: str) -> list[Article]:
    """The stored articles of the feed with that URL, oldest id first."""
    with session_scope(engine) as session:
        feed = session.exec(select(Feed).where(Feed.url == url)).one()
        return list(session.exec(select(Article).where(Article.feed_id == feed.id).order_by(Article.id)))


def url_of(engine: Engine) -> str:
    """A DATABASE_URL for the engine, for a command that opens its own (sent to the test's schema on PostgreSQL)."""
    from sqlalchemy import text

    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            url += f"?options=-csearch_path%3D{conn.execute(text('SELECT current_schema()')).scalar_one()}"
    return url


def probe_process(engine: Engine, tmp_path, cache_dir: str, probe: str) -> dict:
    """Run a probe script (it prints one JSON line last) in a fresh process on the test database, with an
    empty feed list: what a command does and imports when started on its own."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    feeds = Path(tmp_path) / "feeds.toml"
    feeds.write_text("")
    env = {**os.environ, "DATABASE_URL": url_of(engine), "FEEDS_FILE": str(feeds), "ALLOW_PRIVATE_FEEDS": "true",
           "CACHE_DIR": cache_dir, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    out = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def speaker_claims(cache_dir: str, text: str, lang: str) -> list[dict]:
    """The claims with a speaker that reading finds in one text of ours (relevance switched off)."""
    from datetime import date

    from bot.nlp.pipeline import ArticleInput, read

    (result,) = read([ArticleInput(text, lang, date(2023, 1, 8))], cache_dir, keep_irrelevant=True)
    return [c for c in result["claims"] if c["speaker"]]


def triples(claims: list[dict]) -> list[tuple[str, str | None, str]]:
    """(speaker, cue, content) of each claim, as text."""
    return [(c["speaker"]["text"], c["cue"]["text"] if c["cue"] else None, c["content"]["text"] if c["content"] else "")
            for c in claims]


def recorded(engine: Engine, run) -> list[tuple[str, object]]:
    """The SQL statements `run(session)` sends in one session, with their parameters (an executemany
    counts once)."""
    sent: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        with session_scope(engine) as session:
            run(session)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return sent


def statements(engine: Engine, run) -> list[str]:
    """The SQL statements `run(session)` sends, in one session."""
    return [statement for statement, _ in recorded(engine, run)]


@contextmanager
def statement_words(engine) -> Iterator[list[str]]:
    """The first word of every statement sent to the database while the block runs (one per round trip)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
