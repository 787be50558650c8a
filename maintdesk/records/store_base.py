"""The ground floor of the `Store`: the connection, transactions, and records to rows and back.

`Store` (maintdesk.records.store) is built in floors, each adding the records of one part of the
schema: `StoreBase` here, `PlacesStore` (organization, properties, units, tenants), `WorkStore`
(work orders, their terms, accepted findings and entry agreements), then `Store` itself (issued
notices and the outbox). Only these modules and `db` speak SQL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Self, TypeVar


from maintdesk.errors import NotFound
from maintdesk.records.db import open_database
from maintdesk.records.backends.pg_rights import issuing_refusal
from maintdesk.records.location import Location
from maintdesk.records.sharing import ChangedElsewhere, SharedDatabase
from maintdesk.timeutil import from_text, to_text

T = TypeVar("T")

_LOCALIZED = "LocalizedText"
_NOT_COLUMNS = {"id", "affected_unit_ids", "slots", "actions"}


def to_row(record: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in fields(record):
        if f.name in _NOT_COLUMNS:
            continue
        value = getattr(record, f.name)
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, datetime):
            value = to_text(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif f.type == _LOCALIZED:
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        row[f.name] = value
    return row


def _converter(field_type: str) -> Callable[[Any], Any] | None:
    if field_type == "bool":
        return bool
    if "datetime" in field_type:
        return lambda value: None if value is None else from_text(value)
    if field_type.startswith("date"):
        return lambda value: None if value is None else date.fromisoformat(value)
    if field_type == _LOCALIZED:
        return json.loads
    return None


@lru_cache(maxsize=None)
def _row_plan(cls: type) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    return tuple((f.name, _converter(str(f.type))) for f in fields(cls))


def from_row(cls: type[T], row: sqlite3.Row | dict[str, Any]) -> T:
    values = {}
    for name, convert in _row_plan(cls):
        try:
            value = row[name]
        except (IndexError, KeyError):  # the query did not select this column
            continue
        values[name] = convert(value) if convert is not None else value
    return cls(**values)


class StoreBase:
    def __init__(self, db: SharedDatabase):
        self.db = db
        self.db.conn.row_factory = sqlite3.Row

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    @property
    def path(self) -> Path | None:
        return self.db.path

    @property
    def person(self) -> str:
        """Who works at this desk, as recorded with what they issue: on an office server the
        session's database role, else this computer's user name."""
        role = getattr(self.db, "role", None)
        if role:
            return role
        import getpass

        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "this desk"

    @property
    def may_not_issue(self) -> str:
        """Why this desk may not issue notices (its role on an office server), or ""."""
        return issuing_refusal(getattr(self.db, "group", None))

    @property
    def location(self) -> Location:
        """What this store has open: the SQLite file or the office's server. A worker thread or
        process opens its own connection to it with `Store.open(store.location)`."""
        server = getattr(self.db, "location", None)
        return server if server is not None else self.db.path

    @classmethod
    def open(cls, path: Path | str, **options: Any) -> Self:
        return cls(open_database(path, **options))

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several saves so they are kept all together or not at all; it begins as the
        database's writer, waiting for another process's write to finish (records.sharing)."""
        with self.db.writing():
            yield

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, tuple(params)).fetchall()

    def _one(self, sql: str, params: Iterable[Any], what: str) -> sqlite3.Row:
        row = self.db.execute(sql, tuple(params)).fetchone()
        if row is None:
            raise NotFound(f"no {what}")
        return row

    def _write(self, table: str, row: dict[str, Any], record_id: int | None) -> int:
        """Insert (no id or an id not yet used) or update; returns the id."""
        if record_id is not None and self._exists(table, record_id):
            assignments = ", ".join(f"{column} = ?" for column in row)
            self.db.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*row.values(), record_id))
            return record_id
        if record_id is not None:
            row = {"id": record_id, **row}
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
        return int(cursor.lastrowid)

    def _refuse_if_changed(self, opened: Any, read: Callable[[int], Any], what: str) -> None:
        """Inside a write transaction: ChangedElsewhere if the record `opened` (as a form showed it,
        None for a new one) was changed or deleted since; `read` reads it as it is now."""
        if opened is None or opened.id is None:
            return
        try:
            now = read(opened.id)
        except NotFound:
            raise ChangedElsewhere(what, None) from None
        changed = {f.name: getattr(now, f.name) for f in fields(now) if getattr(now, f.name) != getattr(opened, f.name)}
        if changed:
            raise ChangedElsewhere(what, changed)

    def _exists(self, table: str, record_id: int) -> bool:
        return self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (record_id,)).fetchone() is not None

    def counts(self) -> dict[str, int]:
        tables = ("properties", "units", "tenants", "work_orders", "notices")
        return {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def is_empty(self) -> bool:
        has_senders = self.db.execute("SELECT 1 FROM senders LIMIT 1").fetchone() is not None
        return not any(self.counts().values()) and not has_senders
