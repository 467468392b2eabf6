"""Fuzzing the feed side: feedparser's own test corpus and hostile feeds generated with hypothesis,
through parse and clean, and through a whole ingest over loopback. Every feed ends with an outcome
(stored, a warning, or a typed refusal), never a traceback; in a feed with one bad entry every good
entry is stored. Bounded in examples and in time. `make soak` runs it large (bench/soak.py), the
suite small (tests/test_fuzz_feeds.py)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tarfile
import time
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from importlib import metadata
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.ingest.clean import html_to_text, inline_text
from bot.ingest.parse import ParseError, parse_feed
from bot.ingest.pipeline import IngestConfig, Ingestor
from tests.factories import item
from tests.helpers import add_feed, articles_of

# What one entry can hold that a parser may choke on: references to no character, entities, dates
# past the ends of the calendar, controls, direction marks, markup written as text.
BAD_REFERENCES = ["&#55357;&#56832;", "&#56832;&#55357;", "&#xD800;", "&#xDFFF;", "&#x110000;", "&#" + "9" * 22 + ";",
                  "&#x" + "F" * 70 + ";", "&#0;", "&#x1F;", "&#xFFFE;", "&#;", "&#x;", "&nbsp;", "&bogus;",
                  "&amp;#55357;&amp;#56832;", "&amp;#x110000;", "&amp;#" + "1" * 30 + ";"]
BAD_DATES = ["9999-12-31T23:59:59-05:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "10000-01-01",
             "2023-02-30T25:61:61Z", "Fri, 31 Dec 9999 23:59:59 -1200", "Mon, 01 Jan 0001 00:00:00 +1400",
             "yesterday", "9" * 30, "-0001-01-01", "2023-01-08T10:00:00+99:99", ""]
MARKUP = ["<script>alert(1)</script>", "<b>", "</p>", "<!--", "<![CDATA[", "]]>", "<" * 30, "<div>" * 300,
          "\u202e", "\u2066", "\x0b", "\x7f", "javascript:alert(1)", "<a href='javascript:x'>x</a>"]
CHARS = st.characters(codec="utf-8", exclude_characters="\x00")  # a NUL is refused by the server side
FRAGMENT = st.lists(st.one_of(st.text(CHARS, max_size=60), st.sampled_from(BAD_REFERENCES), st.sampled_from(MARKUP)),
                    max_size=6).map("".join)
WRAPS = [("utf-8", "application/rss+xml"), ("utf-8", "text/xml"), ("utf-8", "text/plain"), ("utf-16", "text/xml"),
         ("utf-32", "text/plain"), ("utf-8-sig", "text/xml"), ("latin-1", "application/rss+xml; charset=utf-8")]


def _escaped(text: str) -> str:
    # Markup is escaped (it is text for XML); references stay raw, as broken CMSes write them.
    out = escape(text, quote=False)
    for reference in BAD_REFERENCES:
        out = out.replace(escape(reference, quote=False), reference)
    return out


@st.composite
def bad_entries(draw) -> str:
    """One RSS item with hostile text, date and link, well-formed as XML apart from its references."""
    title, text = _escaped(draw(FRAGMENT)), _escaped(draw(FRAGMENT))
    date = escape(draw(st.one_of(st.sampled_from(BAD_DATES), st.text(CHARS, max_size=30))))
    link = escape(draw(st.one_of(st.sampled_from(["javascript:alert(1)", "https://", "http://[::1", "\u202e"]),
                                 st.text(CHARS, max_size=80).map(lambda s: "https://example.test/?" + s))))
    return (f"<item><title>{title}</title><description>{text}</description><pubDate>{date}</pubDate>"
            f"<link>{link}</link><guid>fuzz-bad</guid></item>")


@dataclass
class Feed:
    """A generated feed: body, headers, and the guids of its good entries."""

    body: bytes
    headers: dict[str, str]
    good: list[str] = field(default_factory=list)


def _encode(document: str, encoding: str) -> bytes:
    if encoding in ("utf-16", "utf-32"):  # with a byte order mark, as Python writes them
        return document.replace('encoding="utf-8"', f'encoding="{encoding}"').encode(encoding)
    return document.encode(encoding, errors="xmlcharrefreplace")


@st.composite
def one_bad_entry_feeds(draw) -> Feed:
    """Good entries around one hostile entry, in one of several encodings and content types."""
    goods = [item(n) for n in range(draw(st.integers(1, 4)))]
    entries = list(goods)
    entries.insert(draw(st.integers(0, len(goods))), draw(bad_entries()))
    encoding, kind = draw(st.sampled_from(WRAPS))
    document = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Fuzz</title>'
                f"<link>https://example.test/</link>{''.join(entries)}</channel></rss>")
    return Feed(_encode(document, encoding), {"content-type": kind}, [f"test-guid-{n}" for n in range(len(goods))])


@st.composite
def hostile_documents(draw) -> Feed:
    """Whole documents a parser may choke on: broken structure, declarations, cut-offs, noise."""
    feed = draw(one_bad_entry_feeds())
    body = feed.body
    damage = draw(st.sampled_from(["none", "cut", "doctype", "comment", "noise", "nest", "bytes"]))
    if damage == "cut":
        body = body[: draw(st.integers(0, len(body)))]
    elif damage == "doctype":
        subset = draw(st.sampled_from(['<!ENTITY a "b">', '<!ATTLIST x y CDATA "]"><!ENTITY a "b">',
                                       '<!ELEMENT rss ANY>', '<!ENTITY % p "x">']))
        body = body.replace(b"<rss", b"<!DOCTYPE rss [" + subset.encode() + b"]><rss", 1)
    elif damage == "comment":
        body = body.replace(b"<rss", b"<!--" + b"c" * draw(st.integers(0, 70_000)) + b"--><rss", 1)
    elif damage == "noise":
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.binary(max_size=40)) + body[at:]
    elif damage == "nest":
        body = body.replace(b"<title>Fuzz</title>", b"<x>" * 5000 + b"</x>" * 5000, 1)
    elif damage == "bytes":
        body = draw(st.binary(max_size=300))
    return Feed(body, feed.headers)


def outcome_of(feed: Feed) -> tuple[str, list[str]]:
    """Parse a feed: its outcome ("ok", "warning" or a ParseError kind) and the guids read.
    Anything else raised is a finding and propagates."""
    try:
        parsed = parse_feed(feed.body, feed.headers, base_url="https://example.test/feed")
    except ParseError as refused:
        return refused.kind, []
    return ("warning" if parsed.warnings else "ok"), [a.guid for a in parsed.articles]


def _bounded(examples: int) -> settings:
    # Bounded by the number of examples; no example database, so a run leaves nothing behind.
    return settings(max_examples=examples, deadline=None, database=None,
                    phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))


def fuzz_parse(examples: int, seconds: float) -> Counter:
    """Hypothesis over parse and clean, each run bounded by examples, none started after the time
    budget; returns the outcomes seen. Raises on any finding, with its example."""
    outcomes: Counter = Counter()
    ends = time.monotonic() + seconds

    @_bounded(examples)
    @given(feed=one_bad_entry_feeds())
    def one_bad_entry(feed: Feed) -> None:
        kind, guids = outcome_of(feed)
        assert kind in ("ok", "warning") and set(feed.good) <= set(guids), (kind, guids, feed)
        outcomes["one bad entry: all good stored"] += 1

    @_bounded(examples)
    @given(feed=hostile_documents())
    def hostile_document(feed: Feed) -> None:
        outcomes[f"document: {outcome_of(feed)[0]}"] += 1

    @_bounded(examples)
    @given(html=st.one_of(FRAGMENT, st.text(CHARS, max_size=400)))
    def clean(html: str) -> None:
        for text in (html_to_text(html), inline_text(html, 50)):
            assert isinstance(text, str) and not any("\ud800" <= c <= "\udfff" for c in text)
        outcomes["clean: text"] += 1

    for run in (one_bad_entry, hostile_document, clean):
        if time.monotonic() < ends:
            run()
    return outcomes


def corpus_files(cache: Path, download: bool = True) -> list[Path]:
    """feedparser's own test feeds, from its source distribution (fetched once into cache with pip,
    never committed); [] when it is not there and pip may not or cannot get it."""
    version = metadata.version("feedparser")
    root = cache / f"feedparser-{version}"
    if not root.exists():
        if not download:
            return []
        cache.mkdir(parents=True, exist_ok=True)
        got = subprocess.run([sys.executable, "-m", "pip", "download", f"feedparser=={version}", "--no-deps",
                              "--no-binary", ":all:", "-d", str(cache), "-q"], capture_output=True, timeout=300)
        archive = cache / f"feedparser-{version}.tar.gz"
        if got.returncode != 0 or not archive.exists():
            return []
        with tarfile.open(archive) as tar:
            tar.extractall(cache, members=[m for m in tar.getmembers() if m.name.startswith(f"{root.name}/tests/")],
                           filter="data")
    return sorted(p for p in (root / "tests").rglob("*") if p.is_file() and p.suffix in (".xml", ".rdf", ".atom", ".gz"))


def fuzz_corpus(files: list[Path], seconds: float) -> Counter:
    """Every corpus file through parse (as application/xml); returns the outcomes. Raises on a finding."""
    outcomes: Counter = Counter()
    ends = time.monotonic() + seconds
    for path in files:
        if time.monotonic() > ends:
            outcomes["not reached (time)"] += 1
            continue
        outcomes[outcome_of(Feed(path.read_bytes(), {"content-type": "application/xml"}))[0]] += 1
    return outcomes


def fuzz_ingest(engine, server, config: IngestConfig, examples: int) -> Counter:
    """Feeds with one bad entry through a real ingest over loopback: every good entry is stored,
    every feed gets a recorded outcome, none an internal error."""
    outcomes: Counter = Counter()
    numbers = iter(range(10**9))

    @_bounded(examples)
    @given(feed=one_bad_entry_feeds())
    def one(feed: Feed) -> None:
        url = server.route(f"/fuzz{next(numbers)}", feed.body, headers=dict(feed.headers))
        add_feed(engine, url)
        (report,) = asyncio.run(Ingestor(engine, config).run_once([url]))
        stored = {a.guid for a in articles_of(engine, url)}
        assert not (report.message or "").startswith("internal error"), report.message
        assert set(feed.good) <= stored, (report.status, report.message, sorted(stored))
        outcomes[report.status] += 1

    one()
    return outcomes


def soak_scenario(url: str, cache: Path, examples: int, seconds: float):
    """`make soak`: the corpus, then generated feeds through parse, clean and a PostgreSQL ingest."""
    from storage.db import make_engine
    from tests.feedserver import FeedServer
    from tests.soak import Outcome
    from bot.ingest.fetch import FetchLimits

    started = time.monotonic()
    files = corpus_files(cache)
    engine, server = make_engine(url), FeedServer().start()
    outcomes: Counter = Counter()
    finding = None
    try:
        outcomes += fuzz_corpus(files, seconds / 3)
        outcomes += fuzz_parse(examples, seconds / 3)
        outcomes += fuzz_ingest(engine, server, IngestConfig(limits=FetchLimits(timeout=2, allow_private=True)),
                                max(10, examples // 10))
    except Exception as exc:  # a finding: printed with its example, counted as lost
        finding = f"{type(exc).__name__}: {str(exc)[:2000]}"
        print("fuzz finding:", finding)
    finally:
        server.stop()
        engine.dispose()
    load = f"{len(files)} corpus files, {examples} generated x 3, {max(10, examples // 10)} ingested"
    faults = ", ".join(f"{n} {kind}" for kind, n in outcomes.most_common(4))
    return Outcome("fuzz: corpus + hostile feeds", load, faults[:44], int(finding is not None), 0,
                   time.monotonic() - started)
