"""A negation right before a count makes it nought ("no one was hurt" is 0 wounded, never 1), and a
figure of nought reads as such ("no wounded", "geen gewonden"); "geen 600 doden" stays the figure a
denial answers. Sentences of our own."""

from __future__ import annotations

from datetime import date

import pytest

from bot.digests.claimtext import figure
from bot.nlp.pipeline import ArticleInput, read


def _figures(cache_dir: str, text: str, lang: str) -> list[tuple[float | None, str]]:
    (reading,) = read([ArticleInput(text, lang, date(2023, 1, 8))], cache_dir, keep_irrelevant=True)
    return [(n["value"], n["counts"]) for c in reading["claims"] for n in c["numbers"]]


@pytest.mark.parametrize("text, lang, expected", [
    ("The governor said no one was hurt in the blast.", "en", [(0.0, "wounded")]),
    ("Police said not one resident was injured.", "en", [(0.0, "wounded")]),
    ("None of the 12 miners was hurt, the company said.", "en", [(0.0, "wounded")]),
    ("Geen van de 12 mijnwerkers raakte gewond, aldus het bedrijf.", "nl", [(0.0, "wounded")]),
    ("De burgemeester zei dat niet één inwoner gewond raakte.", "nl", [(0.0, "wounded")]),
    # no negation: the counts stand
    ("The governor said one guard was hurt in the blast.", "en", [(1.0, "wounded")]),
    ("De burgemeester zei dat twaalf inwoners gewond raakten.", "nl", [(12.0, "wounded")]),
    # a negated figure is what a denial answers, not a count of nought
    ("Er zijn geen 600 militairen gedood, zegt het leger.", "nl", [(600.0, "killed")]),
])
def test_a_negation_before_a_count_makes_it_nought(cache_dir, text, lang, expected):
    assert _figures(cache_dir, text, lang) == expected


@pytest.mark.parametrize("lang, expected", [("en", "no"), ("nl", "geen")])
def test_a_count_of_nought_reads_as_none(lang, expected):
    shown = figure(lang, {"counts": "wounded", "who": None, "value": 0.0, "qualifier": None})
    assert shown is not None and shown.startswith(expected + " ") and "0" not in shown
