"""Pure: what kind of report an article is, from its link and title: one event's news, a digest of
many events (live blog, round-up, briefing), or opinion. Digests and opinion stand apart from event
items: a live blog names every event of its day, an op-ed argues across many; either would pull
unrelated items together if it could join them."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

NEWS, DIGEST, OPINION = "news", "digest", "opinion"


@lru_cache(maxsize=1)
def _marks() -> dict[str, dict[str, tuple[str, ...]]]:
    data = tomllib.loads((resources.files("bot.items") / "data" / "kinds.toml").read_text(encoding="utf-8"))
    return {kind: {where: tuple(m.lower() for m in marks) for where, marks in parts.items()}
            for kind, parts in data.items()}


def kind_of(title: str, link: str | None) -> str:
    """news, digest or opinion."""
    title, link = f" {title.lower()} ", (link or "").lower()
    for kind in (DIGEST, OPINION):
        marks = _marks()[kind]
        if any(m in link for m in marks["link"]) or any(m in title for m in marks["title"]):
            return kind
    return NEWS
