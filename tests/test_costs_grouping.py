"""Grouping costs that must not grow with the item an article joins (issue 17): each test pins one
mechanism that made them grow, counted, never timed. An article joining an item issued one UPDATE per
claim of the whole item, the session held every claim of the item and checked each UPDATE against all
of them, and disputes compared every claim with every other."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event
from sqlmodel import select

from bot.items.disputes import ClaimFacts, disputes
from bot.items.stages import ReadAndGroup
from storage import queries
from storage.db import session_scope
from storage.models import Article, Claim, Item
from tests.helpers import add_feed

DAY = date(2023, 3, 14)
SIDES = ("RU", "UA", "other", "outlet")
STANCES = ("assert", "report", "deny", "confirm")
COUNTS = ("killed", "wounded", "drones")


# --- disputes: keyed, and the same marks as comparing every pair --------------------------------

def pairwise(claims: list[ClaimFacts]) -> dict[int, tuple[bool, bool]]:
    """The rule as it was first written, every claim against every other: the reference."""
    def differ(a, b):
        return abs(a - b) > 0.1 * max(abs(a), abs(b), 1.0)

    def near(a, b):
        return a is None or b is None or abs((a - b).days) <= 1

    attributed = [c for c in claims if c.attributed]
    disputed = set()
    for d in (c for c in attributed if c.stance == "deny"):
        targets = {c.id for c in attributed if c.id == d.refers_to}
        targets |= {c.id for c in attributed if c.side != d.side and c.stance in ("assert", "report")
                    and near(c.event_date, d.event_date)}
        if targets:
            disputed |= targets | {d.id}
    for a in attributed:
        for b in attributed:
            if a.side != b.side and near(a.event_date, b.event_date) and any(
                    ca == cb and differ(va, vb) for va, ca in a.numbers for vb, cb in b.numbers):
                disputed |= {a.id, b.id}

    def backed(c):
        return any(o.side != c.side and near(c.event_date, o.event_date)
                   and (o.stance == "confirm" or set(o.numbers) & set(c.numbers)) for o in attributed)

    return {c.id: (c.id in disputed, c.id not in disputed and c.attributed and c.side in ("RU", "UA")
                   and c.stance == "assert" and not backed(c)) for c in claims}


def random_facts(rng: random.Random, n: int, cls=ClaimFacts) -> list[ClaimFacts]:
    """n claims of one item: sides, stances, figures (often the same ones) and days as news mixes them."""
    facts = []
    for k in range(1, n + 1):
        numbers = tuple((float(rng.choice([5, 9, 10, 11, 89, 95, 100, 600, rng.randint(0, 1000)])), rng.choice(COUNTS))
                        for _ in range(rng.choice([0, 0, 1, 2])))
        day = DAY + timedelta(days=rng.randint(-3, 3)) if rng.random() < 0.85 else None
        refers = rng.randint(1, n) if rng.random() < 0.2 else None
        facts.append(cls(k, k // 10, k % 10, rng.choice(SIDES), rng.choice(STANCES), rng.random() < 0.8, numbers,
                         day, refers))
    return facts


def test_keyed_disputes_mark_what_comparing_every_pair_marks():
    rng = random.Random(17)
    for size in [1, 2, 3, 5, 8, 13, 40, 120] * 25:
        facts = random_facts(rng, size)
        assert disputes(facts) == pairwise(facts)


class Counted(ClaimFacts):
    """Claim facts that count every read of their fields: the work disputes does, without a clock."""

    __slots__ = ()
    reads = 0

    def __getattribute__(self, name):
        Counted.reads += 1
        return super().__getattribute__(name)


def reads_for(n: int) -> int:
    Counted.reads = 0
    facts = random_facts(random.Random(n), n, Counted)
    disputes(facts)
    return Counted.reads


def test_disputes_of_twice_the_claims_read_about_twice_as_much():
    small, large = reads_for(400), reads_for(800)
    assert large <= 2.3 * small, (small, large)  # comparing every pair: four times as much


# --- an article joining an item: statements and session state --------------------------------

def reading(story: int, n: int, undated: tuple[str, ...] = ("report",)) -> dict:
    """A reading of ten claims of one story (its own place), figures and days as war news has them."""
    rng = random.Random(n)
    claims = []
    for k in range(10):
        side = rng.choice(SIDES)
        spoken = side != "outlet"
        stance = rng.choice(STANCES)
        shift = rng.choice([-2, -1, 0, 0, 1, None])
        if shift is None and (stance not in undated or k % 2):
            shift = 0  # no day: by default only a report without figures (other claims would meet everything)
        day = DAY + timedelta(days=shift) if shift is not None else None
        claims.append({
            "speaker": {"text": "the spokesman", "start": 0, "end": 13} if spoken else None, "actor": "x", "side": side,
            "cue": {"text": "said", "start": 14, "end": 18} if spoken else None, "stance": stance,
            "content": {"text": "words", "start": 19, "end": 24},
            "numbers": [{"value": float(rng.choice([12, 40, 300])), "counts": rng.choice(COUNTS)}] if k % 2 else [],
            "places": [f"town{story}"], "event_date": day.isoformat() if day else None, "dated": day is not None,
            "refers_to": rng.randrange(k) if k and rng.random() < 0.3 else None, "carried": False})
    if n % 3 == 0:  # a side's word on a later day nobody else speaks of: unverified
        claims.append({**claims[0], "speaker": {"text": "the ministry", "start": 0, "end": 12}, "side": "RU",
                       "stance": "assert", "numbers": [], "refers_to": None,
                       "event_date": (DAY + timedelta(days=5)).isoformat()})
    return {"places": [{"slug": f"town{story}", "region": None, "as_actor_only": False, "weight": 4}],
            "claims": claims, "date_mentions": [], "actors": [], "concepts": []}


def add_articles(engine, story: int, count: int) -> list[int]:
    """Stored, unread articles of one story: the same words but for a few of their own."""
    feed_id = add_feed(engine, f"https://example.test/story{story}.xml")
    when = datetime(2023, 3, 14, 9, tzinfo=UTC)
    words = [f"{chr(97 + k % 26)}{chr(97 + k // 26 % 26)}story{chr(97 + story)}" for k in range(200)]  # no digits: they are no words
    rows = [{"feed_id": feed_id, "identity": f"s{story}-{n}", "content_hash": f"h{story}-{n}",
             "title": f"Report {story}", "summary": "", "text": " ".join(words[:-3] + [f"own{n}", f"x{n}", f"y{n}"]),
             "language": "en", "published_at": when + timedelta(minutes=n), "fetched_at": when + timedelta(minutes=n)}
            for n in range(count)]
    with session_scope(engine) as session:
        return queries.insert_articles(session, rows)


def join_counted(engine, stage: ReadAndGroup, story: int, size: int,
                 undated: tuple[str, ...] = ("report",)) -> tuple[list[str], int, int]:
    """Group `size` articles of a story into one item, then one more: the statements that last one
    sent, the claims its session held, and the size of the item it joined."""
    ids = add_articles(engine, story, size + 1)
    for n, article_id in enumerate(ids[:-1]):
        with session_scope(engine) as session:
            stage._one(session, session.get(Article, article_id), reading(story, n, undated))
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(" ".join(statement.split()[:3]).upper())

    with session_scope(engine) as session:
        article = session.get(Article, ids[-1])
        event.listen(engine, "before_cursor_execute", record)
        try:
            stage._one(session, article, reading(story, 999, undated))  # the same claims, whatever the size
            session.flush()
        finally:
            event.remove(engine, "before_cursor_execute", record)
        held = sum(isinstance(o, Claim) for o in session.identity_map.values())
        session.expire(article)  # grouping writes through the tables: the session's copy is not kept in step
        item = session.get(Item, session.get(Article, ids[-1]).item_id)
        return [s for s in seen if not s.startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))], held, item.article_count


def test_an_article_joining_an_item_of_50_sends_the_statements_it_sends_joining_an_item_of_2(engine, cache_dir):
    stage = ReadAndGroup(engine, cache_dir)
    small, held_small, joined_small = join_counted(engine, stage, 1, 2)
    large, held_large, joined_large = join_counted(engine, stage, 2, 50)
    assert (joined_small, joined_large) == (3, 51)
    writes = "UPDATE CLAIM SET"
    # The same statements, in the same order, none reading the item's claims: the joining article's
    # are marked before they are stored (against the marks the item keeps, bot.items.marks)...
    assert [s for s in large if s != writes] == [s for s in small if s != writes], (small, large)
    assert not any(s.startswith("SELECT CLAIM.") for s in large), large
    # ...and the stored claims whose marks they change are written in one statement, never per claim.
    assert large.count(writes) <= 1 and small.count(writes) <= 1, (small, large)
    # The session never built (nor checked UPDATEs against) the item's claims.
    assert held_small == held_large == 0


def marks_of_items(engine) -> tuple[dict, dict, dict]:
    """Per item: the stored marks, the marks comparing every pair gives, and whether it is disputed."""
    stored, expected, disputed = {}, {}, {}
    with session_scope(engine) as session:
        claims = list(session.exec(select(Claim).where(Claim.speaker.is_not(None))))
        for item_id in {c.item_id for c in claims}:
            mine = [c for c in claims if c.item_id == item_id]
            at = {(c.article_id, c.position): c.id for c in mine}
            facts = [ClaimFacts(c.id, c.article_id, c.position, c.side, c.stance, True,
                                tuple((n["value"], n["counts"]) for n in c.numbers), c.event_date,
                                at.get((c.article_id, c.refers_to)) if c.refers_to is not None else None) for c in mine]
            stored[item_id] = {c.id: (c.disputed, c.unverified) for c in mine}
            expected[item_id] = pairwise(facts)
            disputed[item_id] = session.get(Item, item_id).disputed
    return stored, expected, disputed


def test_marks_kept_as_the_item_grows_are_those_of_the_whole_item(engine, cache_dir):
    stage = ReadAndGroup(engine, cache_dir)
    join_counted(engine, stage, 3, 30)
    join_counted(engine, stage, 4, 30, undated=STANCES)  # claims of every stance without a day too
    stored, expected, disputed = marks_of_items(engine)
    assert len(stored) == 2 and stored == expected
    assert disputed == {i: any(d for d, _ in marks.values()) for i, marks in expected.items()} and all(disputed.values())
    flags = [f for marks in expected.values() for f in marks.values()]
    assert any(u for _, u in flags) and any(not d and not u for d, u in flags)
