"""What the office mailbox says about the notices: each new message read once and kept
(inbound_messages), then acted on.

- A bounce (a DSN whose action is `failed`) names the notice by the Message-ID of the returned
  message: the notice turns `failed` with the reason ("bounced (x@example.org): 5.1.1 user
  unknown"), and its tenant is flagged for paper, so the communication plan prints their next
  notices (and this one, which now counts as not given).
- A reply (In-Reply-To / References naming a notice) is attached to the notice, unread, for
  Today's "3 replies to read"; an automatic answer (out of office) is kept but not counted.
- A report that cannot be read is kept with the reason and listed: nothing is lost and the
  message stays in the mailbox, untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from maintdesk.mail.dsn import read_message
from maintdesk.mail.mailbox import ImapSettings, fetch_new
from maintdesk.progress import Progress
from maintdesk.records.models import InboundMessage
from maintdesk.records.store import Store
from maintdesk.timeutil import utc_now


@dataclass
class InboxReport:
    bounced: list[int] = field(default_factory=list)      # notices turned failed
    replies: list[int] = field(default_factory=list)      # inbound ids of tenants' replies
    automatic: list[int] = field(default_factory=list)    # out-of-office answers
    delayed: list[int] = field(default_factory=list)      # notices a server is still trying
    unmatched: list[int] = field(default_factory=list)    # reports and replies naming no notice of ours
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (inbound id, why it cannot be read)
    flagged: list[int] = field(default_factory=list)      # tenants flagged for paper
    read: int = 0

    def lines(self) -> list[str]:
        said = []
        for count, one, many in ((len(self.bounced), "notice bounced", "notices bounced"),
                                 (len(self.flagged), "tenant now gets paper", "tenants now get paper"),
                                 (len(self.replies), "reply to read", "replies to read"),
                                 (len(self.delayed), "delivery delayed", "deliveries delayed")):
            if count:
                said.append(f"{count} {one if count == 1 else many}")
        for _, why in self.malformed:
            said.append(f"a delivery report could not be read ({why}); it is kept in the mailbox")
        return said or [f"{self.read} new message{'s' if self.read != 1 else ''}, nothing about the notices"]


def record(store: Store, raw: bytes, *, folder: str = "", uidvalidity: int = 0, uid: int = 0,
           report: InboxReport | None = None) -> InboxReport:
    """Reads one message, keeps it once and acts on it."""
    report = report or InboxReport()
    found = read_message(raw)
    notice = store.find_notice_by_message_id(found.refers_to) if found.refers_to else None
    kind = found.kind
    if kind in ("bounce", "delay", "reply", "auto-reply") and notice is None:
        reason = f"names no notice of MaintDesk ({', '.join(found.refers_to[:2])})"
    else:
        reason = found.problem or (found.bounce.reason if found.bounce else "")
    kept = store.add_inbound(InboundMessage(
        message_key=found.key, kind=kind, recorded_at=utc_now(), folder=folder, uidvalidity=uidvalidity, uid=uid,
        notice_id=notice.id if notice else None, tenant_id=notice.tenant_id if notice else None,
        sender=found.sender[:500], subject=found.subject[:500], body_text=found.text, reason=reason,
        received_at=found.received_at))
    report.read += 1
    if kept is None:  # the same message was read before (another folder, a copy)
        return report
    if kind == "malformed":
        report.malformed.append((kept.id, found.problem))
    elif notice is None:
        if kind != "other":
            report.unmatched.append(kept.id)
    elif kind == "bounce":
        assert found.bounce is not None
        if store.move_notice(notice.id, ("sent", "unknown", "generated"), "failed", error=found.bounce.reason):
            report.bounced.append(notice.id)
        if notice.tenant_id is not None and notice.channel == "email":
            store.flag_for_paper(notice.tenant_id, f"email to {notice.recipient_email} {found.bounce.reason}")
            report.flagged.append(notice.tenant_id)
    elif kind == "delay":
        report.delayed.append(notice.id)
    elif kind == "reply":
        report.replies.append(kept.id)
    elif kind == "auto-reply":
        report.automatic.append(kept.id)
    return report


def iter_read_mailbox(store: Store, settings: ImapSettings, password: str) -> Iterator[Progress | InboxReport]:
    """Reads the new messages of the mailbox's folder; raises MailboxUnavailable (nothing changed)."""
    fetched = fetch_new(settings, password, store.known_inbound_uids(settings.folder))
    report = InboxReport()
    yield Progress(0, len(fetched.messages))
    for done, (uid, raw) in enumerate(fetched.messages, start=1):
        record(store, raw, folder=settings.folder, uidvalidity=fetched.uidvalidity, uid=uid, report=report)
        yield Progress(done, len(fetched.messages))
    yield report


def replies_to_read(store: Store) -> list[InboundMessage]:
    """Tenants' replies not marked read yet, oldest first (Today: "3 replies to read")."""
    return store.list_inbound(("reply",), unread=True)
