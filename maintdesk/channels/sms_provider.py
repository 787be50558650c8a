"""An SMS provider behind a small interface, and one implementation in Twilio's REST shape.

    POST {base}/2010-04-01/Accounts/{sid}/Messages.json   To, From, Body (form)  → 201 {"sid", "status", …}
    GET  {base}/2010-04-01/Accounts/{sid}/Messages/{id}.json                       → {"status", "error_code", …}
    GET  {base}/2010-04-01/Accounts/{sid}/Messages.json?To=…&DateSent>=…           → {"messages": […]}

HTTP Basic authentication with the account SID and its auth token. What can happen, and what the
outbox makes of it:
- the provider cannot be reached, or answers 5xx or 429 before taking the message:
  `SmsUnavailable` (nothing was sent; the notice stays queued, `transient` says it may pass);
- it refuses this message (4xx with a code: not a mobile number, an unsubscribed number, …):
  `Reply("refused", …)` with the provider's words — the notice fails and falls back to paper or email;
- the connection is lost after the request went out, before an answer: `Reply("unknown")` — the
  provider may have the message. `find` asks the provider's list of messages to that number
  whether it took it, so that a retry never sends it twice.
Another provider is added by writing a class with the same three methods.
"""

from __future__ import annotations

import base64
import http.client
import json
import ssl
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlencode, urlsplit

from maintdesk.errors import UserFacingError

API = "/2010-04-01/Accounts/{account}"
# Twilio's message states, and what they mean for a notice.
DELIVERED = ("delivered", "read")
FAILED = ("failed", "undelivered", "canceled")
PENDING = ("accepted", "scheduled", "queued", "sending", "sent", "receiving", "received")


class SmsUnavailable(UserFacingError):
    """The provider cannot be used now; nothing was sent. `transient`: it may work a little later."""

    def __init__(self, summary: str, transient: bool = False, detail: str | None = None):
        super().__init__(summary, detail)
        self.transient = transient


@dataclass(frozen=True)
class Reply:
    """What the provider said about one message.

    outcome: "accepted" (it took the message), "delivered", "failed" (it took it, then it could not
    be delivered), "pending" (not yet known), "refused" (not taken), "unknown" (no answer)."""

    outcome: str
    provider_id: str = ""
    detail: str = ""
    segments: int = 0


class SmsProvider(Protocol):
    name: str

    def send(self, to: str, body: str) -> Reply: ...

    def status(self, provider_id: str) -> Reply: ...

    def find(self, to: str, body: str, since: datetime) -> Reply | None: ...


def _words(data: dict) -> str:
    code, message = data.get("code") or data.get("error_code"), data.get("message") or data.get("error_message")
    return " ".join(str(part) for part in (code, message) if part) or "no reason given"


class TwilioProvider:
    """Twilio's Programmable Messaging API (or anything that speaks its shape, such as the tests' fake)."""

    name = "twilio"

    def __init__(self, base_url: str, account: str, token: str, sender: str, timeout: float = 20.0,
                 ca_file: str = ""):
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise UserFacingError(f'SMS provider: "{base_url}" is not an https:// address')
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.prefix = parts.path.rstrip("/") + API.format(account=account)
        self.sender = sender
        self.timeout = timeout
        self.ca_file = ca_file
        self._auth = "Basic " + base64.b64encode(f"{account}:{token}".encode()).decode("ascii")

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}" if self.port else self.host

    def _connection(self) -> http.client.HTTPConnection:
        if self.scheme == "http":
            return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        context = ssl.create_default_context(cafile=self.ca_file or None)
        return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=context)

    def _call(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict] | None:
        """(status, JSON) — or None when the request went out and no answer came back."""
        conn = self._connection()
        try:
            try:
                conn.connect()
            except ssl.SSLError as exc:
                raise SmsUnavailable(f"the SMS provider {self.where} cannot be trusted: {exc.reason or exc}") from None
            except (TimeoutError, OSError) as exc:
                raise SmsUnavailable(f"cannot reach the SMS provider {self.where}: "
                                     f"{exc.strerror or exc.__class__.__name__}", transient=True) from None
            body = urlencode(form).encode() if form is not None else None
            headers = {"Authorization": self._auth, "Accept": "application/json"}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            try:
                conn.request(method, self.prefix + path, body=body, headers=headers)
                response = conn.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException):
                if method == "GET":
                    raise SmsUnavailable(f"the SMS provider {self.where} closed the connection without an answer",
                                         transient=True) from None
                return None
        finally:
            conn.close()
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = {"message": raw[:200].decode("utf-8", "replace")}
        return response.status, data if isinstance(data, dict) else {}

    def _refusal(self, status: int, data: dict) -> None:
        if status in (401, 403):
            raise SmsUnavailable(f"the SMS provider {self.where} refused the account SID or token "
                                 f"({status} {_words(data)}); check them in Settings")
        if status == 429 or status >= 500:
            raise SmsUnavailable(f"the SMS provider {self.where} answered {status} {_words(data)}", transient=True)

    def send(self, to: str, body: str) -> Reply:
        answer = self._call("POST", "/Messages.json", {"To": to, "From": self.sender, "Body": body})
        if answer is None:
            return Reply("unknown", detail=f"the connection to {self.where} was lost before its answer")
        status, data = answer
        self._refusal(status, data)
        if status >= 400:
            return Reply("refused", detail=f"refused by the provider: {_words(data)}")
        return Reply("accepted", str(data.get("sid", "")), str(data.get("status", "")),
                     int(data.get("num_segments") or 0))

    def status(self, provider_id: str) -> Reply:
        answer = self._call("GET", f"/Messages/{provider_id}.json")
        assert answer is not None
        status, data = answer
        self._refusal(status, data)
        if status >= 400:
            return Reply("pending", provider_id, f"the provider does not know it yet ({status} {_words(data)})")
        return _state(data)

    def find(self, to: str, body: str, since: datetime) -> Reply | None:
        query = urlencode({"To": to, "DateSent>": since.strftime("%Y-%m-%d")})
        answer = self._call("GET", f"/Messages.json?{query}")
        assert answer is not None
        status, data = answer
        self._refusal(status, data)
        for message in data.get("messages", []) if status < 400 else []:
            if message.get("body") == body:
                return _state(message)
        return None


def _state(data: dict) -> Reply:
    state, sid = str(data.get("status", "")), str(data.get("sid", ""))
    segments = int(data.get("num_segments") or 0)
    if state in DELIVERED:
        return Reply("delivered", sid, state, segments)
    if state in FAILED:
        return Reply("failed", sid, f"{state}: {_words(data)}", segments)
    return Reply("pending", sid, state, segments)
