"""Claims: every attributed statement, with its speaker, actor, cue, stance, content, numbers,
places and event date; sentences of fact without a speaker become the outlet's own reports.

Patterns: "X claims (that) Y", "Y, X said", "Y, zegt X", "according to X, Y", "volgens X Y",
quotes with the speaker on either side, the headline "X: 'Y'", a speaker carried to the next
sentence of reported speech, "Dat meldt X" (the sentence before), a denial that refers to an
earlier claim of the other side, and two sources in one sentence (each cue owns its segment)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.nlp.claimstate import Article
from bot.nlp.cueclaims import CueClaims
from bot.nlp.clauses import Clauses, mark_agents
from bot.nlp.others import Others
from bot.nlp.cues import Cue, CueFinder
from bot.nlp.docindex import blank_sentences
from bot.nlp.gazetteer import shared
from bot.nlp.lexicon import lexicon
from bot.nlp.model import Claim
from bot.nlp.objects import CueObjects
from bot.nlp.spans import QUOTES, SEPARATORS, Spans, inside_quotes, quoted_tokens, sentence_before
from bot.nlp.speakers import Speakers
from bot.nlp.tokenfacts import bounds, ext, facts, text_between, words_of

KNOWN_OPENINGS = 100_000  # first words of sentences whose answer is remembered before starting afresh


class ClaimFinder:
    """Sets doc._.claims."""

    def __init__(self, nlp: Language, cache_dir: str) -> None:
        words = lexicon(nlp.lang)
        gazetteer = shared(cache_dir)
        self.country_of = lambda slug: gazetteer.get(slug).country if gazetteer.get(slug) else None
        self.speakers = Speakers(words, self.country_of)
        self.cues = CueFinder(nlp, words)
        self.spans = Spans(self.speakers, words.words("subordinators"), words.words("speaker_prepositions"))
        self.conjunctions = words.words("conjunctions")
        self.denials = words.words("denials")
        self.locatives = (words.words("place_prepositions") | words.words("object_prepositions") | words.words("determiners")
                          | words.words("place_adjectives"))
        self.attributive_heads = words.words("attributive_heads")
        self.dismissals = frozenset(w for w in words.words("deny_objects") if " " not in w)
        self.relays = bool(words.raw.get("relayed_claims"))  # "…, meldt Reuters" after a claim of its own
        self.clauses = Clauses(words, self.speakers)  # clause shapes, on by lexicon entries
        self.others = Others(self.speakers, self.cues, self.clauses, self.relays)
        self.self_pronouns = words.words("self_pronouns")  # "I think", "we want": a quoted speaker's own words
        self.quote_goes_on = bool(words.raw.get("quote_goes_on"))
        self.participles_after_comma = bool(words.raw.get("participles_after_comma"))
        self.conjoined = bool(words.raw.get("conjoined_cues"))
        self.quoted_cues_nested = bool(words.raw.get("quoted_cues_nested"))
        self.opening_furniture = tuple(f"{w} " for w in words.words("opening_furniture"))  # "Beelden van …:" captions a video
        self.furniture_length = max(map(len, self.opening_furniture), default=0)
        self._may_open: dict[str, bool] = {}  # by a sentence's first word: whether a caption's opening may follow
        self.objects = CueObjects(words, self.cues, self.speakers, self.clauses.back_objects,
                                 bool(words.raw.get("speaker_after_verb")))
        self.single = CueClaims(words, self.speakers, self.spans, self.clauses, self.objects)  # one cue's speaker and content

    def __call__(self, doc: Doc) -> Doc:
        """Find the claims of every sentence, in order."""
        found = self.cues.matches(doc)
        marks = ({i for a in ext(doc, "actors") for i in range(a.start, a.end)},
                 {i for d in ext(doc, "dates") for i in range(d.start, d.end)})
        state = Article(doc, self.country_of, self.conjunctions, self.denials, self.dismissals)
        self.speakers.remember(doc, marks)
        try:
            self._sentences(doc, found, marks, state)
        finally:
            self.speakers.remember(None)
        mark_agents(doc, marks[0], self.locatives, self.attributive_heads)
        doc._.claims = state.claims
        return doc

    def _sentences(self, doc: Doc, found, marks, state: Article) -> None:
        """The claims of each sentence in turn, first shape that fits."""
        consumed, furniture, blank = -1, ext(doc, "furniture") or set(), blank_sentences(doc)
        words = words_of(doc)
        alpha, like_num = words.alpha, facts(doc).like_num
        for index, sent in enumerate(ext(doc, "sentences")):
            if index <= consumed or index in furniture or blank[index] or found.has(sent, "furniture") \
                    or self._opens_with_furniture(words, sent.start, sent.end):
                continue
            made = (self.others.report(doc, sent, index, found, state) if self.only_report(doc, sent, found) else
                    self.others.back_reference(doc, sent, index, found, marks, state)
                    or self._attributed(doc, sent, index, found, marks, state)
                    or self.others.headline(doc, sent, index, marks, state)
                    or self.others.carried(doc, sent, index, found, state)
                    or self.others.report(doc, sent, index, found, state))
            for claim in made or ():
                if self.clauses.back_objects and (pointer := self.clauses.object_before(doc, claim)):
                    claim.content = pointer
                if claim.stance in ("assert", "report") and not any(alpha[i] or like_num[i] for i in range(*claim.content)):
                    following = self.others.following(doc, index)
                    if following is None:
                        continue  # "X said." with nothing said; "Kiev ontkent." answers a claim and stays
                    consumed, claim.content = following[0], (following[1], ext(doc, "sentences")[following[0]].end)
                state.add(claim, found.has(sent, "war_terms"))

    @staticmethod
    def only_report(doc: Doc, sent: Span, found) -> bool:
        """A sentence without a cue, a back reference, reported speech, a poll, an opening quote mark or a
        colon among its first eight tokens can be nothing but the outlet's own report: every other
        shape needs one of these, so none is tried (most sentences of a long article are such)."""
        text = words_of(doc).text
        return (text[sent.start] not in QUOTES and ":" not in text[sent.start : min(sent.start + 8, sent.end)]
                and not found.may_speak(doc, sent))

    def _opens_with_furniture(self, words, start: int, end: int) -> bool:
        """Whether the sentence, white space stripped, opens with a caption's words ("Beelden van …:"); only
        its first words are joined (enough to hold the longest of them)."""
        if not self.opening_furniture:
            return False
        first = next((i for i in range(start, end) if not words.space[i]), None)
        opening = words.text[first].lstrip().lower() if first is not None else ""
        if not self._may_open_with(opening):
            return False  # the first word is neither a caption's opening nor opens with one
        head = ""
        for i in range(start, end):
            head += words.text[i] + (words.ws[i] if i < end - 1 else "")
            if len(head.lstrip()) >= self.furniture_length:
                break
        return head.lstrip().lower().startswith(self.opening_furniture)

    def _may_open_with(self, opening: str) -> bool:
        """Whether a caption's opening starts with this first word or the word with it, asked once per word."""
        known = self._may_open.get(opening)
        if known is None:
            if len(self._may_open) > KNOWN_OPENINGS:
                self._may_open.clear()
            known = self._may_open[opening] = any(p.startswith(opening) or opening.startswith(p) for p in self.opening_furniture)
        return known

    def _attributed(self, doc, sent, index, found, marks, state) -> list[Claim]:
        cues = self.cues.cues(doc, sent, found)
        quoted = quoted_tokens(doc, sent)
        if quoted:  # '"I have to say …," he said': a verb inside a quote is the quote's, not a cue
            cues = [c for c in cues if c.start not in quoted] or cues
        if self.quoted_cues_nested and cues:  # '"… and everyone I meet says so," Roe said': the speech is Roe's
            nested = inside_quotes(doc, sent)
            cues = [c for c in cues if c.start not in nested]
        words = words_of(doc)
        text = words.text
        if self.quote_goes_on and text[sent.start] in QUOTES and state.attributed_in(sentence_before(doc, index)) is not None:
            # 'X said. "They want more time."': the quote of the sentence before goes on; its verbs are X's words
            closing = next((i for i in range(sent.start + 1, sent.end) if text[i] in QUOTES), sent.end)
            cues = [c for c in cues if c.start > closing]
        negated = [c for c in cues if c.negated]
        cues = [c for c in cues if not c.negated]
        # "X, who said …, said …": a relative clause's cue is a claim apart, outside the segments of the others
        relatives = [(cue, found) for cue in cues
                     if (found := self.clauses.relative_subject(doc, sent, cue, self.single.verb_start(doc, cue.start, sent.start), marks))]
        cues = [c for c in cues if all(c is not r for r, _ in relatives)]
        # "X said it had verified …": a second cue whose subject is a pronoun belongs to the first claim.
        cues = [c for k, c in enumerate(cues) if k == 0 or self._opens_segment(doc, sent, c, marks)]
        # Each cue owns the text up to where the next cue's speaker begins ("…, while Moscow says …").
        starts = [self._segment_start(doc, sent, cue, marks) for cue in cues]
        if self.conjoined:  # "X said Russia wanted …": a speaker right after a cue is inside its content
            keep = [k for k in range(len(cues)) if k == 0 or starts[k] > self.spans.skip(doc, cues[k - 1].end, starts[k]) or cues[k].prep
                    or self.clauses.participle(doc, sent, cues[k])]  # '"…," X said, adding that …': a claim of its own
            cues, starts = [cues[k] for k in keep], [starts[k] for k in keep]
        claims, bound = [], sent.start
        for k, cue in enumerate(cues):
            limit = starts[k + 1] if k + 1 < len(cues) else sent.end
            if self.clauses.participle(doc, sent, cue):  # "…, telling supporters that …": never an inverted speaker
                made = self._participle_claim(doc, sent, index, cue, claims, max(limit, cue.end), marks, state)
            elif self.participles_after_comma and words.lower[cue.start].endswith("ing") and not cue.prep:
                made = None  # "a memo suggesting cuts": a participle without its comma has no subject
            elif self.clauses.naming(doc, sent, cue):
                made = None  # "a new group called Black Votes Matter": a name given, not a claim
            else:
                made = self.single.claim(doc, sent, index, cue, bound, max(limit, cue.end), marks, state)
            if made is not None and claims and self.relays and not self._says_something(doc, made.content):
                # "X zegt dat …, meldt persbureau Reuters": the outlet relays the sentence up to its cue
                made.content = (sent.start, cue.start - 1 if words.text[cue.start - 1] in SEPARATORS else cue.start)
                made.stance = "report"  # a neutral report of what another said
            if made is not None and text_between(doc, *made.speaker).lower() in self.self_pronouns:
                continue  # '"I think we can win," she said': the quote is hers, not a claim of "I"
            if made is not None:
                claims.append(made)
                claims.extend(self._partner(doc, sent, index, cue, made, max(limit, cue.end), marks, state))
                bound = max(bound, cue.end, made.content[1] if made.content[1] <= limit else limit)
        if relatives:
            claims = sorted(claims + [self._relative_claim(doc, sent, index, cue, found, cues, marks, state)
                                      for cue, found in relatives], key=lambda c: c.cue[0])
        if not claims and self.clauses.survey_nouns and (poll := self.clauses.survey(doc, sent)) is not None:
            claims = [state.claim(index, poll[0], poll[1], poll[2], self.speakers)]  # "In a CNN poll released Monday, …"
        for claim in claims:  # "X said it could not confirm …" is a neutral report by X
            if any(claim.content[0] <= n.start < claim.content[1] for n in negated):
                claim.stance = "report"
        return claims

    def _says_something(self, doc: Doc, content: tuple[int, int]) -> bool:
        """Whether the content holds a word (not one that only points back, "dat") or a number."""
        words, like_num, enders = words_of(doc), facts(doc).like_num, self.objects.pointer_enders
        return any((words.alpha[i] and words.lower[i] not in enders) or like_num[i] for i in range(*bounds(doc, *content)))

    def _relative_claim(self, doc, sent, index, cue, found, cues, marks, state) -> Claim:
        """"Ted Cruz, who said he would …": the claim of "who", resolved to Cruz, up to the comma that closes the
        relative clause or where the next cue's part begins."""
        pronoun, antecedent = found
        limit = min([self._segment_start(doc, sent, c, marks) for c in cues if c.start > cue.end] + [sent.end])
        start = self.spans.skip(doc, cue.end, limit)
        quoted = quoted_tokens(doc, sent)
        limit = next((i for i in range(start, limit) if words_of(doc).text[i] == "," and i not in quoted), limit)  # the clause's own comma
        claim = state.claim(index, cue, antecedent, (start, limit), self.speakers)
        claim.speaker, claim.resolved, claim.pronoun = (pronoun.start, pronoun.end), claim.resolved or claim.speaker, True
        return claim

    def _partner(self, doc, sent, index, cue, claim, limit, marks, state) -> list[Claim]:
        """The second speaker of "Rusland en Oekraïne beschuldigen elkaar …": the same claim, made by both."""
        if not self.speakers.coordinators:
            return []  # a language without coordinators has no second speaker (and needs no Span of the first)
        other = self.speakers.coordinated(doc, Span(doc, *claim.speaker), sent, limit, marks)
        if other is None or other.start < claim.content[1] and claim.content[0] < other.end:
            return []
        others = [other] + (self.speakers.listed(doc, other, sent, marks) if other.end <= claim.speaker[0] else [])
        return [state.claim(index, cue, o, claim.content, self.speakers) for o in others]

    def _participle_claim(self, doc, sent, index, cue, claims, limit, marks, state) -> Claim | None:
        """The speaker of the sentence's earlier claim ("X said …, adding …") or the subject opening it
        ("X attacked Y on Monday, saying …")."""
        speaker = doc[claims[-1].speaker[0] : claims[-1].speaker[1]] if claims else self.clauses.subject(doc, sent, cue, marks)
        if speaker is None:
            return None
        return state.claim(index, cue, speaker, (self.spans.skip(doc, cue.end, limit), limit), self.speakers)

    def _opens_segment(self, doc: Doc, sent: Span, cue: Cue, marks) -> bool:
        """A later cue starts a claim of its own only with a speaker of its own ("…, while Moscow
        says …"), not as a verb inside the first claim ("X said it had verified …")."""
        words = words_of(doc)
        if cue.prep or (cue.start > sent.start and words.text[cue.start - 1] in SEPARATORS):
            return True
        if self.participles_after_comma and words.lower[cue.start].endswith("ing"):
            return False  # "a report suggesting …": a participle without its comma has no subject of its own
        verb = self.single.verb_start(doc, cue.start, sent.start)
        if self.conjoined and verb > sent.start and words.lower[verb - 1] in self.conjunctions:
            return True  # "… denounced her record and said …": a second verb of the subject
        speaker = self.speakers.before(doc, verb, sent.start, marks)
        if self.conjoined and speaker is not None and speaker.start > sent.start and words.lower[speaker.start - 1] in self.conjunctions:
            return True  # "She said …, but she said …": a new clause with its own subject
        return speaker is not None and not self.speakers.is_pronoun(speaker)

    def _segment_start(self, doc: Doc, sent: Span, cue: Cue, marks) -> int:
        if cue.prep:
            return cue.start
        speaker = self.speakers.before(doc, self.single.verb_start(doc, cue.start, sent.start), sent.start, marks)
        return speaker.start if speaker is not None else cue.start


@Language.factory("fb_claims", default_config={"cache_dir": "data/cache"})
def make_claims(nlp: Language, name: str, cache_dir: str) -> ClaimFinder:
    """Factory: the claim finder for the pipeline's language."""
    return ClaimFinder(nlp, cache_dir)
