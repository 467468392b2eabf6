"""Speakers: the noun phrase next to a cue, and the actor it names.

Without a trained parser, a speaker phrase is a run of tokens that can belong to a name or title:
capitalised words, actor names, determiners, speaker nouns ("woordvoerder", "ministry"), side words
("Russische", "Ukrainian") and connectors ("van", "of"). A run counts as a speaker only if it holds
an actor name, a speaker noun or a proper name."""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from bot.nlp import subjects
from bot.nlp.antecedents import local_side
from bot.nlp.docindex import indexed
from bot.nlp.lexicon import Lexicon, actor_side

TAG_PART = re.compile(r"^(?:[A-Z][A-Za-z.]*|-|\.)$")  # "(D-Ga.)", "(R)": a party and state after a name


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

    def part(self, token: Token, actor_tokens: set[int], date_tokens: set[int]) -> bool:
        """Whether a token can belong to a speaker phrase."""
        if token.i in date_tokens:
            return False
        if token.i in actor_tokens or token.lower_ in self.allowed or self._compound_noun(token.lower_):
            return True
        if token.text in ("-", "'s", "’s"):
            return True
        if token.text == "/" and self.name_marks and 0 < token.i < len(token.doc) - 1:
            return token.doc[token.i - 1].text[:1].isupper() and token.doc[token.i + 1].text[:1].isupper()  # "CNN/ORC poll"
        if token.lower_ in self.place_links:
            return self._place_link(token, actor_tokens)
        if self.place_links and token.text in ("(", ")"):
            return self._bracketed(token)
        if self.name_marks and self._name_mark(token):
            return True
        return token.text[:1].isupper() and self._word(token) or self._inflected(token, actor_tokens)

    def _place_link(self, token: Token, actor_tokens: set[int]) -> bool:
        """"in" between a speaker's noun and a capitalised name: where the speaker sits, part of the phrase."""
        doc = token.doc
        if token.i == 0 or token.i + 1 >= len(doc) or not doc[token.i + 1].text[:1].isupper():
            return False
        previous = doc[token.i - 1]
        return (previous.lower_ in self.nouns or previous.lower_ in self.body_nouns or previous.i in actor_tokens
                or self._compound_noun(previous.lower_)) and not self.is_pronoun(doc[previous.i : previous.i + 1])

    def _bracketed(self, token: Token) -> bool:
        """"het Institute for the Study of War (ISW)", "minister Hoekstra (Buitenlandse Zaken)": a bracketed
        acronym or name of up to three capitalised words inside a speaker."""
        doc, i = token.doc, token.i
        step = 1 if token.text == "(" else -1
        other = next((j for j in range(i + step, i + 5 * step, step) if 0 <= j < len(doc) and doc[j].text in "()"), None)
        if other is None or doc[other].text == token.text or abs(other - i) < 2:
            return False
        opening = min(i, other)
        return opening > 0 and doc[opening - 1].text[:1].isupper() and all(t.text[:1].isupper() for t in doc[opening + 1 : max(i, other)])

    def seat(self, span: Span) -> Span:
        """A diplomat without where it sits ("de ambassadeur in Turkije" → "de ambassadeur"); others whole."""
        cut = next((t.i for t in span if t.lower_ in self.place_links and t.i > span.start), span.end)
        if not any(t.lower_ in self.abroad for t in span.doc[span.start : cut]):
            return span  # "de regering in Kiev" is Kiev's government; "de ambassadeur in Turkije" serves another
        return span.doc[span.start : cut]

    def _word(self, token: Token) -> bool:
        # "Wit-Russische", "VN-baas", "Azov-bataljon": a hyphenated name is one word of the phrase
        return token.is_alpha or self.compounds and all(part.isalpha() for part in token.text.split("-"))

    def _nominal(self, token: Token, actor_tokens: set[int]) -> bool:
        word = token.lower_
        return (token.i in actor_tokens or word in self.nouns or word in self.sides or word in self.roles
                or self._compound_noun(word) or token.text[:1].isupper() and token.is_alpha)

    def _inflected(self, token: Token, actor_tokens: set[int]) -> bool:
        """"de gevluchte burgemeester", "het extremistische Azov-bataljon": an inflected adjective between
        an article (or the phrase's edge) and a noun of the speaker; not a verb after a name ("Kiev meldde")."""
        if not self.adjective_endings or not (token.is_alpha and token.is_lower and len(token) > 4) or token.is_stop:
            return False
        if not token.lower_.endswith(self.adjective_endings) or token.i + 1 >= len(token.doc):
            return False
        following = token.doc[token.i + 1]
        if not (self._nominal(following, actor_tokens) or following.lower_ in self.allowed - self.determiners - self.connectors):
            return False
        previous = token.doc[token.i - 1] if token.i > 0 else None
        return previous is None or not (previous.text[:1].isupper() or previous.lower_ in self.nouns)

    def _name_mark(self, token: Token) -> bool:
        """An initial ("Paul R. Pillar"), the stop of a split title ("Lt . Gov."), a party tag ("(D-Ga.)")
        or the apostrophe of a plural possessive ("Sanders’ campaign")."""
        text, doc, i = token.text, token.doc, token.i
        if len(text) == 2 and text[0].isupper() and text[1] == ".":
            return True
        if text[:1].isupper() and len(text) > 2 and text.replace("'", "").replace("’", "").isalpha():
            return True  # "O'Hanlon", "D’Amato"
        if text == "." and i > 0 and doc[i - 1].lower_ + "." in self.titles and not doc[i - 1].whitespace_:
            return True
        if text in ("'", "’") and i > 0 and doc[i - 1].lower_.endswith("s") and not doc[i - 1].whitespace_ and token.whitespace_:
            return True
        return self._in_tag(doc, i)

    def _in_tag(self, doc: Doc, i: int) -> bool:
        opening = next((j for j in range(i, max(-1, i - 7), -1) if doc[j].text == "("), None)
        if opening is None or opening == 0 or not doc[opening - 1].text[:1].isupper():
            return False
        closing = next((j for j in range(opening + 1, min(len(doc), opening + 7)) if doc[j].text == ")"), None)
        return (closing is not None and closing > opening + 1 and i <= closing
                and all(TAG_PART.match(t.text) for t in doc[opening + 1 : closing]))

    def before(self, doc: Doc, end: int, limit: int, marks: tuple[set[int], set[int]]) -> Span | None:
        """The speaker phrase ending just before token `end` (not before `limit`)."""
        start = end
        while start > limit and end - start < 10 and self.part(doc[start - 1], *marks) and not self._clause_edge(doc[start - 1]):
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
        while start < limit - 1 and doc[start].lower_ in self.particles:
            start += 1  # "meldt zowel de krant als …", "zegt ook Kiev"
        end = start
        while end < limit and end - start < 10 and self.part(doc[end], *marks) and not (end > start and self._clause_edge(doc[end])):
            end += 1
        return self._trimmed(doc, start, end, marks[0])

    def coordinated(self, doc: Doc, speaker: Span, sent: Span, limit: int, marks: tuple[set[int], set[int]]) -> Span | None:
        """The other speaker joined to this one ("Rusland en Oekraïne beschuldigen …", "meldt zowel X als Y"),
        when it opens the clause or closes it; None in languages without coordinators."""
        if not self.coordinators or self.is_pronoun(speaker):
            return None
        joint = speaker.start - 1
        if joint > sent.start and doc[joint].lower_ in self.coordinators:
            other = self.before(doc, joint, sent.start, marks)
            if other is not None and len(other) > 1 and doc[other.start].lower_ in self.particles:
                other = doc[other.start + 1 : other.end]  # "…: Zowel de Russen als de Oekraïners claimen …"
            edge = other.start - 1 if other is not None else None
            if other is not None and (edge < sent.start or doc[edge].lower_ in self.openers | self.particles
                                      or doc[edge].text in (",", ":", ";") and self.compounds):  # "…, Rusland en Oekraïne wijzen …"
                return None if self.is_pronoun(other) else other
        if speaker.end + 1 < limit and doc[speaker.end].lower_ in self.coordinators:
            other = self.after(doc, speaker.end + 1, limit, marks)
            if other is not None and other.start == speaker.end + 1 and not self.is_pronoun(other) and (
                    other.end >= limit or doc[other.end].is_punct or doc[other.end].lower_ in self.subordinators):
                return other
        return None

    def listed(self, doc: Doc, first: Span, sent: Span, marks: tuple[set[int], set[int]]) -> list[Span]:
        """"De VN, Washington en de EU veroordeelden …": the speakers listed with commas before the first of
        a pair, when the list opens its clause; none in languages without coordinators."""
        found = []
        while self.coordinators and first.start - 1 > sent.start and doc[first.start - 1].text == ",":
            other = self.before(doc, first.start - 1, sent.start, marks)
            if other is None or self.is_pronoun(other) or not self.named(doc, other, marks[0]) and not other[0].text[:1].isupper():
                break
            found.append(other)
            first = other
        edge = first.start - 1
        return found if edge < sent.start or doc[edge].lower_ in self.openers | self.particles else []

    def _clause_edge(self, token: Token) -> bool:
        # "zei een adviseur dat Russische troepen …": the speaker ends where the reported clause opens.
        return token.lower_ in self.subordinators

    def _compound_noun(self, word: str) -> bool:
        # "legerwoordvoerder", "Kremlinwoordvoerder": a compound ending in a speaker noun.
        return self.compounds and len(word) > 8 and any(word.endswith(n) for n in self.nouns if len(n) >= 6)

    def _trimmed(self, doc: Doc, start: int, end: int, actor_tokens: set[int]) -> Span | None:
        while start < end - 1 and doc[start].lower_ in self.particles and (start == 0 or doc[start - 1].is_sent_end
                                                                          or doc[start].is_sent_start):
            start += 1  # "Ook het Britse ministerie meldt …": the particle opens the sentence, the subject follows
        if start < end and doc[start].lower_ in self.blockers and start not in actor_tokens:
            return None  # "Op Telegram schreef …": a prepositional phrase, not a speaker
        while start < end and (doc[start].lower_ in self.connectors - self.determiners or doc[start].lower_ in self.openers
                               or doc[start].text in ("-", "–", "—")):
            start += 1
        # A name never ends in "van", "the" or "dat"; "volgens haar" is a pronoun, not an article.
        while end > start and (doc[end - 1].lower_ in self.connectors | self.determiners or doc[end - 1].text == "-") \
                and not (end - start == 1 and self.is_pronoun(doc[start:end]) and self.narrated):
            end -= 1
        if start >= end:
            return None
        span = doc[start:end]
        return span if self._is_speaker(span, actor_tokens) else None

    def _is_speaker(self, span: Span, actor_tokens: set[int]) -> bool:
        for token in span:
            if token.i in actor_tokens or token.lower_ in self.nouns or self._compound_noun(token.lower_):
                return True
            if token.text[:1].isupper() and not (token.is_sent_start and token.is_stop):
                return True
        return False

    def named(self, doc: Doc, span: Span, actor_tokens: set[int]) -> bool:
        """Whether the phrase holds an actor name or a speaker noun (not just a capital)."""
        return any(t.i in actor_tokens or t.lower_ in self.nouns or self._compound_noun(t.lower_) for t in span)

    def is_pronoun(self, span: Span) -> bool:
        """'he', 'zij': a speaker that stands for an earlier one."""
        return len(span) == 1 and span[0].lower_ in self.pronouns

    def kind(self, doc: Doc, span: Span) -> str:
        """'person' or 'body': what a speaker phrase names, for the pronouns that may stand for it."""
        if self.is_pronoun(span):
            return self.pronoun_kinds[span[0].lower_]
        span = self.seat(span)
        # "het hoofd van de inlichtingendienst" is a person: the head comes before "van"/"of"
        edge = next((t.i for t in span if t.lower_ in self.connectors and t.i > span.start and t.is_alpha), span.end)
        last = next((t for t in reversed(span.doc[span.start : edge]) if t.is_alpha), None)
        if last is None or last.lower_ in self.body_nouns or self._compound_body(last.lower_):
            return "body"
        if any(t.is_upper and len(t) > 1 and t.is_alpha for t in span):
            return "body"  # "ISW", "FSB", "EBU"
        if indexed(doc, "places").covering(last.i):
            return "body"  # "Kiev ontkent": a place speaks for its government
        return "person"

    def _compound_body(self, word: str) -> bool:
        return self.compounds and len(word) > 8 and any(word.endswith(n) for n in self.body_nouns if len(n) >= 6)

    def actor(self, doc: Doc, span: Span) -> tuple[str, str]:
        """The actor id and side a speaker phrase names."""
        span = self.seat(span)
        inside = indexed(doc, "actors").inside(span.start, span.end)
        if inside:
            best = max(inside, key=lambda a: a.end - a.start)
            return best.actor, best.side
        lowered = [t.lower_ for t in span]
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
