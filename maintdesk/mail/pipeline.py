"""A long email batch as a pipeline: its first messages are sent while its later letters are rendered.

The PDF workers render the batch part by part (`maintdesk.letters.pdf`, `each_part`); the calling
thread composes each part's messages, records them as queued (one transaction per part) and hands
them to a `SenderThread`, which sends them over the batch's SMTP session with its own connection
to the database (`maintdesk.mail.sending.Line`: taken, sent, recorded; retried with backoff).

The outbox's guarantees are the ones of a batch prepared first and sent after: a notice is
recorded before it can be sent, taken before the server hears of it, and a batch stopped halfway
(the server gone, the program killed) leaves each notice queued, sent or unknown, so that the same
command again sends only what is still queued. Measured in bench/mail.py.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from maintdesk.mail.sending import Interrupted, Line, SendReport
from maintdesk.mail.smtp import SmtpSession
from maintdesk.records.location import Location
from maintdesk.records.models import Notice
from maintdesk.records.store import Store

PIPELINE_FROM = 64      # emails in a batch from which they are sent while the rest is rendered
_END = None             # put on the queue: no more parts will come


class SenderThread(threading.Thread):
    """Sends the parts put on `parts` as they come, in order; `report` and `done` say how far it got."""

    def __init__(self, database: Location, store_path: Path, session: SmtpSession):
        super().__init__(name="maintdesk-sender", daemon=True)
        self.database = database        # the batch's database (a file or an office's server)
        self.store_path = store_path    # beside which the archive is (the .eml files)
        self.session = session
        self.parts: queue.Queue[list[Notice] | None] = queue.Queue()
        self.stopping = threading.Event()
        self.report = SendReport()
        self.added = 0
        self.done = 0
        self.late: list[int] = []       # notices recorded after the sender stopped: still queued
        self.interrupted: Interrupted | None = None
        self.error: BaseException | None = None
        self._line: Line | None = None

    def add(self, notices: list[Notice]) -> bool:
        """Hands a part over; False (and nothing done) if the sender has stopped."""
        if not self.is_alive() or self.stopping.is_set():
            self.late += [n.id for n in notices]
            return False
        self.added += len(notices)
        self.parts.put(notices)
        return True

    def finish(self) -> None:
        """No more parts: send what is in the line, then stop."""
        self.parts.put(_END)

    def stop(self) -> None:
        """Stop after the message being sent; the rest stays queued."""
        self.stopping.set()
        self.parts.put(_END)

    def left(self) -> list[int]:
        """Ids of the notices handed over and not taken (after the thread has ended)."""
        waiting = sorted(n.id for *_, n in self._line.waiting) if self._line is not None else []
        waiting += self.late
        while True:
            try:
                part = self.parts.get_nowait()
            except queue.Empty:
                return waiting
            waiting += [n.id for n in part or ()]

    def run(self) -> None:
        store = None
        try:
            store = Store.open(self.database, create=False)  # the thread's own connection
            line = self._line = Line(store, self.store_path, self.session, ("queued",))
            self.report = line.report
            line.refresh()
            ended = False
            while not self.stopping.is_set():
                wait = line.next_wait()
                if not ended and wait != 0:
                    try:  # nothing to send now: wait for a part (or for a retry's time)
                        part = self.parts.get(timeout=wait)
                    except queue.Empty:
                        part = []
                    if part is _END:
                        ended = True
                    else:
                        line.add(part)
                    continue
                if not ended:
                    try:
                        part = self.parts.get_nowait()
                        if part is _END:
                            ended = True
                        else:
                            line.add(part)
                    except queue.Empty:
                        pass
                if wait is None:
                    if ended:
                        return
                    continue
                line.send_next()
                self.done = line.done
        except Interrupted as exc:
            self.interrupted = exc
        except BaseException as exc:  # noqa: BLE001 - raised again in the calling thread
            self.error = exc
        finally:
            if store is not None:
                store.close()
