"""The engine for SQLite or PostgreSQL, sessions, and migrations applied with Alembic."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, event, inspect, text
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
MIGRATION_LOCK = 0x46420007  # PostgreSQL advisory lock class for migrations ("FB"); the schema is the other key
# The revision of the newest migration (tests check it against Alembic's head). A process whose
# database is at it reads one row and goes on: Alembic is not even imported.
HEAD = "0012"


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


def alembic_config(engine: Engine):
    """An Alembic configuration that runs on the given engine."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to the revision (applied on every start; a no-op when current), one process
    at a time: processes starting together on a fresh database would create the same tables at once.
    A schema already at HEAD costs one SELECT: no lock, no Alembic."""
    if revision in ("head", HEAD) and schema_revision(engine) == HEAD:
        return
    from alembic import command

    with migration_lock(engine):
        command.upgrade(alembic_config(engine), revision)


def schema_revision(engine: Engine) -> str | None:
    """The revision the database's schema is at (None: no Frontbrief schema), read with one query."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's migration lock: an advisory lock on PostgreSQL (per schema), a lock on a
    file beside the database on SQLite (which has no lock that outlives Alembic's transactions)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            keys = {"kind": MIGRATION_LOCK}
            schema = "hashtext(coalesce(current_schema(), ''))"
            conn.execute(text(f"SELECT pg_advisory_lock(:kind, {schema})"), keys)
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text(f"SELECT pg_advisory_unlock(:kind, {schema})"), keys)
                conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        yield


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


# The tables whose size the planner's choices depend on (place, region and date look-ups, grouping).
GROWING_TABLES = ("article", "claim", "item", "itemplace", "itemkey")


def refresh_statistics(engine: Engine) -> None:
    """Bring the planner's statistics up to date after a bulk load: without them PostgreSQL plans a
    table that grew from nothing to a million rows as if it were empty, until autovacuum gets to it.
    On PostgreSQL VACUUM too: it marks the new pages all-visible, without which the look-ups' covering
    indexes cannot be read alone (VACUUM skips pages already marked, so a repeat is cheap). SQLite
    samples (analysis_limit) so that this stays quick at any size."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:  # VACUUM: no transaction
            conn.execute(text(f"VACUUM (ANALYZE) {', '.join(GROWING_TABLES)}"))
        return
    with engine.begin() as conn:
        conn.execute(text("PRAGMA analysis_limit=1000"))
        for table in GROWING_TABLES:
            conn.execute(text(f"ANALYZE {table}"))


def ping(engine: Engine) -> None:
    """One round trip to the database; raises when it is down."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


class SchemaError(Exception):
    """The database has no Frontbrief schema, or another revision of it than this code expects."""


def check_schema(engine: Engine) -> None:
    """Raise SchemaError unless the schema is at the revision this code expects; changes nothing."""
    current = schema_revision(engine)
    if current is None:
        raise SchemaError("has no Frontbrief schema yet")
    if current != HEAD:
        raise SchemaError(f"is at schema revision {current}; this version expects {HEAD}")


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases and for :memory:)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)
