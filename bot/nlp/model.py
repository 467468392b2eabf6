"""What reading an article yields: plain dataclasses, set on the Doc by the components."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import add

from spacy.attrs import ORTH, SPACY


@dataclass(slots=True)
class PlaceMention:
    """A place named in the text (token offsets), resolved to a gazetteer slug."""

    start: int
    end: int
    text: str
    slug: str
    as_actor: bool = False  # "Kiev denies", "Russia captured …": the name stands for a government
    speaks: bool = False  # the name is a claim's speaker ("Kiev ontkent"), the narrower fact grouping weighs


@dataclass(slots=True)
class DateMention:
    """A date or period the text speaks of, resolved against the publication date."""

    start: int
    end: int
    text: str
    first: date
    last: date


@dataclass(slots=True)
class Quantity:
    """A number with what it counts ("at least 600 soldiers killed")."""

    start: int
    end: int
    text: str
    value: float | None
    counts: str
    who: str | None = None
    qualifier: str | None = None


@dataclass(slots=True)
class ActorMention:
    """A name of a known actor in the text."""

    start: int
    end: int
    text: str
    actor: str
    side: str


@dataclass(slots=True)
class Claim:
    """An attributed statement (or the outlet's own report) with everything tied to it."""

    sentence: int
    stance: str
    content: tuple[int, int]  # token offsets, as speaker and cue
    speaker: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None
    actor: str = "outlet"
    side: str = "other"
    numbers: list[Quantity] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    event_date: date | None = None
    dated: bool = False  # the event date comes from the text, not from the publication date
    refers_to: int | None = None
    carried: bool = False  # the speaker comes from an earlier sentence
    resolved: tuple[int, int] | None = None  # a pronoun speaker: the earlier speaker it stands for
    pronoun: bool = False  # the speaker as written is a pronoun ("he", "hij"); shown only when resolved
    war_words: bool = False  # the sentence holds words of war (a fact the relevance step weighs)
    relevant: bool = True  # set by the relevance step (bot.nlp.relevance), not by the finder


@dataclass(slots=True)
class Words:
    """Plain lists of token attributes, made once per doc: Python loops over them are many times
    cheaper than over spaCy Token objects, which are built anew on every access."""

    text: list[str]
    lower: list[str]
    ws: list[str]
    punct: list[bool]
    alpha: list[bool]
    starts: list[bool]
    cap: list[bool] = field(default_factory=list)  # capitalised(i) for every token
    space: list[bool] = field(default_factory=list)  # Token.is_space
    _whole: str | None = None

    @classmethod
    def of(cls, doc, starts: Iterable[int], known: dict | None = None) -> "Words":
        """The lists for a doc whose sentence starts are known; `known` caches what a lexeme gives
        (its text, lower case, punctuation, letters, capital, white space) across documents, by its orth id."""
        text, lower, punct, alpha, cap, space = columns(doc, {} if known is None else known)
        flags = [False] * len(text)
        for i in starts:
            flags[i] = True
        return cls(text, lower, list(map(WHITESPACE.__getitem__, doc.to_array(SPACY).tolist())), punct, alpha, flags, cap, space)

    def whole(self) -> str:
        """The document's text (Doc.text joins Token objects anew on every access), joined once."""
        if self._whole is None:
            self._whole = "".join(map(add, self.text, self.ws))  # no Python step per token
        return self._whole

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens start..end, as written."""
        return "".join(map(add, self.text[start : end - 1], self.ws[start : end - 1])) + self.text[end - 1]

    def capitalised(self, i: int) -> bool:
        """A word that starts with a capital (names, also "Ivano-Frankivsk", "Kyiv's")."""
        return self.cap[i]


def text_of(doc) -> str:
    """The doc's text, joined once per doc when the sentence step made its word lists."""
    words = doc._.words
    return doc.text if words is None else words.whole()


WHITESPACE = ("", " ")  # Token.whitespace_ by its SPACY flag
KNOWN_LEXEMES = 200_000  # a cache of lexeme facts is cleared past this size (a vocabulary only grows)


def _capitalised(text: str, alpha: bool) -> bool:
    return text[:1].isupper() and (alpha or "-" in text or "'" in text or "’" in text)


def columns(doc, known: dict) -> tuple[list[str], list[str], list[bool], list[bool], list[bool], list[bool]]:
    """Per token: text, lower case, is_punct, is_alpha, capitalised, is_space; from the orth ids of one
    to_array call and the lexeme facts in `known` (filled as new lexemes come)."""
    if len(known) > KNOWN_LEXEMES:
        known.clear()
    orths = doc.to_array(ORTH).tolist()
    for orth in set(orths).difference(known):
        lexeme = doc.vocab[orth]
        known[orth] = (lexeme.orth_, lexeme.lower_, lexeme.is_punct, lexeme.is_alpha, _capitalised(lexeme.orth_, lexeme.is_alpha),
                       lexeme.is_space)
    facts = list(map(known.__getitem__, orths))  # no Python loop per token
    if not facts:
        return [], [], [], [], [], []
    return tuple(list(column) for column in zip(*facts))  # type: ignore[return-value]
