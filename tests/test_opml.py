"""Feeds as data: `feeds export` and `feeds import` in OPML, round trip and hostile files."""

from __future__ import annotations

import pytest

from bot.cli.main import main
from bot.ingest.feeds import FeedSpec
from bot.ingest.opml import OpmlError, from_opml, to_opml
from storage import queries
from storage.db import session_scope
from tests.helpers import url_of

SPECS = [FeedSpec("https://news.example.org/rss", "Example News (sample)", "en", ("ukraine", "oekraï"), True),
         FeedSpec("https://krant.example.nl/feed", "De Voorbeeldkrant (sample)", "nl")]


def test_our_attributes_survive_a_round_trip():
    assert from_opml(to_opml(SPECS)) == SPECS


def test_folders_are_walked_and_an_address_counts_once():
    data = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="War"><outline text="A" type="rss" xmlUrl="https://a.example.org/rss"/>
        <outline text="Deeper"><outline title="B &amp; co" xmlUrl="https://b.example.org/atom"/></outline></outline>
      <outline text="A again" xmlUrl="https://a.example.org/rss"/><outline text="a folder without feeds"/>
    </body></opml>"""
    assert [(s.name, s.url) for s in from_opml(data)] == [("A", "https://a.example.org/rss"),
                                                          ("B & co", "https://b.example.org/atom")]


@pytest.mark.parametrize("data, says", [
    (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>', "document type"),
    (b"<opml><body><outline", "not well-formed"),
    (b"<rss><channel/></rss>", "not an OPML document"),
])
def test_hostile_or_wrong_files_are_refused_by_reason(data, says):
    with pytest.raises(OpmlError, match=says):
        from_opml(data)


def test_export_then_import_into_another_database(engine, monkeypatch, tmp_path, capsys):
    from storage.db import make_engine, migrate

    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    migrate(other)
    with session_scope(engine) as session:
        queries.add_missing_feeds(session, SPECS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FEEDS_FILE", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("DATABASE_URL", url_of(engine))
    assert main(["feeds", "export", str(tmp_path / "feeds.opml")]) == 0
    assert main(["feeds", "export"]) == 0 and "<opml" in capsys.readouterr().out
    (tmp_path / "more.opml").write_bytes((tmp_path / "feeds.opml").read_bytes().replace(
        b"</body>", b'<outline text="local" xmlUrl="file:///etc/passwd"/></body>'))
    monkeypatch.setenv("DATABASE_URL", url_of(other))
    assert main(["feeds", "import", str(tmp_path / "more.opml")]) == 0
    out = capsys.readouterr().out
    assert "3 feeds in" in out and "2 added" in out and "1 skipped (not an http(s) address)" in out
    with session_scope(other) as session:
        listed = {f.url: f for f, _ in queries.listed_feeds(session)}
    assert set(listed) == {s.url for s in SPECS}
    assert listed[SPECS[0].url].keywords == ["ukraine", "oekraï"] and listed[SPECS[0].url].fulltext
    assert main(["feeds", "import", str(tmp_path / "more.opml")]) == 0
    assert "0 added, 2 already listed" in capsys.readouterr().out


def test_a_broken_file_is_one_clear_line(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.opml").write_bytes(b"<opml><body>")
    assert main(["feeds", "import", str(tmp_path / "bad.opml")]) == 2
    assert main(["feeds", "import", str(tmp_path / "missing.opml")]) == 2
    err = capsys.readouterr().err
    assert "bad.opml: not well-formed XML" in err and "missing.opml:" in err and "Traceback" not in err
