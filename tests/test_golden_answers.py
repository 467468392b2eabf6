"""Golden answers rendered from the bundled samples (bot/samples, invented outlets marked "(sample)"):
/kramatorsk, /charkiv and a digest, in nl and en, as Telegram gets them (HTML) in
tests/data/golden/. Item grouping may change what the samples give; then rewrite them with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_answers.py

and read the diff (and the files, as a reader would) before committing it: a rewrite is never
accepted by the test itself."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.digests.compose import compose_replies
from bot.items import lookup
from bot.items.stages import ReadAndGroup
from bot.nlp.gazetteer import shared
from handlers import places
from handlers.context import Desk
from storage import itemqueries
from storage.db import make_engine, session_scope
from tests.botapi import parse_html
from tests.helpers import Clock

GOLDEN = Path(__file__).parent / "data" / "golden"
WINDOW = (datetime(2023, 1, 4, tzinfo=UTC), datetime(2023, 1, 11, 8, tzinfo=UTC))


@pytest.fixture(scope="module")
def demo(tmp_path_factory, cache_dir):
    """The demo database, filled from the bundled samples once for this module."""
    where = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(where)
        patch.setenv("CACHE_DIR", cache_dir)
        assert main(["demo"]) == 0
    database = where / "data" / "demo.db"
    ids = read_again_in_one_batch(database)
    engine = make_engine(f"sqlite:///{database}")
    ReadAndGroup(engine, cache_dir, clock=Clock(WINDOW[1])).process(ids)
    yield engine, shared(cache_dir)
    engine.dispose()


def read_again_in_one_batch(database: Path) -> list[int]:
    """Forget what the demo read, so that every sample is read and grouped in one batch in publication
    order: which feed the demo's fetch happened to store first must not change a golden file."""
    with sqlite3.connect(database) as conn:
        for table in ("claim_translation", "claim", "itemkey", "itemplace"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("UPDATE article SET read_at = NULL, item_id = NULL, features = '{}', event_first = NULL, "
                     "event_last = NULL, read_error = NULL, read_attempts = 0")
        conn.execute("DELETE FROM item")
        return [row[0] for row in conn.execute("SELECT id FROM article ORDER BY published_at, link")]


def check(name: str, replies) -> None:
    """Compare with the golden file (or rewrite it under UPDATE_GOLDEN); Telegram must accept each message.
    Item ids in button data are row ids (they depend on which feed was stored first): written as the
    order in which the answer names them."""
    text = "\n=====\n".join(r.text + "".join(f"\n[{label}] → {data}" for row in r.buttons for label, data in row)
                           for r in replies) + "\n"
    ids: dict[str, str] = {}
    text = re.sub(r"\bit:(\d+)", lambda m: "it:#" + ids.setdefault(m.group(1), str(len(ids) + 1)), text)
    for reply in replies:
        parse_html(reply.text)
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{name} differs (UPDATE_GOLDEN=1 rewrites it; read the diff)"


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("place", ["kramatorsk", "charkiv"])
def test_golden_place_answers(demo, place, lang):
    engine, gazetteer = demo
    desk = Desk(engine, lambda: gazetteer)
    check(f"{place}_{lang}.html", places.show_place(desk, lang, place, 1))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_golden_digest(demo, lang):
    engine, gazetteer = demo
    with session_scope(engine) as session:
        items = lookup.describe_items(session, gazetteer, itemqueries.latest_items(session, 20), lang)
    for item in items:  # the demo's clock is the day it ran: date the items by their reports instead
        published = sorted(a["published"] for a in item["articles"] if a["published"])
        item["created"], item["updated"] = published[0], published[-1]
    check(f"digest_{lang}.html", compose_replies(items, lang, WINDOW))
