"""Query benchmark: place, region and date look-ups over N claims (default 100,000; the acceptance
figure is at 1,000,000) on SQLite, and on PostgreSQL when TEST_POSTGRES_URL is set, the same N on both.
Prints p50 and p95 of each query kind as the bulk load leaves the database, then after the statistics
refresh an ingest run does after a bulk load (storage.db.refresh_statistics); aim: p95 under 50 ms.
Beside each, the CPU time of the same calls (SQLite's work is in-process, PostgreSQL's is not): on a
machine shared with other work the wall clock also counts the waits for a core.
The queries are the ones `python -m bot query` runs: the newest 20 items about a place (a region
includes its places) or a day, with articles and claims, all 20 described. After the refresh, also
the bot's /<place> and /date answers to the same questions: made afresh (the newest 30 counted, the
page's 2 described and rendered) and as kept for the next reader (handlers.answercache).
Run: .venv/bin/python bench/query.py [claims]   (1,000,000: about 3 minutes of filling per database)
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

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.items import lookup  # noqa: E402
from bot.nlp.gazetteer import shared  # noqa: E402
from handlers import places as answer  # noqa: E402
from handlers.answercache import AnswerCache  # noqa: E402
from handlers.context import Desk  # noqa: E402
from storage.db import make_engine, migrate, refresh_statistics, session_scope  # noqa: E402
from storage.models import Article, Claim, Feed, Item, ItemPlace  # noqa: E402

CLAIMS_PER_ITEM = 10
DAYS = 1000
QUERIES = 200


def fill(engine, claims: int, places: list, rng: random.Random) -> None:
    """Items with one article each and CLAIMS_PER_ITEM claims, spread over DAYS days."""
    items = claims // CLAIMS_PER_ITEM
    start = datetime(2022, 2, 24, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(Feed), [{"url": "bench://q", "name": "bench", "keywords": [], "fulltext": False,
                                     "active": True, "error_count": 0, "created_at": start}])
        for first in range(0, items, 5000):
            chunk = range(first + 1, min(items, first + 5000) + 1)
            when = {i: start + timedelta(days=rng.randrange(DAYS), hours=rng.randrange(24)) for i in chunk}
            conn.execute(insert(Item), [{"id": i, "created_at": when[i], "updated_at": when[i],
                                         "event_first": when[i].date(), "event_last": when[i].date(),
                                         "titles": {"en": f"Story {i}"}, "article_count": 1, "disputed": i % 3 == 0,
                                         "profile": {}} for i in chunk])
            conn.execute(insert(Article), [{"id": i, "feed_id": 1, "identity": f"q{i}", "url": None,
                                            "link": f"https://bench.invalid/{i}", "guid": None, "content_hash": f"h{i}",
                                            "title": f"Story {i}", "summary": "", "text": "", "language": "en",
                                            "published_at": when[i], "fetched_at": when[i], "item_id": i,
                                            "features": {}} for i in chunk])
            rows = []
            for i in chunk:
                for slug in {p.slug: p for p in rng.sample(places, 2)}.values():
                    rows.append({"item_id": i, "slug": slug.slug, "region": slug.region})
            conn.execute(insert(ItemPlace), rows)
            conn.execute(insert(Claim), [{"article_id": i, "item_id": i, "position": k, "speaker": "Kyiv",
                                          "stance": "assert", "actor": "ua.government", "side": "UA",
                                          "content": f"claim {k} of story {i}", "event_date": when[i].date(),
                                          "numbers": [{"value": float(k), "counts": "killed"}], "places": [],
                                          "carried": False, "disputed": False, "unverified": k % 2 == 0}
                                         for i in chunk for k in range(CLAIMS_PER_ITEM)])


def percentiles(samples: list[float]) -> str:
    """p50 and p95 in milliseconds."""
    cuts = statistics.quantiles(samples, n=20)
    return f"p50 {statistics.median(samples) * 1000:.1f} ms, p95 {cuts[18] * 1000:.1f} ms"


def timed(samples: list[float], cpu: list[float], call) -> None:
    """Run `call`, adding its wall-clock seconds to `samples` and its CPU seconds to `cpu`: on a
    machine shared with other work the wall clock also counts the waits for a core, the CPU not."""
    wall, used = time.perf_counter(), time.process_time()
    call()
    samples.append(time.perf_counter() - wall)
    cpu.append(time.process_time() - used)


def measure(engine, gazetteer, places: list, rng: random.Random, answers: bool = False) -> dict[str, list[float]]:
    """Wall-clock seconds of each place, region and date look-up, QUERIES of each, and beside them
    ("<kind> cpu") the CPU seconds of each; with `answers`, also of the bot's answer to each
    (handlers.places: only the page's items described, then rendered), made afresh ("answer") and as
    kept for the next reader while the store has not changed ("kept")."""
    regions = [p.slug for p in gazetteer.places if p.kind == "oblast"] + ["donbas", "crimea"]
    names = [p.slug for p in rng.sample(places, 40)] + regions
    timings: dict[str, list[float]] = {"place": [], "region": [], "date": []}
    if answers:
        timings |= {"answer": [], "kept": []}
    cpu: dict[str, list[float]] = {kind: [] for kind in timings}
    desk = Desk(engine, lambda: gazetteer)
    with session_scope(engine) as session:
        for n in range(QUERIES):
            name = names[n % len(names)]
            kind = "region" if name.endswith(("oblast", "donbas")) or name == "crimea" else "place"
            timed(timings[kind], cpu[kind], lambda: lookup.by_place(session, gazetteer, name))
            day = date(2022, 2, 24) + timedelta(days=rng.randrange(DAYS))
            timed(timings["date"], cpu["date"], lambda: lookup.by_date(session, gazetteer, day, day))
            if answers:
                for ask in (lambda: answer.show_place(desk, "en", name, 1), lambda: answer.show_date(desk, "en", day, day, 1)):
                    desk.answers = AnswerCache()
                    timed(timings["answer"], cpu["answer"], ask)
                    timed(timings["kept"], cpu["kept"], ask)
    timings.update({f"{kind} cpu": samples for kind, samples in cpu.items()})
    return timings


def run(url: str, claims: int) -> None:
    """Fill a database, time the look-ups, refresh the statistics, time them again."""
    gazetteer = shared("data/cache")
    rng = random.Random(5)
    places = [p for p in gazetteer.places if p.country == "UA" and p.kind == "city" and p.population >= 20_000]
    engine = make_engine(url)
    migrate(engine)
    started = time.perf_counter()
    fill(engine, claims, places, rng)
    print(f"  filled {claims:,} claims in {time.perf_counter() - started:.0f} s")
    for label in ("as loaded", "after refresh_statistics"):
        if label != "as loaded":
            started = time.perf_counter()
            refresh_statistics(engine)
            print(f"  refresh_statistics took {time.perf_counter() - started:.1f} s")
        timings = measure(engine, gazetteer, places, random.Random(9), label != "as loaded")
        for kind, samples in ((k, v) for k, v in timings.items() if not k.endswith(" cpu")):
            p95 = statistics.quantiles(samples, n=20)[18]
            verdict = ("OK" if p95 < 0.05 else "MISSED") if label != "as loaded" else ""
            print(f"  {label:24} {kind:6} ({len(samples)} queries): {percentiles(samples)} (aim: p95 < 50 ms) {verdict}; "
                  f"CPU {percentiles(timings[kind + ' cpu'])}")
    engine.dispose()


def main() -> None:
    """The same number of claims in SQLite and PostgreSQL."""
    claims = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        print(f"sqlite: {claims:,} claims")
        run(f"sqlite:///{tmp}/query.db", claims)
    pg = os.environ.get("TEST_POSTGRES_URL")
    if not pg:
        print("postgresql: skipped (TEST_POSTGRES_URL not set)")
        return
    schema = f"bench_query_{os.getpid()}"  # its own schema: another run beside this one keeps its own
    engine = make_engine(pg)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
    engine.dispose()
    print(f"postgresql: {claims:,} claims")
    try:
        run(pg + ("&" if "?" in pg else "?") + f"options=-csearch_path%3D{schema}", claims)
    finally:
        engine = make_engine(pg)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


if __name__ == "__main__":
    main()
