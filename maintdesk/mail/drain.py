"""Draining the outbox: a sender takes the queued email notices one at a time and sends them, so
several senders (desks, or a sender on a server) can drain one office database at once without
any message going out twice.

A notice is *taken* with `Store.take_queued` (on PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED`,
senders never wait for each other; on SQLite a compare-and-set), which moves it from queued to
unknown before the server hears of it; then it is sent over the session and its reply recorded as
in maintdesk.mail.sending. A temporary refusal puts it back in the queue, where any sender may
take it again.

A sender takes only the notices whose prepared messages it can read: those of the batches in its
archive folder. Desks with a data folder each send what they issued; desks sharing the archive
folder (a network share) send each other's as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from maintdesk.letters.issuing import archive_dir
from maintdesk.mail.batch import Progress
from maintdesk.mail.sending import Interrupted, Line, SendReport
from maintdesk.mail.settings import SmtpSettings
from maintdesk.mail.smtp import SmtpSession
from maintdesk.records.store import Store
from maintdesk.timeutil import to_text, utc_now


class DrainInterrupted(Exception):
    """The server could not be used any more; `report` says what this sender did."""

    def __init__(self, cause, report: SendReport):
        super().__init__(cause.summary)
        self.cause, self.report = cause, report


def readable_batches(store: Store, store_path: Path) -> list[str]:
    """The batches with queued emails whose messages this desk has: those in its archive folder
    (`notices/wo<N>/<batch>`, beside `store_path`), which is every desk's when they share it."""
    archive = archive_dir(store_path)
    return [batch for work_order_id, batch in store.queued_batches(("email",))
            if batch and (archive / f"wo{work_order_id}" / batch).is_dir()]


def _take(store: Store, store_path: Path) -> list:
    note = f"sending started at {to_text(utc_now())}; no answer from the server was recorded"
    return store.take_queued(("email",), 1, note=note, batch_ids=readable_batches(store, store_path))


def iter_drain(store: Store, store_path: Path, settings: SmtpSettings, password: str | None = None, *,
               session: SmtpSession | None = None, limit: int | None = None) -> Iterator[Progress | SendReport]:
    """Sends queued email notices until none is left to take (or `limit` were taken); yields
    Progress("sending", done, taken so far), then this sender's SendReport."""
    session = session or SmtpSession(settings, password)
    with session:
        line = Line(store, store_path, session, ("unknown",))  # taken already: the line's own take passes
        taken = 0
        try:
            while limit is None or taken < limit or line.waiting:
                ready = line.next_wait()
                if ready == 0:
                    line.send_next(wait=False)
                    yield Progress("sending", line.done, taken)
                    continue
                got = [] if limit is not None and taken >= limit else _take(store, store_path)
                if got:
                    if taken == 0:
                        line.refresh()
                    taken += len(got)
                    line.add(got)
                elif line.waiting:
                    line.send_next()  # a retry later: wait for it
                    yield Progress("sending", line.done, taken)
                else:
                    break
        except Interrupted as exc:
            raise DrainInterrupted(exc.cause, line.report) from None
    yield line.report
