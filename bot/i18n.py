"""Text for people comes from message catalogs (gettext .po files, read with Babel) in nl and en;
dates are formatted by locale."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from babel.dates import format_date
from babel.messages.pofile import read_po

LOCALES = Path(str(resources.files("bot") / "locales"))
LANGUAGES = ("en", "nl")
DEFAULT = "en"


@lru_cache(maxsize=8)
def catalog(lang: str) -> dict[str, str]:
    """msgid → translation for one language (the msgid itself where the catalog has none)."""
    path = LOCALES / lang / "LC_MESSAGES" / "frontbrief.po"
    with path.open("rb") as handle:
        messages = read_po(handle, locale=lang)
    return {m.id: m.string for m in messages if m.id and m.string}


def language_of(code: str | None) -> str:
    """A Telegram language_code ('nl', 'nl-BE', 'en-US', 'de') → one of ours."""
    primary = (code or "").split("-")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT


def t(lang: str, msgid: str, **values: object) -> str:
    """The message in the language, with values filled in."""
    text = catalog(language_of(lang)).get(msgid, msgid)
    return text.format(**values) if values else text


def day(lang: str, when: date) -> str:
    """A date as people of that language write it ("8 januari 2023", "8 January 2023")."""
    return format_date(when, format="long", locale=language_of(lang))
