"""The window learns of other desks' changes on an office's server: a ChangeListener (its own
connection, LISTEN maintdesk_changes) watched by a QSocketNotifier on the GUI thread; changes
arriving close together are gathered for a quarter of a second, then `changed` says which tables."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from maintdesk.errors import UserFacingError
from maintdesk.records.store import Store

log = logging.getLogger(__name__)
GATHER_MS = 250


class ServerWatch(QObject):
    changed = Signal(object)  # the set of tables other desks changed
    lost = Signal()           # the listening connection is gone: the pages are no longer refreshed

    def __init__(self, store: Store, parent: QObject | None = None):
        from maintdesk.records.backends.pg_listen import ChangeListener

        super().__init__(parent)
        self.listener = ChangeListener(store.db)
        self.pending: set[str] = set()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(GATHER_MS)
        self.timer.timeout.connect(self._tell)
        self.notifier = QSocketNotifier(self.listener.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._read)

    @classmethod
    def for_store(cls, store: Store, parent: QObject | None = None) -> ServerWatch | None:
        """A watch for a store on an office server; None for a SQLite file or when it cannot listen."""
        from maintdesk.records.backends.postgres import PostgresDatabase

        if not isinstance(store.db, PostgresDatabase):
            return None
        try:
            return cls(store, parent)
        except UserFacingError as exc:
            log.warning("other desks' changes will not be shown as they happen: %s", exc.summary)
            return None

    def _read(self) -> None:
        self.pending |= self.listener.read()
        if self.listener.lost:
            self.notifier.setEnabled(False)
            log.warning("the connection that listens for other desks' changes was lost")
            self.lost.emit()
        if self.pending and not self.timer.isActive():
            self.timer.start()

    def _tell(self) -> None:
        tables, self.pending = self.pending, set()
        if tables:
            self.changed.emit(tables)

    def close(self) -> None:
        self.notifier.setEnabled(False)
        self.timer.stop()
        self.listener.close()
