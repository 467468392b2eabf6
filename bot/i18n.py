"""Text for people comes from gettext message catalogs in nl and en, kept as Babel keeps them:
`pybabel extract` (keywords t:2 and tn:2,3, babel.cfg) → bot/locales/frontbrief.pot, `pybabel update`
→ the .po files, `pybabel compile` → the .mo files read here (`make catalogs` runs all three). Plurals
follow each language's Plural-Forms; dates and numbers are formatted by locale."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import Translations

LOCALES = Path(str(resources.files("bot") / "locales"))
LANGUAGES = ("en", "nl")
DEFAULT = "en"


DOMAIN = "frontbrief"


@lru_cache(maxsize=8)
def translations(lang: str) -> Translations:
    """The compiled catalog (.mo) of one language."""
    path = LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as handle:
        return Translations(handle, domain=DOMAIN)


def language_of(code: str | None) -> str:
    """A Telegram language_code ('nl', 'nl-BE', 'en-US', 'de') → one of ours."""
    primary = (code or "").split("-")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT


def t(lang: str, msgid: str, **values: object) -> str:
    """The message in the language, with values filled in."""
    text = translations(language_of(lang)).gettext(msgid)
    return text.format(**values) if values else text


def tn(lang: str, msgid: str, plural_id: str, count: int, **values: object) -> str:
    """The message for a count, in the language's plural form; {count} is the count written by locale."""
    text = translations(language_of(lang)).ngettext(msgid, plural_id, count)
    return text.format(count=number(lang, count), **values)


def number(lang: str, value: float) -> str:
    """A number as people of that language write it ("1,234" in en, "1.234" in nl)."""
    return format_decimal(value, locale=language_of(lang))


def day(lang: str, when: date) -> str:
    """A date as people of that language write it ("8 januari 2023", "8 January 2023")."""
    return format_date(when, format="long", locale=language_of(lang))


def N_(msgid: str) -> str:
    """Marks a message id for `pybabel extract` where the code picks it at run time or inside an f-string."""
    return msgid


def Nn_(msgid: str, plural_id: str) -> tuple[str, str]:
    """N_ for a message with plural forms."""
    return msgid, plural_id


# Ids the extractor cannot see in the calls themselves: chosen at run time (command.<name>, side.<side>,
# stance.<stance>, either branch of a condition) or written inside an f-string.
CHOSEN_AT_RUN_TIME = (
    N_("alert.header"),
    Nn_("answer.header", "answer.header.plural"),
    N_("button.language"),
    N_("command.date"),
    N_("command.digest"),
    N_("command.follow"),
    N_("command.following"),
    N_("command.forgetme"),
    N_("command.help"),
    N_("command.language"),
    N_("command.place"),
    N_("command.settings"),
    N_("command.sources"),
    N_("command.start"),
    N_("command.subscribe"),
    N_("command.times"),
    N_("command.timezone"),
    N_("command.unsubscribe"),
    Nn_("digest.count", "digest.count.plural"),
    N_("digest.header"),
    N_("digest.more"),
    N_("digest.new"),
    N_("digest.title"),
    N_("digest.updated"),
    N_("error"),
    N_("mark.disputed"),
    N_("mark.unverified"),
    N_("no"),
    N_("nonews.off"),
    N_("nonews.on"),
    N_("nonews.state.off"),
    N_("nonews.state.on"),
    N_("page"),
    N_("side.RU"),
    N_("side.UA"),
    N_("side.other"),
    N_("sources.line"),
    N_("stance.assert"),
    N_("stance.confirm"),
    N_("stance.deny"),
    N_("stance.report"),
    N_("unfollow.done"),
    N_("unfollow.none"),
    N_("yes"),
)
