"""Evaluation of grouping on the labelled set data/eval_grouping.txt: every article is ingested into
a fresh SQLite database in publication order, read and grouped; items are compared with the labels."""

from __future__ import annotations

import itertools
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from bot.ingest.feeds import FeedSpec
from bot.ingest.identity import content_hash, digest
from storage import queries
from storage.db import make_engine, migrate, session_scope

DATA = Path(str(resources.files("bot") / "data" / "eval_grouping.txt"))


@dataclass(frozen=True, slots=True)
class Labelled:
    """One article of the set, with the event its authors say it reports."""

    event: str
    language: str
    published: datetime
    outlet: str
    title: str
    text: str


def load_set(path: Path = DATA) -> list[Labelled]:
    """Every article, syndicated copies expanded (one per outlet)."""
    articles, event = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("@"):
            event = line[1:].split("|")[0].strip()
        elif line[:4] in ("nl |", "en |"):
            lang, when, outlets, title, text = (part.strip() for part in line.split(" | ", 4))
            published = datetime.fromisoformat(when).replace(tzinfo=UTC)
            articles += [Labelled(event, lang, published, o.strip(), title, text) for o in outlets.split(";")]
    return articles


def pairwise(truth: list[str], found: list[int]) -> tuple[float, float, float]:
    """Precision, recall and F1 over all pairs of articles put (or labelled) together."""
    same_truth = same_found = both = 0
    for i, j in itertools.combinations(range(len(truth)), 2):
        t, f = truth[i] == truth[j], found[i] == found[j]
        same_truth += t
        same_found += f
        both += t and f
    precision = both / same_found if same_found else 1.0
    recall = both / same_truth if same_truth else 1.0
    return precision, recall, _f1(precision, recall)


def bcubed(truth: list[str], found: list[int]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 (averaged per article)."""
    by_truth, by_found = Counter(truth), Counter(found)
    pairs = Counter(zip(truth, found))
    precision = sum(pairs[(t, f)] / by_found[f] for t, f in zip(truth, found)) / len(truth)
    recall = sum(pairs[(t, f)] / by_truth[t] for t, f in zip(truth, found)) / len(truth)
    return precision, recall, _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def cross_language_recall(articles: list[Labelled], found: list[int]) -> float:
    """Of the pairs of one event in two languages, the share put in one item."""
    pairs = [(i, j) for i, j in itertools.combinations(range(len(articles)), 2)
             if articles[i].event == articles[j].event and articles[i].language != articles[j].language]
    return sum(found[i] == found[j] for i, j in pairs) / len(pairs) if pairs else 1.0


def group_set(articles: list[Labelled], cache_dir: str, database_url: str | None = None) -> list[int]:
    """Ingest, read and group the articles; the item id each one ends up in, in input order."""
    from bot.items.stages import ReadAndGroup

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(database_url or f"sqlite:///{tmp}/grouping.db")
        migrate(engine)
        ids = store_labelled(engine, articles)
        order = sorted(range(len(articles)), key=lambda k: (articles[k].published, k))
        stage = ReadAndGroup(engine, cache_dir)
        stage.process([ids[k] for k in order])
        with session_scope(engine) as session:
            items = queries.item_of_articles(session)
        engine.dispose()
    return [items[ids[k]] for k in range(len(articles))]


def store_labelled(engine, articles: list[Labelled]) -> list[int]:
    """Store labelled articles as if ingested, one sample feed per outlet; returns their ids."""
    with session_scope(engine) as session:
        feeds = {o: queries.upsert_feed(session, FeedSpec(url=f"sample://{o}", name=f"{o} (sample)"),
                                        datetime.now(UTC)).id for o in sorted({a.outlet for a in articles})}
        rows = []
        for n, a in enumerate(articles):
            link = f"https://{a.outlet.lower().replace(' ', '')}.sample.invalid/{n}"
            rows.append({"feed_id": feeds[a.outlet], "identity": "u" + digest(link), "url": link, "link": link,
                         "guid": None, "content_hash": content_hash(a.title, a.text), "title": a.title,
                         "summary": a.text, "text": a.text, "author": None, "language": a.language,
                         "published_at": a.published, "fetched_at": a.published})
        return queries.insert_articles(session, rows)


def evaluate_grouping(cache_dir: str) -> dict:
    """Figures for the labelled set."""
    articles = load_set()
    found = group_set(articles, cache_dir)
    truth = [a.event for a in articles]
    p, r, f = pairwise(truth, found)
    bp, br, bf = bcubed(truth, found)
    members = defaultdict(set)
    for t, item in zip(truth, found):
        members[item].add(t)
    return {"articles": len(articles), "events": len(set(truth)), "items": len(set(found)),
            "pairwise_precision": p, "pairwise_recall": r, "pairwise_f1": f,
            "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf,
            "cross_language_recall": cross_language_recall(articles, found),
            "mixed_items": sum(len(events) > 1 for events in members.values())}
