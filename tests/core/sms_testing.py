"""A fake SMS provider on loopback that speaks Twilio's REST shape, for the SMS tests.

Not a test module (no `test_` prefix). It records every message it accepted; a test can make it
refuse a number (400 with a code), answer 500, drop the connection after taking a message (the
sender cannot know it went), and decide each number's final delivery state.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ACCOUNT = "AC0123456789abcdef0123456789abcdef"
TOKEN = "fake-auth-token"
SENDER = "+33756000001"


@dataclass
class FakeProvider:
    base_url: str = ""
    messages: list[dict] = field(default_factory=list)
    refuse: dict[str, tuple[int, str]] = field(default_factory=dict)   # To → (code, message)
    final: dict[str, tuple[str, int | None, str]] = field(default_factory=dict)  # To → (status, code, text)
    errors_before_accepting: int = 0   # answer 500 to this many sends
    drop_after_accepting: int = 0      # take this many messages, then close without an answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bodies_to(self, number: str) -> list[str]:
        return [m["body"] for m in self.messages if m["to"] == number]

    def _view(self, message: dict) -> dict:
        status, code, text = self.final.get(message["to"], ("delivered", None, ""))
        return {"sid": message["sid"], "to": message["to"], "from": message["from"], "body": message["body"],
                "status": status, "error_code": code, "error_message": text or None,
                "date_sent": message["date_sent"], "num_segments": "1"}


def _handler(fake: FakeProvider):
    prefix = f"/2010-04-01/Accounts/{ACCOUNT}"
    expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _answer(self, status: int, data: dict) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _authorized(self) -> bool:
            if self.headers.get("Authorization") != expected:
                self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
                return False
            return True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if not self._authorized():
                return
            if urlsplit(self.path).path != f"{prefix}/Messages.json":
                return self._answer(404, {"code": 20404, "message": "not found"})
            with fake.lock:
                if fake.errors_before_accepting > 0:
                    fake.errors_before_accepting -= 1
                    return self._answer(500, {"code": 20500, "message": "Internal Server Error"})
                if form.get("To") in fake.refuse:
                    code, text = fake.refuse[form["To"]]
                    return self._answer(400, {"code": code, "message": text, "status": 400})
                message = {"sid": f"SM{len(fake.messages) + 1:032d}", "to": form.get("To", ""),
                           "from": form.get("From", ""), "body": form.get("Body", ""),
                           "date_sent": datetime.now(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")}
                fake.messages.append(message)
                if fake.drop_after_accepting > 0:
                    fake.drop_after_accepting -= 1
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
            self._answer(201, {**fake._view(message), "status": "queued", "error_code": None})

        def do_GET(self) -> None:
            if not self._authorized():
                return
            parts = urlsplit(self.path)
            if parts.path == f"{prefix}/Messages.json":
                to = parse_qs(parts.query).get("To", [""])[0]
                found = [fake._view(m) for m in fake.messages if m["to"] == to]
                return self._answer(200, {"messages": list(reversed(found))})
            sid = parts.path.removeprefix(f"{prefix}/Messages/").removesuffix(".json")
            for message in fake.messages:
                if message["sid"] == sid:
                    return self._answer(200, fake._view(message))
            self._answer(404, {"code": 20404, "message": f"The requested resource {parts.path} was not found"})

    return Handler


@contextmanager
def fake_provider() -> Iterator[FakeProvider]:
    fake = FakeProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
