"""Token facts the claim component asks of every word, as plain per-document lists: the lexeme flags
model.Words does not hold (like_num, is_stop, is_upper, is_lower) and sentence ends. A loop over these
lists costs a fraction of one over spaCy Token objects, which are built anew on every access."""

from __future__ import annotations

from operator import add

from spacy.attrs import IS_LOWER, IS_STOP, IS_UPPER, LIKE_NUM
from spacy.tokens import Doc

from bot.nlp.model import Words

KEY = "fb_facts"  # the key of a doc's facts in Doc.user_data


def _extension(name: str) -> tuple:
    """Where doc._.<name> keeps its value in Doc.user_data (read directly: no Underscore object per call)."""
    return ("._.", name, None, None)


WORDS = _extension("words")


class Facts:
    """Per token of one doc: like_num, is_stop, is_upper, is_lower, and whether it ends its sentence."""

    __slots__ = ("like_num", "stop", "upper", "lower_case", "sent_end")

    def __init__(self, doc: Doc, words: Words) -> None:
        if len(doc):  # one to_array call: spaCy reads the lexemes' flags in C
            flags = doc.to_array([LIKE_NUM, IS_STOP, IS_UPPER, IS_LOWER]).T.astype(bool).tolist()
            self.like_num, self.stop, self.upper, self.lower_case = flags
        else:
            self.like_num, self.stop, self.upper, self.lower_case = [], [], [], []
        starts = words.starts
        self.sent_end = starts[1:] + [True] if starts else []  # Token.is_sent_end: the next token starts one


def words_of(doc: Doc) -> Words:
    """doc._.words, read without building an Underscore object."""
    return doc.user_data[WORDS]


def facts(doc: Doc) -> Facts:
    """The doc's facts, made on first use (after the sentence step has set its word lists)."""
    data = doc.user_data
    found = data.get(KEY)
    if found is None:
        found = data[KEY] = Facts(doc, data[WORDS])
    return found


def bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The token range doc[start:end] covers (negative offsets from the end, clipped), as spaCy reads a slice."""
    size = len(words_of(doc).text)
    start = start + size if start < 0 else start
    start = min(size, max(0, start))
    end = end + size if end < 0 else end
    return start, min(size, max(start, end))


def text_between(doc: Doc, start: int, end: int) -> str:
    """doc[start:end].text, joined from the plain lists (no Span, no Token objects)."""
    words = doc.user_data[WORDS]
    if not 0 <= start < end <= len(words.text):
        start, end = bounds(doc, start, end)
        if start >= end:
            return ""
    last = end - 1
    return "".join(map(add, words.text[start:last], words.ws[start:last])) + words.text[last]


def ext(doc: Doc, name: str):
    """doc._.<name> (None when unset), read without building an Underscore object."""
    return doc.user_data.get(("._.", name, None, None))  # _extension(name), built inline: asked tens of times per sentence
