"""Evaluation of grouping on a labelled set: our own (data/eval_grouping.txt) or any JSONL corpus (one
object a line: id, url, outlet, language, published, title, text, event). Every article is stored in a
fresh SQLite database as ingest would store it, then read and grouped in publication order by the
bot's own stage; items are compared with the labels, beside the score of leaving every article alone."""

from __future__ import annotations

import itertools
import json
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
    id: str = ""
    url: str = ""
    part: str = ""  # which corpus of a mixed set the article comes from, for per-part figures


class CorpusError(Exception):
    """A corpus line that cannot be used; the message names the line and the field."""


FIELDS = ("id", "outlet", "language", "published", "title", "text", "event")


def load_corpus(path: Path) -> list[Labelled]:
    """A JSONL grouping corpus; a bad line is reported with its number, nothing is guessed."""
    articles = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, 1):
        if line.strip():
            articles.append(_labelled(line, f"{path}:{number}"))
    if not articles:
        raise CorpusError(f"{path}: no articles")
    return articles


def _labelled(line: str, where: str) -> Labelled:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{where}: not JSON ({exc.msg})") from None
    missing = [f for f in FIELDS if not isinstance(row.get(f), str) or (f != "text" and not row[f].strip())]
    if missing:
        raise CorpusError(f"{where}: missing or empty: {', '.join(missing)}")
    try:
        published = datetime.fromisoformat(row["published"])
    except ValueError:
        raise CorpusError(f"{where}: published is not an ISO date: {row['published']!r}") from None
    published = published if published.tzinfo else published.replace(tzinfo=UTC)
    return Labelled(row["event"], row["language"], published.astimezone(UTC), row["outlet"], row["title"],
                    row["text"], row["id"], row.get("url") or "", row.get("part") or "")


def write_corpus(path: Path, articles: list[Labelled]) -> None:
    """Write a set in the JSONL corpus format."""
    with path.open("w", encoding="utf-8") as out:
        for a in articles:
            out.write(json.dumps({"id": a.id, "url": a.url, "outlet": a.outlet, "language": a.language,
                                  "published": a.published.isoformat(), "title": a.title, "text": a.text,
                                  "event": a.event, "part": a.part}, ensure_ascii=False) + "\n")


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
    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    same_truth, same_found, both = pairs(Counter(truth)), pairs(Counter(found)), pairs(Counter(zip(truth, found)))
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


def _cross_pairs(articles: list[Labelled]) -> list[tuple[int, int]]:
    by_event = defaultdict(list)
    for k, a in enumerate(articles):
        by_event[a.event].append(k)
    return [(i, j) for ks in by_event.values() for i, j in itertools.combinations(ks, 2)
            if articles[i].language != articles[j].language]


def cross_language_recall(articles: list[Labelled], found: list[int]) -> float:
    """Of the pairs of one event in two languages, the share put in one item."""
    pairs = _cross_pairs(articles)
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
            # The report's own link when the set has one: the bot sees it too (a live blog says so in it).
            link = a.url or f"https://{a.outlet.lower().replace(' ', '')}.sample.invalid/{n}"
            rows.append({"feed_id": feeds[a.outlet], "identity": "u" + digest(f"{n} {link}"), "url": link, "link": link,
                         "guid": None, "content_hash": content_hash(a.title, a.text), "title": a.title,
                         "summary": a.text, "text": a.text, "author": None, "language": a.language,
                         "published_at": a.published, "fetched_at": a.published})
        return queries.insert_articles(session, rows)


def figures(articles: list[Labelled], found: list[int]) -> dict:
    """Pairwise and BCubed figures, cross-language pair recall, and those of leaving every article alone."""
    truth = [a.event for a in articles]
    alone = list(range(len(articles)))
    members = defaultdict(set)
    for t, item in zip(truth, found):
        members[item].add(t)
    result = {"articles": len(articles), "events": len(set(truth)), "items": len(set(found)),
              "multi_events": sum(n > 1 for n in Counter(truth).values()),
              "mixed_items": sum(len(events) > 1 for events in members.values()),
              "cross_language_recall": cross_language_recall(articles, found),
              "cross_language_pairs": len(_cross_pairs(articles))}
    for prefix, grouping in (("", found), ("alone_", alone)):
        for name, measure in (("pairwise", pairwise), ("bcubed", bcubed)):
            p, r, f = measure(truth, grouping)
            result |= {f"{prefix}{name}_precision": p, f"{prefix}{name}_recall": r, f"{prefix}{name}_f1": f}
    return result


def figures_by_part(articles: list[Labelled], found: list[int]) -> dict[str, dict]:
    """The figures for the whole set and, when it mixes corpora, for each part."""
    result = {"all": figures(articles, found)}
    for part in sorted({a.part for a in articles if a.part}):
        kept = [k for k, a in enumerate(articles) if a.part == part]
        if len(kept) < len(articles):
            result[part] = figures([articles[k] for k in kept], [found[k] for k in kept])
    return result


def evaluate_grouping(cache_dir: str, articles: list[Labelled] | None = None) -> dict[str, dict]:
    """Figures for a labelled set (default: our own), whole and per part."""
    articles = articles if articles is not None else load_set()
    return figures_by_part(articles, group_set(articles, cache_dir))
