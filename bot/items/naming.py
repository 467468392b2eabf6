"""Pure: who a claim's speaker is, named for a reader of one language.

A speaker is shown by its entity, not by the words of the report: the actor's label in the reader's
language (actors.toml: Rusland → Russia, het Kremlin → the Kremlin), or, when the report names a
person of that actor ("Gouverneur Oleh Synjehoebov van de regio Charkiv"), the person's name in the
reader's spelling (Oleh Syniehubov). A pronoun is never shown: it stands for an actor or for nobody.

Persons are found among an actor's names without a list of our own: a full name (two or more
capitalised words) whose surname is also a name of the actor; its spellings in other languages are
the actor's full names whose surnames share a transliteration skeleton (bot.nlp.translit). The
English spelling is listed first in actors.toml; a Dutch one is told by Dutch letter groups."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from bot.nlp.lexicon import Actor, actor_by_id, lexicon
from bot.nlp.translit import normal, skeletons

ANONYMOUS = ("unknown", "outlet")
_DUTCH = re.compile(r"oe|sj|zj|tsj|^j|\sj", re.I)
_WORD = re.compile(r"[\w'’-]+")
# "an adviser of president Zelensky": a name after these words is not the speaker's own.
_OF = re.compile(r"\s(?:of|to|for|van|voor|bij)\s", re.I)


def is_pronoun(phrase: str | None) -> bool:
    """'he', 'zij', 'Hem': a speaker that stands for another (in any language we read)."""
    words = (phrase or "").split()
    if len(words) != 1:
        return False
    word = words[0].lower()
    return any(word in lexicon(lang).table("pronouns") for lang in ("en", "nl"))


def _full_name(name: str, actor: Actor) -> bool:
    words = name.split()
    surnames = {normal(n) for n in actor.names if len(n.split()) == 1}
    return len(words) >= 2 and all(w[:1].isupper() for w in words) and normal(words[-1]) in surnames


@lru_cache(maxsize=512)
def _persons(actor_id: str) -> tuple[tuple[str, ...], ...]:
    """The actor's persons: each a tuple of its full-name spellings, in list order."""
    actor = actor_by_id(actor_id)
    if actor is None:
        return ()
    groups: list[list[str]] = []
    for name in (n for n in actor.names if _full_name(n, actor)):
        surname = skeletons(name.split()[-1])
        group = next((g for g in groups if skeletons(g[0].split()[-1]) & surname), None)
        if group is None:
            groups.append([name])
        else:
            group.append(name)
    return tuple(tuple(g) for g in groups)


@lru_cache(maxsize=512)
def _person_names(actor_id: str) -> tuple[tuple[tuple[str, ...], frozenset[tuple[str, ...]]], ...]:
    """The actor's persons, each with the word sequences that name it (a full spelling or its surname),
    normalised once: an answer asks this for every account of every item it shows."""
    return tuple((spellings, frozenset(seq for s in spellings for seq in (_normal_words(s.split()),
                                                                          _normal_words(s.split()[-1:]))))
                 for spellings in _persons(actor_id))


def _normal_words(words: list[str]) -> tuple[str, ...]:
    return tuple(normal(w) for w in words)


def _contains(words: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


@lru_cache(maxsize=4096)
def person(actor_id: str, phrase: str, lang: str) -> str | None:
    """The person a speaker phrase names, spelt for the reader (None when it names no person)."""
    words = _normal_words(_WORD.findall(_OF.split(phrase, maxsplit=1)[0]))
    for spellings, names in _person_names(actor_id):
        if any(_contains(words, name) for name in names):
            if lang == "nl":
                return next((s for s in spellings if _DUTCH.search(s)), spellings[0])
            return next((s for s in spellings if not _DUTCH.search(s)), spellings[0])
    return None


def speaker_name(actor_id: str, phrase: str | None, lang: str) -> str | None:
    """The speaker as a reader of `lang` sees it, or None when the report names nobody we know."""
    if actor_id in ANONYMOUS:
        return None
    found = person(actor_id, phrase or "", lang)
    if found:
        return found
    actor = actor_by_id(actor_id)
    return actor.label(lang) if actor is not None else None


def account_speaker(actor_id: str, phrases: list[tuple[str, str]], lang: str) -> str | None:
    """The name an account's speaker goes by for the reader, from its reports' (phrase, language):
    a person it names; else the actor's label; else (an actor we do not know) its own words in the
    reader's language; else None (an unnamed source)."""
    if actor_id == "outlet":
        return None
    for phrase, _ in phrases:
        if actor_id != "unknown" and (found := person(actor_id, phrase, lang)):
            return found
    actor = actor_by_id(actor_id)
    if actor is not None:
        return actor.label(lang)
    return next((p for p, language in phrases if language == lang and p and not is_pronoun(p)), None)


def headline(titles: dict[str, str], lang: str, disputed: bool, built: str | None, vague: str | None = None) -> str:
    """An item's headline for a reader of `lang`. When its sides disagree over a figure, who claims
    what, built from its claims in the reader's language ("Kramatorsk: Russia claims 600 killed;
    Ukraine denies"): a report's own title would state one side's figure as fact. Otherwise a
    report's title in the reader's language, else the built one (`vague`: one without a figure,
    "Russia claims an attack", only when there is no title in the reader's language), else any title."""
    if disputed and built:
        return built
    return titles.get(lang) or built or vague or next(iter(titles.values()), "")


def claims_headline(place: str | None, claims: list, words: dict, vague: bool = False) -> str | None:
    """Who claims what, by majority: the figure most of the item's claims of one side carry, and what
    the other side answers (denies, or claims another figure): "Kramatorsk: Russia claims 600
    killed; Ukraine denies". None when neither side asserts anything. `claims` carry side, stance
    and numbers (bot.items.disputes.HeadlineClaim); `words` is the language's [headline] table."""
    sides = ("RU", "UA")
    asserted = [c for c in claims if c.side in sides and c.stance == "assert"]
    if not asserted:
        return None
    figures = Counter((c.side, n) for c in asserted for n in c.numbers[:1])
    if figures:
        (side, main), _ = figures.most_common(1)[0]
    elif not vague:
        return None
    else:
        side, main = Counter(c.side for c in asserted).most_common(1)[0][0], None
    text = f"{words['claims'].format(side=words['sides'][side])} {_figure(main, words) if main else words['something']}"
    other = next(s for s in sides if s != side)
    answer = next(((o, n) for (o, n), _ in figures.most_common() if o == other and n[1] == (main or (0, ""))[1]), None)
    if any(c.side == other and c.stance == "deny" for c in claims):
        text += "; " + words["denies"].format(side=words["sides"][other])
    elif answer:
        text += f"; {words['claims'].format(side=words['sides'][other])} {_figure(answer[1], words)}"
    return f"{place}: {text}" if place else text[:1].upper() + text[1:]


def _figure(number: tuple[float, str], words: dict) -> str:
    value, counts = number
    return f"{value:g} {words['counts'].get(counts, counts)}"
