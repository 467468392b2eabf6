"""Word frequencies on the Zipf scale, exactly as wordfreq's `zipf_frequency` gives them, from a compact
table per language instead of wordfreq's own.

Why: wordfreq keeps a language's whole list as a dict of Python strings (en +34 MB, nl +33 MB, pl +52 MB
in the bot process), for the one number per word that TF-IDF needs. Here a language is a file in the
cache directory: its words sorted as UTF-8 bytes, one offset and one centibel bucket per word (4 to
7 MB for en, nl, pl), mapped into memory (only the pages the look-ups touch are resident) and searched
by bisection. The file is built once per wordfreq version and language, in a child process, so that
wordfreq's tables never enter the bot's memory.

Exactness: a word the lookup may take as its own single token (letters only, already case-folded and
NFC, Latin or Cyrillic, in a language whose only preprocessing is NFC and case folding) is looked up
directly. Any other word goes through wordfreq's own tokenizer (imported then, without its tables),
and the tokens' frequencies are combined and rounded as wordfreq does it.
"""

from __future__ import annotations

import math
import mmap
import os
import re
import struct
import sys
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

MAGIC = b"FBIDF1\0\0"
HEADER = struct.Struct("=8sII")  # magic, number of words, flags
HAS_LIST, SIMPLE, JIEBA = 1, 2, 4  # flags: wordfreq has a list; NFC + casefold only; the Chinese tokenizer
INFERRED_SPACE_FACTOR = 10.0  # wordfreq's: one tenth per word break the Chinese tokenizer inferred
MINIMUM = 10**0.0 / 1e9  # wordfreq's zipf_to_freq(0.0), the frequency of a word the list lacks
_SAFE = re.compile(r"[a-z\u00aa-\u024f\u0400-\u04ff]+")  # Latin and Cyrillic letters (isalpha checked too)
_TAG = re.compile(r"[A-Za-z0-9_-]{1,40}")

_directory = Path("data/cache")


def use_cache(directory: str | os.PathLike) -> None:
    """Where the tables are kept (CACHE_DIR, set once at the edge; data/cache until then)."""
    global _directory
    _directory = Path(directory)


class Table:
    """One language's words and their centibel buckets, read from its file."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        magic, self.size, self.flags = HEADER.unpack_from(data)
        if magic != MAGIC:
            raise ValueError("not a frequency table")
        start = HEADER.size
        middle = start + 4 * (self.size + 1)
        self.base = middle + 2 * self.size  # where the words begin
        self.data = data
        self.offsets = memoryview(data)[start:middle].cast("I")
        self.buckets = memoryview(data)[middle:self.base].cast("H")

    def bucket(self, token: str) -> int | None:
        """The token's centibel bucket (0 the commonest), None when the list lacks it."""
        key = token.encode("utf-8")
        data, offsets, base = self.data, self.offsets, self.base
        n = bisect_left(range(self.size), key, key=lambda i: data[base + offsets[i]:base + offsets[i + 1]])
        if n < self.size and data[base + offsets[n]:base + offsets[n + 1]] == key:
            return self.buckets[n]
        return None


def table_path(language: str) -> Path:
    """The file of one language's table, for the installed wordfreq."""
    from importlib.metadata import version

    tag = language if _TAG.fullmatch(language) else f"x{language.encode().hex()[:40]}"
    return _directory / f"wordfreq-{version('wordfreq')}-{tag}.idf"


@lru_cache(maxsize=None)
def table(language: str) -> Table:
    """A language's table, built into the cache directory the first time (in a child process)."""
    path = table_path(language)
    if not path.exists():
        import subprocess

        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "bot.items.idf", language, str(path)], check=True,
                       stdout=subprocess.DEVNULL)
    with open(path, "rb") as file:  # mapped: only the pages the look-ups touch are resident, and shared
        return Table(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))


def zipf_frequency(word: str, language: str) -> float:
    """wordfreq's `zipf_frequency(word, language)`, value for value; LookupError for a language it lacks."""
    found = table(language)
    if found.flags & SIMPLE and _SAFE.fullmatch(word) and word.isalpha() and word == word.casefold() \
            and unicodedata.is_normalized("NFC", word):
        tokens = [word]
    else:
        from wordfreq import lossy_tokenize

        tokens = lossy_tokenize(word, language)
    return _zipf(found, tokens)


def _zipf(found: Table, tokens: list[str]) -> float:
    """wordfreq's combination of its tokens' frequencies (1/f = 1/f1 + 1/f2 + ...), rounded as it rounds."""
    if not tokens:
        return _to_zipf(MINIMUM)
    if not found.flags & HAS_LIST:
        raise LookupError("wordfreq has no list for this language")
    one_over_result = 0.0
    for token in tokens:
        smashed = _smash(token)
        bucket = found.bucket(smashed)
        if bucket is None:
            return _to_zipf(MINIMUM)
        freq = 10 ** (-bucket / 100)
        if smashed != token:
            from wordfreq.numbers import digit_freq

            freq *= digit_freq(token)
        one_over_result += 1.0 / freq
    freq = 1.0 / one_over_result
    if found.flags & JIEBA:
        freq *= INFERRED_SPACE_FACTOR ** -(len(tokens) - 1)
    unrounded = max(freq, MINIMUM)
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    return _to_zipf(round(unrounded, leading_zeroes + 3))


def _smash(token: str) -> str:
    """wordfreq's smash_numbers (digit sequences as zeros), imported only for a token with a digit."""
    if not any(c.isdigit() for c in token):
        return token
    from wordfreq.numbers import smash_numbers

    return smash_numbers(token)


def _to_zipf(freq: float) -> float:
    """wordfreq's freq_to_zipf, rounded to hundredths as zipf_frequency rounds it."""
    return round(math.log(freq, 10) + 9, 2)


def build(language: str, path: Path) -> None:
    """Write a language's table from wordfreq's list (run in a child process: the list is large)."""
    import wordfreq
    from wordfreq.language_info import get_language_info

    info = get_language_info(language)
    flags = SIMPLE if (info["normal_form"] == "NFC" and info["tokenizer"] == "regex" and not info["remove_marks"]
                       and not info["dotless_i"] and info["diacritics_under"] is None
                       and info["transliteration"] is None and info["lookup_transliteration"] is None) else 0
    flags |= JIEBA if info["tokenizer"] == "jieba" else 0
    buckets: dict[str, int] = {}
    try:
        for index, words in enumerate(wordfreq.get_frequency_list(language)):
            buckets.update(dict.fromkeys(words, index))  # a later bucket wins, as in get_frequency_dict
        flags |= HAS_LIST
    except LookupError:
        pass
    keys = sorted(word.encode("utf-8") for word in buckets)
    offsets, total = [0], 0
    for key in keys:
        total += len(key)
        offsets.append(total)
    values = [buckets[key.decode("utf-8")] for key in keys]
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    partial.write_bytes(HEADER.pack(MAGIC, len(keys), flags) + struct.pack(f"={len(offsets)}I", *offsets)
                        + struct.pack(f"={len(values)}H", *values) + b"".join(keys))
    partial.replace(path)


if __name__ == "__main__":
    build(sys.argv[1], Path(sys.argv[2]))
