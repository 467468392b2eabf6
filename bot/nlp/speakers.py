"""Speakers: the noun phrase next to a cue, and the actor it names.

Without a trained parser, a speaker phrase is a run of tokens that can belong to a name or title:
capitalised words, actor names, determiners, speaker nouns ("woordvoerder", "ministry"), side words
("Russische", "Ukrainian") and connectors ("van", "of"). A run counts as a speaker only if it holds
an actor name, a speaker noun or a proper name."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from bot.nlp import subjects
from bot.nlp.antecedents import local_side
from bot.nlp.docindex import indexed
from bot.nlp.lexicon import Lexicon, actor_side
from bot.nlp.speakerwords import SpeakerWords
from bot.nlp.tokenfacts import facts, words_of


class Speakers:
    """Finds speaker phrases and resolves them to actor ids, for one language."""

    def __init__(self, words: Lexicon, country_of: Callable[[str], str | None]) -> None:
        self.country_of = country_of
        self.nouns = words.words("speaker_nouns")
        self.sides = words.table("side_words")
        self.roles = words.table("role_nouns")
        self.connectors = words.words("connectors")
        self.determiners = words.words("determiners")
        self.pronoun_kinds = {w: kind or "any" for w, kind in words.table("pronouns").items()}
        self.pronouns = frozenset(self.pronoun_kinds)
        self.body_nouns = words.words("body_nouns")
        self.compounds = bool(words.raw.get("compounds"))
        self.blockers = words.words("speaker_blockers")
        self.openers = words.words("speaker_openers")
        self.subordinators = words.words("subordinators")  # "told CNN that he believes": a speaker never spans "that"
        self.particles = words.words("subject_particles")  # "Ook Kiev meldt": not a blocker before a subject
        self.adjective_endings = tuple(words.words("adjective_endings"))
        self.coordinators = words.words("speaker_coordinators")
        self.place_links = words.words("speaker_place_links")
        self.abroad = words.words("seated_abroad")
        self.separatist = words.words("separatist_words")  # "van Donetsk (een zelfverklaarde republiek)" is Russia's
        self.occupation = words.words("occupation_words")  # "de autoriteiten in het bezette gebied" are the occupier's
        self.local_areas = words.words("local_areas")
        self.local_descriptions = bool(words.raw.get("local_descriptions"))  # "de ambassadeur in Turkije", "de Generale Staf in Kiev"
        self.role_keys = words.words("side_role_words")
        self.nearest_place = bool(words.raw.get("local_side_from_nearest_place"))
        self.narrated = bool(words.raw.get("pronouns_from_narration"))  # "X keerde zich tegen … Volgens hem"
        self.civilians = words.words("civilian_nouns")  # "een Oekraïense activist" speaks for no side  # "het ministerie" takes the side of "het Russische ministerie"
        self.allowed = (self.nouns | frozenset(self.sides) | frozenset(self.roles) | self.connectors
                        | self.determiners | words.words("np_adjectives") | words.words("titles") | words.words("name_suffixes"))
        self.titles = words.words("titles")
        self.name_marks = bool(words.raw.get("name_marks"))  # initials, party tags, "Sanders’ campaign"
        self.determined_subjects = bool(words.raw.get("subject_determiners"))
        self.subject_determiners = words.words("subject_determiners")
        self.determined_cues = words.words("determined_cues")
        self.quantifiers = words.words("subject_quantifiers")
        self.preludes = words.words("verb_preludes")
        self.inner_prepositions = words.words("speaker_inner_prepositions") | words.words("speaker_head_prepositions")
        self.cue_words = frozenset(words.table("cues"))
        self.joiners = words.words("subject_joiners")  # "Sanders and his aides say": one source
        self.intensifiers = words.words("subject_intensifiers")  # "Cruz himself said"
        self.that_window = int(words.raw.get("that_window", 5))  # "most said", "others say"
        self.not_nouns = (self.blockers | self.openers | self.subordinators | words.words("copulas") | self.pronouns
                          | words.words("conjunctions") | words.words("verb_preludes") | frozenset(words.table("cues"))
                          | frozenset(("who", "which", "whose")))
        self.words = SpeakerWords(words)  # the word-level test, over plain lists
        self._remembered: tuple = (None, None)  # the doc and marks whose before() answers are kept (remember())
        self._before: dict[tuple[int, int], Span | None] = {}
        self.leading = self.connectors - self.determiners  # words a speaker phrase never opens with
        self.trailing = self.connectors | self.determiners  # nor ends with

    def part(self, token: Token, actor_tokens: set[int], date_tokens: set[int]) -> bool:
        """Whether a token can belong to a speaker phrase (bot.nlp.speakerwords, by its index)."""
        return self.words.part(token.doc, token.i, actor_tokens, date_tokens)

    def seat(self, span: Span) -> Span:
        """A diplomat without where it sits ("de ambassadeur in Turkije" → "de ambassadeur"); others whole."""
        lower = words_of(span.doc).lower
        start, end = span.start, span.end
        if self.abroad.isdisjoint(lower[start:end]):
            return span  # most speakers: no word of a post abroad anywhere, so none before the cut
        cut = next((i for i in range(start + 1, end) if lower[i] in self.place_links), end)
        if not any(lower[i] in self.abroad for i in range(start, cut)):
            return span  # "de regering in Kiev" is Kiev's government; "de ambassadeur in Turkije" serves another
        return Span(span.doc, start, cut)

    def remember(self, doc: Doc | None, marks: tuple[set[int], set[int]] | None = None) -> None:
        """Answers of before() for this doc and these marks (the claim finder's, left unchanged while it reads
        the doc) are kept until the next call: the segment of a cue and its claim ask the same question."""
        self._remembered, self._before = (doc, marks), {}

    def before(self, doc: Doc, end: int, limit: int, marks: tuple[set[int], set[int]]) -> Span | None:
        """The speaker phrase ending just before token `end` (not before `limit`)."""
        kept = self._remembered
        if kept[0] is doc and kept[1] is marks:
            key = (end, limit)
            if key not in self._before:
                self._before[key] = self._before_of(doc, end, limit, marks)
            return self._before[key]
        return self._before_of(doc, end, limit, marks)

    def _before_of(self, doc: Doc, end: int, limit: int, marks: tuple[set[int], set[int]]) -> Span | None:
        words, part = words_of(doc), self.words.part_of
        start, lower = end, words.lower
        while start > limit and end - start < 10 and part(words, doc, start - 1, *marks) and lower[start - 1] not in self.subordinators:
            start -= 1
        span = self._trimmed(doc, start, end, marks[0])
        return subjects.joined(self, doc, span, limit, marks) if span is not None and self.joiners else span

    def determined(self, doc: Doc, end: int, limit: int) -> Span | None:
        """"The organizers said": a plain subject no list of nouns names (bot.nlp.subjects)."""
        return subjects.determined(self, doc, end, limit)

    def widened(self, doc: Doc, span: Span, limit: int) -> Span:
        """"Republican front-runner Donald Trump", "Sanders and his aides": the whole subject (bot.nlp.subjects)."""
        return subjects.widened(self, doc, span, limit)

    def after(self, doc: Doc, start: int, limit: int, marks: tuple[set[int], set[int]]) -> Span | None:
        """The speaker phrase starting at token `start` (ending before `limit`)."""
        words, part = words_of(doc), self.words.part_of
        lower = words.lower
        while start < limit - 1 and lower[start] in self.particles:
            start += 1  # "meldt zowel de krant als …", "zegt ook Kiev"
        end = start
        while end < limit and end - start < 10 and part(words, doc, end, *marks) and not (end > start and lower[end] in self.subordinators):
            end += 1
        return self._trimmed(doc, start, end, marks[0])

    def coordinated(self, doc: Doc, speaker: Span, sent: Span, limit: int, marks: tuple[set[int], set[int]]) -> Span | None:
        """The other speaker joined to this one ("Rusland en Oekraïne beschuldigen …", "meldt zowel X als Y"),
        when it opens the clause or closes it; None in languages without coordinators."""
        if not self.coordinators or self.is_pronoun(speaker):
            return None
        joint = speaker.start - 1
        if joint > sent.start and words_of(doc).lower[joint] in self.coordinators:
            other = self.before(doc, joint, sent.start, marks)
            if other is not None and len(other) > 1 and words_of(doc).lower[other.start] in self.particles:
                other = doc[other.start + 1 : other.end]  # "…: Zowel de Russen als de Oekraïners claimen …"
            edge = other.start - 1 if other is not None else None
            if other is not None and (edge < sent.start or words_of(doc).lower[edge] in self.openers | self.particles
                                      or words_of(doc).text[edge] in (",", ":", ";") and self.compounds):  # "…, Rusland en Oekraïne wijzen …"
                return None if self.is_pronoun(other) else other
        if speaker.end + 1 < limit and words_of(doc).lower[speaker.end] in self.coordinators:
            other = self.after(doc, speaker.end + 1, limit, marks)
            if other is not None and other.start == speaker.end + 1 and not self.is_pronoun(other) and (
                    other.end >= limit or words_of(doc).punct[other.end] or words_of(doc).lower[other.end] in self.subordinators):
                return other
        return None

    def listed(self, doc: Doc, first: Span, sent: Span, marks: tuple[set[int], set[int]]) -> list[Span]:
        """"De VN, Washington en de EU veroordeelden …": the speakers listed with commas before the first of
        a pair, when the list opens its clause; none in languages without coordinators."""
        found = []
        while self.coordinators and first.start - 1 > sent.start and words_of(doc).text[first.start - 1] == ",":
            other = self.before(doc, first.start - 1, sent.start, marks)
            if other is None or self.is_pronoun(other) or not self.named(doc, other, marks[0]) and not other[0].text[:1].isupper():
                break
            found.append(other)
            first = other
        edge = first.start - 1
        return found if edge < sent.start or words_of(doc).lower[edge] in self.openers | self.particles else []

    def _compound_noun(self, word: str) -> bool:
        # "legerwoordvoerder", "Kremlinwoordvoerder": a compound ending in a speaker noun.
        return self.words.compound_noun(word)

    def _trimmed(self, doc: Doc, start: int, end: int, actor_tokens: set[int]) -> Span | None:
        words = words_of(doc)
        lower, text, starts = words.lower, words.text, words.starts
        if start < end - 1 and lower[start] in self.particles:
            ends = facts(doc).sent_end
            while start < end - 1 and lower[start] in self.particles and (start == 0 or ends[start - 1] or starts[start]):
                start += 1  # "Ook het Britse ministerie meldt …": the particle opens the sentence, the subject follows
        if start < end and lower[start] in self.blockers and start not in actor_tokens:
            return None  # "Op Telegram schreef …": a prepositional phrase, not a speaker
        while start < end and (lower[start] in self.leading or lower[start] in self.openers or text[start] in ("-", "–", "—")):
            start += 1
        # A name never ends in "van", "the" or "dat"; "volgens haar" is a pronoun, not an article.
        while end > start and (lower[end - 1] in self.trailing or text[end - 1] == "-") \
                and not (end - start == 1 and lower[start] in self.pronouns and self.narrated):
            end -= 1
        if start >= end:
            return None
        if start >= 0 and end <= len(text):
            return Span(doc, start, end) if self._is_speaker(doc, start, end, actor_tokens) else None  # doc[start:end], made directly
        span = doc[start:end]  # bounds past the doc's ends read as spaCy reads a slice
        return span if self._is_speaker(doc, span.start, span.end, actor_tokens) else None

    def _is_speaker(self, doc: Doc, start: int, end: int, actor_tokens: set[int]) -> bool:
        words = words_of(doc)
        lower, text, starts = words.lower, words.text, words.starts
        for i in range(start, end):
            if i in actor_tokens or lower[i] in self.nouns or self.words.compound_noun(lower[i]):
                return True
            if text[i][:1].isupper() and not (starts[i] and facts(doc).stop[i]):
                return True
        return False

    def named(self, doc: Doc, span: Span, actor_tokens: set[int]) -> bool:
        """Whether the phrase holds an actor name or a speaker noun (not just a capital)."""
        lower, compound = words_of(doc).lower, self.words.compound_noun
        return any(i in actor_tokens or lower[i] in self.nouns or compound(lower[i]) for i in range(span.start, span.end))

    def is_pronoun(self, span: Span) -> bool:
        """'he', 'zij': a speaker that stands for an earlier one."""
        return span.end - span.start == 1 and words_of(span.doc).lower[span.start] in self.pronouns

    def kind(self, doc: Doc, span: Span) -> str:
        """'person' or 'body': what a speaker phrase names, for the pronouns that may stand for it."""
        words = words_of(doc)
        lower, alpha = words.lower, words.alpha
        if self.is_pronoun(span):
            return self.pronoun_kinds[lower[span.start]]
        span = self.seat(span)
        start, end = span.start, span.end
        # "het hoofd van de inlichtingendienst" is a person: the head comes before "van"/"of"
        edge = next((i for i in range(start + 1, end) if lower[i] in self.connectors and alpha[i]), end)
        last = next((i for i in range(edge - 1, start - 1, -1) if alpha[i]), None)
        if last is None or lower[last] in self.body_nouns or self.words.compound_body(lower[last]):
            return "body"
        upper = facts(doc).upper
        if any(upper[i] and len(words.text[i]) > 1 and alpha[i] for i in range(start, end)):
            return "body"  # "ISW", "FSB", "EBU"
        if indexed(doc, "places").covering(last):
            return "body"  # "Kiev ontkent": a place speaks for its government
        return "person"

    def actor(self, doc: Doc, span: Span) -> tuple[str, str]:
        """The actor id and side a speaker phrase names."""
        span = self.seat(span)
        inside = indexed(doc, "actors").inside(span.start, span.end)
        if inside:
            best = max(inside, key=lambda a: a.end - a.start)
            return best.actor, best.side
        lowered = words_of(doc).lower[span.start : span.end]
        if self.civilians.intersection(lowered):
            return "unknown", "other"
        side = next((self.sides[w] for w in lowered if w in self.sides), None)
        role = next((self.roles[w] for w in lowered if w in self.roles), None)
        if role is not None and self.local_areas.intersection(lowered):
            role = "local"  # "de autoriteiten van de stad", "het bestuur van de regio"
        if side is None and role == "local":
            side = local_side(doc, span, self)
        if side is None:
            return "unknown", "other"
        actor = f"{side.lower()}.{role or 'government'}"
        return actor, actor_side(actor)
