"""Reading and writing the records: `Store`, and on its top floor the issued notices and the outbox.

Every write is validated first (maintdesk.records.validation) and runs in one transaction: a
save that fails leaves what was stored before untouched.

The floors below: `store_base` (connection, transactions, rows), `store_places` (organization,
properties, units, tenants), `store_work` (work orders, terms, accepted findings, agreements).
Together with `db` they are the only modules that speak SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from maintdesk.errors import Problem, ValidationError
from maintdesk.records import validation
from maintdesk.records.models import Notice
from maintdesk.records.store_base import from_row, to_row
from maintdesk.records.store_work import WorkStore
from maintdesk.timeutil import to_text, utc_now

_NOTICE_STATE_COLUMNS = ("state", "sent_at", "delivered_at", "delivery_method", "delivered_by", "error", "message_id")


class Store(WorkStore):
    """Every record of MaintDesk, read and written in transactions (see the floors above)."""

    # Issued notices -------------------------------------------------------------------------

    def reserve_notice_numbers(self, count: int) -> list[int]:
        """Hand out `count` new notice ids; an id is never handed out twice, even if unused."""
        if count <= 0:
            return []
        with self.db.atomic():
            last = self.db.execute(
                "SELECT max(coalesce((SELECT max(id) FROM notice_numbers), 0), "
                "coalesce((SELECT max(id) FROM notices), 0))"
            ).fetchone()[0]
            stamp = to_text(utc_now())
            numbers = list(range(last + 1, last + 1 + count))
            self.db.conn.executemany(
                "INSERT INTO notice_numbers (id, reserved_at) VALUES (?, ?)", [(n, stamp) for n in numbers]
            )
        return numbers

    def add_notices(self, notices: Iterable[Notice]) -> list[Notice]:
        """Archive several issued notices at once: all are kept, or none."""
        with self.db.atomic():
            return [self.add_notice(n) for n in notices]

    def add_notice(self, notice: Notice) -> Notice:
        """Archive one issued notice. Notices are only ever added, never replaced."""
        notice = validation.clean_notice(notice)
        problems = []
        if not self._exists("work_orders", notice.work_order_id):
            problems.append(Problem("work_order_id", f"no work order with id {notice.work_order_id}"))
        if notice.tenant_id is not None and not self._exists("tenants", notice.tenant_id):
            problems.append(Problem("tenant_id", f"no tenant with id {notice.tenant_id}"))
        if notice.unit_id is not None and not self._exists("units", notice.unit_id):
            problems.append(Problem("unit_id", f"no unit with id {notice.unit_id}"))
        if notice.id is not None and self._exists("notices", notice.id):
            problems.append(Problem("id", f"notice {notice.id} already exists; issued notices are never replaced"))
        if problems:
            raise ValidationError(problems)
        if notice.created_at is None:
            notice = replace(notice, created_at=utc_now())
        with self.db.atomic():
            return replace(notice, id=self._write("notices", to_row(notice), notice.id))

    def get_notice(self, notice_id: int) -> Notice:
        return from_row(Notice, self._one("SELECT * FROM notices WHERE id = ?", (notice_id,), f"notice with id {notice_id}"))

    def list_notices(self, work_order_id: int | None = None) -> list[Notice]:
        if work_order_id is None:
            rows = self._rows("SELECT * FROM notices ORDER BY created_at, id")
        else:
            rows = self._rows("SELECT * FROM notices WHERE work_order_id = ? ORDER BY created_at, id", (work_order_id,))
        return [from_row(Notice, r) for r in rows]

    def update_notice_state(self, notice_id: int, state: str, **outcome: Any) -> Notice:
        """Record what happened to an issued notice; its content never changes."""
        current = self.get_notice(notice_id)
        unknown = set(outcome) - set(_NOTICE_STATE_COLUMNS)
        if unknown:
            raise ValueError(f"not a delivery field: {sorted(unknown)}")
        updated = validation.clean_notice(replace(current, state=state, **outcome))
        row = to_row(updated)
        with self.db.atomic():
            assignments = ", ".join(f"{c} = ?" for c in _NOTICE_STATE_COLUMNS)
            self.db.execute(
                f"UPDATE notices SET {assignments} WHERE id = ?",
                (*(row[c] for c in _NOTICE_STATE_COLUMNS), notice_id),
            )
        return updated

    # Outbox ---------------------------------------------------------------------------------
    # Added for email delivery and the outbox (issue 5; maintdesk.mail.outbox).

    def find_notices(self, *, ids: Iterable[int] | None = None, work_order_id: int | None = None,
                     kind: str | None = None, channels: Iterable[str] | None = None,
                     states: Iterable[str] | None = None, batch_id: str | None = None) -> list[Notice]:
        """The notices matching every filter given, in the order they were issued."""
        conditions, params = [], []
        for column, values in (("id", ids), ("channel", channels), ("state", states)):
            if values is not None:
                values = list(values)
                conditions.append(f"{column} IN ({', '.join('?' for _ in values)})" if values else "0")
                params += values
        for column, value in (("work_order_id", work_order_id), ("kind", kind), ("batch_id", batch_id)):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return [from_row(Notice, r) for r in self._rows(f"SELECT * FROM notices{where} ORDER BY id", params)]

    def latest_notice_ids(self, channels: Iterable[str]) -> set[int]:
        """The newest notice per work order, tenant and kind on these channels (older ones are replaced)."""
        channels = list(channels)
        rows = self._rows(
            f"SELECT max(id) FROM notices WHERE channel IN ({', '.join('?' for _ in channels)}) "
            "GROUP BY work_order_id, coalesce(tenant_id, -id), kind", channels)
        return {r[0] for r in rows}

    def notice_counts_by_tenant(self, work_order_id: int, channels: Iterable[str]) -> dict[int, int]:
        channels = list(channels)
        rows = self._rows(
            f"SELECT tenant_id, count(*) FROM notices WHERE work_order_id = ? AND tenant_id IS NOT NULL "
            f"AND channel IN ({', '.join('?' for _ in channels)}) GROUP BY tenant_id", [work_order_id, *channels])
        return {r[0]: r[1] for r in rows}

    def move_notice(self, notice_id: int, from_states: Iterable[str], state: str, **outcome: Any) -> bool:
        """Sets the state (and outcome fields) only while the notice is in one of `from_states`.

        A compare-and-set: of two senders taking the same queued notice, only one gets True.
        """
        from maintdesk.records.models import NOTICE_STATES

        unknown = set(outcome) - set(_NOTICE_STATE_COLUMNS)
        if unknown or state not in NOTICE_STATES:
            raise ValueError(f"not a notice state or delivery field: {state!r}, {sorted(unknown)}")
        values = {"state": state, **{k: to_text(v) if isinstance(v, datetime) else v for k, v in outcome.items()}}
        expected = list(from_states)
        with self.db.atomic():
            cursor = self.db.execute(
                f"UPDATE notices SET {', '.join(f'{c} = ?' for c in values)} "
                f"WHERE id = ? AND state IN ({', '.join('?' for _ in expected)})",
                (*values.values(), notice_id, *expected))
        return cursor.rowcount == 1
