"""Clause shapes around a cue, found on real reports (issue 13, round three), each switched on by
entries of the language's lexicon. Dutch: an object before a participle that is what a denial answers
("Kiev heeft dat ontkend"), a speaker before its relative clause ("Guterres, die vrijdag in Istanbul
was, veroordeelt …"), a short name before a colon that opens a quote ("Orbán: ‘…’"). English: a
participle after a comma whose subject is the clause's ("…, saying …"), also after a fronted phrase
("Speaking in Ohio, Roe attacked …, calling …"), the whole phrase after "according to", "a group called
X" (a name given, no claim), and from round four: an adjunct set off by commas between subject and verb
("Roe, in a statement on Thursday, said"), "who said" (a claim of "who", resolved to the phrase before),
a title "Name: …" and a transcript's "ROE: …", and a poll opening its sentence ("In a CNN poll, …").
And for every language: a place whose name is an actor's that acts ("Kiev ontkent")."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from bot.nlp.cues import Cue
from bot.nlp.lexicon import Lexicon
from bot.nlp.model import Claim
from bot.nlp.spans import QUOTES, SEPARATORS, Spans
from bot.nlp.speakers import Speakers
from bot.nlp.tokenfacts import ext, facts, text_between, words_of


class Clauses:
    """Clause shapes for one language's words."""

    def __init__(self, words: Lexicon, speakers: Speakers) -> None:
        self.speakers = speakers
        self.back_objects = words.words("back_objects")  # "Kiev heeft dat ontkend": the object is what is denied
        self.auxiliaries = words.words("auxiliaries")
        self.determiners = words.words("determiners")
        self.relatives = words.words("relative_pronouns")  # "X, die …, zegt": the speaker before its relative clause
        self.colon_names = bool(words.raw.get("colon_names"))  # "Orbán: 'Europa …'"
        self.colon_headlines = bool(words.raw.get("colon_headlines"))  # "Paul Ryan: FBI Decision 'Defies Explanation'"
        self.connectors = words.words("connectors")
        self.kickers = words.words("kickers")  # "Breaking:", "The Latest:": a title's label, nobody speaking
        self.survey_nouns = words.words("survey_nouns")  # "In a CNN poll released Monday, 50 percent …"
        self.survey_prepositions = words.words("survey_prepositions")
        self.participles_after_comma = bool(words.raw.get("participles_after_comma"))  # "…, saying …"
        self.indefinites = words.words("indefinites")  # "a group called X"
        self.asides = words.words("aside_adverbs")  # "X, meanwhile, said …"
        self.verb_cues = frozenset(words.table("cues")) | frozenset(words.table("participle_cues"))  # "X, saying …," is no aside
        self.relative_subjects = words.words("relative_subjects")  # "Ted Cruz, who said …": "who" speaks for Cruz
        self.relative_cues = words.words("relative_cues")  # speech, not "who endorsed X" (a deed told in passing)
        self.lone_subjects = words.words("subject_quantifiers") | words.words("subject_determiners")  # "those who said"

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
        while first < cue and (words_of(doc).lower[first] in self.auxiliaries or words_of(doc).punct[first]):
            first += 1
        words = [t for t in doc[first:cue] if t.is_alpha]
        if not words or " ".join(t.lower_ for t in words[:2]) not in self.back_objects and words_of(doc).lower[first] not in self.determiners:
            return None
        return first, cue

    def relative(self, doc: Doc, bound: int, comma: int, marks) -> Span | None:
        """The named speaker opening its clause before ", die …," that ends at this comma."""
        opening = next((i for i in range(comma - 1, max(bound, comma - 25) - 1, -1) if words_of(doc).text[i] in (",", ";", ":")), None)
        if opening is None or opening + 1 >= comma or words_of(doc).lower[opening + 1] not in self.relatives or words_of(doc).text[opening] != ",":
            return None
        if any(t.text in QUOTES for t in doc[opening:comma]):
            return None
        speaker = self.speakers.before(doc, opening, bound, marks)
        if speaker is None or self.speakers.is_pronoun(speaker) or not self.speakers.named(doc, speaker, marks[0]):
            return None
        edge = speaker.start - 1
        return speaker if edge < bound or words_of(doc).text[edge] in SEPARATORS or words_of(doc).lower[edge] in self.speakers.openers else None

    def relative_subject(self, doc: Doc, sent: Span, cue: Cue, verb: int, marks) -> tuple[Span, Span] | None:
        """"Ted Cruz, who said …", "voters who said …", "those who say …": the relative pronoun opening
        the clause of a verb of speech, and the phrase it stands for (a claim's speaker and whom it resolves to)."""
        rel = verb - 1
        if cue.prep or text_between(doc, cue.start, cue.end).lower() not in self.relative_cues:
            return None
        if rel <= sent.start or words_of(doc).lower[rel] not in self.relative_subjects:
            return None
        end = rel - 1 if words_of(doc).text[rel - 1] == "," else rel
        antecedent = self.speakers.before(doc, end, sent.start, marks)
        if antecedent is None and end > sent.start and words_of(doc).lower[end - 1] in self.lone_subjects:
            antecedent = doc[end - 1 : end]
        if antecedent is None or self.speakers.is_pronoun(antecedent):
            return None
        return doc[rel : rel + 1], antecedent

    def aside(self, doc: Doc, start: int, bound: int) -> int | None:
        """"Hunter, meanwhile, told Politico …", "Roe, in a statement released on Thursday, said …", "Roe,
        during a town hall in Columbus, Ohio, said …", "Roe, wearing a red cape, said …": the comma where the
        subject ends, before an adverb, a prepositional or a participle phrase set off by commas (None when the
        part between is no such adjunct)."""
        if not self.asides or start - 3 < bound or words_of(doc).text[start - 1] != ",":
            return None
        closing, place = start - 1, False
        while True:
            opening = next((i for i in range(closing - 1, max(bound, closing - 16) - 1, -1) if words_of(doc).text[i] in SEPARATORS), None)
            if opening is None or opening + 1 >= closing or words_of(doc).text[opening] != ",":
                return None
            part = doc[opening + 1 : closing]
            if not place and Spans.place_part(part) and opening > bound:
                closing, place = opening, True  # "… in Columbus, Ohio,": the state after its town
                continue
            first = part[0].lower_
            if len(part) == 1 and first in self.asides or len(part) > 1 and first in self.speakers.blockers:
                return opening if opening > bound else None
            if len(part) > 1 and part[0].is_lower and first.endswith(("ing", "ed")) and first not in self.verb_cues:
                return opening if opening > bound else None  # "X, wearing a red cape, said", "X, pressed by reporters, said"
            return None

    def subject(self, doc: Doc, sent: Span, cue: Cue, marks) -> Span | None:
        """The speaker opening the sentence, as the subject of a second verb ("X did this and said …")."""
        start = sent.start
        while start < cue.start and (words_of(doc).space[start] or words_of(doc).lower[start] in self.speakers.openers):
            start += 1
        speaker = self.speakers.after(doc, start, cue.start, marks)
        if self.participles_after_comma and self._fronted_phrase(doc, start, marks):
            # "In a speech on Tuesday, Mr. Roe struck a calm tone, saying …", "Speaking in Ohio, Roe attacked …,
            # calling …": the subject after a fronted phrase
            comma = next((t.i for t in doc[start : cue.start - 1] if t.text == ","), None)
            speaker = self.speakers.after(doc, comma + 1, cue.start, marks) if comma is not None else None
            start = comma + 1 if comma is not None else start
            if speaker is not None and (speaker.end >= cue.start or not facts(doc).lower_case[speaker.end]):
                return None  # the subject is followed by its verb, and names someone
        return None if speaker is None or speaker.start != start or speaker.end >= cue.start - 1 else speaker

    def _fronted_phrase(self, doc: Doc, start: int, marks) -> bool:
        """Whether the sentence opens with an adjunct, not its subject: a preposition or adverb ("In …",
        "Likewise,"), or a participle ("Speaking at …", "Asked about …") that is no name."""
        word = doc[start]
        if word.lower_ in self.speakers.blockers or word.lower_ in self.asides:
            return True
        return word.lower_.endswith(("ing", "ed")) and word.i not in marks[0] and not self.speakers.named(doc, doc[start : start + 1], marks[0])

    def quoted_name(self, doc: Doc, speaker: Span, colon: int, index: int) -> bool:
        """"Orbán: 'Europa …'", "NYT: VS willen …": a short name no list knows before a colon that opens a
        quote, or an acronym heading the title; not a place ("Charkiv: drie doden")."""
        if len(speaker) > 3 or speaker.end != colon or not all(t.text[:1].isupper() for t in speaker if t.is_alpha):
            return False
        if any(p.start < speaker.end and speaker.start < p.end and not p.as_actor for p in ext(doc, "places")):
            return False
        after = next((t for t in doc[colon + 1 : colon + 3] if not t.is_space), None)
        quote = after is not None and (after.text in QUOTES or after.text.startswith(("&#8216", "&#8220")))
        return quote or index == 0 and len(speaker) == 1 and speaker[0].is_upper and len(speaker[0]) > 1

    def titled_name(self, doc: Doc, speaker: Span, colon: int, index: int) -> bool:
        """"Paul Ryan: FBI Decision …" as a title, "TAPPER: Do you think …" as a line of a transcript: a short
        capitalised name before the colon that opens the title or a line in capitals; not a place."""
        if not self.colon_headlines or len(speaker) > 5 or speaker.end != colon:
            return False
        words = [t for t in speaker if t.is_alpha and t.lower_ not in self.connectors]
        if not words or not all(t.text[0].isupper() for t in words) or speaker[0].lower_ in self.determiners:
            return False
        if speaker.text.lower() in self.kickers or words[0].lower_ in self.kickers:
            return False
        if any(p.start < speaker.end and speaker.start < p.end and not p.as_actor for p in ext(doc, "places")):
            return False
        return index == 0 or all(t.is_upper for t in words) and len(words[-1]) > 1

    def survey(self, doc: Doc, sent: Span) -> tuple[Cue, Span, tuple[int, int]] | None:
        """"In a CNN poll released Monday, 50 percent chose X": a poll that opens the sentence is the source of
        what follows its comma, the preposition its cue ("… in the polls" is mostly the outlet's own account)."""
        first = sent.start
        if words_of(doc).lower[first] not in self.survey_prepositions:
            return None
        noun = next((t.i for t in doc[first + 1 : min(sent.end, first + 12)] if t.lower_ in self.survey_nouns), None)
        if noun is None or not all(t.is_alpha or t.text in ("/", "-", "'s", "’s") or t.like_num for t in doc[first + 1 : noun]):
            return None
        end = next((t.i for t in doc[noun + 1 : sent.end] if t.is_punct), sent.end)
        if end >= sent.end or words_of(doc).text[end] != "," or sent.end - end < 4:
            return None
        return Cue(first, first + 1, "assert", True), doc[first + 1 : end], (end + 1, sent.end)

    def participle(self, doc: Doc, sent: Span, cue: Cue) -> bool:
        """"…, saying …", "…, adding that …": a cue in -ing after a comma, whose subject is the clause's."""
        return (self.participles_after_comma and not cue.prep and cue.start > sent.start
                and words_of(doc).text[cue.start - 1] == "," and words_of(doc).lower[cue.start].endswith("ing"))

    def phrase_source(self, doc: Doc, cue: Cue, limit: int) -> Span | None:
        """"according to one research firm", "according to audio provided to the paper": the whole
        phrase after the cue, up to a comma, a stop or a relative clause."""
        end, words = cue.end, words_of(doc)
        punct, text, lower, space = words.punct, words.text, words.lower, words.space
        while end < limit and end - cue.end < 15 and not (punct[end] and text[end] not in ("-", "'s", "’s", "%")) \
                and lower[end] not in ("who", "which") and not space[end]:
            end += 1
        span = doc[cue.end : end]
        closed = end < limit and text[end] == "," or cue.start > 0 and text[cue.start - 1] == ","
        return span if closed and any(t.is_alpha for t in span) else None  # not "According to Kyiv 400 died"

    def naming(self, doc: Doc, sent: Span, cue: Cue) -> bool:
        """"a group called Our Principles": "called" after an indefinite noun and before a name."""
        if not cue.needs_subject or cue.end >= sent.end or not words_of(doc).text[cue.end][:1].isupper():
            return False
        start = next((i for i in range(cue.start - 1, max(sent.start, cue.start - 5) - 1, -1) if not words_of(doc).alpha[i]
                      or words_of(doc).lower[i] in self.indefinites), None)
        return start is not None and words_of(doc).lower[start] in self.indefinites and facts(doc).lower_case[cue.start - 1]


def mark_agents(doc: Doc, actor_tokens: set[int], locatives: frozenset[str], attributive_heads: frozenset[str]) -> None:
    """"Rusland verovert …", "Kiev ontkent", "Russia's offensive": a place whose name is also an
    actor's stands for its government, unless a preposition or an adjective makes it a location or
    an object ("in Rusland", "tegen Oekraïne", "southern Ukraine"), it sits in a compound
    ("Russia-Ukraine war") or it qualifies a noun ("Ukraine war")."""
    for mention in ext(doc, "places"):
        if mention.as_actor or not all(i in actor_tokens for i in range(mention.start, mention.end)):
            continue
        before = words_of(doc).lower[mention.start - 1] if mention.start > 0 else ""
        after = doc[mention.end] if mention.end < len(doc) else None
        if before in locatives or before in ("-", "–") or after is not None and after.text in ("-", "–"):
            continue
        if after is not None and after.lower_ in attributive_heads:
            continue  # "Ukraine war", "Ukraine forces": the name qualifies a noun
        mention.as_actor = True
