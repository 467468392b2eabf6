"""The claim one cue makes in its segment of a sentence: its speaker, found before the verb, after it
(Dutch word order, or after a quote or comma), in apposition ("Flynn, a top Trump surrogate, said"),
between dashes, after "according to" / "volgens", by an auxiliary ("heeft … laten weten") or after the
"door" of a passive, and its content, before the speaker ("…, X said") or after the verb. The sentence's
cues, their segments and the claims spanning several cues are bot.nlp.claims's."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from bot.nlp.clauses import Clauses
from bot.nlp.cues import Cue
from bot.nlp.lexicon import Lexicon
from bot.nlp.model import Claim
from bot.nlp.objects import CueObjects
from bot.nlp.spans import QUOTES, SEPARATORS, Spans
from bot.nlp.speakers import Speakers
from bot.nlp.tokenfacts import facts, text_between, words_of


class CueClaims:
    """Speaker and content of one cue's claim, for one language."""

    def __init__(self, words: Lexicon, speakers: Speakers, spans: Spans, clauses: Clauses, objects: CueObjects) -> None:
        self.speakers, self.spans, self.clauses, self.objects = speakers, spans, clauses, objects
        self.conjunctions = words.words("conjunctions")
        self.prepositions = words.words("speaker_prepositions")
        self.resumptives = words.words("resumptives")  # "…, zo zegt X": a word that points back at the content
        self.after_verb = bool(words.raw.get("speaker_after_verb"))
        self.reflexive = words.words("reflexive_cues")  # "naar eigen zeggen": the subject is the speaker
        self.preludes = words.words("verb_preludes")  # "X has also said": words between a subject and its verb
        self.inner_prepositions = words.words("speaker_inner_prepositions")
        self.head_prepositions = words.words("speaker_head_prepositions")  # "a spokesman for X", "a study by X"
        self.participles_after_comma = bool(words.raw.get("participles_after_comma"))
        self.addressee_cues = words.words("addressee_cues")
        self.trailing_appositions = bool(words.raw.get("trailing_appositions"))
        self.phrase_sources = words.words("phrase_source_cues")

    def claim(self, doc, sent, index, cue, bound, limit, marks, state) -> Claim | None:
        words = words_of(doc)
        if cue.prep:
            speaker = self.speakers.after(doc, self.objects.statement_end(doc, cue.end, limit), limit, marks)
            if text_between(doc, cue.start, cue.end).lower() in self.phrase_sources and not (
                    speaker is not None and speaker.end < limit and facts(doc).like_num[speaker.end]):  # "according to Kyiv 400 died"
                speaker = self.clauses.phrase_source(doc, cue, limit) or speaker
            if speaker is None and text_between(doc, cue.start, cue.end).lower() in self.reflexive:
                # "Oekraïne is naar eigen zeggen een offensief begonnen": the subject says it of itself
                start = next((t.i for t in sent if not t.is_space and t.lower_ not in self.speakers.openers), sent.start)
                subject = self.speakers.after(doc, start, cue.start, marks)
                if subject is None or subject.start != start or self.speakers.is_pronoun(subject):
                    return None
                return state.claim(index, cue, subject, (cue.end, limit), self.speakers)
            if speaker is None:
                return None
            described = (self.spans.description_end(doc, speaker.end + 1, limit)
                         if speaker.end < limit and words.text[speaker.end] == "," else None)
            if described is not None and described < limit and described + 1 < limit:
                content = (described + 1, limit)  # "Volgens X, het hoofd van het bestuur, gebruikte …"
            elif described is not None and cue.start > bound and words.text[cue.start - 1] == ",":
                content = (bound, cue.start - 1)  # "…, according to X, head of the regional administration."
            elif self.objects.aside_source(doc, cue, speaker, bound, limit):
                content = (bound, cue.start - 1)  # "…, according to X, who ran the poll.": the sentence before the aside
            elif speaker.end < limit and words.text[speaker.end] in (",", ":"):  # "in de woorden van X: „…”"
                content = (speaker.end + 1, limit)
            elif cue.start > bound and words.text[cue.start - 1] == ",":
                content = (bound, cue.start - 1)
            elif cue.start == bound or cue.start == sent.start:
                content = (speaker.end, limit)  # "Volgens Kiev is dat onwaar"
            else:
                content = (bound, limit)  # "Daar zijn volgens Moskou 600 doden gevallen"
            return state.claim(index, cue, speaker, content, self.speakers)
        if cue.agent is not None:  # "Eerdere aantijgingen zijn door de regering in Kiev ontkend"
            speaker = self.speakers.after(doc, cue.agent + 1, cue.start, marks)
            if speaker is not None and cue.start - speaker.end <= 1:  # not "het door Oekraïne gecontroleerde gebied"
                clause = next((i + 1 for i in range(cue.agent - 1, sent.start - 1, -1) if words.text[i] in SEPARATORS), sent.start)
                start = bound if bound < cue.agent else clause  # what the passive says was denied stands before "door"
                return state.claim(index, cue, speaker, (start, cue.agent), self.speakers)
        if cue.anchor is not None:
            return self._perfect(doc, sent, index, cue, bound, limit, marks, state)
        if cue.agent is not None:
            return None
        aside = self.clauses.aside(doc, cue.start, bound)
        if aside is not None and (speaker := self.spans.apposition(doc, bound, aside, marks) or self.speakers.before(doc, aside, bound, marks)):
            return state.claim(index, cue, speaker, self._content(doc, speaker, cue, bound, limit), self.speakers)
        sep = cue.start - 1
        while sep > bound and words.space[sep]:
            sep -= 1  # "”,  stelde X": a double space between the comma and the cue
        before_cue = words.text[sep] if cue.start > sent.start else ""
        if before_cue in ("—", "–", "--") and not self.after_verb and (speaker := self.spans.dashed(doc, bound, sep, marks)):
            # "Jason Roe — a teacher from Ohio — says …": the name and what it is, between dashes
            return state.claim(index, cue, speaker, (self.spans.skip(doc, cue.end, limit), limit), self.speakers)
        if before_cue == ",":
            # "Serhiy Cherevatyi, a spokesman for the eastern forces, denied …", "Flynn, a top Trump
            # surrogate, said …": the name and what it is, as one speaker, with the comma that closes it
            speaker = self.spans.appositive(doc, bound, sep, marks) or self.spans.apposition(doc, bound, sep, marks)
            if speaker is not None:
                whole = doc[speaker.start : sep + 1] if speaker.end >= sep else speaker  # not past "who said …," (spans.without_speech)
                return state.claim(index, cue, whole, self._content(doc, speaker, cue, bound, limit), self.speakers)
        if before_cue == "," and self.clauses.relatives and (speaker := self.clauses.relative(doc, bound, sep, marks)) is not None:
            # "Guterres, die vrijdag in Istanbul was, veroordeelt …": the speaker before its relative clause
            return state.claim(index, cue, speaker, (self.spans.skip(doc, cue.end, limit), limit), self.speakers)
        if before_cue.lower() in self.resumptives and sep - 1 > bound and words.text[sep - 1] in SEPARATORS:
            sep, before_cue = sep - 1, words.text[sep - 1]  # "…, zo zegt het ministerie"
        if before_cue in SEPARATORS and sep > bound:
            speaker = self.speakers.after(doc, self.objects.statement_end(doc, cue.end, limit), limit, marks)
            if speaker is not None and self.speakers.is_pronoun(speaker) and not self.after_verb and before_cue not in QUOTES:
                speaker = None  # "Jane, a nurse, said she thinks …": English puts no pronoun after the verb but after a quote
            if speaker is not None and not self.after_verb and words.lower[cue.end - 1] in self.addressee_cues:
                speaker = None  # '"…," Roe, 58, told AFP': who is told, never an inverted speaker
            if (speaker is not None and not self.after_verb and speaker.end < limit and words.alpha[speaker.end]
                    and words.lower[speaker.end] not in self.speakers.blockers):
                speaker = None  # "…, says Libya is …": the subject of the content, not an inverted speaker ("…, says Roe.")
            if speaker is None and before_cue in QUOTES:
                speaker = self.spans.after_quote(doc, cue.end, limit)  # '"…," said one senior official'
            if speaker is not None:  # "…, zegt Kiev" / '"…," said Konashenkov'
                if self.trailing_appositions:  # '"…," said Jane Roe, a nurse from Ohio.'
                    speaker = self.spans.trailing_apposition(doc, speaker, limit)
                return state.claim(index, cue, speaker, (bound, sep), self.speakers)
        speaker = self.speakers.before(doc, self.verb_start(doc, cue.start, bound), bound, marks)
        if speaker is None:
            speaker = self.speakers.determined(doc, self.verb_start(doc, cue.start, bound), bound)
        elif speaker.start > bound and not self.speakers.is_pronoun(speaker):
            speaker = self.speakers.widened(doc, speaker, bound)
        if speaker is not None and speaker.start > sent.start and words.lower[speaker.start - 1] in self.prepositions:
            speaker = None  # "in een interview met Sky News beweert Peskov": the object of a preposition
        if speaker is not None and speaker.start - 1 > bound and words.lower[speaker.start - 1] in self.inner_prepositions:
            head = self.speakers.before(doc, speaker.start - 1, bound, marks)  # "Farmers in Ohio say": the whole phrase
            speaker = doc[head.start : speaker.end] if head is not None else None
        elif speaker is not None and speaker.start - 1 > bound and words.lower[speaker.start - 1] in self.head_prepositions:
            head = self.speakers.before(doc, speaker.start - 1, bound, marks)  # "A spokesman for the buyer said"
            speaker = doc[head.start : speaker.end] if head is not None else speaker
        if speaker is not None and self.after_verb and self._fronted(doc, sent, speaker, marks):
            speaker = None  # "Andersom beweert Moskou …": a fronted adverb, the speaker follows the verb
        if speaker is not None:
            lead = words.text[speaker.start - 1] if speaker.start > sent.start else ""
            whole = self.spans.appositive(doc, bound, cue.start, marks) if lead == "," else None
            if whole is not None:  # "The mayor of Kramatorsk, Oleksandr Goncharenko, said …"
                return state.claim(index, cue, whole, (self.spans.skip(doc, cue.end, limit), limit), self.speakers)
            return state.claim(index, cue, speaker, self._content(doc, speaker, cue, bound, limit), self.speakers)
        # "Zondag meldde het leger dat …" has its speaker after the verb; English ("said it would")
        # never does but after a quote or comma, read above.
        speaker = None if cue.needs_subject or not self.after_verb else self.speakers.after(doc, cue.end, limit, marks)
        if speaker is None and cue.start > sent.start and words.lower[cue.start - 1] in self.conjunctions \
                and not (self.participles_after_comma and words.lower[cue.start].endswith("ing")):  # "while saying goodbye"
            speaker = self.clauses.subject(doc, sent, cue, marks)  # "The ministry denied the report and said …"
            return None if speaker is None else state.claim(index, cue, speaker, (self.spans.skip(doc, cue.end, limit), limit), self.speakers)
        if speaker is None:
            return None
        return state.claim(index, cue, speaker, (self.spans.skip(doc, speaker.end, limit), limit), self.speakers)

    def _content(self, doc: Doc, speaker: Span, cue: Cue, bound: int, limit: int) -> tuple[int, int]:
        """"…, X said" has its content before the speaker; not "Reached by phone, X said that …",
        whose content follows the verb."""
        lead, words = speaker.start - 1, words_of(doc)
        after = self.objects.particle_object(doc, cue, limit)
        start = cue.end if after is None else after
        if words.lower[cue.end - 1] in self.addressee_cues and (told := self.speakers.after(doc, start, limit, (set(), set()))):
            start = told.end  # "X told Fox News that …", "X told reporters: …": the one told is no content
        # '"…," X told reporters during a call': what follows the one told decides, as what follows "said" does
        if after is None and lead > bound and words.text[lead] in SEPARATORS and self.spans.content_before(
                doc, lead, cue.end if words.text[lead] == ":" else start, limit, bound):  # not "The Latest: X tells voters …"
            return bound, lead
        pointer = self.objects.pointer(doc, start, limit) if cue.stance in ("deny", "confirm") else None  # not "noemt het „…”"
        return pointer or (self.spans.skip(doc, start, limit), limit)

    def verb_start(self, doc: Doc, start: int, bound: int) -> int:
        """Where the verb group of a cue begins: before "has", "also", "repeatedly" ("X has also said")."""
        lower = words_of(doc).lower
        while start - 1 > bound and lower[start - 1] in self.preludes:
            start -= 1
        return start

    def _fronted(self, doc: Doc, sent: Span, speaker: Span, marks) -> bool:
        """A lone capitalised word opening a verb-second sentence, with a speaker after the verb."""
        if len(speaker) != 1 or not speaker[0].is_sent_start or self.speakers.named(doc, speaker, marks[0]):
            return False
        after = self.speakers.after(doc, speaker.end + 1, sent.end, marks)
        return after is not None and after.start == speaker.end + 1 and not self.speakers.is_pronoun(after)

    def _perfect(self, doc, sent, index, cue, bound, limit, marks, state) -> Claim | None:
        """"Het ministerie heeft zondag laten weten dat …", "Zondag heeft het leger gemeld dat …":
        the speaker stands before the auxiliary or, in Dutch, right after it."""
        aux = cue.anchor
        speaker = self.speakers.before(doc, aux, bound, marks)
        if speaker is None and self.after_verb:
            speaker = self.speakers.after(doc, aux + 1, cue.start, marks)
        if speaker is None:
            return None
        lead = words_of(doc).text[min(speaker.start, aux) - 1] if min(speaker.start, aux) > bound else ""
        if lead in SEPARATORS and (cue.end >= limit - 1 or self.objects.circumstance(doc, cue.end, limit)):  # '"…", heeft X gezegd'
            return state.claim(index, cue, speaker, (bound, min(speaker.start, aux) - 1), self.speakers)
        return state.claim(index, cue, speaker, (self.spans.skip(doc, cue.end, limit), limit), self.speakers)
