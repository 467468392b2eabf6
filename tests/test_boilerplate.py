"""Page text is cut before reading (issue 13, deliver 5): teaser and link lines, captions, pull quotes
and lead-ins of stripped embeds, in paragraphs or in a body flattened to one line; the article stays."""

from __future__ import annotations

from datetime import date

from bot.nlp.pipeline import ArticleInput, read


def _speakers(cache_dir: str, text: str, lang: str) -> list[str]:
    (reading,) = read([ArticleInput(text, lang, date(2023, 1, 8))], cache_dir, keep_irrelevant=True)
    return [c["speaker"]["text"] for c in reading["claims"] if c["speaker"]]


def test_a_teaser_paragraph_with_a_link_phrase_is_not_read(cache_dir):
    text = ("Brug bij Izjoem hersteld\n\nHet leger zegt dat de brug weer open is.\n\n"
            "Gisteren zei de burgemeester van Charkiv dat de metro weer rijdt. Lees er hier alles over.")
    assert _speakers(cache_dir, text, "nl") == ["Het leger"]


def test_a_flattened_body_loses_only_its_link_lines(cache_dir):
    text = ("Brug hersteld\n\nHet leger zegt dat de brug weer open is. Het liveblog van gisteren vind je hier. "
            "Volgens de gouverneur rijden de bussen weer.")
    assert _speakers(cache_dir, text, "nl") == ["Het leger", "de gouverneur"]


def test_a_link_lead_in_keeps_the_article_after_its_colon(cache_dir):
    text = "Brug hersteld\n\nLees er alles over in dit artikel: De burgemeester zegt dat de brug maandag weer opengaat."
    assert _speakers(cache_dir, text, "nl") == ["De burgemeester"]


def test_a_caption_and_a_pull_quote_are_not_read(cache_dir):
    text = ("Harbour reopened\n\nThe mayor said the port would reopen on Monday after the repairs.\n\n"
            "The mayor said the port would reopen on Monday Harbour master Jan Smit\n\n"
            "The governor said ships were waiting at the pier Photo Anna de Vries")
    assert _speakers(cache_dir, text, "en") == ["The mayor"]


def test_the_title_is_never_page_text(cache_dir):
    assert _speakers(cache_dir, "Kiev: bekijk hier de nieuwe kaart\n\nGeen nieuws.", "nl") == ["Kiev"]
