"""Commands that only read (query, digest, chat) change nothing in the database they are pointed at:
no migration, no feed list added; a missing or older schema gets a message saying what to run."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text

from bot.cli.main import main
from storage.db import migrate
from storage.models import Feed
from tests.helpers import url_of

READERS = [["query", "place", "Kramatorsk"], ["query", "date", "2023-01-08"], ["digest", "--lang", "en"],
           ["chat", "/kramatorsk"]]


def revision(engine) -> str | None:
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


@pytest.fixture
def env(monkeypatch, tmp_path, cache_dir):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    return monkeypatch


@pytest.mark.parametrize("argv", READERS)
def test_a_missing_sqlite_database_is_not_created(env, tmp_path, capsys, argv):
    env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nowhere' / 'fb.db'}")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "There is no database at" in err and "python -m bot ingest --once" in err and "Traceback" not in err
    assert not (tmp_path / "nowhere" / "fb.db").exists()


@pytest.mark.parametrize("argv", READERS)
def test_an_empty_database_is_not_migrated(env, bare_engine, capsys, argv):
    with bare_engine.connect():
        pass  # the database exists (an empty SQLite file), with no schema
    env.setenv("DATABASE_URL", url_of(bare_engine))
    assert main(argv) == 2
    assert "has no Frontbrief schema yet" in capsys.readouterr().err
    assert revision(bare_engine) is None and inspect(bare_engine).get_table_names() == []


@pytest.mark.parametrize("argv", READERS)
def test_an_older_schema_is_named_and_left_as_it_is(env, bare_engine, capsys, argv):
    migrate(bare_engine, "0005")
    env.setenv("DATABASE_URL", url_of(bare_engine))
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "is at schema revision 0005" in err and "which migrates it" in err
    assert revision(bare_engine) == "0005"


@pytest.mark.parametrize("argv", READERS)
def test_a_current_database_is_read_and_gets_no_feed_list(env, engine, capsys, argv):
    env.setenv("DATABASE_URL", url_of(engine))
    assert main(argv) == 0, capsys.readouterr().err
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Feed)).scalar_one() == 0  # FEEDS_FILE not added


def test_query_takes_demo_too(env, tmp_path, capsys):
    assert main(["query", "place", "Kramatorsk", "--demo"]) == 2
    assert "run `make demo`" in capsys.readouterr().err
    from storage.db import make_engine

    demo = make_engine(f"sqlite:///{tmp_path / 'data' / 'demo.db'}")
    migrate(demo)
    demo.dispose()
    assert main(["query", "place", "Kramatorsk", "--demo"]) == 0
    assert "The demo database is empty" in capsys.readouterr().err
