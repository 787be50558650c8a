"""Reading what comes back to the office mailbox: bounces (RFC 3464 delivery status notifications)
and tenants' replies, matched to the notice they answer by its Message-ID.

A DSN is `multipart/report; report-type=delivery-status` with three parts: a human-readable text,
`message/delivery-status` (one block of per-message fields, then one block per recipient with
`Final-Recipient`, `Action`, `Status` and often `Diagnostic-Code`), and the returned message or its
headers (`message/rfc822` or `text/rfc822-headers`) that carry the notice's Message-ID. A reply
names the notice in `In-Reply-To` or `References`. An automatic answer (RFC 3834
`Auto-Submitted`, an out-of-office) is kept apart from a person's reply.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
MAX_TEXT = 20_000  # a reply's text is kept up to this many characters


class MalformedReport(ValueError):
    """A delivery report that cannot be read; the message says what is missing."""


@dataclass(frozen=True)
class Bounce:
    action: str            # failed, delayed, delivered, relayed, expanded
    status: str            # 5.1.1
    recipient: str
    diagnostic: str
    original_ids: tuple[str, ...]   # Message-IDs of the returned message

    @property
    def permanent(self) -> bool:
        return self.action == "failed" or self.status.startswith("5.")

    @property
    def reason(self) -> str:
        words = f"{self.status} {self.diagnostic}".strip()
        return f"bounced ({self.recipient}): {words}" if self.recipient else f"bounced: {words}"


@dataclass
class Inbound:
    """One message from the mailbox, read."""

    key: str                        # its Message-ID, else a fingerprint of its bytes
    kind: str                       # bounce, delay, reply, auto-reply, malformed, other
    sender: str = ""
    subject: str = ""
    received_at: str = ""           # the Date header as written
    text: str = ""
    refers_to: tuple[str, ...] = ()  # the notices' Message-IDs it names
    bounce: Bounce | None = None
    problem: str = ""               # why a report could not be read
    extra: dict = field(default_factory=dict)


def _ids(value: str | None) -> tuple[str, ...]:
    return tuple(_MESSAGE_ID.findall(str(value or "")))


def _text_of(message: Message) -> str:
    """The first text/plain part (a reply's own words, quoted history included)."""
    part = message.get_body(preferencelist=("plain",)) if isinstance(message, EmailMessage) else None
    if part is None:
        return ""
    try:
        return str(part.get_content())[:MAX_TEXT]
    except (LookupError, ValueError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", "replace")[:MAX_TEXT]


def _field_blocks(part: Message) -> list[Message]:
    """The blocks of a message/delivery-status part, as header sets."""
    payload = part.get_payload()
    if isinstance(payload, list):  # the email package parses each block as a sub-message
        return [b for b in payload if isinstance(b, Message)]
    raw = payload if isinstance(payload, str) else (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    blocks = re.split(r"\r?\n\r?\n", raw.strip())
    return [email.message_from_string(b + "\n", policy=email.policy.default) for b in blocks if b.strip()]


def _returned_ids(report: Message) -> tuple[str, ...]:
    for part in report.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message):
                return _ids(inner.get("Message-ID"))
        if ctype == "text/rfc822-headers":
            raw = part.get_payload(decode=True) or b""
            headers = email.message_from_bytes(raw, policy=email.policy.default)
            return _ids(headers.get("Message-ID"))
    return ()


def read_bounce(report: Message) -> Bounce:
    """The first recipient block of a DSN; MalformedReport saying what is missing."""
    status_part = next((p for p in report.walk() if p.get_content_type() == "message/delivery-status"), None)
    if status_part is None:
        raise MalformedReport("a delivery report without its message/delivery-status part")
    blocks = _field_blocks(status_part)
    recipients = [b for b in blocks[1:] if b.get("Action") or b.get("Final-Recipient")]
    if not recipients:
        raise MalformedReport("a delivery report that names no recipient (no Final-Recipient or Action)")
    block = recipients[0]
    action = str(block.get("Action", "")).strip().lower()
    status = str(block.get("Status", "")).strip()
    if not action or not re.fullmatch(r"[245]\.\d{1,3}\.\d{1,3}", status.split()[0] if status else ""):
        raise MalformedReport(f'a delivery report with an unreadable Action "{action}" or Status "{status}"')
    recipient = str(block.get("Final-Recipient", "") or block.get("Original-Recipient", ""))
    recipient = recipient.split(";", 1)[-1].strip()
    diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split(";", 1)[-1].split())
    original = _returned_ids(report) or _ids(report.get("In-Reply-To")) or _ids(report.get("References"))
    if not original:
        raise MalformedReport("a delivery report without the Message-ID of the returned message")
    return Bounce(action, status.split()[0], recipient, diagnostic, original)


def read_message(raw: bytes) -> Inbound:
    """Classifies one message of the mailbox; never raises on a message (a bad one is `malformed`)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    ids = _ids(message.get("Message-ID"))
    key = ids[0] if ids else "sha256:" + hashlib.sha256(raw).hexdigest()
    found = Inbound(key, "other", sender=str(message.get("From", "")), subject=str(message.get("Subject", "")),
                    received_at=_date(message.get("Date")))
    is_report = (message.get_content_type() == "multipart/report"
                 and message.get_param("report-type", "").lower() == "delivery-status")
    if is_report:
        try:
            found.bounce = read_bounce(message)
        except MalformedReport as exc:
            found.kind, found.problem = "malformed", str(exc)
            return found
        found.kind = "bounce" if found.bounce.permanent else "delay"
        found.refers_to = found.bounce.original_ids
        return found
    refers = _ids(message.get("In-Reply-To")) + _ids(message.get("References"))
    if refers:
        found.refers_to = tuple(dict.fromkeys(refers))
        automatic = str(message.get("Auto-Submitted", "no")).strip().lower()
        found.kind = "reply" if automatic in ("", "no") else "auto-reply"
        found.text = _text_of(message)
    return found


def _date(value: object) -> str:
    try:
        return parsedate_to_datetime(str(value)).isoformat() if value else ""
    except (TypeError, ValueError):
        return ""
