"""The message catalogs as Babel keeps them: every id the code uses is translated in nl and en, the
compiled .mo files are what `pybabel compile` makes of the .po files, plurals and numbers by locale,
and no Python quoting in texts people read."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.i18n import LANGUAGES, LOCALES, number, tn

ROOT = Path(__file__).resolve().parents[1]
PYBABEL = Path(sys.executable).with_name("pybabel")
KEYWORDS = ["--no-default-keywords", "-k", "t:2", "-k", "tn:2,3", "-k", "N_", "-k", "Nn_:1,2"]


def catalog(lang: str):
    with (LOCALES / lang / "LC_MESSAGES" / "frontbrief.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_every_id_the_code_uses_is_translated_in_both_languages(tmp_path):
    template = tmp_path / "frontbrief.pot"
    subprocess.run([str(PYBABEL), "-q", "extract", "-F", "babel.cfg", *KEYWORDS, "-o", str(template), "."],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    with template.open("rb") as handle:
        used = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert len(used) > 50
    for lang in LANGUAGES:
        messages = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog(lang) if m.id}
        assert used <= set(messages), (lang, sorted(used - set(messages)))
        empty = [key for key in used if not all(messages[key].string if isinstance(messages[key].string, tuple)
                                                else [messages[key].string])]
        assert not empty, (lang, empty)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogs_are_the_po_files_compiled(tmp_path, lang):
    shutil.copytree(LOCALES, tmp_path / "locales")
    subprocess.run([str(PYBABEL), "-q", "compile", "-d", str(tmp_path / "locales"), "-D", "frontbrief", "-l", lang],
                   check=True, capture_output=True, timeout=60)
    fresh = tmp_path / "locales" / lang / "LC_MESSAGES" / "frontbrief.mo"
    committed = LOCALES / lang / "LC_MESSAGES" / "frontbrief.mo"
    with fresh.open("rb") as a, committed.open("rb") as b:
        assert Translations(a)._catalog == Translations(b)._catalog, "run `make catalogs`"


@pytest.mark.parametrize("lang, count, expected", [
    ("en", 1, "Kramatorsk: 1 item"), ("en", 2, "Kramatorsk: 2 items, newest first"),
    ("en", 1234, "Kramatorsk: 1,234 items, newest first"), ("nl", 1, "Kramatorsk: 1 bericht"),
    ("nl", 1234, "Kramatorsk: 1.234 berichten, nieuwste eerst")])
def test_plurals_and_numbers_follow_the_language(lang, count, expected):
    assert tn(lang, "answer.header", "answer.header.plural", count, subject="Kramatorsk") == expected


def test_numbers_by_locale():
    assert number("en", 1234567) == "1,234,567" and number("nl", 1234567) == "1.234.567"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_python_quoting_or_counted_plurals_in_texts(lang):
    for message in catalog(lang):
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            assert "!r}" not in text and "!s}" not in text, message.id
            assert not re.search(r"\b1 (items|berichten)\b", text), message.id
