"""The engine for SQLite or PostgreSQL, sessions, and migrations applied with Alembic."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"
T = TypeVar("T")
log = logging.getLogger(__name__)
# How long work waits for a database that went away (a restart, a failover) before giving up:
# 0.2 + 0.4 + … doubling to 5 s a try, about 40 s in all.
OUTAGE_WAITS = tuple(min(5.0, 0.2 * 2**n) for n in range(12))


def make_engine(url: str, **kwargs: object) -> Engine:
    """An engine for the URL; SQLite gets its directory, WAL mode and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # WAL lets the bot read while an ingest writes; NORMAL sync is safe under WAL.
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that runs on the given engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to the revision (applied on every start; a no-op when current)."""
    command.upgrade(alembic_config(engine), revision)


def upsert_insert(bind: Session | Connection, table):
    """INSERT for the bind's dialect, which has ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike)."""
    dialect = bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect
    return (postgresql.insert if dialect.name == "postgresql" else sqlite.insert)(table)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _pause_or_raise(exc: DBAPIError, wait: float | None) -> float:
    """The pause before the next try when the server went away or refused the connection; a bad
    statement, or an outage longer than the waits, is raised."""
    if wait is None or not (exc.connection_invalidated or isinstance(exc, OperationalError)):
        raise exc
    log.warning("database unreachable (%s); trying again in %.1f s", type(exc.orig).__name__, wait)
    return wait


def retrying(work: Callable[[], T], waits: tuple[float, ...] = OUTAGE_WAITS) -> T:
    """Run work (which opens its own session or transaction) again while the database is
    unreachable. Only for work that is safe to repeat: idempotent writes, reads."""
    for wait in (*waits, None):
        try:
            return work()
        except DBAPIError as exc:
            time.sleep(_pause_or_raise(exc, wait))
    raise AssertionError("unreachable")


async def aretrying(work: Callable[[], T], waits: tuple[float, ...] = OUTAGE_WAITS) -> T:
    """retrying() for the event loop: waits without blocking it."""
    for wait in (*waits, None):
        try:
            return work()
        except DBAPIError as exc:
            await asyncio.sleep(_pause_or_raise(exc, wait))
    raise AssertionError("unreachable")


def ping(engine: Engine) -> None:
    """One round trip to the database; raises when it is down."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


class SchemaError(Exception):
    """The database has no Frontbrief schema, or another revision of it than this code expects."""


def check_schema(engine: Engine) -> None:
    """Raise SchemaError unless the schema is at the revision this code expects; changes nothing."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current is None:
        raise SchemaError("has no Frontbrief schema yet")
    if current != head:
        raise SchemaError(f"is at schema revision {current}; this version expects {head}")


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases and for :memory:)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)
