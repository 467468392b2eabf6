"""The command line on a real SQLite file: feeds list/add/remove, ingest --once, and the demo."""

from __future__ import annotations

import sqlite3
import tomllib
from collections import Counter

import pytest

from bot.cli.main import main
from bot.config import SAMPLE_FEEDS
from tests.factories import rss


@pytest.fixture
def cli_env(monkeypatch, tmp_path, server, cache_dir):
    """A working directory with its own database and a feed list pointing at the local server."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    monkeypatch.setenv("ALLOW_PRIVATE_FEEDS", "true")  # the local feed server
    feeds = tmp_path / "feeds.toml"
    server.route("/one", rss(2))
    feeds.write_text(f'[[feed]]\nname = "Local one"\nurl = "{server.url("/one")}"\nlanguage = "en"\n')
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("FEEDS_FILE", str(feeds))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def _articles(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM article").fetchone()[0]


def test_ingest_once_twice_adds_nothing_the_second_time(cli_env, capsys):
    assert main(["ingest", "--once"]) == 0
    first = capsys.readouterr().out
    assert main(["ingest", "--feed", "https://never.invalid/feed"]) == 1  # only a failing feed asked for
    assert main(["ingest", "--once", "--feed", str(cli_env / "missing.xml")]) == 1
    assert "2 new articles" in first and "Local one" in first
    assert _articles(cli_env / "cli.db") == 2


def test_feeds_add_list_remove(cli_env, capsys, server):
    server.route("/two", b"<html><body>no feed</body></html>", headers={"Content-Type": "text/html"})
    assert main(["feeds", "add", server.url("/two"), "--name", "Broken two", "--language", "nl"]) == 0
    assert main(["ingest", "--once"]) == 0
    capsys.readouterr()
    assert main(["feeds", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Local one" in listing and "Broken two" in listing and "HTML page" in listing
    assert main(["feeds", "remove", server.url("/two")]) == 0
    assert main(["feeds", "remove", server.url("/two")]) == 1
    capsys.readouterr()
    main(["feeds", "list"])
    assert "Broken two" not in capsys.readouterr().out


def test_feeds_add_takes_a_local_path(cli_env, capsys):
    local = cli_env / "local.xml"
    local.write_bytes(rss(3))
    assert main(["feeds", "add", "local.xml", "--keyword", "kramatorsk"]) == 0
    assert main(["ingest", "--once", "--feed", "local.xml"]) == 0
    assert "3 new articles" in capsys.readouterr().out


def test_demo_ingests_the_bundled_samples_once(monkeypatch, tmp_path, capsys, cache_dir):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "35 new articles" in out and "35 articles stored" in out
    assert main(["demo"]) == 0
    assert "0 new articles" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "data" / "demo.db") as conn:
        rows = conn.execute("SELECT a.link, a.language, f.name, date(a.published_at), a.content_hash "
                            "FROM article a JOIN feed f ON f.id = a.feed_id").fetchall()
    assert len(rows) == 35
    assert len({r[2] for r in rows}) >= 5 and all("(sample)" in r[2] for r in rows)
    assert {r[1] for r in rows} == {"nl", "en"} and len({r[3] for r in rows}) >= 3
    syndicated = [n for n in Counter(r[4] for r in rows).values() if n > 1]
    assert syndicated, "the samples carry agency copies in several outlets"
    _assert_events_cover_the_samples(rows)


def _assert_events_cover_the_samples(rows) -> None:
    events = tomllib.loads((SAMPLE_FEEDS.parent / "events.toml").read_text(encoding="utf-8"))
    event_of = {link: e["id"] for e in events["event"] for link in e["links"]}
    language = {r[0]: r[1] for r in rows}
    assert set(event_of) == set(language), "every stored sample belongs to exactly one intended event"
    assert len(events["event"]) >= 8
    bilingual = [e for e in events["event"] if {language[link] for link in e["links"]} == {"nl", "en"}]
    assert len(bilingual) >= 6


def test_chat_prints_claims_from_dutch_and_english_sources(monkeypatch, tmp_path, capsys, cache_dir):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["chat", "--demo", "/kramatorsk", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Moscow Ledger (sample)" in out and "Europa Persbureau (sample)" in out  # English and Dutch outlets
    assert "Russian side" in out and "Ukrainian side" in out and "<https://" in out


def test_the_console_chat_takes_commands_and_button_numbers(monkeypatch, tmp_path, cache_dir):
    from bot.cli import console
    from bot.nlp.gazetteer import shared
    from handlers.context import Desk
    from storage.db import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'chat.db'}")
    migrate(engine)
    desk = Desk(engine, lambda: shared(cache_dir))
    typed = iter(["/language", "2", "/help"])
    lines: list[str] = []

    def read(prompt: str) -> str:
        line = next(typed, None)
        if line is None:
            raise EOFError  # Ctrl-D
        return line

    console.interactive(desk, "en", read=read, write=lines.append)
    text = "\n".join(lines)
    assert "[1] English  [2] Nederlands" in text and "Taal: Nederlands." in text and "Frontbrief antwoordt" in text


def test_console_button_numbers_stay_valid_after_later_replies(tmp_path, cache_dir):
    from bot.cli import console
    from bot.nlp.gazetteer import shared
    from handlers.context import Desk
    from storage.db import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'chat.db'}")
    migrate(engine)
    desk = Desk(engine, lambda: shared(cache_dir))
    typed = iter(["/language", "/settings", "2", "/settings", "1", "6", "9"])
    lines: list[str] = []

    def read(prompt: str) -> str:
        line = next(typed, None)
        if line is None:
            raise EOFError
        return line

    console.interactive(desk, "en", read=read, write=lines.append)
    text = "\n".join(lines)
    assert "[1] English  [2] Nederlands" in text  # /language
    assert "[3] English  [4] Nederlands  [5]" in text  # /settings numbers on from there
    assert "Taal: Nederlands." in text  # "2", pressed after /settings was shown, is still /language's Nederlands
    assert "Dit menu is verlopen" in text  # "1" too, two replies later: the settings changed since it was shown
    assert "[6] English  [7] Nederlands  [8]" in text  # the second /settings, numbered on again
    assert "Your settings\nLanguage: English" in text  # "6" on that fresh panel works


def test_the_interactive_console_turns_on_line_editing(monkeypatch):
    import sys

    from bot.cli import console

    monkeypatch.delitem(sys.modules, "readline", raising=False)
    console.enable_line_editing()
    assert "readline" in sys.modules


def test_digest_command_prints_a_window_in_each_language(monkeypatch, tmp_path, capsys, cache_dir):
    import json as jsonlib

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    assert main(["demo"]) == 0
    demo = capsys.readouterr().out
    assert "Digest (nl)" in demo and "Frontbrief-samenvatting" in demo and "Frontbrief digest" in demo
    assert main(["digest", "--demo", "--lang", "nl"]) == 0
    assert "Frontbrief-samenvatting" in capsys.readouterr().out
    assert main(["digest", "--demo", "--json", "--since", "2000-01-01"]) == 0
    result = jsonlib.loads(capsys.readouterr().out)
    assert len(result["items"]) == 9 and result["messages"][0].startswith("<b>Frontbrief digest")
    assert main(["digest", "--since", "yesterday-ish"]) == 2


def test_the_demo_chat_says_when_the_demo_has_not_run(monkeypatch, tmp_path, capsys, cache_dir):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CACHE_DIR", cache_dir)
    assert main(["chat", "--demo", "/kramatorsk", "--lang", "en"]) == 2  # read-only: nothing is created
    assert "There is no database at data/demo.db yet: run `make demo`" in capsys.readouterr().err
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["digest", "--demo", "--lang", "nl"]) == 0
    assert "empty" not in capsys.readouterr().err
