"""Speakers as entities within one article: a short or generic speaker ("Stojanova", "het ministerie",
"de adviseur") stands for the fuller one named before it ("Alla Stojanova, de directeur …", "het
Russische ministerie van Defensie"), whose actor and side it takes. A name no list knows takes the
side its first mention is described with ("de Oekraïense ambassadeur Vasyl Bodnar").

Rejected: guessing a side from the spelling of a name (transliterations do not tell Kyiv from
Moscow), and taking the side of the article's main actor (live blogs quote both sides)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from bot.nlp.docindex import derived
from bot.nlp.model import Claim

WINDOW = 6  # tokens before a first mention that may describe it ("de Russische gouverneur …")


def _head(span: Span) -> str:
    """The last word of a speaker phrase: a surname, or a noun such as "ministerie"."""
    words = span.doc._.words
    return next((words.lower[i] for i in range(span.end - 1, span.start - 1, -1) if words.alpha[i]), "")


def earlier_speaker(doc: Doc, claims: list[Claim], speaker: Span) -> Claim | None:
    """The latest earlier claim whose named speaker this one's last word repeats, with a side."""
    head = _head(speaker)
    if len(head) < 4:
        return None
    lower = doc._.words.lower  # plain lists: cheaper than Span and Token objects in this loop
    for claim in reversed(claims):
        if claim.speaker is None or claim.side == "other" and claim.actor == "unknown":
            continue
        start, end = claim.speaker
        if start != speaker.start and head in lower[start:end]:
            return claim
    return None


def earlier_actor(doc: Doc, speaker: Span) -> tuple[str, str] | None:
    """The actor and side of the latest known body or person named before the speaker whose name holds
    its last word ("het Russische ministerie van Defensie" … "het ministerie")."""
    head = _head(speaker)
    if len(head) < 4:
        return None
    for mention in reversed(_sided_actors(doc).get(head, ())):
        if mention.end <= speaker.start:
            return mention.actor, mention.side
    return None


def _sided_actors(doc: Doc) -> dict[str, list]:
    """The actor mentions of a side by each word they hold, in text order (made once per doc, so that
    a speaker is looked up by its last word, not against every actor the text names)."""
    def build(actors: list) -> dict[str, list]:
        lower, by_word = doc._.words.lower, {}
        for mention in actors:
            if mention.side in ("RU", "UA"):
                for word in dict.fromkeys(lower[mention.start : mention.end]):
                    by_word.setdefault(word, []).append(mention)
        return by_word

    return derived(doc, "actors", "sided_by_word", build)


def described_side(doc: Doc, speaker: Span, sides: dict[str, str]) -> str | None:
    """The side the first mention of the speaker's last word is described with, if any."""
    head = _head(speaker)
    if len(head) < 4 or not speaker[-1].text[:1].isupper():
        return None
    words = doc._.words.lower
    first = words.index(head, 0, speaker.end) if head in words[: speaker.end] else None
    if first is None:
        return None
    sentence = doc._.sentences[doc._.sentence_of[first]]
    start = max(sentence.start, first - WINDOW)
    found = {sides[w] for w in words[start : first + 1] if w in sides}
    for mention in doc._.actors:  # "Poetin-adviseur X", "het Kremlin-gezinde X"
        if start <= mention.start < first and mention.side in ("RU", "UA"):
            found.add(mention.side)
    return found.pop() if len(found) == 1 else None
