"""Article identity: a normalized URL, else the feed's guid, else a hash of the content, each within
its feed. A URL known from one feed says nothing about another: a global URL identity let the first
feed to list a URL (another outlet's article, say) own it, and the outlet's own entry was dropped as
seen. What dedup across feeds still needs, the same text carried by several feeds, is done where it
belongs: grouping joins equal content hashes into one item and answers fold them as copies."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only say where a click came from, never which article it is.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga",
     "ref", "ref_src", "cmpid", "xtor", "at_medium", "at_campaign", "ocid", "sr_share", "smid"}
)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(("utm_", "at_", "mtm_", "pk_"))


def normalize_url(url: str) -> str | None:
    """Lower-case scheme and host, drop www., fragment, tracking parameters, default ports, a trailing slash."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    path = parts.path.rstrip("/") or ""
    # http and https name the same article on a news site.
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def digest(text: str) -> str:
    """A stable 32-character hex digest."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def content_hash(title: str, text: str) -> str:
    """A hash of the words, blind to case and spacing, for spotting the same text elsewhere."""
    # split() breaks on exactly the characters \s matches in a str pattern (str.isspace), so this is
    # the old re.sub(r"\s+", " ", …).strip() digest for digest, without a replacement per space.
    words = " ".join(f"{title} {text}".split()).casefold()
    return digest(words)


def article_identity(feed_id: int, url: str | None, guid: str | None, chash: str) -> str:
    """The key that makes a second sight of the same article a no-op."""
    if url:
        return "u" + digest(f"{feed_id}\n{url}")
    if guid:
        return "g" + digest(f"{feed_id}\n{guid}")
    return "h" + digest(f"{feed_id}\n{chash}")
