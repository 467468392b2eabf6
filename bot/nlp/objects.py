"""What a cue's content is when the cue carries its own object, in languages whose cues split around it
(Dutch): the particle that opens the object ("spreekt … van een blokkade"), an object pointing back at
what is answered ("Kiev spreekt dat tegen"), a statement between a cue and its speaker ("aldus een
verklaring van het ministerie"), and a circumstance after a participle ("…, heeft X gezegd bij een
bezoek"). Every rule is off where the lexicon has no entries for it (English), but one for every
language: a source set off by commas after a clause of its own ("…, according to X, who …")."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from bot.nlp.cues import Cue, CueFinder
from bot.nlp.lexicon import Lexicon
from bot.nlp.spans import QUOTES
from bot.nlp.speakers import Speakers

ASIDE_WORDS = 4  # words a clause before "…, according to X, …" needs to be the statement ("In addition," is none)


class CueObjects:
    """The objects of cues, for one language."""

    def __init__(self, words: Lexicon, cues: CueFinder, speakers: Speakers, back_objects: frozenset[str],
                 after_verb: bool) -> None:
        self.cues, self.speakers, self.back_objects, self.after_verb = cues, speakers, back_objects, after_verb
        self.statement_nouns = words.words("statement_nouns")  # "aldus een verklaring van X"
        self.particles = words.words("object_particles")  # "spreekt … van X": the content follows "van"
        self.pointer_enders = words.words("pointer_enders")  # "spreekt dat dus tegen": "dat" is an object

    def pointer(self, doc: Doc, start: int, limit: int) -> tuple[int, int] | None:
        """"Zjovska bestrijdt dat.", "X spreekt dat dus tegen", "X weersprak die claim later": an object
        pointing back at what is answered, not "dat" opening a clause ("ontkent dat er …"); that object is
        the content, as with "X heeft dat ontkend"."""
        for size in (2, 1) if self.pointer_enders else ():
            end = start + size
            # not "ontkent dat: de stad is niet gevallen", whose colon opens what is denied
            if end <= limit and " ".join(t.lower_ for t in doc[start:end]) in self.back_objects and (
                    end == limit or doc[end].is_punct and doc[end].text != ":" or doc[end].lower_ in self.pointer_enders):
                return start, end
        return None

    def circumstance(self, doc: Doc, start: int, limit: int) -> bool:
        """"…, heeft X gezegd bij een bezoek aan Kiev": only where or when it was said follows the verb (a
        preposition, and no clause, colon or quote after it)."""
        return (self.after_verb and start < limit and doc[start].lower_ in self.speakers.blockers
                and not any(t.lower_ in self.speakers.subordinators or t.text == ":" or t.text in QUOTES for t in doc[start:limit]))

    def statement_end(self, doc: Doc, start: int, limit: int) -> int:
        """"aldus een verklaring van het ministerie": where the speaker begins after the statement it made."""
        words = doc._.words.lower
        if start + 3 < limit and words[start] in self.speakers.determiners and words[start + 1] in self.statement_nouns \
                and words[start + 2] == "van":
            return start + 3
        return start

    def particle_object(self, doc: Doc, cue: Cue, limit: int) -> int | None:
        """"X spreekt tegenover staatsmedia van „…”": a separable cue whose particle opens its object; the
        content follows the particle, whatever stands before the speaker (a headline's other half, a clause
        before a colon). None in languages without such particles."""
        if doc[cue.end - 1].lower_ in self.particles and cue.end < limit:
            return cue.end  # "spreekt van", "maakte melding van"
        verb = doc[cue.start].lower_
        for particle in self.particles:
            if (verb, particle) in self.cues.separable:
                reach = int(self.cues.particle_reach.get(particle, 5))
                at = next((i for i in range(cue.end, min(limit, cue.end + reach + 1)) if doc[i].lower_ == particle), None)
                if at is not None and at + 1 < limit:
                    return at + 1
        return None

    def aside_source(self, doc: Doc, cue: Cue, speaker: Span, bound: int, limit: int) -> bool:
        """"Turnout fell by a third, according to X, who ran the poll.": a source set off by commas after a
        clause of its own, whatever describes it after its comma; not "But, according to X, turnout fell",
        whose opening words before the comma are no statement, nor "Over the long term, according to X, …"."""
        if cue.start - 1 <= bound or doc[cue.start - 1].text != "," or speaker.end >= limit - 1 or doc[speaker.end].text != ",":
            return False
        words = [t.lower_ for t in doc[bound : cue.start - 1] if t.is_alpha]
        adjunct = self.speakers.openers | self.speakers.blockers  # "Over the long term, …", "While …, …", "…, because, …"
        return len(words) >= ASIDE_WORDS and words[0] not in adjunct and words[-1] not in adjunct
