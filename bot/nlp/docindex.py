"""Per-document indexes of the mentions reading sets on a Doc (places, actors, dates, quantities),
built once per list and asked by token range with bisect: a question about one sentence, speaker or
claim costs what it finds, not the length of the document. Answers are in the list's own order."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from operator import attrgetter

from spacy.tokens import Doc

from bot.nlp.tokenfacts import ext, words_of


INDEXES = "fb_index"  # the key of a doc's indexes in Doc.user_data
NOTHING: list = []  # what an unset list is indexed as (never changed)


class Index:
    """Mentions (by default anything with .start and .end token offsets) sorted by where they start."""

    __slots__ = ("items", "size", "order", "starts", "ends", "end", "longest", "in_order")

    def __init__(self, items: list, start: Callable = attrgetter("start"), end: Callable = attrgetter("end")) -> None:
        self.items, self.size, self.end = items, len(items), end
        self.order = sorted(range(len(items)), key=lambda k: start(items[k]))
        self.starts = [start(items[k]) for k in self.order]
        self.ends = [end(items[k]) for k in self.order]  # mentions' offsets are never changed once listed
        self.longest = max((end(m) - start(m) for m in items), default=0)
        self.in_order = self.order == list(range(len(items)))

    def _pick(self, lo: int, hi: int) -> list:
        if self.in_order:  # the usual case: mentions are listed in text order
            return self.items[lo:hi]
        return [self.items[k] for k in sorted(self.order[lo:hi])]

    def starting(self, start: int, end: int) -> list:
        """The mentions that start at a token in start..end-1."""
        return self._pick(bisect_left(self.starts, start), bisect_left(self.starts, end))

    def inside(self, start: int, end: int) -> list:
        """The mentions that lie wholly within tokens start..end-1."""
        lo, hi = bisect_left(self.starts, start), bisect_right(self.starts, end)
        if lo >= hi:
            return []
        if self.in_order:  # the ends read from their list, not asked of each mention
            return [m for m, last in zip(self.items[lo:hi], self.ends[lo:hi]) if last <= end]
        return [m for m in self._pick(lo, hi) if self.end(m) <= end]

    def covering(self, i: int) -> list:
        """The mentions that hold token i."""
        lo = bisect_left(self.starts, i - self.longest + 1)
        return [m for m in self._pick(lo, bisect_right(self.starts, i)) if i < self.end(m)]


def indexed(doc: Doc, name: str) -> Index:
    """The index of doc._.<name>, built on first use and again whenever that list is replaced or grows."""
    return derived(doc, name, "index", Index)


def derived(doc: Doc, name: str, kind: str, build: Callable[[list], object]):
    """build(doc._.<name>), made once per doc under `kind` and again whenever that list is replaced or grows.
    Kept in Doc.user_data under its own key: the claim step asks this several times per sentence."""
    data = doc.user_data
    items = ext(doc, name)
    if items is None:
        items = NOTHING  # one empty list for every unset name: a new one each call would rebuild each time
    key = (INDEXES, name, kind)
    found = data.get(key)
    if found is None or found[0] is not items or found[1] != len(items):
        found = data[key] = (items, len(items), build(items))
    return found[2]


def blank_sentences(doc: Doc) -> list[bool]:
    """Per sentence of doc._.sentences, whether it is only white space (a paragraph break), worked
    out once per doc from the word lists rather than from each Span's text on every question."""
    text = words_of(doc).text
    return derived(doc, "sentences", "blank", lambda sentences: [not "".join(text[s.start : s.end]).strip() for s in sentences])
