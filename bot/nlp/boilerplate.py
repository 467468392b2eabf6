"""Page text around the article: paragraphs that are the page's furniture, not the article's, marked
before anything is read, whether the text came from a feed's content or from a fetched page.

A paragraph is furniture by its shape, never by its topic:
- it holds a phrase of navigation ("lees ook", "het liveblog van gisteren vind je hier", "read more",
  "sign up for our newsletter", cookie text): a teaser or link block;
- it ends in a photo credit ("… Foto Jan Jansen", "Photo: Reuters") with no full stop: a caption;
- it has no closing punctuation and repeats most words of a sentence elsewhere in the text: a pull quote;
- it ends in a colon with nothing of the article after it: the lead-in of a stripped video or link.
The first paragraph (the title) is never furniture. Rejected: cutting every line without a full stop
(live-blog entries open with headings such as "Kiev: …" that carry claims), and a learned classifier
(no labelled page layouts to train on)."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from bot.nlp.lexicon import lexicon
from bot.nlp.model import text_of

CLOSERS = frozenset(".!?…\"'”’»)")
PULL_QUOTE_SHARE = 0.8  # of another sentence's words a pull quote repeats
WORD = re.compile(r"\w+")


class Boilerplate:
    """Sets doc._.furniture: the indexes of the sentences that are page text."""

    def __init__(self, lang: str) -> None:
        words = lexicon(lang)
        phrases = sorted(words.words("page_furniture"), key=len, reverse=True)
        self.navigation = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)") if phrases else None
        self.credits = words.words("photo_credits")

    def __call__(self, doc: Doc) -> Doc:
        """Mark the sentences of furniture paragraphs."""
        text = text_of(doc)
        bounds = [(s.start_char, s.end_char) for s in doc._.sentences]
        paragraphs = _paragraphs(text, bounds)
        if len(paragraphs) <= 2:  # a body flattened to one line: its sentences are the units
            paragraphs = paragraphs[:1] + [(k, k + 1) for a, b in paragraphs[1:] for k in range(a, b)]
        texts = [text[bounds[a][0] : bounds[b - 1][1]].strip() for a, b in paragraphs]
        split = _Sentences(texts)
        marked = [k > 0 and self._furniture(text, split, k) for k, text in enumerate(texts)]
        for k in range(len(texts) - 1, 0, -1):  # "In deze video ziet u …:" with only furniture after it
            if texts[k].endswith(":") and marked[k + 1 :] and all(marked[k + 1 :]):
                marked[k] = True
        doc._.furniture = {i for (a, b), cut in zip(paragraphs, marked) if cut for i in range(a, b)}
        return doc

    def _furniture(self, text: str, texts: _Sentences, k: int) -> bool:
        lowered = text.lower()
        found = self.navigation.search(lowered) if self.navigation is not None else None
        if found is not None:
            colon = text.find(":", found.end())
            # "Lees er meer over in dit artikel: De burgemeester …": the article goes on after the link
            return colon < 0 or len(WORD.findall(text[colon:])) < 8
        if text and text[-1] not in CLOSERS:
            tail = [w.lower() for w in WORD.findall(text)[-5:]]
            if any(w in self.credits for w in tail[:-1]):
                return True  # "… Foto Emilie de Vries": a caption with its credit
            return _repeats(text, texts, k)
        return False


class _Sentences:
    """The words of each sentence of each paragraph, split once per text (not once per paragraph
    that asks), with the sentences short enough to be no match left out."""

    def __init__(self, texts: list[str]) -> None:
        self.texts, self._words = texts, None

    def words(self) -> list[list[list[str]]]:
        """Per paragraph, the word lists of its sentences of five words or more."""
        if self._words is None:
            split = ([WORD.findall(s.lower()) for s in re.split(r"(?<=[.!?])\s+", other)] for other in self.texts)
            self._words = [[w for w in sentences if len(w) >= 5] for sentences in split]
        return self._words


def _repeats(text: str, texts: _Sentences, k: int) -> bool:
    """Whether an unpunctuated paragraph repeats most words of a sentence of another paragraph."""
    words = set(WORD.findall(text.lower()))
    for j, sentences in enumerate(texts.words()):
        if j == k:
            continue
        for theirs in sentences:
            if sum(w in words for w in theirs) >= PULL_QUOTE_SHARE * len(theirs):
                return True
    return False


def _paragraphs(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of sentences between line breaks, as (first, last + 1) sentence indexes."""
    runs, start = [], 0
    for k in range(1, len(bounds)):
        if "\n" in text[bounds[k - 1][0] : bounds[k][0]]:
            runs.append((start, k))
            start = k
    if bounds:
        runs.append((start, len(bounds)))
    return runs


@Language.factory("fb_boilerplate")
def make_boilerplate(nlp: Language, name: str) -> Boilerplate:
    """Factory: the page-text marker for the pipeline's language."""
    return Boilerplate(nlp.lang)
