"""What the words around a name say about it, as the geoparsers of the news do it (JRC NewsExplorer:
person-name and common-word clues before any look-up; CLAVIN and Mordecai: the kind and country that
the context implies). Pure functions over a doc's token lists (bot.nlp.model.Words), read from
data/place_context.toml once per language.

Designs rejected: a longer list of words never to look up (it grows with every article and still
misses the next name); a threshold on spelling closeness (English words sit as close to Ukrainian
names as Dutch transliterations do: "Email"/Izmail scores like "Lysytsjansk"/Lysychansk).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import and_, or_

from bot.nlp import translit
from bot.nlp.lexicon import DATA
from bot.nlp.model import Words

FILE = DATA / "place_context.toml"
NAME_RUN = 3  # a person's name has at most this many capitalised words after a first name or title


@dataclass(frozen=True, slots=True)
class Context:
    """The clue words of one language."""

    fuzzy: bool
    genitive_s: bool
    articles: frozenset[str]
    article_needs_lowercase: bool
    titles: frozenset[str]
    first_names: frozenset[str]
    org_after: frozenset[str]
    org_before: frozenset[str]
    facility_after: frozenset[str]
    city_before: frozenset[str]
    city_after: frozenset[str]
    city_suffix: str
    point_before: frozenset[str]
    settlement_before: frozenset[str]
    oblast_after: frozenset[str]
    oblast_before: frozenset[str]
    river_after: frozenset[str]
    list_words: frozenset[str]
    compound_oblast: frozenset[str]
    compound_river: frozenset[str]
    river_of: dict[str, str]
    oblast_first: frozenset[str]


@lru_cache(maxsize=8)
def context(lang: str) -> Context:
    """The clues of a language (English ones for a language the file does not have)."""
    data = tomllib.loads(FILE.read_text(encoding="utf-8"))
    words = data.get(lang, data["en"])

    def group(key: str) -> frozenset[str]:
        return frozenset(words.get(key, ()))

    return Context(bool(words.get("fuzzy", True)), bool(words.get("genitive_s")), group("articles"),
                   bool(words.get("article_before_city_needs_lowercase_after")), group("titles"),
                   frozenset(translit.normal(n) for n in words.get("first_names", ())), group("org_after"),
                   group("org_before"), group("facility_after"), group("city_before"), group("city_after"),
                   str(words.get("city_suffix", "")), group("point_before"),
                   group("settlement_before"), group("oblast_after"), group("oblast_before"), group("river_after"),
                   group("list_words"), group("compound_oblast"), group("compound_river"), dict(data["river_of"]),
                   frozenset(data["oblast_first"]["cities"]))


def _before(words: Words, i: int, phrases: frozenset[str]) -> bool:
    """Whether the one or two words before token i are one of the phrases."""
    one = words.lower[i - 1] if i >= 1 else ""
    two = f"{words.lower[i - 2]} {one}" if i >= 2 else ""
    return one in phrases or two in phrases


def _after(words: Words, end: int, options: frozenset[str]) -> bool:
    return end < len(words.text) and words.lower[end] in options


def person_tokens(words: Words, ctx: Context, known: Callable[[str], bool]) -> set[int]:
    """Tokens of people's names: the capitalised words after a title ("Gen. Mark Milley", "president Petro
    Kotin"), and a first name with the capitalised words after it ("Sergei Aksyonov", "Yuri Borisov").
    After a title, a name every reader knows as a place (known: "Ukraine", "Donetsk") is no name
    ("Gouverneur Donetsk"); after a first name it is ("George Washington")."""
    named: set[int] = set()
    titles = ctx.titles
    # A title, or a first name written with a capital, opens a name; no other token needs the questions
    # below. Which words are titles and first names is asked once per spelling, and the openers picked out
    # without a Python step per token.
    title_words = {lower for lower in set(words.lower) if lower.rstrip(".") in titles}
    first_names = {lower for lower in set(compress(words.lower, words.cap)) if translit.normal(lower) in ctx.first_names}
    firsts = list(map(and_, words.cap, map(first_names.__contains__, words.lower)))
    for i in compress(range(len(words.lower)), map(or_, firsts, map(title_words.__contains__, words.lower))):
        first = firsts[i]
        j = i + 1
        while j < len(words.text) and j <= i + NAME_RUN and words.text[j] == ".":
            j += 1  # "Gen." is tokenised as "Gen" "." in some languages
        run = [k for k in range(j, min(j + NAME_RUN, len(words.text)))
               if words.capitalised(k) and (first or not known(words.text[k]))]
        run = [k for n, k in enumerate(run) if k == j + n]  # consecutive only
        if run:
            named.update(run + ([i] if first else []))
    return named


def body_not_place(words: Words, start: int, end: int, ctx: Context, kind: str) -> bool:
    """Whether the name is part of a body's name, not a place: "The Washington Post", "Shakhtar Donetsk",
    "the Moskva" (a ship: a city after an article with a name or nothing after it)."""
    if _after(words, end, ctx.org_after) or (start and words.lower[start - 1] in ctx.org_before):
        return True
    if end + 1 < len(words.text) and words.text[end].isdigit() and _after(words, end + 1, ctx.org_after):
        return True  # "Crimea 24 TV"
    if kind != "city" or not start or words.lower[start - 1] not in ctx.articles:
        return False
    if _after(words, end, ctx.facility_after):
        return False  # "the Kerch Bridge", "the Zaporizhzhia nuclear plant": the place it is named after
    if not ctx.article_needs_lowercase:
        return True
    if end < len(words.text) and words.lower[end] in ctx.list_words:
        return False  # "the Kherson, Zaporizhzhia and Donetsk regions"
    return end >= len(words.text) or not words.lower[end][:1].isalpha() or words.capitalised(end)


def after_article(words: Words, start: int, ctx: Context) -> bool:
    """Whether an article stands before the name, an adjective between or not ("the Dnipro", "de brede Dnepr")."""
    if start > 0 and words.lower[start - 1] in ctx.articles:
        return True
    return start > 1 and words.lower[start - 2] in ctx.articles and words.text[start - 1].islower()


def kind_cue(words: Words, start: int, end: int, ctx: Context) -> str | None:
    """Which kind of place the words around say the name is: "city", "oblast", "river" or None."""
    if _after(words, end, ctx.city_after) and _after(words, end + 1, frozenset({"of"})):
        return "oblast"  # "the nearby Donetsk city of Soledar": a city of the region
    if _before(words, start, ctx.city_before) or _after(words, end, ctx.city_after):
        return "city"
    if ctx.city_suffix and start and words.lower[start - 1].endswith(ctx.city_suffix):
        return "city"
    if _after(words, end, ctx.river_after) or (start > 1 and words.lower[start - 2] in ctx.river_after):
        return "river"
    if _before(words, start, ctx.oblast_before) or _after(words, end, ctx.oblast_after):
        return "oblast"
    return None


def point_before(words: Words, start: int, ctx: Context) -> bool:
    """Whether a word for a point stands before the name ("near Donetsk", "nabij Donetsk")."""
    return _before(words, start, ctx.point_before)


def settlement_before(words: Words, start: int, ctx: Context) -> bool:
    """Whether a word for a settlement stands before the name ("het dorp Pisky", "the village of Bar")."""
    return _before(words, start, ctx.settlement_before) or (
        start > 1 and words.lower[start - 1] == "of" and words.lower[start - 2] in ctx.settlement_before)


def compound(text: str, ctx: Context) -> tuple[str, str | None] | None:
    """A Dutch compound's place and the kind its head says: "Donbas-regio" → ("Donbas", "oblast")."""
    name, dash, head = text.rpartition("-")
    if not dash or not name or not head.isalpha() or not head.islower() or not name[:1].isupper() or name.isupper():
        return None  # "LPR-strijdkrachten": an abbreviation names a body
    if head in ctx.compound_oblast:
        return name, "region"  # the region itself, or none we hold ("Nikopol-regio" is a district)
    return name, "river" if head in ctx.compound_river else None


def _joined(words: Words, end: int, start: int, ctx: Context) -> bool:
    """Whether list words join two mentions; one capitalised word between may be a name not read
    ("Kherson, Dnipropertrovsk and Donetsk regions")."""
    between = range(end, start)
    if not between or len(between) > 3 or not any(words.lower[k] in ctx.list_words for k in between):
        return False
    others = [k for k in between if words.lower[k] not in ctx.list_words]
    return len(others) <= 1 and all(words.capitalised(k) for k in others)


def lists(words: Words, spans: list[tuple[int, int]], ctx: Context) -> list[list[int]]:
    """Runs of mentions joined by list words ("Donetsk, Luhansk and Kherson"), as indexes into spans."""
    runs: list[list[int]] = []
    for n, (start, _) in enumerate(spans):
        if runs and _joined(words, spans[runs[-1][-1]][1], start, ctx):
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs
