"""Speakers as entities within one article: a short or generic speaker ("Stojanova", "het ministerie",
"de adviseur") stands for the fuller one named before it ("Alla Stojanova, de directeur …", "het
Russische ministerie van Defensie"), whose actor and side it takes. A name no list knows takes the
side its first mention is described with ("de Oekraïense ambassadeur Vasyl Bodnar").

Rejected: guessing a side from the spelling of a name (transliterations do not tell Kyiv from
Moscow), and taking the side of the article's main actor (live blogs quote both sides)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from bot.nlp.model import Claim

WINDOW = 6  # tokens before a first mention that may describe it ("de Russische gouverneur …")


def _head(span: Span) -> str:
    """The last word of a speaker phrase: a surname, or a noun such as "ministerie"."""
    words = [t.lower_ for t in span if t.is_alpha]
    return words[-1] if words else ""


def earlier_speaker(doc: Doc, claims: list[Claim], speaker: Span) -> Claim | None:
    """The latest earlier claim whose named speaker this one's last word repeats, with a side."""
    head = _head(speaker)
    if len(head) < 4:
        return None
    for claim in reversed(claims):
        if claim.speaker is None or claim.side == "other" and claim.actor == "unknown":
            continue
        earlier = doc[claim.speaker[0] : claim.speaker[1]]
        if earlier.start != speaker.start and head in {t.lower_ for t in earlier}:
            return claim
    return None


def described_side(doc: Doc, speaker: Span, sides: dict[str, str]) -> str | None:
    """The side the first mention of the speaker's last word is described with, if any."""
    head = _head(speaker)
    if len(head) < 4 or not speaker[-1].text[:1].isupper():
        return None
    words = doc._.words.lower
    first = next((i for i in range(0, speaker.end) if words[i] == head), None)
    if first is None:
        return None
    sentence = doc._.sentences[doc._.sentence_of[first]]
    start = max(sentence.start, first - WINDOW)
    found = {sides[w] for w in words[start : first + 1] if w in sides}
    for mention in doc._.actors:  # "Poetin-adviseur X", "het Kremlin-gezinde X"
        if start <= mention.start < first and mention.side in ("RU", "UA"):
            found.add(mention.side)
    return found.pop() if len(found) == 1 else None
