"""Optional machine translation of a claim's wording through a LibreTranslate-compatible HTTP API
(POST {url}/translate with {q, source, target, format, api_key} → {translatedText}), cached per
claim and language (storage.translations), so that each wording is sent at most once per language.

It lives beside send because it touches the network (the import-linter "network" contract names the
modules that may not). An answer never waits on it for long: each request has a short timeout, an
answer sends at most a few, and after a failure a circuit stays open for a while, during which
nothing is tried and answers come at once with the structured rendering alone. With no TRANSLATE_URL
there is no Translator and nothing is sent anywhere."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx

from storage import translations
from storage.db import Engine, session_scope
from storage.models import utcnow

log = logging.getLogger(__name__)
PER_ANSWER = 8  # wordings translated for one answer at most; the rest come from the cache later
MAX_CHARS = 600


class Translator:
    """A client of one LibreTranslate-compatible server, with a timeout and a circuit breaker."""

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 2.0, cooldown: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, transport: httpx.BaseTransport | None = None) -> None:
        self.endpoint = url.rstrip("/") + "/translate"
        self.api_key, self.cooldown, self.clock = api_key, cooldown, clock
        self.client = httpx.Client(timeout=httpx.Timeout(timeout), transport=transport, follow_redirects=False)
        self.open_until = 0.0

    def available(self) -> bool:
        """Whether the circuit is closed (the server answered last time, or the pause is over)."""
        return self.clock() >= self.open_until

    def translate(self, text: str, source: str, target: str) -> str | None:
        """The text in the target language, or None (server down, slow or refusing: circuit opens)."""
        if not self.available():
            return None
        body = {"q": text[:MAX_CHARS], "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        try:
            response = self.client.post(self.endpoint, json=body)
            response.raise_for_status()
            translated = response.json().get("translatedText")
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            self.open_until = self.clock() + self.cooldown
            log.warning("translation server unavailable (%s); not asked again for %.0f s", type(exc).__name__,
                        self.cooldown)
            return None
        return translated.strip() if isinstance(translated, str) and translated.strip() else None

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.client.close()


def wanted(items: list[dict], lang: str, limit: int = PER_ANSWER) -> list[dict]:
    """The reports (weightiest accounts first) whose wording the reader cannot read and has no translation."""
    found = []
    for item in items:
        for account in item["accounts"]:
            found += [r for r in account["reports"] if r["language"] != lang and r["text"] and not r.get("translation")]
    return found[:limit]


def fill(translator: Translator | None, engine: Engine, items: list[dict], lang: str) -> int:
    """Translate what the answer shows in another language and keep it; how many were translated."""
    if translator is None:
        return 0
    done: dict[int, str] = {}
    for report in wanted(items, lang):
        if not translator.available():
            break
        text = translator.translate(report["text"], report["language"], lang)
        if text is not None:
            report["translation"] = done[report["claim"]] = text
    if done:
        with session_scope(engine) as session:
            translations.keep(session, done, lang, utcnow())
    return len(done)
