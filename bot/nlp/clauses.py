"""Dutch clause shapes around a cue, found on real war reports (issue 13, round three): an object
before a participle that is what a denial answers ("Kiev heeft dat ontkend"), a speaker before its
relative clause ("Guterres, die vrijdag in Istanbul was, veroordeelt …") and a short name before a colon
that opens a quote ("Orbán: ‘…’"). Each is switched on by entries of the language's lexicon."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from bot.nlp.lexicon import Lexicon
from bot.nlp.model import Claim
from bot.nlp.spans import QUOTES, SEPARATORS
from bot.nlp.speakers import Speakers


class Clauses:
    """Clause shapes for one language's words."""

    def __init__(self, words: Lexicon, speakers: Speakers) -> None:
        self.speakers = speakers
        self.back_objects = words.words("back_objects")  # "Kiev heeft dat ontkend": the object is what is denied
        self.auxiliaries = words.words("auxiliaries")
        self.determiners = words.words("determiners")
        self.relatives = words.words("relative_pronouns")  # "X, die …, zegt": the speaker before its relative clause
        self.colon_names = bool(words.raw.get("colon_names"))  # "Orbán: 'Europa …'"

    def object_before(self, doc: Doc, claim: Claim) -> tuple[int, int] | None:
        """"Kiev heeft dat ontkend.", "Het leger heeft de aanval op de haven bevestigd.": a denial or
        confirmation with nothing after its participle, whose object stands between the speaker (and the
        auxiliary) and the verb: that object is what it answers."""
        if claim.stance not in ("deny", "confirm") or claim.cue is None or claim.speaker is None:
            return None
        start, end = claim.content
        cue = claim.cue[0]
        if any(t.is_alpha for t in doc[start:end]) or claim.speaker[1] >= cue:
            return None
        first = claim.speaker[1]
        while first < cue and (doc[first].lower_ in self.auxiliaries or doc[first].is_punct):
            first += 1
        words = [t for t in doc[first:cue] if t.is_alpha]
        if not words or " ".join(t.lower_ for t in words[:2]) not in self.back_objects and doc[first].lower_ not in self.determiners:
            return None
        return first, cue

    def relative(self, doc: Doc, bound: int, comma: int, marks) -> Span | None:
        """The named speaker opening its clause before ", die …," that ends at this comma."""
        opening = next((i for i in range(comma - 1, max(bound, comma - 25) - 1, -1) if doc[i].text in (",", ";", ":")), None)
        if opening is None or opening + 1 >= comma or doc[opening + 1].lower_ not in self.relatives or doc[opening].text != ",":
            return None
        if any(t.text in QUOTES for t in doc[opening:comma]):
            return None
        speaker = self.speakers.before(doc, opening, bound, marks)
        if speaker is None or self.speakers.is_pronoun(speaker) or not self.speakers.named(doc, speaker, marks[0]):
            return None
        edge = speaker.start - 1
        return speaker if edge < bound or doc[edge].text in SEPARATORS or doc[edge].lower_ in self.speakers.openers else None

    def quoted_name(self, doc: Doc, speaker: Span, colon: int, index: int) -> bool:
        """"Orbán: 'Europa …'", "NYT: VS willen …": a short name no list knows before a colon that opens a
        quote, or an acronym heading the title; not a place ("Charkiv: drie doden")."""
        if len(speaker) > 3 or speaker.end != colon or not all(t.text[:1].isupper() for t in speaker if t.is_alpha):
            return False
        if any(p.start < speaker.end and speaker.start < p.end and not p.as_actor for p in doc._.places):
            return False
        after = next((t for t in doc[colon + 1 : colon + 3] if not t.is_space), None)
        quote = after is not None and (after.text in QUOTES or after.text.startswith(("&#8216", "&#8220")))
        return quote or index == 0 and len(speaker) == 1 and speaker[0].is_upper and len(speaker[0]) > 1
