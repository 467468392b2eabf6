"""Grouping benchmark: 100,000 generated articles grouped one by one into a growing store of items.

Prints the time per article when 10,000 items are stored and again at 100,000, and their
ratio (must be at most 1.5: the candidate keys are looked up by event day, so the cost per article
follows the amount of news around those days, not the size of the archive). Runs on SQLite, and on
PostgreSQL (smaller) when TEST_POSTGRES_URL is set. Run: .venv/bin/python bench/grouping.py [N]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.ingest.feeds import FeedSpec  # noqa: E402
from bot.items import group, textvec  # noqa: E402
from bot.items.stages import ReadAndGroup  # noqa: E402
from storage import queries  # noqa: E402
from storage.db import make_engine, migrate, session_scope  # noqa: E402

PLACES = [f"place_{n}" for n in range(5000)]  # towns and villages
ACTORS = ["ru.mod", "ru.kremlin", "ua.military", "ua.local", "ua.government", "un", "ru.occupation", "nato"]
WORDS = [f"word{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}{chr(97 + n // 676)}" for n in range(5000)]  # letters: vectors skip digits
START = date(2020, 1, 1)
PER_DAY = 100  # news volume: about a hundred new stories a day


def features(rng: random.Random, n: int, story: int, follow_up: bool) -> tuple[group.Features, str]:
    """An article about story `story` (stories are spread over days at PER_DAY a day)."""
    day = START + timedelta(days=story // PER_DAY)
    story_rng = random.Random(story)
    places = tuple((p, 3) for p in story_rng.sample(PLACES, 2))
    words = " ".join(story_rng.choices(WORDS, k=40))
    text_ = words if not follow_up else words + " " + " ".join(rng.choices(WORDS, k=10))
    value = float(story_rng.randint(2, 900))
    published = day + timedelta(days=rng.randint(0, 1) if follow_up else 0)
    actors = (story_rng.choice(ACTORS),)
    terms = tuple(sorted(textvec.vector(f"Story {story}", text_, "en").items()))
    return group.Features(n, "en", published, day, day, True, places, ((value, "killed"),), actors,
                          group.signature(text_), f"h{n}", (), terms=terms), f"Story {story}"


def run(url: str, marks: tuple[int, int]) -> None:
    """Group articles until `marks[1]` stories are stored; print per-article time at both marks."""
    total = int(marks[1] * 1.12) + 1000
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        feed = queries.upsert_feed(session, FeedSpec(url="bench://feed", name="bench"), datetime.now(UTC))
        now = datetime.now(UTC)
        rows = [{"feed_id": feed.id, "identity": f"b{n}", "url": None, "link": None, "guid": None,
                 "content_hash": f"h{n}", "title": "t", "summary": "", "text": "", "author": None,
                 "language": "en", "published_at": now, "fetched_at": now} for n in range(total)]
        ids = queries.insert_articles(session, rows)
    stage = ReadAndGroup(engine, "data/cache")
    rng = random.Random(1)
    stories, timings, items = 0, {}, 0
    window: list[float] = []
    for n, article_id in enumerate(ids):
        follow_up = stories > 0 and rng.random() < 0.1
        story = rng.randint(max(0, stories - 50), stories - 1) if follow_up else stories
        stories += not follow_up
        f, title = features(rng, article_id, story, follow_up)
        started = time.perf_counter()
        with session_scope(engine) as session:
            stage.group(session, SimpleNamespace(id=article_id, language="en", title=title), f)
        window.append(time.perf_counter() - started)
        items = stories
        for mark in marks:
            if mark not in timings and items >= mark and len(window) >= 1000:
                timings[mark] = (sum(window[-1000:]) / 1000, items, n + 1)
        if len(timings) == len(marks):
            break
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM item WHERE merged_into IS NULL")).scalar()
    first, last = (timings.get(m) for m in marks)
    if first and last:
        print(f"  {first[0] * 1000:.2f} ms/article at {first[1]:,} items ({first[2]:,} articles); "
              f"{last[0] * 1000:.2f} ms/article at {last[1]:,} items ({last[2]:,} articles); "
              f"ratio {last[0] / first[0]:.2f} (must be <= 1.5); {stored:,} items stored, {n + 1:,} articles")
    engine.dispose()


def main() -> None:
    """SQLite at full size, PostgreSQL smaller."""
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        print(f"sqlite: up to {total:,} stored items")
        run(f"sqlite:///{tmp}/grouping.db", (total // 10, total))
    pg = os.environ.get("TEST_POSTGRES_URL")
    if pg:
        small = max(10_000, total // 5)
        engine = make_engine(pg)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS bench_grouping CASCADE; CREATE SCHEMA bench_grouping"))
        engine.dispose()
        print(f"postgresql: up to {small:,} stored items")
        run(pg + "?options=-csearch_path%3Dbench_grouping", (small // 10, small))
    else:
        print("postgresql: skipped (TEST_POSTGRES_URL not set)")


if __name__ == "__main__":
    main()
