"""Assemble a JSONL grouping corpus from a label file (bot/items/data/README.md) and the corpora it
names: nl-news-2022 (records keyed by id), rss-2023-war (feed items keyed by link) and "examples"
(plain-text files named by id). Feed HTML is cleaned as ingest cleans it; nothing is invented: a
label whose record cannot be found is reported, not skipped in silence."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from bot.cli.groupeval import CorpusError, Labelled
from bot.ingest.clean import html_to_text, inline_text
from bot.ingest.language import normalize_code

NL_NEWS, RSS, EXAMPLES = "nl-news-2022", "rss-2023-war", "examples"
# Feeds that declare a language their items are not in (their channel says en-US; the items are Polish).
HOST_LANGUAGE = {"businessinsider.com.pl": "pl"}
_DAY_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def load_labels(path: Path) -> list[dict]:
    """The label rows, one JSON object a line."""
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise CorpusError(f"cannot read labels {path}: {exc}") from None


def _records(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _nl_news(row: dict, record: dict) -> Labelled:
    published = datetime.fromisoformat(record["date"]).replace(tzinfo=UTC)
    return Labelled(row["event"], "nl", published, record["outlet"], inline_text(record["title"]),
                    html_to_text(record.get("text") or ""), row["id"], record.get("url") or row.get("url", ""), NL_NEWS)


def _rss(row: dict, record: dict) -> Labelled:
    host = urlparse(record["source"]).hostname or record["source"]
    language = HOST_LANGUAGE.get(host) or normalize_code(record.get("language")) or "en"
    published = datetime.fromisoformat(record["date_published"])
    published = published if published.tzinfo else published.replace(tzinfo=UTC)
    return Labelled(row["event"], language, published.astimezone(UTC), host, inline_text(record["title"]),
                    html_to_text(record.get("description") or ""), row["id"], record["link"], RSS)


def _example(row: dict, folder: Path) -> Labelled:
    path = folder / row["id"]
    text = html_to_text(path.read_text(encoding="utf-8"))
    day = _DAY_IN_NAME.search(row["id"])
    if not day:
        raise CorpusError(f"example {row['id']}: no date in its name")
    published = datetime.fromisoformat(day.group(1)).replace(tzinfo=UTC)
    return Labelled(row["event"], "nl", published, "example", inline_text(text, 120), text, row["id"],
                    row.get("url") or "", EXAMPLES)


def build(labels: list[dict], corpora: Path, examples: Path | None = None) -> list[Labelled]:
    """One Labelled per label row, in label order; a missing record is an error."""
    wanted = {(r["corpus"], r["id"]) for r in labels}
    found: dict[tuple[str, str], Labelled] = {}
    by_row = {(r["corpus"], r["id"]): r for r in labels}
    if any(c == NL_NEWS for c, _ in wanted):
        for record in _records(corpora / NL_NEWS / "articles.jsonl.gz"):
            if (NL_NEWS, record["id"]) in wanted:
                found[(NL_NEWS, record["id"])] = _nl_news(by_row[(NL_NEWS, record["id"])], record)
    if any(c == RSS for c, _ in wanted):
        for record in _records(corpora / RSS / "entries.jsonl.gz"):
            key = (RSS, record.get("link"))
            if key in wanted and key not in found:
                found[key] = _rss(by_row[key], record)
    for key in wanted:
        if key[0] == EXAMPLES:
            if examples is None:
                raise CorpusError("the labels name examples: give --examples")
            found[key] = _example(by_row[key], examples)
    missing = sorted(wanted - set(found))
    if missing:
        raise CorpusError(f"{len(missing)} labelled records not found, e.g. {missing[:3]}")
    return [found[(r["corpus"], r["id"])] for r in labels]
