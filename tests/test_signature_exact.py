"""The MinHash signature computed with numpy's wrapping uint64 arithmetic (bot.items.group.signature)
is, value for value, the one exact integer arithmetic gives: the low 61 bits the mask keeps of a
product taken modulo 2**64 are those of the whole product."""

from __future__ import annotations

import random

from bot.items.group import _MASK, _SEEDS, shingles, signature


def exact(text: str) -> tuple[int, ...]:
    grams = shingles(text)
    return tuple(min(((g * seed) + i) & _MASK for g in grams) for i, seed in enumerate(_SEEDS)) if grams else ()


def test_the_signature_is_the_exact_integer_one():
    rng = random.Random(7)
    words = [f"w{rng.randint(0, 3000)}" for _ in range(5000)]
    texts = ["", "one", "two words", "De stad werd 's nachts beschoten, zei de gouverneur."]
    spans = [(rng.randrange(4000), rng.choice([3, 12, 60, 400])) for _ in range(60)]
    texts += [" ".join(words[k : k + n]) for k, n in spans]
    for text in texts:
        assert signature(text) == exact(text), text[:40]
    assert all(0 <= v <= _MASK for v in signature(texts[-1])) and len(signature(texts[-1])) == len(_SEEDS)
