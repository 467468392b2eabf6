"""Grouping cost against the size of the item an article joins (issue 17): one read article of
CLAIMS claims grouped into an item of n articles, for n = 2, 10, 25, 50, with each time's ratio to
n = 2 (aim: at most 1.5 at n = 50). Everything an article costs after reading is timed: its claims
and features stored, the item looked up, joined, and its disputed/unverified marks brought up to date.
Each figure is the median (and min) of ROUNDS joins of the same article into the same item, each
rolled back, the sizes taken in turn in every round (a machine shared with other work loads them
alike). The readings are built here (sides, stances, figures and days as war news has them), so
the bench needs no corpus. SQLite always; PostgreSQL too when TEST_POSTGRES_URL is set.
Run: .venv/bin/python bench/item_growth.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.ingest.feeds import FeedSpec  # noqa: E402
from bot.items.stages import ReadAndGroup  # noqa: E402
from storage import queries  # noqa: E402
from storage.db import make_engine, migrate, session_scope  # noqa: E402
from storage.models import Article  # noqa: E402

SIZES, CLAIMS, ROUNDS, WORDS = (2, 10, 25, 50), 20, 9, 600
DAY = date(2023, 3, 14)
SIDES = [("RU", "ru.mod"), ("UA", "ua.military"), ("UA", "ua.government"), ("other", "un"), ("outlet", "outlet")]
STANCES = ["assert", "assert", "report", "deny", "confirm"]
COUNTS = ["killed", "wounded", "missiles", "drones"]
VOCAB = [f"w{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}{chr(97 + n // 676)}" for n in range(3000)]


def claim(rng: random.Random, position: int, place: str) -> dict:
    """One claim as reading yields it: a speaker most of the time, a figure often, a day near DAY."""
    side, actor = rng.choice(SIDES)
    spoken = side != "outlet" or rng.random() < 0.3

    def span(words: str, start: int) -> dict:
        return {"text": words, "start": start, "end": start + len(words)}

    numbers = [{"value": float(rng.choice([rng.randint(2, 40), rng.randint(50, 900)])), "counts": rng.choice(COUNTS),
                "who": None, "qualifier": None, "text": "n"} for _ in range(rng.choice([0, 0, 1, 1, 2]))]
    stance = rng.choice(STANCES)
    day = DAY + timedelta(days=rng.choice([-1, 0, 0, 0, 1])) if rng.random() < 0.8 else None
    return {"speaker": span("the ministry", position * 100) if spoken else None, "actor": actor, "side": side,
            "cue": span("said", position * 100 + 13) if spoken else None, "stance": stance,
            "content": span(" ".join(rng.choices(VOCAB, k=12)), position * 100 + 18), "numbers": numbers,
            "places": [place] if rng.random() < 0.5 else [], "event_date": day.isoformat() if day else None,
            "dated": day is not None, "refers_to": rng.randrange(position) if stance == "deny" and position and rng.random() < 0.5 else None,
            "carried": False, "resolved": None, "relevant": True, "url": None, "outlet": "bench"}


def reading(rng: random.Random, story: int) -> dict:
    """A whole article's reading: CLAIMS claims, the story's own main place, the day named."""
    place = f"town_{story}"  # one place per story: items of different sizes never meet
    return {"places": [{"slug": place, "name": place, "region": None, "mentions": [], "as_actor_only": False,
                        "weight": 4}], "claims": [claim(rng, k, place) for k in range(CLAIMS)],
            "date_mentions": [{"text": "Tuesday", "first": DAY.isoformat(), "last": DAY.isoformat()}],
            "actors": ["ru.mod", "ua.military"], "concepts": []}


def article_row(feed_id: int, story: int, n: int) -> dict:
    """An article of one story: the story's words with a few of its own (the copies join by their words)."""
    rng, own = random.Random(story), random.Random(story * 1000 + n)
    words = rng.choices(VOCAB, k=WORDS)
    for k in own.sample(range(WORDS), 30):
        words[k] = own.choice(VOCAB)
    when = datetime(2023, 3, 14, 9, tzinfo=UTC) + timedelta(minutes=n)
    return {"feed_id": feed_id, "identity": f"s{story}-{n}", "url": None, "link": None, "guid": None,
            "content_hash": f"h{story}-{n}", "title": f"Story {story} " + " ".join(rng.choices(VOCAB, k=6)),
            "summary": "", "text": " ".join(words), "author": None, "language": "en", "published_at": when,
            "fetched_at": when}


def join(stage: ReadAndGroup, session: Session, article_id: int, story: int, n: int) -> None:
    """What the stage does for one read article: store the reading, then group it."""
    article = session.get(Article, article_id)
    stage._one(session, article, reading(random.Random(story * 1000 + n), story))


def timed_join(engine, stage: ReadAndGroup, article_id: int, size: int) -> float:
    """One join of the item's next article, timed, then rolled back."""
    with Session(engine, expire_on_commit=False) as session:
        started = time.perf_counter()
        join(stage, session, article_id, size, size)
        session.flush()
        took = time.perf_counter() - started
        # Read from the tables: grouping writes through them, not through the session's objects.
        joined = session.execute(text("SELECT item.article_count FROM item JOIN article ON article.item_id = item.id"
                                      " WHERE article.id = :a"), {"a": article_id}).scalar()
        session.rollback()
    assert joined == size + 1, f"the article did not join the item of {size} (item of {joined})"
    return took


def run(url: str) -> None:
    """Build an item of each size, time the next article joining it, print the ratios."""
    engine = make_engine(url)
    migrate(engine)
    stage = ReadAndGroup(engine, "data/cache")
    with session_scope(engine) as session:
        feed = queries.upsert_feed(session, FeedSpec(url="bench://items", name="bench"), datetime.now(UTC))
        ids = {(s, n): i for (s, n), i in zip([(s, n) for s in SIZES for n in range(s + 1)], queries.insert_articles(
            session, [article_row(feed.id, s, n) for s in SIZES for n in range(s + 1)]))}
    for size in SIZES:
        for n in range(size):
            with session_scope(engine) as session:
                join(stage, session, ids[size, n], size, n)
    times: dict[int, list[float]] = {size: [] for size in SIZES}
    for _ in range(ROUNDS):  # the sizes in turn, round after round: a load that comes and goes hits them alike
        for size in SIZES:
            times[size].append(timed_join(engine, stage, ids[size, size], size))
    medians = {size: statistics.median(found) for size, found in times.items()}
    for size in SIZES:
        print(f"  item of {size:>2} articles ({size * CLAIMS:>4} claims): median {medians[size] * 1000:7.1f} ms, "
              f"min {min(times[size]) * 1000:7.1f} ms; ratio to n={SIZES[0]} {medians[size] / medians[SIZES[0]]:.2f}")
    print(f"  n={SIZES[-1]} / n={SIZES[0]}: {medians[SIZES[-1]] / medians[SIZES[0]]:.2f} (aim <= 1.5)")
    engine.dispose()


def main() -> None:
    """SQLite, then PostgreSQL when configured."""
    with tempfile.TemporaryDirectory() as tmp:
        print(f"sqlite: one article of {CLAIMS} claims joining an item of n articles")
        run(f"sqlite:///{tmp}/items.db")
    pg = os.environ.get("TEST_POSTGRES_URL")
    if not pg:
        print("postgresql: skipped (TEST_POSTGRES_URL not set)")
        return
    engine = make_engine(pg)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS bench_items CASCADE; CREATE SCHEMA bench_items"))
    engine.dispose()
    print(f"postgresql: one article of {CLAIMS} claims joining an item of n articles")
    run(pg + "?options=-csearch_path%3Dbench_items")


if __name__ == "__main__":
    main()
