"""The feed list: a TOML file of feeds (name, url, language, keywords, fulltext)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

# The feed table's limits: a feed list or `feeds add` is told, never the database.
MAX_URL = 2048
MAX_NAME = 200
MAX_LANGUAGE = 8


class FeedListError(Exception):
    """The feed list cannot be read; the message says where and why."""


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed as configured."""

    url: str
    name: str
    language: str | None = None
    keywords: tuple[str, ...] = ()
    fulltext: bool = False

    def __post_init__(self) -> None:
        """Every spec fits the feed table, wherever it was made: a URL too long is refused by name,
        a name too long (it defaults to the URL) is shortened."""
        if len(self.url) > MAX_URL:
            raise FeedListError(f"feed URL {self.url[:80]}… is {len(self.url)} characters long; "
                                f"at most {MAX_URL} are accepted")
        if self.language is not None and not (isinstance(self.language, str) and len(self.language) <= MAX_LANGUAGE):
            raise FeedListError(f"feed {self.url[:80]}: language must be a code such as nl or en")
        if len(self.name) > MAX_NAME:
            object.__setattr__(self, "name", self.name[: MAX_NAME - 1] + "…")


def load_feed_list(path: Path) -> list[FeedSpec]:
    """Read a feeds.toml; local paths in it are taken relative to the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FeedListError(f"cannot read feed list {path}: {exc}") from None
    specs = []
    for number, entry in enumerate(data.get("feed", []), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str) or not entry["url"].strip():
            raise FeedListError(f"{path}: feed #{number} has no url")
        specs.append(spec_from(entry, path.parent))
    return specs


def spec_from(entry: dict, base: Path) -> FeedSpec:
    """A FeedSpec from one TOML table, resolving a relative local path against base."""
    url = resolve_location(entry["url"].strip(), base)
    keywords = entry.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise FeedListError(f"feed {url}: keywords must be a list of strings")
    return FeedSpec(url=url, name=str(entry.get("name") or url), language=entry.get("language"),
                    keywords=tuple(keywords), fulltext=bool(entry.get("fulltext", False)))


def resolve_location(location: str, base: Path | None = None) -> str:
    """An http(s) or file URL as given; a bare path (relative to base, else the working
    directory) becomes an absolute file:// URL."""
    if "://" in location:
        return location
    return ((base or Path.cwd()) / location).resolve().as_uri()
