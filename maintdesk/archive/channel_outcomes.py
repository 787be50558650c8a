"""What became of each tenant's notices on each channel, for the proof of notice: a letter printed
and handed over or mailed; an email accepted by the server, bounced, replied to; an SMS delivered
or failed. Outcomes are codes; the report's template words them in its language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from maintdesk.records.models import InboundMessage, Notice

CHANNEL_ORDER = ("print", "email", "sms")


def outcome(notice: Notice, inbound: Iterable[InboundMessage] = ()) -> list[str]:
    """The codes for one notice: e.g. ["bounced"], ["accepted", "replied"], ["delivered"]."""
    kinds = {m.kind for m in inbound}
    state = notice.state
    if notice.channel == "print":
        if state == "delivered":
            return [{"hand": "handed", "mail": "mailed", "registered": "mailed"}.get(notice.delivery_method, "delivered")]
        return ["failed" if state == "failed" else "printed"]
    if state == "failed":
        codes = ["bounced" if "bounce" in kinds else "failed"]
    else:
        codes = [{"sent": "accepted", "delivered": "delivered", "queued": "pending", "unknown": "unknown",
                  "generated": "pending"}.get(state, state)]
    if "reply" in kinds:
        codes.append("replied")
    return codes


def by_tenant(notices: list[tuple[Notice, str]], inbound: dict[int, list[InboundMessage]]) -> list[dict[str, Any]]:
    """One row per recipient (name and unit): per channel, each notice's kind and outcome codes."""
    rows: dict[tuple[Any, str], dict[str, Any]] = {}
    for notice, unit in notices:
        key = (notice.tenant_id if notice.tenant_id is not None else notice.recipient_name, unit)
        row = rows.setdefault(key, {"recipient": notice.recipient_name, "unit": unit,
                                    "channels": {c: [] for c in CHANNEL_ORDER}})
        channel = "email" if notice.channel == "eml" else notice.channel
        row["channels"].setdefault(channel, []).append(
            {"kind": notice.kind, "codes": outcome(notice, inbound.get(notice.id or 0, ()))})
    return list(rows.values())


def replies(messages: Iterable[InboundMessage], limit: int = 160) -> list[dict[str, str]]:
    """A notice's replies as the report quotes them: who, when, the first words."""
    quoted = []
    for m in messages:
        if m.kind == "reply":
            text = " ".join(line for line in m.body_text.splitlines() if line and not line.startswith(">"))
            quoted.append({"sender": m.sender, "received": m.received_at[:16].replace("T", " "),
                           "excerpt": text[:limit] + ("…" if len(text) > limit else "")})
    return quoted
