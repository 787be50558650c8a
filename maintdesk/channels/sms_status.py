"""What became of the SMS the provider took: delivered to the phone, or failed (an unreachable
handset, a landline, a carrier's filter). Asked of the provider for every SMS notice still `sent`;
a failed one then counts as not told, and the communication plan falls back to the tenant's next
channel (maintdesk.planning.communication)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from maintdesk.channels.sms_provider import SmsProvider
from maintdesk.progress import Progress
from maintdesk.records.store import Store
from maintdesk.timeutil import utc_now


@dataclass
class StatusReport:
    delivered: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)


def iter_refresh_status(store: Store, provider: SmsProvider) -> Iterator[Progress | StatusReport]:
    """Asks the provider about each SMS notice that is sent but not known delivered; records the answer.
    Raises SmsUnavailable when the provider cannot be asked (nothing is changed for the rest)."""
    notices = [n for n in store.find_notices(channels=("sms",), states=("sent",)) if n.message_id]
    report = StatusReport()
    yield Progress(0, len(notices))
    for done, notice in enumerate(notices, start=1):
        reply = provider.status(notice.message_id)
        if reply.outcome == "delivered":
            store.move_notice(notice.id, ("sent",), "delivered", delivered_at=utc_now(),
                              delivered_by=f"{provider.name}: {reply.detail}")
            report.delivered.append(notice.id)
        elif reply.outcome == "failed":
            store.move_notice(notice.id, ("sent",), "failed", error=f"not delivered: {reply.detail}",
                              delivered_by=f"{provider.name}: {reply.detail}")
            report.failed.append(notice.id)
        else:
            report.pending.append(notice.id)
        yield Progress(done, len(notices))
    yield report
