"""Per-language word lists (data/lexicon_<lang>.toml) and the shared actor list (data/actors.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

DATA = Path(str(resources.files("bot.nlp") / "data"))


@dataclass(frozen=True)
class Actor:
    """A canonical speaker: id, side, every name it goes by, and the one name per language a reader sees."""

    id: str
    side: str
    names: tuple[str, ...]
    labels: tuple[tuple[str, str], ...] = ()

    def label(self, lang: str) -> str:
        """The name a reader of this language sees (the English one when there is none)."""
        table = dict(self.labels)
        return table.get(lang) or table.get("en") or self.names[0]


@dataclass(frozen=True)
class Lexicon:
    """Everything language-specific the components read; no component holds words of its own."""

    lang: str
    raw: dict

    def words(self, key: str) -> frozenset[str]:
        """A list entry as a set of lower-case words."""
        return frozenset(w.lower() for w in self.raw.get(key, []))

    def table(self, key: str) -> dict:
        """A table entry with lower-case keys."""
        return {str(k).lower(): v for k, v in self.raw.get(key, {}).items()}


def languages() -> list[str]:
    """The languages that have a lexicon."""
    return sorted(p.stem.removeprefix("lexicon_") for p in DATA.glob("lexicon_*.toml"))


@lru_cache(maxsize=8)
def lexicon(lang: str) -> Lexicon:
    """The lexicon of one language."""
    path = DATA / f"lexicon_{lang}.toml"
    if not path.exists():
        raise ValueError(f"no lexicon for language {lang!r}; known: {', '.join(languages())}")
    return Lexicon(lang, tomllib.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def actors() -> tuple[Actor, ...]:
    """Every known actor."""
    data = tomllib.loads((DATA / "actors.toml").read_text(encoding="utf-8"))
    return tuple(Actor(a["id"], a["side"], tuple(a["names"]), tuple(sorted(a.get("label", {}).items())))
                 for a in data["actor"])


def actor_by_id(actor_id: str) -> Actor | None:
    """The known actor of an id (None for built ids such as "ua.local" without an entry)."""
    return next((a for a in actors() if a.id == actor_id), None)


def actor_side(actor_id: str) -> str:
    """The side of an actor id: known actors from the list, built ones from their prefix."""
    for actor in actors():
        if actor.id == actor_id:
            return actor.side
    prefix = actor_id.split(".")[0]
    return {"ru": "RU", "ua": "UA"}.get(prefix, "other")
