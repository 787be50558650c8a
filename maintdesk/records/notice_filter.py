"""Which issued notices the Outbox & records list shows: by property, channel and state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from maintdesk.records.models import Notice

ATTENTION = "attention"
# Emails and SMS that did not go out, or whose fate is unknown, and those still waiting in the outbox.
ATTENTION_STATES = frozenset({"failed", "unknown", "queued"})


@dataclass(frozen=True)
class NoticeFilter:
    property_id: int | None = None
    channel: str | None = None   # "print", "email" or "sms"
    state: str | None = None     # a notice state, or ATTENTION

    def matches(self, notice: Notice, property_of_work: dict[int, int]) -> bool:
        if self.property_id is not None and property_of_work.get(notice.work_order_id) != self.property_id:
            return False
        if self.channel is not None and notice.channel != self.channel:
            return False
        if self.state == ATTENTION:
            return notice.state in ATTENTION_STATES
        return self.state is None or notice.state == self.state

    def apply(self, notices: Iterable[Notice], property_of_work: dict[int, int]) -> list[Notice]:
        return [n for n in notices if self.matches(n, property_of_work)]
