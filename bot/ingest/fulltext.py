"""Full text of an article page, for feeds that carry only summaries (trafilatura)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
# A summary shorter than this is worth replacing with the page's text.
SHORT_TEXT = 600


def wants_fulltext(text: str) -> bool:
    """Whether an article's own text is so short that the page is worth fetching."""
    return len(text) < SHORT_TEXT


def extract_text(html: bytes, url: str | None = None) -> str | None:
    """The main text of an article page, without menus, comments and link lists; None if none."""
    import trafilatura  # heavy; only feeds with fulltext = true need it

    try:
        text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                                   favor_precision=True, deduplicate=True)
    except Exception as exc:  # trafilatura parses arbitrary HTML; a failure must not cost the article
        log.warning("full-text extraction failed for %s: %s", url, exc)
        return None
    return text.strip() or None if text else None
