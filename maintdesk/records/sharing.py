"""One database file, several MaintDesk processes, and files nobody may write.

An office runs the window and a scheduled `dispatch` on the same file, or opens a copy on a
read-only share. So:
- every write transaction starts as a writer (`BEGIN IMMEDIATE`): it waits for the lock at its
  start (SQLite's busy timeout, then a few more tries) instead of failing half-way when a
  transaction that began by reading wants to write while another process writes;
- a lock held too long, or a file that cannot be written, becomes one clear sentence
  (DatabaseBusy, DatabaseReadOnly), never an internal error;
- a record saved from a form is compared, inside the write transaction, with the record as the
  form opened it: if someone else changed it since, the save stops with ChangedElsewhere naming
  what they changed, so that nobody loses an edit without being told.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from maintdesk.errors import DatabaseError, UserFacingError

BUSY_TIMEOUT_MS = 5000   # SQLite waits this long for another process's lock at each try
LOCK_TRIES = 3           # tries to become the writer before giving up with DatabaseBusy


class DatabaseBusy(DatabaseError):
    """Another process held the database's lock for longer than MaintDesk waits."""


class DatabaseReadOnly(DatabaseError):
    """The database file (or its folder) cannot be written."""


class ChangedElsewhere(UserFacingError):
    """The record was changed (or deleted) by someone else since the form showing it was opened."""

    def __init__(self, what: str, changed: dict[str, Any] | None):
        self.changed = dict(changed or {})   # column: the value it has now
        self.deleted = changed is None
        if changed is None:
            super().__init__(f"Someone else deleted {what} since you opened it; your changes are not saved.",
                             "Cancel, then add it again if it is still needed.")
        else:
            now = "; ".join(_change(name, value) for name, value in self.changed.items())
            super().__init__(f"Someone else changed {what} since you opened it ({now}); your changes are not "
                             "saved yet. Save again to replace theirs with yours, or cancel and open it again "
                             "to see theirs.")


def _change(name: str, value: Any) -> str:
    """ "email now “x”" for a plain value; the name alone for a list or a text in several languages."""
    name = name.replace("_", " ")
    if isinstance(value, (list, tuple, dict, set)):
        return name
    text = "empty" if value in (None, "") else f"“{value}”"
    return f"{name} now {text if len(text) <= 42 else text[:40] + '…”'}"


def is_locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def is_read_only(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("readonly" in text or "read-only" in text)


def explain(exc: BaseException, path: Path | str | None) -> DatabaseError | None:
    """The sentence for a database that is locked too long or cannot be written; None for anything else."""
    where = f"the database {path}" if path else "the database"
    if is_read_only(exc):
        return DatabaseReadOnly(f"{where} is read-only (the file or its folder cannot be written): nothing was "
                                "changed; open a copy you may write, or ask for write access")
    if is_locked(exc):
        waited = BUSY_TIMEOUT_MS * LOCK_TRIES // 1000
        return DatabaseBusy(f"{where} is busy: another MaintDesk window or command kept it locked for over "
                            f"{waited} s; nothing was changed, try again when it has finished")
    return None


class SharedDatabase(sqlite_utils.Database):
    """sqlite_utils.Database whose writes wait their turn and fail in sentences."""

    path: Path | None = None
    read_only: bool = False

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.OperationalError as exc:
            raise (explain(exc, self.path) or exc) from exc

    @contextmanager
    def writing(self) -> Iterator[None]:
        """A write transaction (a savepoint inside one already open), kept whole or not at all."""
        if self.conn.in_transaction:
            with self.atomic():
                yield
            return
        self._begin_immediate()
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise (explain(exc, self.path) or exc) from exc

    def _begin_immediate(self) -> None:
        for attempt in range(1, LOCK_TRIES + 1):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_locked(exc) or attempt == LOCK_TRIES:
                    raise (explain(exc, self.path) or exc) from exc
                time.sleep(0.05 * attempt)
