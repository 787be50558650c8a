"""Sending queued notices over one SMTP session: the outbox's states around each message.

Each notice is *taken* (queued → unknown, a compare-and-set committed before the server hears of
it), sent, and its reply recorded (sent, failed, unknown, or queued again after a temporary
refusal, tried later with backoff). `Line` holds the notices still to send; more can be added
while it is being sent (a batch whose later letters are still being rendered,
`maintdesk.mail.pipeline`). See `maintdesk.mail.outbox` for the states.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from maintdesk.mail.batch import eml_path
from maintdesk.mail.message import sender_of
from maintdesk.mail.smtp import SmtpSession, SmtpUnavailable
from maintdesk.records.models import Notice
from maintdesk.records.store import Store
from maintdesk.timeutil import to_text, utc_now


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)     # left for later (the batch was interrupted)
    elsewhere: list[int] = field(default_factory=list)  # taken by another sender meanwhile


class Interrupted(Exception):
    """The server could not be used any more: `cause`; the notices not sent are in report.queued."""

    def __init__(self, cause: SmtpUnavailable):
        super().__init__(cause.summary)
        self.cause = cause


class Line:
    """Notices waiting to be sent over `session`, in order; 4xx replies go to the back of the line."""

    def __init__(self, store: Store, store_path, session: SmtpSession, take_from: tuple[str, ...]):
        self.store = store
        self.eml_path = lambda notice: eml_path(store_path, notice)
        self.session = session
        self.take_from = take_from
        self.report = SendReport()
        self.waiting: list[tuple[float, int, int, Notice]] = []   # (ready at, order, attempt, notice)
        self.added = 0
        self.done = 0
        self._senders: dict[int, str] = {}

    def add(self, notices: Iterable[Notice]) -> None:
        for notice in notices:
            heapq.heappush(self.waiting, (0.0, self.added, 1, notice))
            self.added += 1

    def next_wait(self) -> float | None:
        """Seconds until the next notice may be sent (0: now); None when the line is empty."""
        if not self.waiting:
            return None
        return max(0.0, self.waiting[0][0] - self.session.clock())

    def refresh(self) -> None:
        """A connection that went idle while the letters were rendered is opened again."""
        try:
            self.session.refresh()
        except SmtpUnavailable as exc:
            self.report.queued += [n.id for *_, n in sorted(self.waiting)]
            self.waiting.clear()
            raise Interrupted(exc) from None

    def _envelope_from(self, notice: Notice) -> str:
        """The building's sender: the outbox may hold several buildings' notices."""
        if notice.work_order_id not in self._senders:
            prop = self.store.get_property(self.store.get_work_order(notice.work_order_id).property_id)
            self._senders[notice.work_order_id] = sender_of(self.store.sender_of(prop)).address.addr
        return self._senders[notice.work_order_id]

    def send_next(self, wait: bool = True) -> bool:
        """Sends the first notice of the line (sleeping until it may be sent if `wait`); False if
        there was nothing to send. Raises Interrupted when the server cannot be used any more."""
        if not self.waiting or (not wait and self.next_wait()):
            return False
        ready_at, order, attempt, notice = heapq.heappop(self.waiting)
        store, report, session = self.store, self.report, self.session
        if (pause := ready_at - session.clock()) > 0:
            session.sleep(pause)
        if not store.move_notice(notice.id, self.take_from if attempt == 1 else ("queued",), "unknown",
                                 error=f"sending started at {to_text(utc_now())}; no answer from the server was recorded"):
            report.elsewhere.append(notice.id)
            self.done += 1
            return True
        try:
            data = self.eml_path(notice).read_bytes()
        except OSError as exc:
            store.move_notice(notice.id, ("unknown",), "failed", error=f"the prepared message cannot be read: {exc}")
            report.failed.append(notice.id)
            self.done += 1
            return True
        mail_from = self._envelope_from(notice)
        smtputf8 = not (notice.recipient_email.isascii() and mail_from.isascii())
        try:
            delivery = session.send(mail_from, notice.recipient_email, data, smtputf8)
        except SmtpUnavailable as exc:  # connecting again failed: stop, keep the rest queued
            store.move_notice(notice.id, ("unknown",), "queued", error=exc.summary)
            report.queued = [notice.id] + sorted(n.id for *_, n in self.waiting)
            self.waiting.clear()
            raise Interrupted(exc) from None
        attempts, backoff = session.settings.attempts, session.settings.backoff
        if delivery.status == "retry" and attempt < attempts:
            store.move_notice(notice.id, ("unknown",), "queued",
                              error=f"{delivery.reply} (attempt {attempt} of {attempts}; trying again)")
            heapq.heappush(self.waiting, (session.clock() + backoff * 2 ** (attempt - 1), order, attempt + 1, notice))
            return True
        if delivery.status == "sent":
            store.move_notice(notice.id, ("unknown",), "sent", sent_at=utc_now(), error="", delivery_method="smtp",
                              delivered_by=delivery.reply)
            report.sent.append(notice.id)
        elif delivery.status == "unknown":
            store.move_notice(notice.id, ("unknown",), "unknown", error=delivery.reply)
            report.unknown.append(notice.id)
        else:
            reason = delivery.reply if delivery.status == "failed" else f"gave up after {attempt} attempts: {delivery.reply}"
            store.move_notice(notice.id, ("unknown",), "failed", error=reason)
            report.failed.append(notice.id)
        self.done += 1
        return True

    def send_all(self) -> Iterator[int]:
        """Sends until the line is empty; yields how many are done after each message that ended."""
        while self.waiting:
            before = self.done
            self.send_next()
            if self.done != before:
                yield self.done
