"""English subjects before a verb of speech, whole: the plain words that describe a name ("Republican
front-runner Donald Trump"), a share of a group ("52 percent of voters", "Nine in 10 Democrats"), a
phrase with a preposition inside ("A columnist for the site Pando", "People briefed on the talks"),
speakers joined by "and" ("Sanders and his aides", "Both Cruz and Fiorina") and an intensifier after
the name ("Cruz himself"). A source is the whole subject, as PolNeAR and PARC label it.

Without a tagger a verb looks like any plain word, so each widening must reach where the clause opens
(the sentence's start, a punctuation mark or an opener such as "but"), and a phrase never opens with
a preposition ("After the debate Trump said" keeps "Trump"). Rejected: joining conjuncts made of
plain words ("Trump won Iowa and Clinton said" would make "Trump won Iowa and Clinton" a speaker)."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from bot.nlp.tokenfacts import ext, facts, words_of

WIDE = 12  # words a described subject may hold before its name
RELATIVE_OPENERS = frozenset({"which", "whom", "where", "than"})  # "a bill which the appeals court rejected"


def _dated(doc: Doc, end: int) -> set[int]:
    return {i for d in ext(doc, "dates") or () if d.end <= end for i in range(d.start, d.end)}


def _plain(speakers, token: Token, dated: set[int]) -> bool:
    """A word that may describe a subject: a content word, a number or share ("52", "%"), a determiner or a word
    of a title; not a function word ("what", "after", "than") nor a word we know opens or ends a clause."""
    if token.i in dated or token.is_space:
        return False
    if token.like_num or token.text in ("%", "'s", "’s"):
        return True
    if token.text == "-":
        return not token.whitespace_ and token.i > 0 and not token.doc[token.i - 1].whitespace_  # "front-runner", not " - "
    if token.text[:1].isupper() and "." in token.text and token.text.replace(".", "").isalpha():
        return True  # "U.S.", "D.C."
    if not token.is_alpha or token.lower_ in speakers.not_nouns:
        return False
    return not token.is_stop or token.lower_ in speakers.allowed | speakers.subject_determiners | speakers.quantifiers \
        or _hyphened(token)


def _hyphened(token: Token) -> bool:
    """"front-runner", "well-known": a word of a hyphenated compound is a content word."""
    doc, i = token.doc, token.i
    return (i + 1 < len(doc) and words_of(doc).text[i + 1] == "-" and not token.whitespace_) or (i > 0 and words_of(doc).text[i - 1] == "-" and not words_of(doc).ws[i - 1])


def _inner(speakers, doc: Doc, i: int, dated: set[int]) -> bool:
    """A preposition inside a subject ("voters in the poll", "A columnist for the site", "Nine in 10")."""
    return 0 < i < len(doc) - 1 and words_of(doc).lower[i] in speakers.inner_prepositions and _plain(speakers, doc[i - 1], dated) \
        and _plain(speakers, doc[i + 1], dated)


def _new_phrase(speakers, doc: Doc, start: int) -> bool:
    """"an interview his brother gave", "signs the campaign sees": a word before a determiner that no
    preposition links to it ends the subject there."""
    word = words_of(doc).lower[start]
    return word in speakers.determiners and start > 0 and words_of(doc).alpha[start - 1] \
        and words_of(doc).lower[start - 1] not in speakers.inner_prepositions | speakers.connectors | speakers.quantifiers


def opens_clause(speakers, doc: Doc, start: int, limit: int) -> bool:
    """Whether a phrase starting at token `start` opens its clause."""
    return start <= limit or words_of(doc).punct[start - 1] or words_of(doc).lower[start - 1] in speakers.openers | RELATIVE_OPENERS


def widened(speakers, doc: Doc, span: Span, limit: int) -> Span:
    """"Republican presidential front-runner Donald Trump", "52 percent of registered voters", "Bush and his
    rivals for the nomination": the whole subject of a name or noun found before a verb."""
    if not speakers.determined_subjects:
        return span
    span = _described(speakers, doc, intensified(speakers, doc, span), limit)
    if span.start - 1 > limit and words_of(doc).lower[span.start - 1] in speakers.joiners:
        marks = ({i for a in ext(doc, "actors") or () for i in range(a.start, a.end)}, _dated(doc, span.start))
        span = joined(speakers, doc, span, limit, marks)
    return span


def _described(speakers, doc: Doc, span: Span, limit: int) -> Span:
    """The plain words that describe a name, back to where its clause opens; the name alone when they do not reach it."""
    dated = _dated(doc, span.start)
    start = span.start
    while start > limit and span.end - start < WIDE and not _new_phrase(speakers, doc, start) \
            and (_plain(speakers, doc[start - 1], dated) or _inner(speakers, doc, start - 1, dated)):
        start -= 1
    while start < span.start and words_of(doc).lower[start] in speakers.blockers:
        start += 1  # "After the debate Trump said": a fronted phrase, not the subject's
    if start == span.start or not words_of(doc).alpha[start] and not facts(doc).like_num[start]:
        return span
    if not opens_clause(speakers, doc, start, limit) and not _after_conjunction(speakers, doc, start, span.start):
        return span
    return doc[start : span.end]


def _after_conjunction(speakers, doc: Doc, start: int, name: int) -> bool:
    """"after the U.S. presidential candidate suggested", "because the appeals court refused": a subject that
    opens with a determiner right after a word that opens a clause (a preposition, "which"), when its words are
    all words of names and titles ("After the debate Trump said" has a plain noun, "debate", and stays "Trump")."""
    before = words_of(doc).lower[start - 1]
    if before not in speakers.blockers and before not in RELATIVE_OPENERS or words_of(doc).lower[start] not in speakers.subject_determiners:
        return False
    marks = ({i for a in ext(doc, "actors") or () for i in range(a.start, a.end)}, set())
    return all(speakers.part(t, *marks) or _plural(speakers, t) or _plain(speakers, t, set()) and not t.is_alpha for t in doc[start + 1 : name])


def intensified(speakers, doc: Doc, span: Span) -> Span:
    """"Cruz himself said", "the candidates themselves agreed": the intensifier belongs to the subject."""
    if span.end < len(doc) and words_of(doc).lower[span.end] in speakers.intensifiers:
        return doc[span.start : span.end + 1]
    return span


def joined(speakers, doc: Doc, span: Span, limit: int, marks: tuple[set[int], set[int]]) -> Span:
    """"Sanders and his aides argue", "Both Cruz and Fiorina criticized", "Forbes, Reuters and the AP say": the
    speakers joined by "and" or "nor" (and a list's commas) are one source, when each is a speaker phrase and
    the whole opens its clause; the last one alone otherwise. Not ", and they said": a clause of its own."""
    start, joints = span.start, 0
    if speakers.is_pronoun(span):
        return span
    while start - 1 > limit and words_of(doc).lower[start - 1] in speakers.joiners:
        comma = words_of(doc).text[start - 2] == ","  # "…, and many lawmakers": a list, or a new clause
        other = _conjunct(speakers, doc, start - 2 if comma else start - 1, limit, marks)
        if other is None:
            return span
        start, joints, listed = other, joints + 1, 0
        while start - 1 > limit and words_of(doc).text[start - 1] == "," and (item := _conjunct(speakers, doc, start - 1, limit, marks)) is not None:
            start, listed = item, listed + 1
        if comma and not listed:
            return span
    while start < span.start and (words_of(doc).lower[start] in speakers.openers or words_of(doc).lower[start] in speakers.blockers):
        start += 1  # "But Sanders and his supporters", "As Trump and Cruz …"
    if not joints or not opens_clause(speakers, doc, start, limit) or start >= span.start:
        return span
    return doc[start : span.end]


def _conjunct(speakers, doc: Doc, end: int, limit: int, marks) -> int | None:
    """Where the speaker phrase ending before token `end` starts ("Bush", "She", "Current", "White House")."""
    while end - 1 > limit and words_of(doc).space[end - 1] and "\n" not in words_of(doc).text[end - 1]:
        end -= 1  # "Cruz  and Trump": a double space
    if end - 1 >= limit and words_of(doc).lower[end - 1] in speakers.pronouns:
        return end - 1  # "She and her aides"
    start = end
    while start > limit and end - start < 8 and (speakers.part(doc[start - 1], *marks) or _plural(speakers, doc[start - 1])) \
            and words_of(doc).lower[start - 1] not in speakers.joiners:
        start -= 1
    while start < end and words_of(doc).lower[start] in speakers.blockers:
        start += 1
    if limit < start < end and words_of(doc).lower[start - 1] in speakers.subject_determiners | speakers.quantifiers:
        start -= 1  # "both Mrs. Clinton and …", "many experts and …"
    return start if start < end else None


def _plural(speakers, token: Token) -> bool:
    """"doctors", "directors": the plural of a speaker noun."""
    return token.is_alpha and token.is_lower and token.lower_.endswith("s") and token.lower_[:-1] in speakers.nouns


def determined(speakers, doc: Doc, end: int, limit: int) -> Span | None:
    """"The billionaire businessman says", "the organizers said": a determiner and plain words that
    open their clause right before the verb, a speaker no list of nouns names."""
    verb = end
    while verb < len(doc) and words_of(doc).lower[verb] in speakers.preludes:
        verb += 1  # "the harbour master has also said"
    if not speakers.determined_subjects or verb >= len(doc) or words_of(doc).lower[verb] not in speakers.determined_cues:
        return None  # "the tax plans would …", "their smiles said a lot": only plain speech verbs
    dated = _dated(doc, end)
    found = None  # the farthest determiner or number that opens its clause ("Thirty-one percent of those polled")
    for det in range(end - 1, max(limit, end - 10) - 1, -1):
        token = doc[det]
        if det in dated or not (token.is_alpha or token.text in ("-", "%", "'s", "’s") or token.like_num) \
                or token.lower_ in speakers.not_nouns:
            break
        opens = (token.lower_ in speakers.subject_determiners or token.like_num) and det < end - 1 \
            or token.lower_ in speakers.quantifiers
        if opens and (det == limit or words_of(doc).punct[det - 1] or words_of(doc).lower[det - 1] in speakers.openers | speakers.blockers):
            found = det
    return widened(speakers, doc, doc[found:end], limit) if found is not None else None  # "People briefed on the talks"
