"""A description of the speaker after "according to X," / "volgens X," is neither the claim nor
part of it: the claim is the clause before it when it ends the sentence, the clause after it when
the sentence goes on. Sentences of our own, both languages."""

from __future__ import annotations

import pytest

from tests.helpers import speaker_claims, triples


@pytest.mark.parametrize("text, lang, speaker, content", [
    ("Shells hit two schools in Orikhiv overnight, according to Ivan Fedorko, head of the district council.", "en",
     "Ivan Fedorko", "Shells hit two schools in Orikhiv overnight"),
    ("The dam was damaged again on Friday, according to Olena Marchuk, the regional governor.", "en",
     "Olena Marchuk", "The dam was damaged again on Friday"),
    ("According to Ivan Fedorko, head of the district council, two schools were hit overnight.", "en",
     "Ivan Fedorko", "two schools were hit overnight"),
    ("Volgens Ivan Fedorko, het hoofd van de districtsraad, zijn twee scholen geraakt.", "nl",
     "Ivan Fedorko", "zijn twee scholen geraakt"),
    ("Volgens Olena Martsjoek, de gouverneur van de regio, is de dam opnieuw beschadigd.", "nl",
     "Olena Martsjoek", "is de dam opnieuw beschadigd"),
    ("Twee scholen zijn geraakt, volgens Ivan Fedorko, burgemeester van de stad.", "nl",
     "Ivan Fedorko", "Twee scholen zijn geraakt"),
])
def test_the_description_after_the_source_is_not_the_claim(cache_dir, text, lang, speaker, content):
    (found,) = triples(speaker_claims(cache_dir, text, lang))
    assert found[0] == speaker and found[2].rstrip(" .") == content


@pytest.mark.parametrize("text, lang, content", [
    # what follows the source is the claim itself, even when it names a role
    ("According to the ministry, the attack, which began at dawn, killed 20 people.", "en",
     "the attack, which began at dawn, killed 20 people"),
    ("According to Kyiv, the bridge was hit twice.", "en", "the bridge was hit twice"),
    ("According to Kyiv, the governor of Kherson was wounded in the strike.", "en",
     "the governor of Kherson was wounded in the strike"),
    ("Volgens Kiev is de gouverneur van Cherson gewond geraakt.", "nl", "is de gouverneur van Cherson gewond geraakt"),
])
def test_a_clause_after_the_source_stays_the_claim(cache_dir, text, lang, content):
    (found,) = triples(speaker_claims(cache_dir, text, lang))
    assert found[2].rstrip(" .") == content
