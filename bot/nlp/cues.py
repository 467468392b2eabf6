"""Cues: the verbs and prepositions that attribute a statement ("zegt", "denied", "volgens"), found
with one phrase matcher per language together with the other phrase lists claims need (war terms,
back references, page furniture), and the stance each cue gives its claim."""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from bot.nlp.docindex import Index
from bot.nlp.lexicon import Lexicon
from bot.nlp.tokenfacts import ext, words_of

Match = tuple[str, str, int, int, str | None]  # kind, phrase, start, end, stance (separable verbs)
AUXILIARY_REACH = 20  # tokens back from a participle to its auxiliary ("had X, de stafchef van Y, op Twitter gehint")
AGENT_REACH = 8  # tokens back from a passive participle to its "door"
SPEECH_KINDS = ("v", "p", "back_reference", "reported_speech", "survey_nouns")  # what any attribution needs
PHRASE_LISTS = ("war_terms", "back_reference", "deny_objects", "reported_speech", "furniture", "not_cues", "survey_nouns")


@dataclass(slots=True)
class Cue:
    """A cue in the text: token range, stance, and whether it is a preposition ("volgens")."""

    start: int
    end: int
    stance: str
    prep: bool
    negated: bool = False  # "could not confirm": the claim it sits in becomes a neutral report
    needs_subject: bool = False  # "X calls it Y" counts; "a village called Y" does not
    anchor: int | None = None  # a participle's auxiliary ("heeft … gezegd"): the speaker stands by it
    agent: int | None = None  # a passive participle's "door" ("werd door Kiev ontkend"): the speaker follows it


class Found:
    """Phrase matches by kind, for quick questions about a sentence."""

    def __init__(self) -> None:
        self.by_kind: dict[str, list[tuple[int, int]]] = {}
        self.by_item: dict[str, list[Match]] = {}
        self._indexes: dict[str, Index] = {}
        self._speech: set[int] | None = None  # sentences that may_speak, once asked
        self._longest: dict[tuple, list[Match]] = {}  # longest() by span and kinds

    def add(self, kind: str, phrase: str, start: int, end: int, stance: str | None = None) -> None:
        """Note one match."""
        self.by_kind.setdefault(kind, []).append((start, end))
        self.by_item.setdefault(kind, []).append((kind, phrase, start, end, stance))
        self._indexes.pop(kind, None)
        self._speech = None
        self._longest.clear()

    def _inside(self, span: Span, kind: str) -> list[Match]:
        """The matches of a kind inside the span, in the order they were found (indexed once per kind)."""
        found = self._indexes.get(kind)
        if found is None:
            found = self._indexes[kind] = Index(self.by_item.get(kind, []), itemgetter(2), itemgetter(3))
        return found.inside(span.start, span.end)

    def has(self, span: Span, kind: str) -> bool:
        """Whether a match of this kind lies inside the span."""
        return bool(self._inside(span, kind))

    def may_speak(self, doc: Doc, sent: Span) -> bool:
        """Whether a sentence of the doc holds a match of a kind every attribution needs (a cue, a back
        reference, reported speech, a poll): has() of each kind, answered for all sentences at once."""
        if self._speech is None:
            self._speech = self._sentences_with(doc, SPEECH_KINDS)
        return ext(doc, "sentence_of")[sent.start] in self._speech

    def _sentences_with(self, doc: Doc, kinds: tuple[str, ...]) -> set[int]:
        """The indexes of the doc's sentences holding a match of any of these kinds (as has() asks of each)."""
        sentences, sentence_of = ext(doc, "sentences"), ext(doc, "sentence_of")
        found = set()
        for kind in kinds:
            for _, _, start, end, _ in self.by_item.get(kind, ()):
                k = sentence_of[start]
                if end <= sentences[k].end:
                    found.add(k)
        return found

    def longest(self, span: Span, kinds: tuple[str, ...]) -> list[Match]:
        """Matches of these kinds in the span, longest first where they overlap, in text order (worked out
        once per span and kinds: a sentence is asked for its cues by more than one shape)."""
        key = (span.start, span.end, kinds)
        kept = self._longest.get(key)
        if kept is None:
            kept = self._longest[key] = self._longest_of(span, kinds)
        return list(kept)

    def _longest_of(self, span: Span, kinds: tuple[str, ...]) -> list[Match]:
        inside = [m for kind in kinds for m in self._inside(span, kind)]
        if len(inside) < 2:
            return inside  # nothing overlaps: most sentences hold one cue or none
        taken: set[int] = set()
        kept = []
        for match in sorted(inside, key=lambda m: (-(m[3] - m[2]), m[2])):
            if taken.isdisjoint(range(match[2], match[3])):
                kept.append(match)
                taken.update(range(match[2], match[3]))
        return sorted(kept, key=lambda m: m[2])


def in_name(doc: Doc, sent: Span, start: int) -> bool:
    """A capitalised cue word after a capitalised word, or before one, inside a sentence: part of a name
    ("the United States", "spokeswoman Hope Hicks")."""
    words = words_of(doc)
    text = words.text
    if start <= sent.start or not text[start][:1].isupper():
        return False
    return (text[start - 1][:1].isupper() and not words.starts[start - 1]
            or start + 1 < sent.end and text[start + 1][:1].isupper() and words.alpha[start - 1])


def title_case(sent: Span) -> bool:
    """"Mayor Says He Will Close The Port": a headline whose every longer word is capitalised, where a
    capitalised verb after a name is still a verb."""
    plain = words_of(sent.doc)
    words = [plain.text[i] for i in range(sent.start, sent.end) if plain.alpha[i] and len(plain.text[i]) > 3]
    return len(words) >= 3 and all(w[0].isupper() for w in words) and not all(w.isupper() for w in words)


class Senses:
    """Cue words in a sense that reports nothing, told by the words around them (issue 13, round five):
    an adjective joined by a hyphen ("a Kremlin-backed group"), a noun or adjective after a possessive
    ("Trump's proposed ban", but "X's claim that …" is one) or a determiner ("the expected fallout"), a
    participle after "as" ("as mentioned above"), a passive with its agent ("a bill backed by
    the unions": the subject is what was backed), and a cue whose next words give it another sense
    ("found himself in", "reported from Kyiv": a byline), and a common word that reports only after a
    noun of evidence ("polls show")."""

    def __init__(self, words: Lexicon) -> None:
        self.hyphens = bool(words.raw.get("hyphen_compounds"))
        self.possessives = words.words("possessive_marks")
        self.contractions = words.words("contraction_hosts")  # "he's said": "'s" is "has"
        self.markers = words.words("noun_markers")  # "the expected fallout", "keep the promise"
        self.as_words = words.words("participle_markers")  # "as mentioned above", "as opposed to"
        self.imperatives = words.words("imperative_hosts")  # "let's see"
        self.statements = words.words("possessed_cues")  # "the mayor's claim that …"
        self.passive = words.words("passive_by")
        self.means = words.words("by_means")  # "said by telephone": the way it was said, no agent
        self.after = {cue: [tuple(p.split()) for p in phrases] for cue, phrases in words.table("cue_senses").items()}
        self.subjects = {cue: frozenset(nouns) for cue, nouns in words.table("cue_subjects").items()}  # "polls show"
        self.preludes = words.words("verb_preludes")

    def other(self, doc: Doc, sent: Span, start: int, end: int, phrase: str) -> bool:
        """Whether the cue word at start..end has a sense that attributes nothing."""
        words = words_of(doc)
        lower, ws = words.lower, words.ws
        if start > sent.start:  # the word before the cue
            if self.hyphens and words.text[start - 1] == "-" and start - 1 > sent.start and not ws[start - 1] and not ws[start - 2]:
                return True
            before = lower[start - 1]
            if before in self.possessives and start - 1 > sent.start:
                host = lower[start - 2]
                if host in self.imperatives:
                    return True  # "let's see what he says": a suggestion, nobody speaking
                if host not in self.contractions and phrase not in self.statements:
                    return True
            if before in self.markers or before in self.as_words and lower[end - 1].endswith("ed"):
                return True
        return self._passive(doc, sent, start, end) or self._followed(doc, sent, end, phrase) or self._subjectless(doc, sent, start, phrase)

    def _subjectless(self, doc: Doc, sent: Span, start: int, phrase: str) -> bool:
        """"Polls show …", "records also show …": a cue that is a common word ("a talk show", "show up")
        reports only after a noun of evidence."""
        nouns = self.subjects.get(phrase)
        if nouns is None:
            return False
        at, lower = start - 1, words_of(doc).lower
        while at > sent.start and lower[at] in self.preludes:
            at -= 1
        return at < sent.start or lower[at] not in nouns

    def _passive(self, doc: Doc, sent: Span, start: int, end: int) -> bool:
        """"backed by the unions", not "responded by saying" nor "won by 55%"."""
        words = words_of(doc)
        lower = words.lower
        if end + 1 >= sent.end or lower[end] not in self.passive or not lower[end - 1].endswith("ed"):
            return False
        agent = lower[end + 1]
        return words.alpha[end + 1] and not agent.endswith("ing") and agent not in self.means

    def _followed(self, doc: Doc, sent: Span, end: int, phrase: str) -> bool:
        phrases = self.after.get(phrase)
        if not phrases:
            return False
        words = words_of(doc).lower[end : max(end, min(end + 3, sent.end))]
        return any(tuple(words[: len(p)]) == p for p in phrases)


class CueFinder:
    """Finds the phrase matches of a doc and the cues of a sentence, for one language."""

    def __init__(self, nlp: Language, words: Lexicon) -> None:
        self.participles = words.table("participle_cues")
        self.auxiliaries = words.words("auxiliaries")
        self.agents = words.words("passive_agents")  # "door": the speaker of a passive participle follows it
        self.verb_cues = {**words.table("cues"), **self.participles}
        self.prep_cues = words.table("preposition_cues")
        self.separable = {tuple(k.split()): v for k, v in words.table("separable_cues").items()}
        # particles that are also common prepositions ("sprak op Twitter van …"): only this few words after the verb
        self.particle_reach = words.table("particle_reach")
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for prefix, table in (("v", self.verb_cues), ("p", self.prep_cues)):
            for phrase in table:
                self.matcher.add(f"{prefix}:{phrase}", [nlp.make_doc(phrase)])
        for name in PHRASE_LISTS:
            for phrase in words.words(name):
                self.matcher.add(f"{name}:{phrase}", [nlp.make_doc(phrase)])
        self.negations = words.words("negations")
        self.call_words = {w for w in self.verb_cues if w.startswith(("call", "noem", "described"))}
        self.title_case = bool(words.raw.get("title_case_headlines"))
        self.senses = Senses(words)

    def matches(self, doc: Doc) -> Found:
        """Every phrase match of the doc, separable verbs ("meldt … aan") included."""
        found = Found()
        for match_id, start, end in self.matcher(doc):
            kind, phrase = doc.vocab.strings[match_id].split(":", 1)
            found.add(kind, phrase, start, end)
        if self.separable:
            self._separable(doc, found)
        return found

    def _separable(self, doc: Doc, found: Found) -> None:
        verbs = {verb for verb, _ in self.separable}
        lower = words_of(doc).lower
        for sent in ext(doc, "sentences"):
            words = lower[sent.start : sent.end]
            if verbs.isdisjoint(words):
                continue
            for k, word in enumerate(words):
                if word not in verbs:
                    continue
                for (verb, particle), stance in self.separable.items():
                    reach = self.particle_reach.get(particle, len(words))
                    if word == verb and particle in words[k + 1 : k + 1 + reach]:
                        found.add("v", f"{verb} {particle}", sent.start + k, sent.start + k + 1, stance)

    def _auxiliary(self, doc: Doc, sent: Span, start: int) -> int | None:
        """The nearest auxiliary before a participle in its clause ("heeft zondag laten weten")."""
        words = words_of(doc)
        lower, text = words.lower, words.text
        for i in range(start - 1, max(sent.start, start - AUXILIARY_REACH) - 1, -1):
            if lower[i] in self.auxiliaries:
                return i
            if text[i] in (".", ";", ":") or lower[i] in ("dat", "that") and i + 1 != start:
                return None  # "heeft gezegd dat …" ends the clause; "heeft dat ontkend" has "dat" as object
        return None

    def _agent(self, doc: Doc, sent: Span, start: int) -> int | None:
        """The "door" of a passive before its participle ("werd door de Oekraïners tegengesproken")."""
        words = words_of(doc)
        for i in range(start - 1, max(sent.start, start - AGENT_REACH) - 1, -1):
            if words.lower[i] in self.agents:
                return i
            if words.punct[i]:
                return None
        return None

    @staticmethod
    def _not_cue(start: int, found: Found) -> bool:
        """"a liberal think tank": a cue word inside a phrase that is a noun."""
        return any(s <= start < e for s, e in found.by_kind.get("not_cues", ()))

    def cues(self, doc: Doc, sent: Span, found: Found) -> list[Cue]:
        """The cues of a sentence in text order, each with its stance."""
        cues, headline = [], None  # whether the sentence is a headline in Title Case, asked once and only if need be
        for kind, phrase, start, end, stance in found.longest(sent, ("v", "p")):
            named = in_name(doc, sent, start)
            if named and headline is None:
                headline = self.title_case and title_case(sent)
            if named and not headline or self._not_cue(start, found) or self.senses.other(doc, sent, start, end, phrase):
                continue  # "the United States", a headline in Title Case: a name, not a verb; "Kremlin-backed": no verb
            table = self.verb_cues if kind == "v" else self.prep_cues
            cue = Cue(start, end, stance or table.get(phrase, "assert"), kind == "p")
            if kind == "v" and phrase in self.participles:
                cue.agent = self._agent(doc, sent, start) if self.agents else None  # "zijn door X ontkend"
                cue.anchor = self._auxiliary(doc, sent, start)
                if cue.anchor is None and cue.agent is None:
                    continue  # "er werd gemeld", "de gemelde aanval": no speaker stands by it
            if phrase in self.call_words:
                if found.has(doc[end : sent.end], "deny_objects"):
                    cue.stance = "deny"
                else:
                    cue.needs_subject = True
            if cue.stance == "confirm" and not self.negations.isdisjoint(words_of(doc).lower[max(sent.start, start - 3) : min(end + 3, len(doc))]):
                cue.stance, cue.negated = "report", True  # "could not confirm", "kan niet bevestigen"
            cues.append(cue)
        return cues
