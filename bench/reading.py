"""Reading benchmark: the whole reading pipeline over 600-word articles, on one core.

Prints articles/s and words/s per language, and the ratio to a floor run in the same process: the
blank tokenizer and spaCy's rule-based sentencizer alone (must be at most 5x; aim 2.5x), in wall-clock
seconds and in this process's CPU seconds (steadier on a shared machine). Then the
cost per word of documents of 1,000, 4,000 and 12,000 words, the same number of words at each size,
beside the floor's (reading must be linear: per word at 12k within 1.2x of 1k). Also prints the gazetteer's
load time from its compiled file (aim: under 2 s) and the process's peak memory (aim: under 250 MB).
Articles are stitched from the project's own evaluation sentences, every one of them a claim: the
hardest case for the claim component. With `--corpus DIR` (the folder holding polnear-train/ and
nl-news-2022/), the same ratio is printed on real articles too, read from the corpus at run time.
Run: .venv/bin/python bench/reading.py [--corpus ../shared/corpora]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.nlp import gazetteer  # noqa: E402
from bot.nlp.evaluate import load_items  # noqa: E402
from bot.nlp.pipeline import build  # noqa: E402

ARTICLES, WORDS, ROUNDS = 150, 600, 3
LENGTHS, LENGTH_WORDS = (1000, 4000, 12000), 24000  # document sizes; words read at each size


def articles(lang: str, count: int = ARTICLES, size: int = WORDS, paragraphs: float = 0.0) -> list[str]:
    """`count` texts of about `size` words, from the labelled sentences of the language; with
    `paragraphs`, that share of sentences ends a paragraph (a long text has many)."""
    rng = random.Random(3)
    sentences = [item.text for item in load_items(lang)]
    texts = []
    for _ in range(count):
        parts, words = [], 0
        while words < size:
            sentence = rng.choice(sentences)
            parts.append(sentence + ("\n\n" if rng.random() < paragraphs else " "))
            words += len(sentence.split())
        texts.append("".join(parts).strip())
    return texts


def real_articles(corpora: Path, lang: str, count: int = ARTICLES) -> list[str]:
    """The first `count` real articles of a language: PolNeAR's texts in English, the Dutch war
    articles with a full text (over 200 words) in Dutch."""
    if lang == "en":
        return [p.read_text(encoding="utf-8") for p in sorted((corpora / "polnear-train" / "text").glob("*.txt"))[:count]]
    texts = []
    with gzip.open(corpora / "nl-news-2022" / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line).get("text") or ""
            if len(text.split()) > 200:
                texts.append(text)
            if len(texts) == count:
                break
    return texts


def _dated(nlp, text: str):
    doc = nlp.make_doc(text)
    doc._.published = date(2023, 1, 8)
    return doc


def timed(nlp, texts: list[str]) -> float:
    """Best of ROUNDS: seconds to run nlp over every text, published dates set."""
    return timed_both(nlp, texts)[0]


def timed_both(nlp, texts: list[str]) -> tuple[float, float]:
    """Best of ROUNDS of wall-clock and of this process's CPU seconds (the CPU figure holds on a
    machine shared with other work, where the wall clock counts the waits for a core)."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(ROUNDS):
        started, cpu = time.perf_counter(), time.process_time()
        for _doc in nlp.pipe((_dated(nlp, text) for text in texts), batch_size=32):
            pass
        best, best_cpu = min(best, time.perf_counter() - started), min(best_cpu, time.process_time() - cpu)
    return best, best_cpu


def lengths(lang: str, floor, full) -> None:
    """Per-word cost at each document size, the pipeline's and the floor's, and their growth."""
    per_word = {}
    for size in LENGTHS:
        texts = articles(lang, LENGTH_WORDS // size, size, paragraphs=0.25)
        words = sum(len(t.split()) for t in texts)
        floor_s, full_s = timed(floor, texts), timed(full, texts)
        per_word[size] = full_s / words
        print(f"  {lang} documents of {size:>6,} words ({len(texts)} of them): pipeline {full_s / words * 1e6:6.1f} us/word, "
              f"floor {floor_s / words * 1e6:5.1f} us/word, ratio {full_s / floor_s:.2f}x")
    first, last = LENGTHS[0], LENGTHS[-1]
    print(f"  {lang} per-word cost at {last:,} words / at {first:,}: {per_word[last] / per_word[first]:.2f} (must be <= 1.2)")


def ratio(label: str, texts: list[str], floor, full) -> None:
    """The floor's and the pipeline's time over the texts, side by side."""
    words = sum(len(t.split()) for t in texts)
    (floor_s, floor_cpu), (full_s, full_cpu) = timed_both(floor, texts), timed_both(full, texts)
    print(f"{label}: {len(texts)} articles, {words} words; floor {floor_s:.2f} s; "
          f"pipeline {full_s:.2f} s = {len(texts) / full_s:.0f} articles/s, {words / full_s:,.0f} words/s; "
          f"ratio {full_s / floor_s:.2f}x (must be <= 5x; aim <= 2.5x); "
          f"CPU: floor {floor_cpu:.2f} s, pipeline {full_cpu:.2f} s, ratio {full_cpu / floor_cpu:.2f}x")


def main() -> None:
    """Measure load, floor and full pipeline; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="also measure real articles from this folder of corpora")
    corpora = parser.parse_args().corpus
    with tempfile.TemporaryDirectory() as cache:
        # Compiling happens once per machine, in its own process here, so that this process's
        # peak memory is what a bot that starts from the compiled file uses.
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"from pathlib import Path; from bot.nlp.gazetteer import load; load(Path({cache!r}))"],
                       check=True, cwd=Path(__file__).resolve().parent.parent)
        compiled = time.perf_counter() - started
        started = time.perf_counter()
        gazetteer.shared(cache)
        loaded = time.perf_counter() - started
        print(f"gazetteer: compiled once (another process) in {compiled:.2f} s; "
              f"loaded from its file in {loaded:.3f} s (aim < 2 s)")
        for lang in ("nl", "en"):
            floor = spacy.blank(lang)
            floor.add_pipe("sentencizer")  # spaCy's own rule-based splitter: a floor independent of ours
            full = build(lang, cache)
            ratio(f"{lang} (our claim sentences)", articles(lang), floor, full)
            if corpora:
                ratio(f"{lang} (real articles)", real_articles(corpora, lang), floor, full)
            lengths(lang, floor, full)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB (aim < 250 MB)")


if __name__ == "__main__":
    main()
