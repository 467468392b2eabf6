"""Content and speaker spans around a cue: where a claim's content starts ("said Thursday that …"),
whether "Y, X said" has its content before the speaker, and speakers in comma-separated parts
("Flynn, a top Trump surrogate, said", "The mayor of Kramatorsk, Oleksandr Goncharenko, said")."""

from __future__ import annotations

from itertools import compress

from spacy.tokens import Doc, Span

from bot.nlp.docindex import blank_sentences, derived
from bot.nlp.speakers import Speakers
from bot.nlp.tokenfacts import bounds, ext, facts, words_of

QUOTES = frozenset("\"'“”‘’„«»") | {"''", "``", ",,"}
SEPARATORS = QUOTES | {",", ":", ";", "-", "–", "—"}
RELATIVES = frozenset({"who", "whose", "which"})
Marks = tuple[set[int], set[int]]  # tokens of actor names, tokens of dates


class Spans:
    """Span boundaries for one language's speakers and subordinators."""

    def __init__(self, speakers: Speakers, subordinators: frozenset[str], prepositions: frozenset[str] = frozenset()) -> None:
        self.speakers = speakers
        self.subordinators = subordinators
        self.prepositions = prepositions
        self.that_window = speakers.that_window  # "said in a statement on Tuesday that …"

    def content_before(self, doc: Doc, separator: int, cue_end: int, limit: int, bound: int = -1) -> bool:
        """Whether "Y, X said" has its content before the speaker: a quote that opened the part closes
        there, or nothing but an adjunct ("in an interview", "on Sunday") follows the verb; not when
        "that" follows the verb ("X said on Sunday that …")."""
        plain = words_of(doc)
        first, last = bounds(doc, cue_end, limit)
        near = range(first, min(last, first + 6))
        if any(plain.lower[i] in self.subordinators for i in near) and not any(plain.text[i] in QUOTES for i in near):
            return False
        if bound >= 0 and self._fronted(doc[bound:separator]):
            return False  # "In an interview, X said on Thursday he …", "However, X said in a statement …"
        if words_of(doc).text[separator] in QUOTES or (separator > 0 and words_of(doc).text[separator - 1] in QUOTES):
            closing = separator if words_of(doc).text[separator] in QUOTES else separator - 1
            opening = next((i for i in range(closing - 1, max(bound, 0) - 1, -1) if words_of(doc).text[i] in QUOTES), None)
            if opening is None or opening <= bound + 1 or words_of(doc).text[opening - 1] in SEPARATORS:
                return True  # '"…," X said' or '…: "…," X said'; not 'On "Meet the Press," X said …'
        dated = {i for d in ext(doc, "dates") or () if d.end > cue_end and d.start < limit for i in range(d.start, d.end)}
        words = [i for i in range(first, last) if plain.alpha[i] and i not in dated]  # "X said Tuesday in Paris"
        return not words or plain.lower[words[0]] in self.speakers.blockers or len(words) <= 2

    def appositive(self, doc: Doc, bound: int, end: int, marks: Marks) -> Span | None:
        """A speaker in two or three comma-separated name parts filling bound..end; none before a verb set
        off by commas ("Mr. Vale, aides said, will run": the speaker is "aides")."""
        if words_of(doc).text[end] != "," and end + 1 < len(doc) and words_of(doc).text[end + 1] == ",":
            return None
        while end > bound and words_of(doc).text[end - 1] == ",":
            end -= 1
        cursor, parts = end, 0
        while cursor > bound and parts < 3:
            part = self.speakers.before(doc, cursor, bound, marks)
            start = part.start if part is not None else self._np_start(doc, cursor, bound, marks)
            if start is None and cursor - 1 >= bound and facts(doc).like_num[cursor - 1]:
                start = cursor - 1  # "Jan Roe, 69, said": an age between commas
            if start is None or start == cursor or (parts == 0 and self.speakers.is_pronoun(doc[start:cursor])):
                return None  # "But, he said": a pronoun takes no apposition
            parts += 1
            if start == bound or self._after_quote(doc, start, bound):
                if parts > 2 and self._adverbial(doc[start:cursor]):
                    return doc[cursor + 1 : end]  # "Meanwhile, the spokesman, Bob Lee, said"
                return doc[start:end] if parts > 1 and not self._adverbial(doc[start:cursor]) else None
            if words_of(doc).text[start - 1] != ",":
                return None
            cursor = start - 1
        return None

    @staticmethod
    def _after_quote(doc: Doc, start: int, bound: int) -> bool:
        """'"…," Jane Roe, 58, told …': a part that opens right after a quote which closed on a comma."""
        return start - 2 >= bound and words_of(doc).text[start - 1] in QUOTES and words_of(doc).text[start - 2] in (",", "?", "!")

    def _fronted(self, part: Span) -> bool:
        """"In an interview,", "However,", "WASHINGTON (AP) —": a short fronted adjunct before a speaker, not
        what the speaker says (a quote, or a clause with more than one comma-separated part, is)."""
        if not len(part) or len(part) > 6 or any(t.text in QUOTES or t.text == "," for t in part):
            return False
        if self._adjunct_word(part[0].lower_):
            return True
        return len(part) == 1 and part[0].is_alpha or part[0].is_upper and any(t.text in ("—", "–", "-") for t in part)

    def _adjunct_word(self, word: str) -> bool:
        """A word that opens a fronted adjunct, never a name ("instead", "however", "in")."""
        return word in self.speakers.blockers or word in self.speakers.openers or word in self.prepositions

    def _adverbial(self, part: Span) -> bool:
        """"Instead, Bob said", "In his statement, the network said": a fronted word or phrase, not a name."""
        if self._adjunct_word(part[0].lower_) or any(d.start < part.end and part.start < d.end for d in ext(part.doc, "dates") or ()):
            return True  # "Last September, Beck said"
        first = part[0].lower_
        if part[0].is_stop and first not in self.speakers.determiners | self.speakers.subject_determiners | self.speakers.quantifiers:
            return True  # "Through a spokeswoman, Vale declined", "Every spring, the club says"
        return len(part) == 1 and not self.speakers.named(part.doc, part, set()) and part[0].is_sent_start

    def apposition(self, doc: Doc, bound: int, comma: int, marks: Marks) -> Span | None:
        """"Name, a/the description, said": the name before an apposition that opens with a determiner (one
        that ends in a place and its state, "a salesman from Sumter, South Carolina,", holds that comma)."""
        opening = next((i for i in range(comma - 1, max(bound, comma - 30) - 1, -1) if words_of(doc).text[i] == ","), None)
        if opening is not None and opening + 1 < comma and not self._describes(doc[opening + 1]) and self.place_part(doc[opening + 1 : comma]):
            opening = next((i for i in range(opening - 1, max(bound, comma - 30) - 1, -1) if words_of(doc).text[i] == ","), None)
        if opening is None or opening + 1 >= comma or not self._describes(doc[opening + 1]):
            return None
        if any(t.text in QUOTES or t.text in (";", ":") for t in doc[opening:comma]):
            return None
        name_end = opening
        if opening - 2 > bound and facts(doc).like_num[opening - 1] and words_of(doc).text[opening - 2] == ",":
            name_end = opening - 2  # "Jane Roe, 21, a nurse from Ohio, said": the age between name and apposition
        name = self.speakers.before(doc, name_end, bound, marks)
        if name is None or not self.speakers.named(doc, name, marks[0]) and not any(t.text[:1].isupper() for t in name):
            return None
        if name.start > bound and words_of(doc).text[name.start - 1] not in SEPARATORS:
            return None  # the name must open its clause: "…, Jane Roe, a nurse, said"
        return self.without_speech(doc[name.start:comma])

    def without_speech(self, span: Span) -> Span:
        """"Roe, who said she would run, said …": a relative clause that speaks is an attribution of its own,
        not a description of the speaker; the speaker ends before its comma ("who lives in Ohio" stays)."""
        doc = span.doc
        opening = next((i for i in range(span.start + 1, span.end) if words_of(doc).lower[i] in RELATIVES and words_of(doc).text[i - 1] == ","), None)
        if opening is None or not any(t.lower_ in self.speakers.cue_words for t in doc[opening : span.end]):
            return span
        return doc[span.start : opening - 1]

    @staticmethod
    def place_part(part: Span) -> bool:
        """"South Carolina", "Ala.", "N.Y.": a short capitalised part, the state after a town."""
        return 0 < len(part) <= 3 and all(t.text[:1].isupper() or t.text == "." for t in part)

    def dashed(self, doc: Doc, bound: int, dash: int, marks: Marks) -> Span | None:
        """"Jason Roe — a teacher from Ohio — says": the name before an apposition between dashes, with it."""
        opening = next((i for i in range(dash - 1, max(bound, dash - 20) - 1, -1) if words_of(doc).text[i] == words_of(doc).text[dash]), None)
        if opening is None or opening + 1 >= dash or any(t.text in QUOTES or t.text in (";", ":") for t in doc[opening:dash]):
            return None
        name = self.speakers.before(doc, opening, bound, marks)
        if name is None or not any(t.text[:1].isupper() for t in name) or self.speakers.is_pronoun(name):
            return None
        if name.start > bound and words_of(doc).text[name.start - 1] not in SEPARATORS:
            return None
        return doc[name.start : dash + 1]

    def after_quote(self, doc: Doc, start: int, limit: int) -> Span | None:
        """'"…," said one senior official': the speaker after a quote and its verb, up to a comma or stop."""
        end = start
        while end < limit and end - start < 12 and (words_of(doc).alpha[end] or words_of(doc).text[end] in ("'s", "’s", "-")
                                                    or words_of(doc).text[end].endswith(".") and len(doc[end]) > 1) \
                and words_of(doc).lower[end] not in self.subordinators:
            end += 1  # "Lt." and "Gen." are one token each; a lone full stop ends the speaker
        span = doc[start:end]
        if not len(span):
            return None
        if any(t.lower_ in self.speakers.nouns for t in span) or any(t.text[:1].isupper() for t in span):
            return span
        return None

    def trailing_apposition(self, doc: Doc, speaker: Span, limit: int) -> Span:
        """'said Jane Roe, a nurse from Ohio.', 'said Jane Roe, head of the union, who …': the speaker
        with the apposition after it, up to the sentence's end or through the comma that closes it."""
        end = speaker.end
        opening = next((i for i in range(end + 1, limit) if not words_of(doc).space[i]), limit)  # ",  a nurse": a double space
        if opening >= limit or words_of(doc).text[end] != "," or not (self._describes(doc[opening]) or words_of(doc).text[opening][:1].isupper()
                                                           or facts(doc).like_num[opening]):
            return speaker
        cursor = end + 1
        while cursor < limit and words_of(doc).text[cursor] not in QUOTES and words_of(doc).text[cursor] not in (";", ":", "(", "—", "–"):
            if words_of(doc).text[cursor] == ",":
                following = doc[cursor + 1] if cursor + 1 < limit else None
                if facts(doc).like_num[cursor - 1] and cursor - 1 == opening:
                    pass  # "said Jane Roe, 34, of Dayton": an age, then the rest of the description
                elif following is not None and (self._closing_description(doc, cursor + 1, limit)
                                                or self._closing_relative(doc, cursor + 1, limit)):
                    cursor = limit  # "said Jo Roe, head of Acme, a bakery in Ohio.": the bakery's description ends the sentence
                    break
                elif following is None or not (following.text[:1].isupper() and following.is_alpha
                                               and following.lower_ not in self.speakers.determiners):
                    return self.without_speech(doc[speaker.start : cursor + 1])  # "…, president of Wealth-X, a company …"
            cursor += 1
        while cursor > end + 1 and (words_of(doc).punct[cursor - 1] or words_of(doc).space[cursor - 1]):
            cursor -= 1
        return self.without_speech(doc[speaker.start : cursor]) if cursor > end + 1 else speaker

    def _closing_description(self, doc: Doc, start: int, limit: int) -> bool:
        """", a bakery in Ohio." at a sentence's end: a phrase opening with a determiner, holding no comma,
        quote, colon or relative pronoun up to the sentence's end."""
        if words_of(doc).lower[start] not in self.speakers.determiners or not facts(doc).lower_case[start]:
            return False
        return not any(t.text in QUOTES or t.text in (",", ";", ":", "(") or t.lower_ in ("who", "which", "whose")
                       or t.lower_ in self.subordinators for t in doc[start:limit])

    def _closing_relative(self, doc: Doc, start: int, limit: int) -> bool:
        """", who lives in Ohio." at a sentence's end: a relative clause that describes the speaker and says nothing
        (", who said …" is a claim of its own)."""
        return words_of(doc).lower[start] in RELATIVES and not any(
            t.text in QUOTES or t.text in (";", ":", "(") or t.lower_ in self.speakers.cue_words for t in doc[start:limit])

    def description_end(self, doc: Doc, start: int, limit: int) -> int | None:
        """"according to X, head of the regional administration.", "volgens X, het hoofd van het
        bestuur, gebruikte …": where a description of the speaker just named, opening at `start`
        (after its comma), ends: at its closing comma, or at `limit` when it ends the sentence. None
        when what follows is not one: it opens with a determiner or a lower-case word, names a role
        or a speaker noun within its first four words ("the governor", "hoofd"), and holds no quote,
        colon or relative clause."""
        if start >= limit or not (words_of(doc).lower[start] in self.speakers.determiners or facts(doc).lower_case[start]):
            return None
        if not any(t.lower_ in self.speakers.nouns or t.lower_ in self.speakers.roles for t in doc[start : min(start + 4, limit)]):
            return None
        end = start
        while end < limit and words_of(doc).text[end] != ",":
            if words_of(doc).text[end] in QUOTES or words_of(doc).text[end] in (";", ":") or end - start > 20 or words_of(doc).space[end]:
                return None
            if words_of(doc).lower[end] in self.subordinators or words_of(doc).lower[end] in ("who", "which", "die", "dat"):
                return None  # "…, the head of the region who …": a clause, not a description
            end += 1
        return end

    def _describes(self, token) -> bool:
        """Whether an apposition may open with this word: "a/the …", "who …", "publisher of …"."""
        word = token.lower_
        if word in self.speakers.determiners or word in ("who", "which"):
            return True
        plain = token.is_alpha and token.is_lower and not word.endswith(("ing", "ed", "ly"))
        return plain and word not in self.speakers.blockers | self.speakers.openers | self.subordinators | self.prepositions

    def _np_start(self, doc: Doc, end: int, bound: int, marks: Marks) -> int | None:
        start = end
        while start > bound and self.speakers.part(doc[start - 1], *marks):
            start -= 1
        return start if start < end else None

    def skip(self, doc: Doc, start: int, limit: int) -> int:
        """Where the content after a cue starts: after "that", a colon or a comma."""
        # "said Thursday that …", "said in a statement that …": the content starts after "that".
        words = words_of(doc)
        lower, text = words.lower, words.text
        near = next((i for i in range(start, min(start + self.that_window, limit)) if lower[i] in self.subordinators), None)
        if near is not None and not any(t.text in QUOTES or t.text in SEPARATORS - {","} for t in doc[start:near]):
            start = near
        while start < limit and (lower[start] in self.subordinators or text[start] in (":", ",")):
            start += 1
        return start


def sentence_before(doc: Doc, index: int) -> int:
    """The sentence before, past blank ones (a line break between paragraphs is a sentence of its own)."""
    index, blank = index - 1, blank_sentences(doc)
    while index > 0 and blank[index]:
        index -= 1
    return index


OPENING, CLOSING, STRAIGHT = frozenset({"“", "„", "«", "``"}), frozenset({"”", "»", "''"}), frozenset({'"'})
QUOTE_TURNS = OPENING | CLOSING | STRAIGHT


def inside_quotes(doc: Doc, sent: Span) -> set[int]:
    """The tokens of the sentence inside a quotation, which may have opened in an earlier sentence of
    its paragraph ('“We will win. Everyone says so,” Roe said': "says" is a word of Roe's)."""
    quoted = derived(doc, "sentences", "quoted", lambda _: _quoted(doc))
    return {i for i in range(sent.start, sent.end) if quoted[i]} if any(quoted[sent.start : sent.end]) else set()


def _quoted(doc: Doc) -> list[bool]:
    """For every token, whether it stands inside a quotation; a quote that goes on into the next paragraph
    opens it again. Only quote marks and line breaks change that (a token's trailing white space is a
    space at most): they are picked out per spelling, and the runs between them filled as slices."""
    text = ext(doc, "words").text
    size = len(text)
    quoted, open_, run = [False] * size, False, 0
    turns = {t for t in set(text) if t in QUOTE_TURNS or "\n" in t}
    for i in compress(range(size), map(turns.__contains__, text)):
        if open_:
            quoted[run:i] = [True] * (i - run)
        mark = text[i]
        open_ = (mark in OPENING or mark in STRAIGHT and not open_) if mark in QUOTE_TURNS else False
        run = i + 1
    if open_:
        quoted[run:] = [True] * (size - run)
    return quoted


def quoted_tokens(doc: Doc, sent: Span) -> set[int]:
    """The tokens between an opening and a closing quote mark of the sentence."""
    inside, opened = set(), None
    for i, text in enumerate(words_of(doc).text[sent.start : sent.end], sent.start):  # no Token objects
        if text in QUOTES and text not in ("'", "’"):  # an apostrophe is no quote
            opened = None if opened is not None else i
        elif opened is not None:
            inside.add(i)
    return inside if opened is None else {i for i in inside if i < opened}
