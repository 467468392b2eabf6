"""What a long-running process holds (issue 17): the language model only with the candidate languages'
columns (py3langid's own narrowing keeps the full 142-language table besides), scoring exactly as
py3langid's narrowed identifier does."""

from __future__ import annotations

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bot.ingest import language

TEXTS = [
    "The ministry said the strike hit the town overnight and two people were hurt.",
    "Het ministerie zegt dat de aanval vannacht het dorp trof; twee mensen raakten gewond.",
    "Ministerstwo poinformowało, że w nocy atak uderzył w miasto, dwie osoby zostały ranne.",
    "Міністерство повідомило, що вночі удар влучив у місто, двоє людей поранені.",
    "Das Ministerium teilte mit, der Angriff habe in der Nacht die Stadt getroffen.",
    "Le ministère a indiqué que la frappe a touché la ville pendant la nuit.",
    "El ministerio dijo que el ataque alcanzó la ciudad durante la noche.",
    "Il ministero ha detto che l'attacco ha colpito la città durante la notte.",
    "Министерство сообщило, что ночью удар пришёлся по городу.",
    "KYIV, UKRAINE — 12 MARCH 2023 — SHELLING REPORTED IN THE EAST",
    "zzzz qqqq 1234 5678 #### !!!! ---- ____ ....",
    "De minister said dat het attack niet acceptable is, według ministerstwa.",
]


def test_the_language_model_scores_as_py3langids_own_narrowed_model():
    reference = LanguageIdentifier.from_model_file(MODEL_FILE)
    reference.set_languages(list(language.CANDIDATES))
    ours = language._identifier()
    for text in TEXTS + [t[: n] for t in TEXTS for n in (20, 35, 50)]:
        assert ours.classify(text) == reference.classify(text)
        assert ours.rank(text) == reference.rank(text)


def test_the_language_model_holds_no_table_of_the_other_languages():
    identifier = language._identifier()
    held = [getattr(identifier, name, None) for name in type(identifier).__slots__]  # py3langid uses slots
    tables = [v for value in held for v in (value if isinstance(value, tuple) else (value,))
              if isinstance(v, np.ndarray) and v.ndim == 2]
    assert tables and all(t.shape[1] == len(language.CANDIDATES) for t in tables)
