"""Learning of other desks' changes on an office's server: every table NOTIFYs `maintdesk_changes`
with its name after a change (migration_issuers). `ChangeListener` holds a second connection of
its own that LISTENs; the window watches its socket (`fileno()`) and calls `read()` when it is
readable, which never blocks. Changes made by this desk's own connection are left out.
"""

from __future__ import annotations

import psycopg

from maintdesk.records.backends.postgres import PostgresDatabase, connect

CHANNEL = "maintdesk_changes"


class ChangeListener:
    def __init__(self, db: PostgresDatabase):
        self.own_pid = db.raw.info.backend_pid
        self.db = connect(db.location)
        self.db.raw.execute(f"LISTEN {CHANNEL}")
        self._socket = self.db.raw.pgconn.socket
        self.lost = False

    def fileno(self) -> int:
        """The socket to watch for reading (the same for the listener's life)."""
        return self._socket

    def read(self) -> set[str]:
        """The tables other desks changed since the last read (empty if none); sets `lost` when
        the connection to the server is gone."""
        pgconn = self.db.raw.pgconn
        try:
            pgconn.consume_input()
        except psycopg.Error:
            self.lost = True
            return set()
        changed = set()
        while (notice := pgconn.notifies()) is not None:
            if notice.be_pid != self.own_pid:
                changed.add(notice.extra.decode())
        return changed

    def close(self) -> None:
        self.db.close()
