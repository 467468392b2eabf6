"""Reading costs that must stay linear in the length of a document (issue 17): each test counts work
(Python calls, made with sys.setprofile), never time. The components used to scan the whole document
for every sentence and claim (places, actors, quantities, dates and phrase matches), to score each
ambiguous place against every place mention of the text, and to re-split the whole text for every
unpunctuated paragraph."""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date

import pytest

from bot.nlp.docindex import Index
from bot.nlp.pipeline import build

# Our own sentences, in the shapes war news has: attributed claims with figures, places and days,
# denials, reports without a speaker, a headline without a full stop.
PARAGRAPHS = {
    "en": [
        "Ukraine's military said 14 soldiers were killed near Bakhmut on Monday.",
        "The Russian defence ministry denied the report and said its forces had captured two villages.",
        "Shelling hit Kherson overnight, the regional governor said, and three civilians were wounded.",
        "According to Kyiv, 40 drones were shot down over Odesa on Sunday",
        "\"We will hold the line,\" the commander told reporters in Kramatorsk.",
        "Moscow has not commented on the strike on Melitopol.",
        "Fighting went on in Pisky and Vasylivka, the general staff said.",
    ],
    "nl": [
        "Het Oekraïense leger meldt dat maandag bij Bachmoet 14 soldaten zijn gedood.",
        "Het Russische ministerie van Defensie ontkent dat en zegt dat twee dorpen zijn ingenomen.",
        "Volgens de gouverneur raakten zondag bij beschietingen in Cherson drie burgers gewond.",
        "Kiev: 40 drones neergeschoten boven Odesa",
        "Moskou heeft nog niet gereageerd op de aanval op Melitopol.",
        "Volgens de generale staf werd in Pisky en Vasylivka gevochten.",
    ],
}


def text_of(lang: str, sentences: int) -> str:
    """A document of that many sentences, paragraphs of two or three."""
    rng = random.Random(sentences)
    pool, parts = PARAGRAPHS[lang], []
    for k in range(sentences):
        parts.append(pool[k % len(pool)] + ("\n\n" if rng.random() < 0.4 else " "))
    return "".join(parts).strip()


def calls(run) -> Counter:
    """The Python function calls (and resumptions) `run()` makes, by module file and function."""
    seen: Counter = Counter()

    def count(frame, event, arg) -> None:
        if event == "call":
            seen[frame.f_code.co_filename.rsplit("/", 1)[-1], frame.f_code.co_name] += 1
        elif event == "c_call":
            seen["<c>", getattr(arg, "__name__", "?")] += 1

    sys.setprofile(count)
    try:
        run()
    finally:
        sys.setprofile(None)
    return seen


def read_counted(lang: str, sentences: int, cache_dir: str) -> Counter:
    nlp = build(lang, cache_dir)
    doc = nlp.make_doc(text_of(lang, sentences))
    doc._.published = date(2023, 3, 14)
    return calls(lambda: nlp(doc))


def ours(counts: Counter, modules: tuple[str, ...] | None = None) -> int:
    """The calls made in the project's reading modules (or in those named)."""
    return sum(n for (module, _), n in counts.items() if module.endswith(".py") and
               (modules is None or module in modules) and not module.startswith(("language", "util")))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_reading_twice_the_sentences_makes_about_twice_the_calls(lang, cache_dir):
    build(lang, cache_dir)(text_of(lang, 10))  # tables built and caches warm before counting
    small, large = read_counted(lang, 300, cache_dir), read_counted(lang, 600, cache_dir)
    assert ours(large) <= 2.2 * ours(small), (ours(small), ours(large))
    # The finder of claims, and what it asks of the rest per sentence and claim, on their own.
    claims = ("claims.py", "claimstate.py", "cues.py", "speakers.py", "spans.py", "antecedents.py", "docindex.py")
    assert ours(large, claims) <= 2.2 * ours(small, claims), (ours(small, claims), ours(large, claims))


def test_each_place_distance_is_worked_out_once_per_text(cache_dir):
    small, large = read_counted("en", 300, cache_dir), read_counted("en", 600, cache_dir)
    # The same places named twice as often: the distances between them are the same ones.
    assert 0 < large["places.py", "_km"] == small["places.py", "_km"]


def test_a_text_is_split_into_words_once_for_its_pull_quotes(cache_dir):
    from bot.nlp.boilerplate import Boilerplate

    def word(k: int) -> str:
        return chr(97 + k % 26) + chr(97 + k // 26 % 26) + "ville"

    def headlines(n: int) -> str:  # unpunctuated lines, none repeating another: each compared with all
        return "\n\n".join(f"Convoys seen leaving {word(3 * k)} {word(3 * k + 1)} {word(3 * k + 2)}" if k % 2 else
                           f"Officials said the shelling of {word(3 * k)} went on for hours." for k in range(n))

    nlp = build("en", cache_dir)
    marker = Boilerplate("en")
    counts = {}
    for n in (40, 80):
        doc = nlp.get_pipe("fb_sentences")(nlp.make_doc(headlines(n)))
        counts[n] = calls(lambda: marker(doc))["<c>", "findall"]
        assert not doc._.furniture
    assert counts[80] <= 2.2 * counts[40], counts


@dataclass
class Mention:
    start: int
    end: int


def test_the_index_answers_as_a_scan_of_the_whole_list_would():
    rng = random.Random(4)
    for _ in range(200):
        items = [Mention(s, s + rng.randint(1, 4)) for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 30)))]
        if rng.random() < 0.5:
            items.sort(key=lambda m: m.start)
        index = Index(items)
        for _ in range(20):
            a = rng.randint(0, 64)
            b = a + rng.randint(0, 10)
            assert index.starting(a, b) == [m for m in items if a <= m.start < b]
            assert index.inside(a, b) == [m for m in items if a <= m.start and m.end <= b]
            assert index.covering(a) == [m for m in items if m.start <= a < m.end]
