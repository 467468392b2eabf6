"""The compact frequency tables give wordfreq's own Zipf value for every word, and keep wordfreq's
tables (and, for plain words, wordfreq itself) out of the process that asks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import wordfreq

from bot.items import idf

ROOT = Path(__file__).resolve().parent.parent

# Words the vocabulary does not hold, or holds in another form: capitals, decomposed accents, ligatures,
# apostrophes straight and curly, hyphens, digits (smashed by wordfreq), other scripts, nothing at all.
ODD = ["Kyiv", "KRAMATORSK", "Zaporizhzhia", "o'brien", "O’Brien", "don’t", "l'armée", "t-72", "f-16s", "2023",
       "1,500", "x2", "３", "ﬁnal", "straße", "STRASSE", "naïve", "nai\u0308ve", "Łódź", "zażółć", "gęślą",
       "İstanbul", "ırmak", "київ", "КИЇВ", "ґанок", "λόγος", "東京", "хм-хм", "e-mail", "vice-president",
       "'''", "", " ", "-", "…", "👍", "a_b", "ª", "º", "µ", "ǆ", "ĳ", "x" * 60, "nederland", "ijsselmeer",
       "ĳsselmeer", "Ĳssel", "ŉ", "ǰ", "shvataš", "schwimmbad", "zzzzqqq", "przeciwlotniczy", "kyivкиїв",
       "russia's", "putin’s", "qu'il", "o'hara", "a''b", "'s", "russia-ukraine", "-abc-", "shahed-136", "tvn24",
       "landscape_1280", "pravda_gerashchenko", "covid-19", "ⅻ", "ǅ"]
LANGUAGES = ["en", "nl", "pl"]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("idf")
    idf.use_cache(directory)
    idf.table.cache_clear()
    yield directory
    idf.use_cache(Path("data/cache"))
    idf.table.cache_clear()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_of_the_language_has_wordfreqs_value(cache, language):
    words = list(wordfreq.iter_wordlist(language))
    assert len(words) > 100_000
    wrong = [(w, ours, theirs) for w in words
             if (ours := idf.zipf_frequency(w, language)) != (theirs := wordfreq.zipf_frequency(w, language))]
    assert wrong == []


@pytest.mark.parametrize("language", [*LANGUAGES, "uk", "tr", "de", "fr", "ro"])
def test_odd_words_and_other_languages_have_wordfreqs_value(cache, language):
    vocabulary = list(wordfreq.iter_wordlist(language))
    words = ODD + [w.upper() for w in vocabulary[:2000:7]] + [w + "zz" for w in vocabulary[:500:5]]
    wrong = [(w, ours, theirs) for w in words
             if (ours := idf.zipf_frequency(w, language)) != (theirs := wordfreq.zipf_frequency(w, language))]
    assert wrong == []


def test_a_language_wordfreq_lacks_is_a_lookup_error_as_in_wordfreq(cache):
    for word in ("word", "o'brien"):
        with pytest.raises(LookupError):
            wordfreq.zipf_frequency(word, "qaa")
        with pytest.raises(LookupError):
            idf.zipf_frequency(word, "qaa")
    assert idf.zipf_frequency("'''", "qaa") == wordfreq.zipf_frequency("'''", "qaa")  # no token: no lookup


def test_a_table_is_built_once_into_the_cache_directory(cache):
    idf.zipf_frequency("war", "en")
    path = idf.table_path("en")
    assert path.parent == cache and path.exists()
    built = path.stat().st_mtime_ns
    idf.table.cache_clear()
    assert idf.zipf_frequency("war", "en") == wordfreq.zipf_frequency("war", "en")
    assert path.stat().st_mtime_ns == built


PROBE = """
import json, sys
from bot.items import idf
idf.use_cache(sys.argv[1])
values = [idf.zipf_frequency(w, lang) for w, lang in (("oorlog", "nl"), ("war", "en"), ("wojna", "pl"), ("kyiv", "en"))]
loaded = sorted(m for m in sys.modules if m == "wordfreq" or m.startswith("wordfreq."))
print(json.dumps({"values": values, "loaded": loaded}))
"""


def test_plain_words_are_looked_up_without_importing_wordfreq(cache):
    for language in ("nl", "en", "pl"):
        idf.table(language)  # built here, so the probe only reads
    out = subprocess.run([sys.executable, "-c", PROBE, str(cache)], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    found = json.loads(out.stdout)
    assert found["loaded"] == []
    assert found["values"] == [wordfreq.zipf_frequency(w, lang)
                               for w, lang in (("oorlog", "nl"), ("war", "en"), ("wojna", "pl"), ("kyiv", "en"))]
