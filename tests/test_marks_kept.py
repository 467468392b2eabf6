"""The marks an item keeps of its claims (bot.items.marks), article after article, give every claim
the marks that deciding the whole item at once gives (bot.items.disputes), and stay small as the
item grows: figures are let go once their range is too wide to matter, settled claims leave the open
list. Counted and compared, never timed (issue 17)."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from bot.items import marks as kept
from bot.items.disputes import ClaimFacts, disputes

DAY = date(2023, 3, 14)
SIDES = ("RU", "UA", "other", "outlet")
STANCES = ("assert", "report", "deny", "confirm")
COUNTS = ("killed", "wounded", "drones")


def article(rng: random.Random, article_id: int, size: int, values: list[float]) -> list[ClaimFacts]:
    """An article's attributed claims (ids: positions); a denial may answer a claim of its own article."""
    facts = []
    for position in range(size):
        numbers = tuple((float(rng.choice(values)), rng.choice(COUNTS)) for _ in range(rng.choice([0, 0, 1, 2])))
        day = DAY + timedelta(days=rng.randint(-2, 2)) if rng.random() < 0.85 else None
        refers = rng.randrange(position) if position and rng.random() < 0.2 else None
        facts.append(ClaimFacts(position, article_id, position, rng.choice(SIDES), rng.choice(STANCES), True,
                                numbers, day, refers))
    return facts


def whole(articles: list[list[ClaimFacts]]) -> dict[tuple[int, int], tuple[bool, bool]]:
    """Every claim's marks decided from all of them at once, by (article, position)."""
    ids = {(c.article_id, c.position): n for n, c in enumerate(c for facts in articles for c in facts)}
    facts = [ClaimFacts(ids[c.article_id, c.position], c.article_id, c.position, c.side, c.stance, True, c.numbers,
                        c.event_date, ids[c.article_id, c.refers_to] if c.refers_to is not None else None)
             for facts in articles for c in facts]
    flags = disputes(facts)
    return {(c.article_id, c.position): flags[c.id] for c in facts}


def grown(articles: list[list[ClaimFacts]]) -> tuple[dict[tuple[int, int], tuple[bool, bool]], list[dict]]:
    """The marks stored article after article as grouping stores them (kept as JSON between articles),
    and the kept marks after each article."""
    stored: dict[tuple[int, int], tuple[bool, bool]] = {}
    marks, history = None, []
    for facts in articles:
        if marks is None:
            flags = disputes(facts)
            marks = kept.remember(None, facts, flags)
        else:
            flags, flips, marks = kept.joining(marks, facts)
            assert all(key in stored and stored[key] != flip for key, flip in flips.items())  # only real changes
            stored.update(flips)
        stored.update({(c.article_id, c.position): flags[c.id] for c in facts})
        marks = json.loads(json.dumps(marks))  # what the item's row gives back
        history.append(marks)
    return stored, history


def test_marks_kept_article_after_article_are_those_of_the_whole_item():
    rng = random.Random(17)
    close = [5, 9, 10, 11, 89, 90, 95, 100, 104, 600, 640]  # figures that agree, and ones that do not
    for case in range(150):
        values = close + [rng.randint(0, 1000) for _ in range(3)]
        articles = [article(rng, a, rng.randint(1, 8), values) for a in range(rng.randint(2, 12))]
        stored, _ = grown(articles)
        assert stored == whole(articles), case


def test_a_joining_article_changes_stored_claims_it_answers():
    denied = [ClaimFacts(0, 1, 0, "RU", "assert", True, ((89.0, "killed"),), DAY, None)]
    stored, history = grown([denied, [ClaimFacts(0, 2, 0, "UA", "deny", True, (), DAY, None)]])
    assert stored == {(1, 0): (True, False), (2, 0): (True, False)} and history[-1]["open"] == []
    backed = [ClaimFacts(0, 2, 0, "other", "report", True, ((89.0, "killed"),), DAY + timedelta(days=1), None)]
    stored, history = grown([denied, backed])
    assert stored == {(1, 0): (False, False), (2, 0): (False, False)}  # the same figure a day later corroborates
    assert [e[:2] for e in history[0]["open"]] == [[1, 0]] and history[0]["open"][0][6] is True


def test_figures_whose_range_is_too_wide_to_matter_are_let_go():
    rng = random.Random(3)
    articles = [[ClaimFacts(k, a, k, side, "assert", True, ((float(rng.randint(2, 5000)), "killed"),), DAY, None)
                 for k, side in enumerate(("RU", "UA", "RU", "UA"))] for a in range(60)]
    stored, history = grown(articles)
    assert stored == whole(articles)
    sizes = [len(json.dumps(m)) for m in history]
    assert sizes[-1] <= sizes[4], sizes  # 240 figures later, no larger than after 20
    assert len(history[-1]["exact"]) <= 4 and history[-1]["open"] == []


def test_figures_that_could_still_agree_are_kept():
    assert kept.narrow(90.0, 110.0)  # 100 agrees with both
    assert kept.narrow(0.0, 0.2) and kept.narrow(-5.0, -4.0) and not kept.narrow(0.0, 1.0)  # 0.1; -4.5; none
    assert not kept.narrow(89.0, 400.0) and not kept.narrow(10.0, 30.0)
    rng = random.Random(5)
    for _ in range(5000):  # wherever a figure agrees with both ends, the range is narrow
        low = rng.uniform(-50, 3000)
        high = low + rng.uniform(0, 0.3) * max(abs(low), 1.0)
        middle = rng.uniform(low, high)
        agrees = all(abs(middle - end) <= 0.1 * max(abs(middle), abs(end), 1.0) for end in (low, high))
        assert kept.narrow(low, high) or not agrees, (low, high, middle)


def test_settled_claims_leave_the_open_list():
    said = [[ClaimFacts(k, a, k, "RU", "assert", True, (), DAY, None) for k in range(5)] for a in range(10)]
    _, history = grown(said)
    assert len(history[-1]["open"]) == 50  # nobody answered: each can still be denied
    _, history = grown(said + [[ClaimFacts(0, 10, 0, "UA", "deny", True, (), None, None)]])
    assert history[-1]["open"] == [] and len(json.dumps(history[-1])) < len(json.dumps(history[-2]))


def test_a_figure_inside_a_range_others_could_agree_with_still_corroborates():
    def said(article_id: int, side: str, value: float) -> list[ClaimFacts]:
        return [ClaimFacts(0, article_id, 0, side, "assert", True, ((value, "killed"),), DAY, None)]

    articles = [said(1, "RU", 90.0), said(2, "RU", 100.0), said(3, "RU", 95.0), said(4, "UA", 95.0)]
    stored, history = grown(articles)
    assert stored == whole(articles) and stored[4, 0] == (False, False)  # 95 agrees with 90 and 100, and RU gave 95
    assert [95.0, "killed", DAY.isoformat(), "RU"] in history[2]["exact"]
