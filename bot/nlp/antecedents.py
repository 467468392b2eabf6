"""Speakers as entities within one article: a short or generic speaker ("Stojanova", "het ministerie",
"de adviseur") stands for the fuller one named before it ("Alla Stojanova, de directeur …", "het
Russische ministerie van Defensie"), whose actor and side it takes. A name no list knows takes the
side its first mention is described with ("de Oekraïense ambassadeur Vasyl Bodnar").

Rejected: guessing a side from the spelling of a name (transliterations do not tell Kyiv from
Moscow), and taking the side of the article's main actor (live blogs quote both sides)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from bot.nlp.docindex import derived, indexed
from bot.nlp.model import Claim
from bot.nlp.tokenfacts import ext, words_of

WINDOW = 6  # tokens before a first mention that may describe it ("de Russische gouverneur …")
APPOSITION = 16  # tokens of an apposition after a first mention ("X, een adviseur van president Zelensky,")
APPOSITION_OPENERS = frozenset({"een", "de", "het", "a", "an", "the"})  # not "die", "who": a relative clause tells no side
ROLE_REACH = 12
# "de Amerikaanse ambassadeur in Oekraïne": a country after these is where someone sits, not whom they serve.
QUOTE_MARKS = frozenset('"“”„«»‘’\'')
LOCATIVES = frozenset({"in", "uit", "bij", "naar", "at", "from", "to"})  # sentences back a generic role ("het ministerie") may find its side-qualified mention


def _head(span: Span) -> str:
    """The last word of a speaker phrase: a surname, or a noun such as "ministerie"."""
    words, end = ext(span.doc, "words"), span.end
    if words.lower[end - 1] == ")" and "(" in words.lower[span.start : end]:
        end = span.start + words.lower[span.start : end].index("(")  # "minister Hoekstra (Buitenlandse Zaken)"
    return next((words.lower[i] for i in range(end - 1, span.start - 1, -1) if words.alpha[i]), "")


def _first_mention(doc: Doc, word: str, end: int) -> int | None:
    """Where the text first has this word, if before `end` (a table made once per doc, not a scan per speaker)."""
    def build(_: list) -> dict[str, int]:
        lower = ext(doc, "words").lower
        return dict(zip(reversed(lower), range(len(lower) - 1, -1, -1)))  # the first index of a word is written last

    first = derived(doc, "sentences", "first_mention", build).get(word)
    return first if first is not None and first < end else None


def earlier_speaker(doc: Doc, claims: list[Claim], speaker: Span) -> Claim | None:
    """The latest earlier claim whose named speaker this one's last word repeats, with a side."""
    head = _head(speaker)
    if len(head) < 4:
        return None
    lower = ext(doc, "words").lower  # plain lists: cheaper than Span and Token objects in this loop
    for claim in reversed(claims):
        if claim.speaker is None or claim.side == "other" and claim.actor == "unknown":
            continue
        start, end = claim.speaker
        if start != speaker.start and head in lower[start:end]:
            return claim
    return None


def earlier_actor(doc: Doc, speaker: Span) -> tuple[str, str] | None:
    """The actor and side of the latest known body or person named before the speaker whose name holds
    its last word ("het Russische ministerie van Defensie" … "het ministerie")."""
    head = _head(speaker)
    if len(head) < 4:
        return None
    for mention in reversed(_sided_actors(doc).get(head, ())):
        if mention.end <= speaker.start:
            return mention.actor, mention.side
    return None


def _sided_actors(doc: Doc) -> dict[str, list]:
    """The actor mentions of a side by each word they hold, in text order (made once per doc, so that
    a speaker is looked up by its last word, not against every actor the text names)."""
    def build(actors: list) -> dict[str, list]:
        lower, by_word = ext(doc, "words").lower, {}
        for mention in actors:
            if mention.side in ("RU", "UA"):
                for word in dict.fromkeys(lower[mention.start : mention.end]):
                    by_word.setdefault(word, []).append(mention)
        return by_word

    return derived(doc, "actors", "sided_by_word", build)


def described_side(doc: Doc, speaker: Span, sides: dict[str, str], civilians: frozenset[str] = frozenset()) -> str | None:
    """The side the first mention of the speaker's last word is described with, if any."""
    head = _head(speaker)
    if len(head) < 4 or not speaker[-1].text[:1].isupper():
        return None
    words = ext(doc, "words").lower
    first = _first_mention(doc, head, speaker.end)
    if first is None:
        return None
    sentence = ext(doc, "sentences")[ext(doc, "sentence_of")[first]]
    start = max(sentence.start, first - WINDOW)
    # Not "goud uit Rusland, heeft premier X"; but "de baas van de Russische Roskosmos, Joeri Borisov," describes him.
    name = first
    while name - 1 > start and words_of(doc).text[name - 1][:1].isupper() and words_of(doc).alpha[name - 1]:
        name -= 1  # "Joeri Borisov"
    appositive = name - 1 > start and words[name - 1] == ","
    start = next((i + 1 for i in range(name - (2 if appositive else 1), start - 1, -1) if words[i] in (",", ";", ":")), start)
    if civilians and civilians.intersection(words[start:first]):
        return None  # "een Oekraïens jongetje, Nazar,": a citizen speaks for no side
    found = _sides_in(doc, start, first + 1, sides)  # "Poetin-adviseur X", "de Oekraïense ambassadeur X"
    if not found and first + 2 < sentence.end and words[first + 1] == "," and words[first + 2] in APPOSITION_OPENERS:
        # "X, een van de adviseurs van president Zelensky, …": the apposition after the first mention
        close = next((i for i in range(first + 2, min(sentence.end, first + 2 + APPOSITION)) if words[i] in (",", ".", ";", "en", "and")), None)
        if close is None or words[close] not in ("en", "and"):  # "X, de Italiaanse premier Y en Z lieten weten": a list
            found = _sides_in(doc, first + 2, close or min(sentence.end, first + 2 + APPOSITION), sides)
    return found.pop() if len(found) == 1 else None


def _sides_in(doc: Doc, start: int, end: int, sides: dict[str, str]) -> set[str]:
    """The sides the side words and known actors of a token range name."""
    lower = ext(doc, "words").lower
    found = {sides[w] for w in lower[start:end] if w in sides}
    found.update(m.side for m in indexed(doc, "actors").starting(start, end) if m.side in ("RU", "UA")
                 and not (m.start > 0 and lower[m.start - 1] in LOCATIVES))
    return found


def role_side(doc: Doc, speaker: Span, keys: frozenset[str], sides: dict[str, str]) -> str | None:
    """"het ministerie van Defensie", "de legerleiding", "ambassadeur X": the side of the latest earlier
    mention of one of the speaker's role words (or a compound of it) with a side word next to it
    ("het Russische ministerie van Defensie", "het Oekraïense leger", "de Oekraïense ambassadeur")."""
    words = ext(doc, "words").lower
    roles = [w for w in words[speaker.start : speaker.end] if w in keys]
    if not roles:
        return None
    reach = ext(doc, "sentences")[max(0, ext(doc, "sentence_of")[speaker.start] - ROLE_REACH)].start
    # each spelling in reach tested once against the roles, not each of its tokens
    matching = {word for word in set(words[reach : speaker.start]) if any(
        word == r or (len(r) >= 5 and (word.startswith(r) or word.endswith(r) or r.startswith(word) and len(word) >= 5)) for r in roles)}
    for i in range(speaker.start - 1, reach - 1, -1):
        if words[i] not in matching:
            continue
        sentence = ext(doc, "sentences")[ext(doc, "sentence_of")[i]]
        found = _sides_in(doc, max(sentence.start, i - 3), i, sides) or _sides_in(doc, i + 1, min(sentence.end, i + 5), sides)
        if len(found) == 1:
            return found.pop()
    return None


def narrated_speaker(doc: Doc, sentence: Span, kind: str, speakers) -> Span | None:
    """"De Oekraïense minister X keerde zich tegen het besluit. Volgens hem …": the first one a sentence
    of narration names (by an actor's name or a speaker noun), when that is a person, for a pronoun whose
    speaker was introduced without a claim; None when the sentence opens with a body or a country."""
    marks = ({i for a in ext(doc, "actors") for i in range(a.start, a.end)}, {i for d in ext(doc, "dates") for i in range(d.start, d.end)})
    i = sentence.start
    while i < sentence.end:
        if not speakers.part(doc[i], *marks):
            i += 1
            continue
        span = speakers.after(doc, i, sentence.end, marks)
        if span is not None and speakers.named(doc, span, marks[0]) and (len(span) > 1 or span[0].text[:1].isupper()) \
                and not any(speakers.is_pronoun(doc[t : t + 1]) for t in range(span.start, span.end)):
            return span if kind in ("any", "person") and speakers.kind(doc, span) == "person" else None
        i = span.end if span is not None and span.end > i else i + 1
    return None


def local_description(doc: Doc, start: int, end: int, speakers) -> str | None:
    """"de directeur van de afdeling … van de regio Odessa", "burgemeester van Mykolajiv": an official of a
    town or region (a noun of office, then "van" or an area word before a place) serves that place's country;
    a description naming a citizen ("een inwoner van de regio") or no office tells no side."""
    words = ext(doc, "words").lower
    stop = next((i for i in range(start, end) if words[i] in (".", ";", "!", "?") or words[i] in speakers.subordinators), end)
    described = words[start:stop]
    if speakers.civilians.intersection(described) or not any(w in speakers.nouns for w in described):
        return None
    if speakers.separatist.intersection(described):
        return "RU"  # "een functionaris van Donetsk (een zelfverklaarde republiek …)"
    for mention in indexed(doc, "places").inside(start, stop):
        before = words[mention.start - 1] if mention.start > start else ""
        if before in speakers.local_areas or before == "van" or words[mention.start] in speakers.local_areas:  # "regio Odessa"
            if (country := speakers.country_of(mention.slug)) in ("UA", "RU"):
                return country
    return None


def local_side(doc: Doc, span: Span, speakers) -> str | None:
    """"the governor said": the side of the place the sentence (or the text) is about; the occupier's for a
    body seated in an area the text calls occupied."""
    if speakers.occupation and seated_in_occupied(doc, span, speakers):
        return "RU"
    index = ext(doc, "sentence_of")[span.start]
    sent = ext(doc, "sentences")[index]
    places = indexed(doc, "places").inside(sent.start, sent.end)
    if not places and speakers.nearest_place and any(t.text[:1].isupper() and not t.is_sent_start and t.lower_ not in speakers.roles
                                                     for t in span):
        return None  # "burgemeester Franziska Giffey": a named official is not placed by another sentence
    if not places and speakers.nearest_place:  # "Dat meldt de regionale gouverneur": the sentence just before that names a place
        for before in (ext(doc, "sentences")[k] for k in range(index - 1, max(-1, index - 4), -1)):
            if places := indexed(doc, "places").inside(before.start, before.end):
                break
    for mention in places or ext(doc, "places"):
        if (country := speakers.country_of(mention.slug)) in ("UA", "RU"):
            return country
    return None


def seated_in_occupied(doc: Doc, span: Span, speakers, reach: int = 8) -> bool:
    """"de plaatselijke autoriteiten in het door Rusland bezette gebied": a local body that sits ("in") in an
    area the text calls occupied is the occupier's; "de burgemeester van het bezette Melitopol" is not
    (a town's own mayor may serve it from exile)."""
    words, sentence = ext(doc, "words").lower, ext(doc, "sentences")[ext(doc, "sentence_of")[span.start]]
    inside = next((i for i in range(span.start, span.end) if words[i] in speakers.place_links), None)
    at = inside if inside is not None else span.end
    if at >= sentence.end or words[at] not in speakers.place_links:
        return False
    return any(w in speakers.occupation for w in words[at + 1 : min(sentence.end, at + 1 + reach)])


def _description_end(doc: Doc, start: int, limit: int, speakers) -> int:
    """Where the words describing an office end: at a verb of speech, a copula, a pronoun, a subordinator or
    the sentence's end ("de directeur van de afdeling Beleid, Voedsel en Landrelaties van de regio Odessa")."""
    words, i = ext(doc, "words").lower, start
    while i < min(limit, start + APPOSITION) and words[i] not in (".", ";", "!", "?", ":"):
        if words[i] in speakers.not_nouns and not (words[i] in speakers.coordinators and i + 1 < limit and words_of(doc).text[i + 1][:1].isupper()):
            break
        i += 1
    return i


def local_official_side(doc: Doc, speaker: Span, speakers) -> str | None:
    """The side of an official known by an office of a town or region: in the speaker's own words and a
    "van …" after them ("de directeur van … van de regio Odessa"), or in the apposition of the first
    mention of its name ("Alla X, de directeur van … van de regio Odessa.")."""
    sentence = ext(doc, "sentences")[ext(doc, "sentence_of")[speaker.start]]
    words = ext(doc, "words").lower
    end = speaker.end
    if end < sentence.end and words[end] == "van":
        end = _description_end(doc, end, sentence.end, speakers)
    if end < sentence.end and words[end] == "(":  # "een functionaris van Donetsk (een zelfverklaarde republiek …)"
        end = next((i + 1 for i in range(end, min(sentence.end, end + APPOSITION)) if words[i] == ")"), end)
    if (found := local_description(doc, speaker.start, end, speakers)) is not None:
        return found
    head = _head(speaker)
    first = _first_mention(doc, head, speaker.end)
    if len(head) < 4 or not speaker[-1].text[:1].isupper() or first is None:
        return None
    sentence = ext(doc, "sentences")[ext(doc, "sentence_of")[first]]
    if not (first + 2 < sentence.end and words[first + 1] == "," and words[first + 2] in APPOSITION_OPENERS):
        return None
    return local_description(doc, first + 2, _description_end(doc, first + 3, sentence.end, speakers), speakers)


def opening_subject(doc: Doc, sentence: Span, pronoun: Span, speakers) -> Span | None:
    """"Poetin gaf na het gesprek een interview waarin hij zei …": the person a sentence opens with, for a
    pronoun subject of a later clause of it; None after a quote or when the sentence opens otherwise
    ("Na het gesprek met Poetin was Sall …" opens with a preposition)."""
    if any(t.text in QUOTE_MARKS for t in doc[sentence.start : pronoun.start]):
        return None
    found = narrated_speaker(doc, doc[sentence.start : pronoun.start], speakers.kind(doc, pronoun), speakers)
    start = next((t.i for t in doc[sentence.start : pronoun.start] if not t.is_space and t.lower_ not in speakers.openers), None)
    return found if found is not None and found.start == start else None
