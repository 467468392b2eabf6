"""The claims of one article as reading makes them: each new claim takes its speaker's actor and side
(through a pronoun, an earlier mention or a describing word), a denial points at the claim of the
other side it answers, and every claim gets its content trimmed and its numbers, places and date."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from bot.nlp.antecedents import (QUOTE_MARKS, described_side, earlier_actor, earlier_speaker, local_official_side,
                                 narrated_speaker, opening_subject, role_side)
from bot.nlp.cues import Cue
from bot.nlp.docindex import blank_sentences, indexed
from bot.nlp.model import Claim
from bot.nlp.speakers import Speakers
from bot.nlp.tokenfacts import ext

ANTECEDENT_REACH = 4  # sentences back a pronoun may look for the speaker it stands for
NAMED_AREAS = frozenset({"donbas", "dpr", "lpr", "crimea", "ukraine", "russia", "belarus", "black_sea", "sea_of_azov"})


def _holds(words: list[str], phrase: list[str], slack: int = 4) -> bool:
    """Whether the words hold the phrase in order, with a few words between ("niets met de aanval te maken")."""
    for first in (i for i, w in enumerate(words) if w == phrase[0]):
        at, ok = first, True
        for part in phrase[1:]:
            at = next((j for j in range(at + 1, min(len(words), first + len(phrase) + slack)) if words[j] == part), None)
            if at is None:
                ok = False
                break
        if ok:
            return True
    return False


class Article:
    """The claims made so far in one document, and what later sentences need from them."""

    def __init__(self, doc: Doc, country_of: Callable[[str], str | None], conjunctions: frozenset[str],
                 denials: frozenset[str] = frozenset(), dismissals: frozenset[str] = frozenset()) -> None:
        self.doc, self.country_of, self.conjunctions = doc, country_of, conjunctions
        self.denials, self.dismissals = denials, dismissals
        self.denial_words = [p.split() for p in sorted(denials)]
        self.claims: list[Claim] = []
        self.sentences = ext(doc, "sentences")

    def _ours(self, slug: str) -> bool:
        return slug in NAMED_AREAS or self.country_of(slug) in ("UA", "RU", "BY")

    def places_in(self, sent: Span) -> list[str]:
        """Places of the war the sentence names (not as a speaker)."""
        return [p.slug for p in indexed(self.doc, "places").starting(sent.start, sent.end) if not p.as_actor and self._ours(p.slug)]

    def claim(self, index: int, cue: Cue, speaker: Span, content: tuple[int, int], speakers: Speakers) -> Claim:
        """A claim of this speaker, with the actor and side it stands for."""
        resolved, pronoun = None, speakers.is_pronoun(speaker)
        source = self.antecedent(index, speakers.kind(self.doc, speaker), speakers) if pronoun else None
        narrated = None
        if pronoun and speakers.narrated and speaker.start < cue.start:
            narrated = opening_subject(self.doc, self.sentences[index], speaker, speakers)  # "Poetin gaf een interview waarin hij zei …"
        if narrated is None and pronoun and speakers.narrated and index > 0 and (source is None or source.sentence < index - 1):
            # "X keerde zich tegen het besluit. Volgens hem …": the one the sentence before names, newer than any claim
            narrated = narrated_speaker(self.doc, self.sentences[index - 1], speakers.kind(self.doc, speaker), speakers)
            if narrated is None and (source is None or source.sentence < index - 2) and index > 1 and self.sentences[index - 1].text.lstrip()[:1] in QUOTE_MARKS:
                # "X kwam met een andere verklaring. „…” Volgens hem …": the quote between is X's own
                narrated = narrated_speaker(self.doc, self.sentences[index - 2], speakers.kind(self.doc, speaker), speakers)
        if narrated is not None:
            actor, side, resolved = self._identify(index, narrated, speakers)
            resolved = resolved or (narrated.start, narrated.end)
        elif source is not None:
            actor, side = source.actor, source.side
            resolved = source.resolved or source.speaker
        elif pronoun:
            actor, side = speakers.actor(self.doc, speaker)
        else:
            actor, side, resolved = self._identify(index, speaker, speakers)
        for mention in indexed(self.doc, "places").inside(speaker.start, speaker.end):  # "Kiev ontkent": the capital speaks
            mention.as_actor = mention.speaks = True
        refers = self._answered(side) if cue.stance == "deny" else None
        return Claim(index, cue.stance, content, speaker=(speaker.start, speaker.end), cue=(cue.start, cue.end),
                     actor=actor, side=side, refers_to=refers, resolved=resolved, pronoun=pronoun)

    def _identify(self, index: int, speaker: Span, speakers: Speakers) -> tuple[str, str, tuple[int, int] | None]:
        """The actor and side a named speaker stands for, and the earlier speaker it repeats, if any."""
        actor, side = speakers.actor(self.doc, speaker)
        if actor != "unknown":
            return actor, side, None
        speaker = speakers.seat(speaker)  # "de ambassadeur in Oekraïne" is an ambassador, not Ukraine
        if (source := earlier_speaker(self.doc, self.claims, speaker)) is not None:
            return source.actor, source.side, source.resolved or source.speaker
        if (known := earlier_actor(self.doc, speaker)) is not None:
            return known[0], known[1], None
        if (found := described_side(self.doc, speaker, speakers.sides, speakers.civilians)) is not None:
            return actor, found, None
        if speakers.local_descriptions and (found := local_official_side(self.doc, speaker, speakers)) is not None:
            return actor, found, None  # "Alla X, de directeur van … van de regio Odessa"
        if speakers.role_keys and (found := role_side(self.doc, speaker, speakers.role_keys, speakers.sides)) is not None:
            return actor, found, None
        if speakers.role_keys and self._definite_role(speaker, speakers) and (found := self._recent_side(index)) is not None:
            return actor, found, None  # "Moskou erkende de aanval. Het ministerie van Defensie zei echter …"
        return actor, side, None

    def _definite_role(self, speaker: Span, speakers: Speakers) -> bool:
        """"het ministerie van Defensie", "de regering": a definite role with nothing naming whose it is."""
        head = next((t for t in speaker if t.is_alpha and t.lower_ not in speakers.determiners), None)
        return (speaker[0].lower_ in ("de", "het") and head is not None and head.lower_ in speakers.role_keys
                and not any(t.lower_ in speakers.sides for t in speaker))

    def _recent_side(self, index: int) -> str | None:
        """The side of the latest claim of this or the sentence before, when it names one of the war's sides."""
        before = index - 1
        while before > 0 and not self.sentences[before].text.strip():
            before -= 1  # the blank line after a title is no sentence
        for claim in reversed(self.claims):
            if claim.sentence < before:
                return None
            if claim.speaker is not None and claim.side in ("RU", "UA"):
                return claim.side
        return None

    def _answered(self, side: str) -> int | None:
        """The latest claim of another side a denial answers."""
        return next((i for i in range(len(self.claims) - 1, -1, -1)
                     if self.claims[i].stance in ("assert", "report") and self.claims[i].side != side
                     and self.claims[i].speaker is not None), None)

    def _answers(self, claim: Claim) -> bool:
        """"X zegt niets met de aanval te maken te hebben", "there is no question of a blockade", "reports
        of a ban are nonsense": a phrase of denial or dismissal, after a claim of someone else."""
        if claim.stance != "assert" or claim.carried:
            return False
        start, end = claim.content
        words = ext(self.doc, "words").lower
        content = words[start:end]
        present = set(content)  # a phrase whose first word is absent cannot hold
        if not (any(p[0] in present and _holds(content, p) for p in self.denial_words) or not self.dismissals.isdisjoint(present)):
            return False
        return any(c.speaker is not None and c.actor != claim.actor for c in self.claims)

    def antecedent(self, index: int, kind: str, speakers: Speakers) -> Claim | None:
        """The last earlier speaker a pronoun of this kind can stand for ("hij" a person, not "ISW"),
        within a few sentences; None when there is no safe one."""
        for claim in reversed(self.claims):
            if claim.speaker is None or claim.sentence >= index:
                continue
            if index - claim.sentence > ANTECEDENT_REACH:
                return None
            if claim.pronoun and claim.resolved is None:
                continue
            named = self.doc[slice(*(claim.resolved or claim.speaker))]
            if kind == "any" or speakers.kind(self.doc, named) == kind:
                return claim
        return None

    def attributed_in(self, index: int, any_before: bool = False) -> Claim | None:
        """The last claim with a speaker in that sentence (or, with any_before, up to it)."""
        for claim in reversed(self.claims):
            if claim.speaker is not None and (claim.sentence == index or (any_before and claim.sentence <= index)):
                return claim
        return None

    def last_sentence_span(self, index: int) -> tuple[int, int] | None:
        """The token range of the sentence before, unless it is blank."""
        if index == 0:
            return None
        previous = self.sentences[index - 1]
        return None if blank_sentences(self.doc)[index - 1] else (previous.start, previous.end)

    def drop_reports(self, index: int) -> None:
        """Forget the outlet's own report of a sentence that turned out to be attributed."""
        self.claims = [c for c in self.claims if not (c.sentence == index and c.speaker is None)]

    def add(self, claim: Claim, war_words: bool) -> None:
        """Keep a claim, its content trimmed, with its numbers, places and event date."""
        sent = self.sentences[claim.sentence]
        start, end = claim.content
        words = ext(self.doc, "words")
        punct, space, lower = words.punct, words.space, words.lower
        while start < end and (punct[start] or space[start]):
            start += 1
        while end > start and (punct[end - 1] or space[end - 1] or lower[end - 1] in self.conjunctions):
            end -= 1
        claim.content = (start, end)
        if self._answers(claim):
            claim.stance, claim.refers_to = "deny", self._answered(claim.side)
        claim.numbers = indexed(self.doc, "quantities").inside(start, end)
        claim.places = sorted({p.slug for p in indexed(self.doc, "places").starting(sent.start, sent.end) if not p.as_actor})
        dated = indexed(self.doc, "dates")
        dates = dated.starting(start, end) or dated.starting(sent.start, sent.end)
        claim.event_date = dates[0].first if dates else ext(self.doc, "published")
        claim.dated = bool(dates)
        claim.war_words = war_words
        self.claims.append(claim)  # every claim: whether it concerns the war is the relevance step's call
