"""Claims whose speaker or content stands in another sentence than the cue's: "Dat meldt X" (the
sentence before), a relaying outlet ("…, meldt Reuters"), the headline "X: 'Y'", a quote or reported
speech carried on from the sentence before, "X said:" with the quote in the next paragraph, and
sentences of fact that become the outlet's own reports."""

from __future__ import annotations

from spacy.tokens import Doc

from bot.nlp.clauses import Clauses
from bot.nlp.cues import Cue, CueFinder
from bot.nlp.docindex import indexed
from bot.nlp.model import Claim
from bot.nlp.spans import QUOTES, SEPARATORS, sentence_before
from bot.nlp.speakers import Speakers


class Others:
    """The claim shapes that reach past the cue's own sentence, for one language."""

    def __init__(self, speakers: Speakers, cues: CueFinder, clauses: Clauses, relays: bool) -> None:
        self.speakers, self.cues, self.clauses, self.relays = speakers, cues, clauses, relays

    def following(self, doc: Doc, index: int) -> tuple[int, int] | None:
        """The next paragraph, when it holds what this sentence announces ("X said:" then the quote)."""
        sentences = doc._.sentences
        ahead = next((k for k in range(index + 1, min(index + 4, len(sentences)))
                      if any(t.is_alpha for t in sentences[k])), None)
        if ahead is None:
            return None
        last = next((t for t in reversed(sentences[index]) if not t.is_space), None)
        first = next((t for t in doc[sentences[index].end : sentences[ahead].end] if not t.is_space), None)
        if (last is not None and last.text == ":") or (first is not None and first.text in QUOTES):
            return ahead, sentences[index].end
        return None

    def back_reference(self, doc, sent, index, found, marks, state) -> list[Claim] | None:
        refs = [m for m in found.longest(sent, ("back_reference",)) if m[2] == sent.start]
        previous = state.last_sentence_span(index)
        if not refs or previous is None:
            return None
        cues = self.cues.cues(doc, sent, found)
        if not cues:
            return None
        # "Dat meldt het ministerie" has the speaker after the cue; "That is what X said", before.
        speaker = (self.speakers.after(doc, cues[0].end, sent.end, marks)
                   or self.speakers.before(doc, cues[0].start, sent.start + 1, marks))
        if speaker is None and cues[0].anchor is not None:  # "Dat heeft het ministerie zaterdag verklaard"
            speaker = self.speakers.after(doc, cues[0].anchor + 1, cues[0].start, marks)
        if speaker is None:
            return None
        state.drop_reports(index - 1)
        made = [state.claim(index - 1, cues[0], speaker, previous, self.speakers)]
        other = self.speakers.coordinated(doc, speaker, sent, sent.end, marks)  # "Dat meldt zowel X als Y"
        if other is not None:
            made.append(state.claim(index - 1, cues[0], other, previous, self.speakers))
        if self.relays:
            made += self.relayed(doc, sent, index, cues[1:], max(speaker.end, (other or speaker).end), marks, state)
        return made

    def relayed(self, doc, sent, index, cues, after, marks, state) -> list[Claim]:
        """"…, meldt Reuters", "… volgens persbureau AFP" after a claim: the outlet that relays it
        reports the sentence up to its own cue."""
        for cue in cues:
            if cue.start < after or not (cue.prep or doc[cue.start - 1].text in SEPARATORS):
                continue
            speaker = self.speakers.after(doc, cue.end, sent.end, marks)
            if speaker is not None and not self.speakers.is_pronoun(speaker):
                end = cue.start - 1 if doc[cue.start - 1].text in SEPARATORS else cue.start
                relay = state.claim(index, cue, speaker, (sent.start, end), self.speakers)
                relay.stance = "report"
                return [relay]
        return []

    def headline(self, doc, sent, index, marks, state) -> list[Claim] | None:
        colon = next((t.i for t in sent[:8] if t.text == ":"), None)
        if colon is None or colon + 1 >= sent.end:
            return None
        speaker = self.speakers.before(doc, colon, sent.start, marks)
        if speaker is None or speaker.start != sent.start:
            return None
        if not (self.speakers.named(doc, speaker, marks[0]) or self.clauses.colon_names and self.clauses.quoted_name(doc, speaker, colon, index)
                or self.clauses.titled_name(doc, speaker, colon, index)):
            return None
        return [state.claim(index, Cue(colon, colon + 1, "assert", False), speaker, (colon + 1, sent.end), self.speakers)]

    def carried(self, doc, sent, index, found, state) -> list[Claim] | None:
        quoted = sent[0].text in QUOTES
        if not (quoted or found.has(sent, "reported_speech")):
            return None
        source = state.attributed_in(sentence_before(doc, index))
        if source is None:
            return None
        # The quote goes on under the cue that opened it: one attribution over several sentences.
        claim = Claim(index, source.stance if source.stance != "deny" else "assert", (sent.start, sent.end),
                      speaker=source.speaker, cue=source.cue, actor=source.actor, side=source.side, carried=True,
                      resolved=source.resolved, pronoun=source.pronoun)
        return [claim]

    def report(self, doc, sent, index, found, state) -> list[Claim] | None:
        facts = found.has(sent, "war_terms") or bool(indexed(doc, "quantities").inside(sent.start, sent.end))
        if not (facts or state.places_in(sent)):
            return None
        return [Claim(index, "report", (sent.start, sent.end))]
