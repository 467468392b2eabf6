"""A LibreTranslate-compatible server on 127.0.0.1 for tests: POST /translate {q, source, target,
format, api_key} → {translatedText}. It marks what it translated, so a test can see the translation
in an answer, and records every request; `slow` makes it answer after a delay, `refuse` with a 500."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class TranslateServer:
    """Start it, point TRANSLATE_URL at .url, read .requests; stop it at the end."""

    def __init__(self, api_key: str | None = None) -> None:
        self.requests: list[dict] = []
        self.api_key, self.slow, self.refuse = api_key, 0.0, False
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server name)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                owner.requests.append(body)
                if owner.slow:
                    time.sleep(owner.slow)
                if self.path != "/translate" or owner.refuse:
                    return self._answer(500, {"error": "refused"})
                if owner.api_key and body.get("api_key") != owner.api_key:
                    return self._answer(403, {"error": "Invalid API key"})
                return self._answer(200, {"translatedText": f"[{body['source']}→{body['target']}] {body['q']}"})

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> TranslateServer:
        """Serve in a background thread."""
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self.httpd.shutdown()
        self.httpd.server_close()
