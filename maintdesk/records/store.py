"""Reading and writing the records: `Store`, and on its top floor the issued notices and the outbox.

Every write is validated first (maintdesk.records.validation) and runs in one transaction: a
save that fails leaves what was stored before untouched.

The floors below: `store_base` (connection, transactions, rows), `store_places` (organization,
properties, units, tenants), `store_work` (work orders, terms, accepted findings, agreements).
Together with `db` they are the only modules that speak SQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from maintdesk.errors import ConflictError, IssuedElsewhere, Problem, ValidationError
from maintdesk.records import validation
from maintdesk.records.models import InboundMessage, IssueCheck, Notice, NoticeVoid
from maintdesk.records.store_base import from_row, to_row
from maintdesk.records.store_work import WorkStore
from maintdesk.timeutil import from_text, to_text, utc_now

_NOTICE_STATE_COLUMNS = ("state", "sent_at", "delivered_at", "delivery_method", "delivered_by", "error", "message_id")


class Store(WorkStore):
    """Every record of MaintDesk, read and written in transactions (see the floors above)."""

    # Issued notices -------------------------------------------------------------------------

    def reserve_notice_numbers(self, count: int) -> list[int]:
        """Hand out `count` new notice ids; an id is never handed out twice, even if unused."""
        if count <= 0:
            return []
        with self.transaction():
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

    def issued_batches(self, work_order_id: int, kind: str) -> frozenset[str]:
        """The batches of the work order's notices of this kind issued so far: what a desk saw
        before it began issuing (give it to add_notices as `seen`)."""
        return frozenset(r[0] for r in self._rows(
            "SELECT DISTINCT batch_id FROM notices WHERE work_order_id = ? AND kind = ?", (work_order_id, kind)))

    def add_notices(self, notices: Iterable[Notice], check: IssueCheck | None = None, *,
                    seen: frozenset[str] | None = None) -> list[Notice]:
        """Archive several issued notices at once, with the checks as they stood: all are kept, or none.

        With `seen` (issued_batches() as the desk saw them when it began), IssuedElsewhere when
        another desk issued notices of the same work order and kind since: one set, never two. The
        check runs inside the write transaction, behind the writer lock, so of two desks issuing at
        the same moment exactly one keeps its notices."""
        notices = [n if n.issued_by else replace(n, issued_by=self.person) for n in notices]
        with self.transaction():
            if seen is not None and notices:
                self._refuse_if_issued_elsewhere(notices, seen)
            added = [self.add_notice(n) for n in notices]
            if check is not None:
                self.add_issue_check(check)
            return added

    def _refuse_if_issued_elsewhere(self, notices: list[Notice], seen: frozenset[str]) -> None:
        ours = {n.batch_id for n in notices}
        for work_order_id, kind in {(n.work_order_id, n.kind) for n in notices}:
            for row in self._rows("SELECT batch_id, issued_by FROM notices WHERE work_order_id = ? AND kind = ? "
                                  "ORDER BY id", (work_order_id, kind)):
                if row[0] not in seen and row[0] not in ours:
                    raise IssuedElsewhere(work_order_id, row[1])

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
        if notice.corrects_notice_id is not None and not self._exists("notices", notice.corrects_notice_id):
            problems.append(Problem("corrects_notice_id", f"no notice with id {notice.corrects_notice_id} to correct"))
        if notice.id is not None and self._exists("notices", notice.id):
            problems.append(Problem("id", f"notice {notice.id} already exists; issued notices are never replaced"))
        if problems:
            raise ValidationError(problems)
        if notice.created_at is None:
            notice = replace(notice, created_at=utc_now())
        with self.transaction():
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
        with self.transaction():
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
        with self.transaction():
            cursor = self.db.execute(
                f"UPDATE notices SET {', '.join(f'{c} = ?' for c in values)} "
                f"WHERE id = ? AND state IN ({', '.join('?' for _ in expected)})",
                (*values.values(), notice_id, *expected))
        return cursor.rowcount == 1

    def queued_batches(self, channels: Iterable[str]) -> list[tuple[int, str]]:
        """(work order id, batch id) of the batches that still have queued notices on these channels."""
        channels = list(channels)
        return [(r[0], r[1]) for r in self._rows(
            f"SELECT DISTINCT work_order_id, batch_id FROM notices WHERE state = 'queued' AND channel IN "
            f"({', '.join('?' for _ in channels)}) ORDER BY work_order_id, batch_id", channels)]

    def take_queued(self, channels: Iterable[str], limit: int = 1, note: str = "",
                    batch_ids: Iterable[str] | None = None) -> list[Notice]:
        """Takes up to `limit` queued notices on these channels for this sender, oldest first:
        each is moved to 'unknown' (with `note` as its error until the reply is recorded) and
        handed to exactly one of several senders draining the outbox at once. With `batch_ids`,
        only notices of those batches.

        On PostgreSQL with `SELECT … FOR UPDATE SKIP LOCKED` (senders never wait for each other);
        on SQLite by a compare-and-set per notice behind the file's writer lock."""
        channels = list(channels)
        marks = ", ".join("?" for _ in channels)
        params: list[Any] = list(channels)
        if batch_ids is not None:
            batch_ids = list(batch_ids)
            if not batch_ids:
                return []
            marks += f") AND batch_id IN ({', '.join('?' for _ in batch_ids)}"
            params += batch_ids
        claiming = getattr(self.db, "claiming", None)
        if claiming is not None:
            with claiming():
                ids = [r[0] for r in self._rows(
                    f"SELECT id FROM notices WHERE state = 'queued' AND channel IN ({marks}) ORDER BY id "
                    "LIMIT ? FOR UPDATE SKIP LOCKED", (*params, limit))]
                if ids:
                    self.db.execute(f"UPDATE notices SET state = 'unknown', error = ? WHERE id IN "
                                    f"({', '.join('?' for _ in ids)})", (note, *ids))
            return self.find_notices(ids=ids) if ids else []
        taken: list[int] = []
        while len(taken) < limit:
            ids = [r[0] for r in self._rows(f"SELECT id FROM notices WHERE state = 'queued' AND channel IN ({marks}) "
                                            "ORDER BY id LIMIT ?", (*params, limit - len(taken)))]
            if not ids:
                break
            taken += [i for i in ids if self.move_notice(i, ("queued",), "unknown", error=note)]
        return self.find_notices(ids=taken) if taken else []

    # Voids and the checks at issue (schema 9) -------------------------------------------------

    def void_notice(self, notice_id: int, reason: str, by: str, at: datetime | None = None) -> NoticeVoid:
        """Declare an issued notice void. It stays in the archive as issued; a notice is voided once."""
        notice = self.get_notice(notice_id)
        problems = [Problem(name, "say " + what) for name, value, what in (
            ("reason", reason, "why the notice is void"), ("by", by, "who voids it")) if not (value or "").strip()]
        if problems:
            raise ValidationError(problems)
        earlier = self.get_void(notice_id)
        if earlier is not None:
            raise ConflictError(f"notice {notice_id} was voided on {to_text(earlier.voided_at)} by {earlier.voided_by} "
                                f"({earlier.reason}); a notice is voided once")
        void = NoticeVoid(notice.id or notice_id, reason.strip(), by.strip(), at or utc_now())
        with self.transaction():
            self.db.execute("INSERT INTO notice_voids (notice_id, reason, voided_by, voided_at) VALUES (?, ?, ?, ?)",
                            (void.notice_id, void.reason, void.voided_by, to_text(void.voided_at)))
        return void

    def get_void(self, notice_id: int) -> NoticeVoid | None:
        rows = self._rows("SELECT * FROM notice_voids WHERE notice_id = ?", (notice_id,))
        return from_row(NoticeVoid, rows[0]) if rows else None

    def voids(self, work_order_id: int | None = None) -> dict[int, NoticeVoid]:
        """The voided notices (of one work order, or all), by notice id."""
        sql = "SELECT v.* FROM notice_voids v JOIN notices n ON n.id = v.notice_id"
        rows = self._rows(sql + (" WHERE n.work_order_id = ?" if work_order_id is not None else ""),
                          () if work_order_id is None else (work_order_id,))
        return {r["notice_id"]: from_row(NoticeVoid, r) for r in rows}

    def add_issue_check(self, check: IssueCheck) -> IssueCheck:
        with self.transaction():
            self.db.execute(
                "INSERT INTO issue_checks (batch_id, work_order_id, checked_at, ok, report) VALUES (?, ?, ?, ?, ?)",
                (check.batch_id, check.work_order_id, to_text(check.checked_at), int(check.ok),
                 json.dumps(check.report, ensure_ascii=False, sort_keys=True)))
        return check

    def issue_checks(self, work_order_id: int) -> list[IssueCheck]:
        """The checks as they stood at each issue of the work order's notices, oldest first."""
        rows = self._rows("SELECT * FROM issue_checks WHERE work_order_id = ? ORDER BY checked_at, batch_id",
                          (work_order_id,))
        return [IssueCheck(r["batch_id"], r["work_order_id"], from_text(r["checked_at"]), bool(r["ok"]),
                           json.loads(r["report"])) for r in rows]

    # What came back: bounces and replies from the office mailbox, tenants flagged for paper -----

    def find_notice_by_message_id(self, message_ids: Iterable[str]) -> Notice | None:
        """The email notice that carried one of these Message-IDs (the first found)."""
        for message_id in message_ids:
            rows = self._rows("SELECT * FROM notices WHERE message_id = ? AND channel IN ('email', 'eml') "
                              "ORDER BY id LIMIT 1", (message_id,))
            if rows:
                return from_row(Notice, rows[0])
        return None

    def known_inbound_uids(self, folder: str) -> dict[int, set[int]]:
        """UIDVALIDITY → the UIDs of `folder` already read."""
        known: dict[int, set[int]] = {}
        for r in self._rows("SELECT uidvalidity, uid FROM inbound_messages WHERE folder = ?", (folder,)):
            known.setdefault(r[0], set()).add(r[1])
        return known

    def add_inbound(self, message: InboundMessage) -> InboundMessage | None:
        """Keeps a message read from the mailbox; None when it was kept before (the same Message-ID)."""
        row = to_row(message)
        with self.transaction():
            cursor = self.db.execute(
                f"INSERT OR IGNORE INTO inbound_messages ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                tuple(row.values()))
        return replace(message, id=cursor.lastrowid) if cursor.rowcount == 1 else None

    def list_inbound(self, kinds: Iterable[str] | None = None, *, unread: bool = False,
                     notice_ids: Iterable[int] | None = None) -> list[InboundMessage]:
        conditions, params = [], []
        for column, values in (("kind", kinds), ("notice_id", notice_ids)):
            if values is not None:
                values = list(values)
                conditions.append(f"{column} IN ({', '.join('?' for _ in values)})" if values else "0")
                params += values
        if unread:
            conditions.append("read_at IS NULL")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return [from_row(InboundMessage, r)
                for r in self._rows(f"SELECT * FROM inbound_messages{where} ORDER BY id", params)]

    def mark_inbound_read(self, ids: Iterable[int], at: datetime | None = None) -> None:
        ids = list(ids)
        with self.transaction():
            self.db.execute(f"UPDATE inbound_messages SET read_at = ? WHERE read_at IS NULL AND id IN "
                            f"({', '.join('?' for _ in ids) or 'NULL'})", (to_text(at or utc_now()), *ids))

    def flag_for_paper(self, tenant_id: int, reason: str, at: datetime | None = None) -> None:
        """From now on the tenant gets paper (their email bounced); the first reason is kept."""
        with self.transaction():
            self.db.execute("UPDATE tenants SET paper_reason = ?, paper_since = ? WHERE id = ? AND paper_reason = ''",
                            (reason.strip() or "flagged for paper", to_text(at or utc_now()), tenant_id))

    def clear_paper_flag(self, tenant_id: int) -> None:
        with self.transaction():
            self.db.execute("UPDATE tenants SET paper_reason = '', paper_since = NULL WHERE id = ?", (tenant_id,))
