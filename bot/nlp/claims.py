"""Claims: every attributed statement, with its speaker, actor, cue, stance, content, numbers,
places and event date; sentences of fact without a speaker become the outlet's own reports.

Patterns: "X claims (that) Y", "Y, X said", "Y, zegt X", "according to X, Y", "volgens X Y",
quotes with the speaker on either side, the headline "X: 'Y'", a speaker carried to the next
sentence of reported speech, "Dat meldt X" (the sentence before), a denial that refers to an
earlier claim of the other side, and two sources in one sentence (each cue owns its segment)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from bot.nlp.antecedents import described_side, earlier_speaker
from bot.nlp.gazetteer import shared
from bot.nlp.lexicon import lexicon
from bot.nlp.model import Claim
from bot.nlp.speakers import Speakers

QUOTES = frozenset("\"'“”‘’„«»") | {"''", "``", ",,"}
SEPARATORS = QUOTES | {",", ":", ";", "-", "–", "—"}
NAMED_AREAS = frozenset({"donbas", "dpr", "lpr", "crimea", "ukraine", "russia", "belarus", "black_sea", "sea_of_azov"})


@dataclass(slots=True)
class Cue:
    """A cue in the text: token range, stance, and whether it is a preposition ("volgens")."""

    start: int
    end: int
    stance: str
    prep: bool
    negated: bool = False  # "could not confirm": the claim it sits in becomes a neutral report
    needs_subject: bool = False  # "X calls it Y" counts; "a village called Y" does not


class ClaimFinder:
    """Sets doc._.claims."""

    def __init__(self, nlp: Language, cache_dir: str) -> None:
        words = lexicon(nlp.lang)
        gazetteer = shared(cache_dir)
        self.country_of = lambda slug: gazetteer.get(slug).country if gazetteer.get(slug) else None
        self.speakers = Speakers(words, self.country_of)
        self.verb_cues, self.prep_cues = words.table("cues"), words.table("preposition_cues")
        self.separable = {tuple(k.split()): v for k, v in words.table("separable_cues").items()}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for prefix, table in (("v", self.verb_cues), ("p", self.prep_cues)):
            for phrase in table:
                self.matcher.add(f"{prefix}:{phrase}", [nlp.make_doc(phrase)])
        for name in ("war_terms", "back_reference", "deny_objects", "reported_speech", "furniture"):
            for phrase in words.words(name):
                self.matcher.add(f"{name}:{phrase}", [nlp.make_doc(phrase)])
        self.negations = words.words("negations")
        self.conjunctions = words.words("conjunctions")
        self.subordinators = words.words("subordinators")
        self.call_words = {w for w in self.verb_cues if w.startswith(("call", "noem", "described"))}
        self.after_verb = bool(words.raw.get("speaker_after_verb"))

    def __call__(self, doc: Doc) -> Doc:
        """Find the claims of every sentence, in order."""
        found = self._matches(doc)
        marks = ({i for a in doc._.actors for i in range(a.start, a.end)},
                 {i for d in doc._.dates for i in range(d.start, d.end)})
        state = _Article(doc, self.country_of, self.conjunctions)
        for index, sent in enumerate(doc._.sentences):
            if not sent.text.strip() or found.has(sent, "furniture"):
                continue
            made = (self._back_reference(doc, sent, index, found, marks, state)
                    or self._attributed(doc, sent, index, found, marks, state)
                    or self._headline(doc, sent, index, marks, state)
                    or self._carried(doc, sent, index, found, state)
                    or self._report(doc, sent, index, found, state))
            for claim in made or ():
                state.add(claim, found.has(sent, "war_terms"))
        doc._.claims = state.claims
        return doc

    def _matches(self, doc: Doc) -> _Found:
        found = _Found()
        for match_id, start, end in self.matcher(doc):
            kind, phrase = doc.vocab.strings[match_id].split(":", 1)
            found.add(kind, phrase, start, end)
        if self.separable:
            verbs = {verb for verb, _ in self.separable}
            for sent in doc._.sentences:
                words = [t.lower_ for t in sent]
                for k, word in enumerate(words):
                    if word not in verbs:
                        continue
                    for (verb, particle), stance in self.separable.items():
                        if word == verb and particle in words[k + 1 :]:
                            found.add("v", f"{verb} {particle}", sent.start + k, sent.start + k + 1, stance)
        return found

    def _cues(self, doc: Doc, sent: Span, found: _Found) -> list[Cue]:
        cues = []
        for kind, phrase, start, end, stance in found.longest(sent, ("v", "p")):
            if _in_name(doc, sent, start):
                continue  # "the United States", a headline in Title Case: a name, not a verb
            table = self.verb_cues if kind == "v" else self.prep_cues
            cue = Cue(start, end, stance or table.get(phrase, "assert"), kind == "p")
            if phrase in self.call_words:
                if found.has(doc[end : sent.end], "deny_objects"):
                    cue.stance = "deny"
                else:
                    cue.needs_subject = True
            if cue.stance == "confirm" and any(t.lower_ in self.negations for t in doc[max(sent.start, start - 3) : end + 3]):
                cue.stance, cue.negated = "report", True  # "could not confirm", "kan niet bevestigen"
            cues.append(cue)
        return cues

    def _attributed(self, doc, sent, index, found, marks, state) -> list[Claim]:
        cues = self._cues(doc, sent, found)
        negated = [c for c in cues if c.negated]
        cues = [c for c in cues if not c.negated]
        # "X said it had verified …": a second cue whose subject is a pronoun belongs to the first claim.
        cues = [c for k, c in enumerate(cues) if k == 0 or self._opens_segment(doc, sent, c, marks)]
        # Each cue owns the text up to where the next cue's speaker begins ("…, while Moscow says …").
        starts = [self._segment_start(doc, sent, cue, marks) for cue in cues]
        claims, bound = [], sent.start
        for k, cue in enumerate(cues):
            limit = starts[k + 1] if k + 1 < len(cues) else sent.end
            made = self._for_cue(doc, sent, index, cue, bound, max(limit, cue.end), marks, state)
            if made is not None:
                claims.append(made)
                bound = max(bound, cue.end, made.content[1] if made.content[1] <= limit else limit)
        for claim in claims:  # "X said it could not confirm …" is a neutral report by X
            if any(claim.content[0] <= n.start < claim.content[1] for n in negated):
                claim.stance = "report"
        return claims

    def _opens_segment(self, doc: Doc, sent: Span, cue: Cue, marks) -> bool:
        """A later cue starts a claim of its own only with a speaker of its own ("…, while Moscow
        says …"), not as a verb inside the first claim ("X said it had verified …")."""
        if cue.prep or (cue.start > sent.start and doc[cue.start - 1].text in SEPARATORS):
            return True
        speaker = self.speakers.before(doc, cue.start, sent.start, marks)
        return speaker is not None and not self.speakers.is_pronoun(speaker)

    def _segment_start(self, doc: Doc, sent: Span, cue: Cue, marks) -> int:
        if cue.prep:
            return cue.start
        speaker = self.speakers.before(doc, cue.start, sent.start, marks)
        return speaker.start if speaker is not None else cue.start

    def _for_cue(self, doc, sent, index, cue, bound, limit, marks, state) -> Claim | None:
        if cue.prep:
            speaker = self.speakers.after(doc, cue.end, limit, marks)
            if speaker is None:
                return None
            if speaker.end < limit and doc[speaker.end].text == ",":
                content = (speaker.end + 1, limit)
            elif cue.start > bound and doc[cue.start - 1].text == ",":
                content = (bound, cue.start - 1)
            elif cue.start == bound or cue.start == sent.start:
                content = (speaker.end, limit)  # "Volgens Kiev is dat onwaar"
            else:
                content = (bound, limit)  # "Daar zijn volgens Moskou 600 doden gevallen"
            return state.claim(index, cue, speaker, content, self.speakers)
        before_cue = doc[cue.start - 1].text if cue.start > sent.start else ""
        if before_cue == "," and (speaker := self._appositive(doc, bound, cue.start - 1, marks)) is not None:
            # "Serhiy Cherevatyi, a spokesman for the eastern forces, denied …"
            return state.claim(index, cue, speaker, (self._skip(doc, cue.end, limit), limit), self.speakers)
        if before_cue == "," and (speaker := self._apposition(doc, bound, cue.start - 1, marks)) is not None:
            # "Flynn, a top Trump surrogate, said …": the name and what it is, as one speaker
            return state.claim(index, cue, speaker, (self._skip(doc, cue.end, limit), limit), self.speakers)
        if before_cue in SEPARATORS and cue.start - 1 > bound:
            speaker = self.speakers.after(doc, cue.end, limit, marks)
            if speaker is not None and self.speakers.is_pronoun(speaker) and not self.after_verb and before_cue not in QUOTES:
                speaker = None  # "Jane, a nurse, said she thinks …": English puts no pronoun after the verb but after a quote
            if speaker is not None:  # "…, zegt Kiev" / '"…," said Konashenkov'
                return state.claim(index, cue, speaker, (bound, cue.start - 1), self.speakers)
        speaker = self.speakers.before(doc, cue.start, bound, marks)
        if speaker is not None:
            lead = doc[speaker.start - 1].text if speaker.start > sent.start else ""
            whole = self._appositive(doc, bound, cue.start, marks) if lead == "," else None
            if whole is not None:  # "The mayor of Kramatorsk, Oleksandr Goncharenko, said …"
                return state.claim(index, cue, whole, (self._skip(doc, cue.end, limit), limit), self.speakers)
            if lead in SEPARATORS and speaker.start - 1 > bound and self._content_before(doc, speaker.start - 1, cue.end, limit):
                # "…, X said"; not "Reached by phone, X said that …", whose content follows the verb
                return state.claim(index, cue, speaker, (bound, speaker.start - 1), self.speakers)
            return state.claim(index, cue, speaker, (self._skip(doc, cue.end, limit), limit), self.speakers)
        # "Zondag meldde het leger dat …" has its speaker after the verb; English ("said it would")
        # never does but after a quote or comma, read above.
        speaker = None if cue.needs_subject or not self.after_verb else self.speakers.after(doc, cue.end, limit, marks)
        if speaker is None:
            return None
        return state.claim(index, cue, speaker, (self._skip(doc, speaker.end, limit), limit), self.speakers)

    def _content_before(self, doc: Doc, separator: int, cue_end: int, limit: int) -> bool:
        """Whether "Y, X said" has its content before the speaker: a quote closes there, or nothing
        but an adjunct ("in an interview", "on Sunday") follows the verb."""
        if doc[separator].text in QUOTES or (separator > 0 and doc[separator - 1].text in QUOTES):
            return True
        words = [t for t in doc[cue_end:limit] if t.is_alpha]
        return not words or words[0].lower_ in self.speakers.blockers or len(words) <= 2

    def _appositive(self, doc: Doc, bound: int, end: int, marks) -> Span | None:
        """A speaker in two or three comma-separated name parts filling bound..end."""
        while end > bound and doc[end - 1].text == ",":
            end -= 1
        cursor, parts = end, 0
        while cursor > bound and parts < 3:
            part = self.speakers.before(doc, cursor, bound, marks)
            start = part.start if part is not None else self._np_start(doc, cursor, bound, marks)
            if start is None or start == cursor:
                return None
            parts += 1
            if start == bound:
                return doc[bound:end] if parts > 1 else None
            if doc[start - 1].text != ",":
                return None
            cursor = start - 1
        return None

    def _apposition(self, doc: Doc, bound: int, comma: int, marks) -> Span | None:
        """"Name, a/the description, said": the name before an apposition that opens with a determiner."""
        opening = next((i for i in range(comma - 1, max(bound, comma - 30) - 1, -1) if doc[i].text == ","), None)
        if opening is None or opening + 1 >= comma or doc[opening + 1].lower_ not in self.speakers.determiners:
            return None
        if any(t.text in QUOTES or t.text in (";", ":") for t in doc[opening:comma]):
            return None
        name = self.speakers.before(doc, opening, bound, marks)
        if name is None or not self.speakers.named(doc, name, marks[0]) and not any(t.text[:1].isupper() for t in name):
            return None
        if name.start > bound and doc[name.start - 1].text not in SEPARATORS:
            return None  # the name must open its clause: "…, Jane Roe, a nurse, said"
        return doc[name.start:comma]

    def _np_start(self, doc: Doc, end: int, bound: int, marks) -> int | None:
        start = end
        while start > bound and self.speakers.part(doc[start - 1], *marks):
            start -= 1
        return start if start < end else None

    def _skip(self, doc: Doc, start: int, limit: int) -> int:
        # "said Thursday that …", "said in a statement that …": the content starts after "that".
        near = next((i for i in range(start, min(start + 5, limit)) if doc[i].lower_ in self.subordinators), None)
        if near is not None and not any(t.text in QUOTES or t.text in SEPARATORS - {","} for t in doc[start:near]):
            start = near
        while start < limit and (doc[start].lower_ in self.subordinators or doc[start].text in (":", ",")):
            start += 1
        return start

    def _back_reference(self, doc, sent, index, found, marks, state) -> list[Claim] | None:
        refs = [m for m in found.longest(sent, ("back_reference",)) if m[2] == sent.start]
        previous = state.last_sentence_span(index)
        if not refs or previous is None:
            return None
        cues = self._cues(doc, sent, found)
        if not cues:
            return None
        # "Dat meldt het ministerie" has the speaker after the cue; "That is what X said", before.
        speaker = (self.speakers.after(doc, cues[0].end, sent.end, marks)
                   or self.speakers.before(doc, cues[0].start, sent.start + 1, marks))
        if speaker is None:
            return None
        state.drop_reports(index - 1)
        return [state.claim(index - 1, cues[0], speaker, previous, self.speakers)]

    def _headline(self, doc, sent, index, marks, state) -> list[Claim] | None:
        colon = next((t.i for t in sent[:8] if t.text == ":"), None)
        if colon is None or colon + 1 >= sent.end:
            return None
        speaker = self.speakers.before(doc, colon, sent.start, marks)
        if speaker is None or speaker.start != sent.start or not self.speakers.named(doc, speaker, marks[0]):
            return None
        return [state.claim(index, Cue(colon, colon + 1, "assert", False), speaker, (colon + 1, sent.end), self.speakers)]

    def _carried(self, doc, sent, index, found, state) -> list[Claim] | None:
        quoted = sent[0].text in QUOTES
        if not (quoted or found.has(sent, "reported_speech")):
            return None
        source = state.attributed_in(index - 1)
        if source is None:
            return None
        claim = Claim(index, source.stance if source.stance != "deny" else "assert", (sent.start, sent.end),
                      speaker=source.speaker, actor=source.actor, side=source.side, carried=True, resolved=source.resolved)
        return [claim]

    def _report(self, doc, sent, index, found, state) -> list[Claim] | None:
        facts = found.has(sent, "war_terms") or any(q.start >= sent.start and q.end <= sent.end for q in doc._.quantities)
        if not (facts or state.places_in(sent)):
            return None
        return [Claim(index, "report", (sent.start, sent.end))]


def _in_name(doc: Doc, sent: Span, start: int) -> bool:
    """A capitalised cue word after a capitalised word, inside a sentence: part of a name."""
    return (start > sent.start and doc[start].text[:1].isupper() and doc[start - 1].text[:1].isupper()
            and not doc[start - 1].is_sent_start)


def _end(doc: Doc, content: tuple[int, int]) -> int:
    return content[1]


class _Found:
    """Phrase matches by kind, for quick questions about a sentence."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, int, int, str | None]] = []
        self.by_kind: dict[str, list[tuple[int, int]]] = {}
        self.by_item: dict[str, list[tuple[str, str, int, int, str | None]]] = {}

    def add(self, kind: str, phrase: str, start: int, end: int, stance: str | None = None) -> None:
        self.items.append((kind, phrase, start, end, stance))
        self.by_kind.setdefault(kind, []).append((start, end))
        self.by_item.setdefault(kind, []).append((kind, phrase, start, end, stance))

    def has(self, span: Span, kind: str) -> bool:
        return any(span.start <= s and e <= span.end for s, e in self.by_kind.get(kind, ()))

    def longest(self, span: Span, kinds: tuple[str, ...]) -> list[tuple[str, str, int, int, str | None]]:
        """Matches of these kinds in the span, longest first where they overlap, in text order."""
        inside = [m for kind in kinds for m in self.by_item.get(kind, ()) if span.start <= m[2] and m[3] <= span.end]
        taken: set[int] = set()
        kept = []
        for match in sorted(inside, key=lambda m: (-(m[3] - m[2]), m[2])):
            if taken.isdisjoint(range(match[2], match[3])):
                kept.append(match)
                taken.update(range(match[2], match[3]))
        return sorted(kept, key=lambda m: m[2])


class _Article:
    """The claims made so far in one document, and what later sentences need from them."""

    def __init__(self, doc: Doc, country_of, conjunctions: frozenset[str]) -> None:
        self.doc, self.country_of, self.conjunctions = doc, country_of, conjunctions
        self.claims: list[Claim] = []
        self.sentences = doc._.sentences

    def _ours(self, slug: str) -> bool:
        return slug in NAMED_AREAS or self.country_of(slug) in ("UA", "RU", "BY")

    def places_in(self, sent: Span) -> list[str]:
        return [p.slug for p in self.doc._.places if sent.start <= p.start < sent.end and not p.as_actor and self._ours(p.slug)]

    def claim(self, index: int, cue: Cue, speaker: Span, content: tuple[int, int], speakers: Speakers) -> Claim:
        resolved = None
        if speakers.is_pronoun(speaker) and (source := self.attributed_in(index - 1, any_before=True)):
            actor, side = source.actor, source.side
            resolved = source.resolved or source.speaker
        else:
            actor, side = speakers.actor(self.doc, speaker)
        if actor == "unknown" and resolved is None:
            if (source := earlier_speaker(self.doc, self.claims, speaker)) is not None:
                actor, side, resolved = source.actor, source.side, source.resolved or source.speaker
            elif (found := described_side(self.doc, speaker, speakers.sides)) is not None:
                side = found
        for mention in self.doc._.places:  # "Kiev ontkent": the capital speaks
            if speaker.start <= mention.start and mention.end <= speaker.end:
                mention.as_actor = True
        refers = None
        if cue.stance == "deny":
            refers = next((i for i in range(len(self.claims) - 1, -1, -1)
                           if self.claims[i].stance in ("assert", "report") and self.claims[i].side != side
                           and self.claims[i].speaker is not None), None)
        return Claim(index, cue.stance, content, speaker=(speaker.start, speaker.end), cue=(cue.start, cue.end),
                     actor=actor, side=side, refers_to=refers, resolved=resolved)

    def attributed_in(self, index: int, any_before: bool = False) -> Claim | None:
        for claim in reversed(self.claims):
            if claim.speaker is not None and (claim.sentence == index or (any_before and claim.sentence <= index)):
                return claim
        return None

    def last_sentence_span(self, index: int) -> tuple[int, int] | None:
        if index == 0:
            return None
        previous = self.sentences[index - 1]
        return (previous.start, previous.end) if previous.text.strip() else None

    def drop_reports(self, index: int) -> None:
        self.claims = [c for c in self.claims if not (c.sentence == index and c.speaker is None)]

    def add(self, claim: Claim, war_words: bool) -> None:
        sent = self.sentences[claim.sentence]
        start, end = claim.content
        while start < end and (self.doc[start].is_punct or self.doc[start].is_space):
            start += 1
        while end > start and (self.doc[end - 1].is_punct or self.doc[end - 1].is_space
                               or self.doc[end - 1].lower_ in self.conjunctions):
            end -= 1
        claim.content = (start, end)
        claim.numbers = [q for q in self.doc._.quantities if start <= q.start and q.end <= end]
        claim.places = sorted({p.slug for p in self.doc._.places
                               if sent.start <= p.start < sent.end and not p.as_actor})
        dates = [d for d in self.doc._.dates if start <= d.start < end] or \
                [d for d in self.doc._.dates if sent.start <= d.start < sent.end]
        claim.event_date = dates[0].first if dates else self.doc._.published
        claim.dated = bool(dates)
        claim.war_words = war_words
        self.claims.append(claim)  # every claim: whether it concerns the war is the relevance step's call


@Language.factory("fb_claims", default_config={"cache_dir": "data/cache"})
def make_claims(nlp: Language, name: str, cache_dir: str) -> ClaimFinder:
    """Factory: the claim finder for the pipeline's language."""
    return ClaimFinder(nlp, cache_dir)
