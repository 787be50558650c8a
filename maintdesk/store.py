"""Reading and writing the records. The only module besides `db` that speaks SQL.

Every write is validated first (maintdesk.validation) and runs in one transaction: a save that
fails leaves what was stored before untouched.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from functools import lru_cache
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from maintdesk import validation
from maintdesk.db import open_database
from maintdesk.agreements import EntryAgreement, clean_agreement
from maintdesk.errors import ConflictError, NotFound, Problem, ValidationError
from maintdesk.models import (
    ActionItem, Notice, Organization, Property, Slot, Tenant, TenantRow, Unit, WorkOrder,
)
from maintdesk.terms import FindingOverride, WorkTerms, clean_override, clean_terms
from maintdesk.timeutil import from_text, to_text, utc_now

T = TypeVar("T")

_LOCALIZED = "LocalizedText"
_NOT_COLUMNS = {"id", "affected_unit_ids", "slots", "actions"}
_NOTICE_STATE_COLUMNS = ("state", "sent_at", "delivered_at", "delivery_method", "delivered_by", "error", "message_id")


def _to_row(record: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in fields(record):
        if f.name in _NOT_COLUMNS:
            continue
        value = getattr(record, f.name)
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, datetime):
            value = to_text(value)
        elif f.type == _LOCALIZED:
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        row[f.name] = value
    return row


def _converter(field_type: str) -> Callable[[Any], Any] | None:
    if field_type == "bool":
        return bool
    if "datetime" in field_type:
        return lambda value: None if value is None else from_text(value)
    if field_type == _LOCALIZED:
        return json.loads
    return None


@lru_cache(maxsize=None)
def _row_plan(cls: type) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    return tuple((f.name, _converter(str(f.type))) for f in fields(cls))


def _from_row(cls: type[T], row: sqlite3.Row | dict[str, Any]) -> T:
    values = {}
    for name, convert in _row_plan(cls):
        try:
            value = row[name]
        except (IndexError, KeyError):  # the query did not select this column
            continue
        values[name] = convert(value) if convert is not None else value
    return cls(**values)


class Store:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.db.conn.row_factory = sqlite3.Row

    @classmethod
    def open(cls, path: Path | str, **options: Any) -> Store:
        return cls(open_database(path, **options))

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several saves so they are kept all together or not at all."""
        with self.db.atomic():
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

    def _exists(self, table: str, record_id: int) -> bool:
        return self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (record_id,)).fetchone() is not None

    def counts(self) -> dict[str, int]:
        tables = ("properties", "units", "tenants", "work_orders", "notices")
        return {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def is_empty(self) -> bool:
        return not any(self.counts().values())

    # Organization ---------------------------------------------------------------------------

    def get_organization(self) -> Organization:
        return _from_row(Organization, self._one("SELECT * FROM organization WHERE id = 1", (), "organization"))

    def save_organization(self, org: Organization) -> Organization:
        org = validation.clean_organization(org)
        with self.db.atomic():
            self._write("organization", _to_row(org), 1)
        return org

    # Properties -----------------------------------------------------------------------------

    def list_properties(self) -> list[Property]:
        return [_from_row(Property, r) for r in self._rows("SELECT * FROM properties ORDER BY name, id")]

    def get_property(self, property_id: int) -> Property:
        row = self._one("SELECT * FROM properties WHERE id = ?", (property_id,), f"property with id {property_id}")
        return _from_row(Property, row)

    def save_property(self, prop: Property) -> Property:
        prop = validation.clean_property(prop)
        with self.db.atomic():
            return replace(prop, id=self._write("properties", _to_row(prop), prop.id))

    def delete_property(self, property_id: int) -> None:
        prop = self.get_property(property_id)
        issued = self.db.execute(
            "SELECT count(*) FROM notices n JOIN work_orders w ON w.id = n.work_order_id WHERE w.property_id = ?",
            (property_id,),
        ).fetchone()[0]
        if issued:
            raise ConflictError(
                f'"{prop.name}" cannot be deleted: {issued} issued notices refer to its work orders '
                "and the archive keeps them"
            )
        with self.db.atomic():
            self.db.execute("DELETE FROM properties WHERE id = ?", (property_id,))

    # Units ----------------------------------------------------------------------------------

    def list_units(self, property_id: int) -> list[Unit]:
        rows = self._rows(
            "SELECT * FROM units WHERE property_id = ? ORDER BY floor IS NULL, floor, length(label), label",
            (property_id,),
        )
        return [_from_row(Unit, r) for r in rows]

    def get_unit(self, unit_id: int) -> Unit:
        return _from_row(Unit, self._one("SELECT * FROM units WHERE id = ?", (unit_id,), f"unit with id {unit_id}"))

    def save_unit(self, unit: Unit) -> Unit:
        if not self._exists("properties", unit.property_id):
            raise ValidationError([Problem("property_id", f"no property with id {unit.property_id}")])
        others = {
            r["label"] for r in self._rows(
                "SELECT label FROM units WHERE property_id = ? AND id IS NOT ?", (unit.property_id, unit.id)
            )
        }
        unit = validation.clean_unit(unit, others)
        with self.db.atomic():
            return replace(unit, id=self._write("units", _to_row(unit), unit.id))

    def delete_unit(self, unit_id: int) -> None:
        unit = self.get_unit(unit_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM units WHERE id = ?", (unit.id,))

    # Tenants --------------------------------------------------------------------------------

    def list_tenants(self, property_id: int | None = None, *, active_only: bool = False) -> list[TenantRow]:
        sql = (
            "SELECT t.*, u.label AS unit_label, p.id AS property_id, p.name AS property_name "
            "FROM tenants t JOIN units u ON u.id = t.unit_id JOIN properties p ON p.id = u.property_id"
        )
        conditions, params = [], []
        if property_id is not None:
            conditions.append("p.id = ?")
            params.append(property_id)
        if active_only:
            conditions.append("t.active = 1")
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += " ORDER BY p.name, u.floor IS NULL, u.floor, length(u.label), u.label, t.name"
        return [
            TenantRow(_from_row(Tenant, r), r["unit_label"], r["property_id"], r["property_name"])
            for r in self._rows(sql, params)
        ]

    def tenants_of_unit(self, unit_id: int) -> list[Tenant]:
        return [_from_row(Tenant, r) for r in self._rows("SELECT * FROM tenants WHERE unit_id = ? ORDER BY id", (unit_id,))]

    def get_tenant(self, tenant_id: int) -> Tenant:
        row = self._one("SELECT * FROM tenants WHERE id = ?", (tenant_id,), f"tenant with id {tenant_id}")
        return _from_row(Tenant, row)

    def _region_of_unit(self, unit_id: int) -> str:
        row = self.db.execute(
            "SELECT p.country FROM units u JOIN properties p ON p.id = u.property_id WHERE u.id = ?", (unit_id,)
        ).fetchone()
        if row is None:
            raise ValidationError([Problem("unit_id", f"no unit with id {unit_id}")])
        return row[0]

    def save_tenant(self, tenant: Tenant) -> Tenant:
        tenant = validation.clean_tenant(tenant, self._region_of_unit(tenant.unit_id))
        with self.db.atomic():
            return replace(tenant, id=self._write("tenants", _to_row(tenant), tenant.id))

    def add_tenants(self, tenants: Iterable[Tenant]) -> int:
        """Insert many tenants in one transaction (all or none); returns how many."""
        regions: dict[int, str] = {}
        rows = []
        for index, tenant in enumerate(tenants):
            if tenant.unit_id not in regions:
                regions[tenant.unit_id] = self._region_of_unit(tenant.unit_id)
            try:
                clean = validation.clean_tenant(tenant, regions[tenant.unit_id])
            except ValidationError as exc:
                raise exc.under(f"[{index}]") from None
            rows.append(_to_row(clean))
        if rows:
            with self.db.atomic():
                self.db.table("tenants").insert_all(rows, batch_size=1000)
        return len(rows)

    def delete_tenant(self, tenant_id: int) -> None:
        """Issued notices keep their copy of the recipient; only the link to the tenant goes."""
        self.get_tenant(tenant_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM tenants WHERE id = ?", (tenant_id,))

    # Work orders ----------------------------------------------------------------------------

    def list_work_orders(self, property_id: int | None = None) -> list[WorkOrder]:
        if property_id is None:
            rows = self._rows("SELECT * FROM work_orders ORDER BY window_start, id")
        else:
            rows = self._rows("SELECT * FROM work_orders WHERE property_id = ? ORDER BY window_start, id", (property_id,))
        return [self._complete(_from_row(WorkOrder, r)) for r in rows]

    def get_work_order(self, work_order_id: int) -> WorkOrder:
        row = self._one("SELECT * FROM work_orders WHERE id = ?", (work_order_id,), f"work order with id {work_order_id}")
        return self._complete(_from_row(WorkOrder, row))

    def _complete(self, work: WorkOrder) -> WorkOrder:
        work.affected_unit_ids = [
            r[0] for r in self.db.execute(
                "SELECT unit_id FROM work_order_units WHERE work_order_id = ? ORDER BY unit_id", (work.id,)
            )
        ]
        work.slots = [
            _from_row(Slot, r)
            for r in self._rows("SELECT * FROM slots WHERE work_order_id = ? ORDER BY start, unit_id", (work.id,))
        ]
        work.actions = [
            _from_row(ActionItem, r)
            for r in self._rows("SELECT * FROM action_items WHERE work_order_id = ? ORDER BY position", (work.id,))
        ]
        return work

    def affected_units(self, work: WorkOrder) -> list[Unit]:
        units = self.list_units(work.property_id)
        if work.all_units:
            return units
        chosen = set(work.affected_unit_ids)
        return [u for u in units if u.id in chosen]

    def save_work_order(self, work: WorkOrder) -> WorkOrder:
        prop = self.get_property(work.property_id) if self._exists("properties", work.property_id) else None
        if prop is None:
            raise ValidationError([Problem("property_id", f"no property with id {work.property_id}")])
        unit_ids = {u.id for u in self.list_units(prop.id) if u.id is not None}
        work = validation.clean_work_order(work, unit_ids, prop.country)
        if work.created_at is None:
            work.created_at = utc_now()
        with self.db.atomic():
            work_id = self._write("work_orders", _to_row(work), work.id)
            for table in ("work_order_units", "slots", "action_items"):
                self.db.execute(f"DELETE FROM {table} WHERE work_order_id = ?", (work_id,))
            if not work.all_units:
                self.db.table("work_order_units").insert_all(
                    {"work_order_id": work_id, "unit_id": u} for u in work.affected_unit_ids
                )
            for slot in work.slots:
                self.db.execute(
                    "INSERT INTO slots (work_order_id, unit_id, start, end) VALUES (?, ?, ?, ?)",
                    (work_id, slot.unit_id, to_text(slot.start), to_text(slot.end)),
                )
            for position, action in enumerate(work.actions, start=1):
                self.db.execute(
                    "INSERT INTO action_items (work_order_id, position, text) VALUES (?, ?, ?)",
                    (work_id, position, json.dumps(action.text, ensure_ascii=False, sort_keys=True)),
                )
        return self.get_work_order(work_id)

    def postpone_work_order(self, work_order_id: int, new_start: datetime, new_end: datetime) -> WorkOrder:
        """Move the work window (and every slot by the same amount), remembering the old window."""
        work = self.get_work_order(work_order_id)
        shift = new_start - work.window_start
        moved = replace(
            work, status="postponed", window_start=new_start, window_end=new_end,
            previous_window_start=work.window_start, previous_window_end=work.window_end,
            slots=[replace(s, start=s.start + shift, end=s.end + shift, id=None) for s in work.slots],
        )
        return self.save_work_order(moved)

    def set_work_status(self, work_order_id: int, status: str) -> WorkOrder:
        work = self.get_work_order(work_order_id)
        return self.save_work_order(replace(work, status=status))

    def delete_work_order(self, work_order_id: int) -> None:
        work = self.get_work_order(work_order_id)
        issued = self.db.execute("SELECT count(*) FROM notices WHERE work_order_id = ?", (work.id,)).fetchone()[0]
        if issued:
            raise ConflictError(
                f"work order {work.id} cannot be deleted: {issued} notices were issued for it; "
                "cancel it instead"
            )
        with self.db.atomic():
            self.db.execute("DELETE FROM work_orders WHERE id = ?", (work.id,))

    # Import and records ---------------------------------------------------------------------
    # Added for the tenant import (maintdesk.importing, issue 7).

    def tenant_fingerprint(self, property_id: int) -> str:
        """A digest of the property's units and tenants: equal digests, nothing changed in between."""
        import hashlib

        digest = hashlib.sha256()
        for sql in ("SELECT id, label, floor FROM units WHERE property_id = ? ORDER BY id",
                    "SELECT t.* FROM tenants t JOIN units u ON u.id = t.unit_id WHERE u.property_id = ? ORDER BY t.id"):
            for row in self.db.execute(sql, (property_id,)):
                digest.update(json.dumps(list(row), ensure_ascii=False).encode())
            digest.update(b"|")
        return digest.hexdigest()

    def add_units(self, property_id: int, units: Iterable[Unit]) -> list[Unit]:
        """Add many units to a property in one transaction (all or none), each validated."""
        if not self._exists("properties", property_id):
            raise ValidationError([Problem("property_id", f"no property with id {property_id}")])
        taken = {r["label"].casefold() for r in self._rows("SELECT label FROM units WHERE property_id = ?", (property_id,))}
        added = []
        with self.db.atomic():
            for index, unit in enumerate(units):
                try:
                    clean = validation.clean_unit(replace(unit, property_id=property_id, id=None), set())
                    if clean.label.casefold() in taken:
                        raise ValidationError([Problem("label", f'duplicate "{clean.label}": the property already '
                                                                "has a unit with this label")])
                except ValidationError as exc:
                    raise exc.under(f"[{index}]") from None
                taken.add(clean.label.casefold())
                added.append(replace(clean, id=self._write("units", _to_row(clean), None)))
        return added

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
            return replace(notice, id=self._write("notices", _to_row(notice), notice.id))

    def get_notice(self, notice_id: int) -> Notice:
        return _from_row(Notice, self._one("SELECT * FROM notices WHERE id = ?", (notice_id,), f"notice with id {notice_id}"))

    def list_notices(self, work_order_id: int | None = None) -> list[Notice]:
        if work_order_id is None:
            rows = self._rows("SELECT * FROM notices ORDER BY created_at, id")
        else:
            rows = self._rows("SELECT * FROM notices WHERE work_order_id = ? ORDER BY created_at, id", (work_order_id,))
        return [_from_row(Notice, r) for r in rows]

    def update_notice_state(self, notice_id: int, state: str, **outcome: Any) -> Notice:
        """Record what happened to an issued notice; its content never changes."""
        current = self.get_notice(notice_id)
        unknown = set(outcome) - set(_NOTICE_STATE_COLUMNS)
        if unknown:
            raise ValueError(f"not a delivery field: {sorted(unknown)}")
        updated = validation.clean_notice(replace(current, state=state, **outcome))
        row = _to_row(updated)
        with self.db.atomic():
            assignments = ", ".join(f"{c} = ?" for c in _NOTICE_STATE_COLUMNS)
            self.db.execute(
                f"UPDATE notices SET {assignments} WHERE id = ?",
                (*(row[c] for c in _NOTICE_STATE_COLUMNS), notice_id),
            )
        return updated

    # Work terms and finding overrides (schema 4; maintdesk.terms) ------------------------------
    # Added for the notice-law checks, the slot planner and the communication plan (issue 4).

    def get_work_terms(self, work_order_id: int) -> WorkTerms:
        """The work order's terms; the defaults when none were saved yet."""
        self.get_work_order(work_order_id)
        row = self.db.execute("SELECT * FROM work_order_terms WHERE work_order_id = ?", (work_order_id,)).fetchone()
        if row is None:
            return WorkTerms(work_order_id)
        values = {name: row[name] for name in row.keys()}
        values["tenants_agreed"] = bool(values["tenants_agreed"])
        values["slot_rules_saved"] = bool(values["slot_rules_saved"])
        values["breaks"] = json.loads(values["breaks"])
        values["updated_at"] = from_text(values["updated_at"])
        return WorkTerms(**values)

    def save_work_terms(self, terms: WorkTerms) -> WorkTerms:
        self.get_work_order(terms.work_order_id)
        terms = replace(clean_terms(terms), updated_at=utc_now())
        row = {f.name: getattr(terms, f.name) for f in fields(terms)}
        row.update(tenants_agreed=int(terms.tenants_agreed), slot_rules_saved=int(terms.slot_rules_saved),
                   breaks=json.dumps(terms.breaks),
                   updated_at=to_text(terms.updated_at))
        with self.db.atomic():
            self.db.execute(
                f"INSERT OR REPLACE INTO work_order_terms ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                tuple(row.values()),
            )
        return terms

    def save_slots(self, work_order_id: int, slots: list[Slot], terms: WorkTerms | None = None) -> WorkOrder:
        """Replace the work order's visit slots (and the slot rules they were made with): all or nothing."""
        work = self.get_work_order(work_order_id)
        with self.db.atomic():
            if terms is not None:
                self.save_work_terms(replace(terms, slot_rules_saved=True))
            return self.save_work_order(replace(work, slots=list(slots)))

    def add_finding_override(self, override: FindingOverride) -> FindingOverride:
        """Record that a manager accepts a finding; overrides are kept, never edited (only withdrawn)."""
        self.get_work_order(override.work_order_id)
        override = clean_override(override)
        if override.decided_at is None:
            override = replace(override, decided_at=utc_now())
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO finding_overrides (work_order_id, code, reason, decided_by, decided_at, withdrawn_at, "
                "withdrawn_by, withdrawn_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (override.work_order_id, override.code, override.reason, override.decided_by,
                 to_text(override.decided_at), to_text(override.withdrawn_at) if override.withdrawn_at else None,
                 override.withdrawn_by, override.withdrawn_reason),
            )
        return replace(override, id=int(cursor.lastrowid))

    def withdraw_finding_override(self, override_id: int, by: str, reason: str,
                                  at: datetime | None = None) -> FindingOverride:
        """Take back the acceptance of a finding (once): the checks count the finding again."""
        rows = self._rows("SELECT * FROM finding_overrides WHERE id = ?", (override_id,))
        if not rows:
            raise NotFound(f"There is no accepted finding number {override_id}.",
                           "`maintdesk work check ID` lists the accepted findings with their numbers.")
        current = _from_row(FindingOverride, rows[0])
        if not current.in_force:
            raise ConflictError(f"The acceptance of {current.code} was already withdrawn on "
                                f"{to_text(current.withdrawn_at)} by {current.withdrawn_by}.")
        withdrawn = clean_override(replace(current, withdrawn_at=at or utc_now(), withdrawn_by=by,
                                           withdrawn_reason=reason))
        with self.db.atomic():
            self.db.execute("UPDATE finding_overrides SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ? "
                            "WHERE id = ?", (to_text(withdrawn.withdrawn_at), withdrawn.withdrawn_by,
                                             withdrawn.withdrawn_reason, override_id))
        return withdrawn

    def list_finding_overrides(self, work_order_id: int) -> list[FindingOverride]:
        rows = self._rows("SELECT * FROM finding_overrides WHERE work_order_id = ? ORDER BY decided_at, id",
                          (work_order_id,))
        return [_from_row(FindingOverride, r) for r in rows]

    # Entry agreements (schema 7; maintdesk.agreements) ----------------------------------------

    def add_entry_agreement(self, agreement: EntryAgreement, *, affected_only: bool = True) -> EntryAgreement:
        """Record a unit's written agreement to visits outside the lawful days or hours.

        The unit must be one the work affects (`affected_only=False` takes a record made earlier, as the
        data import does, for a unit of the property the work no longer affects). Kept, never edited.
        """
        work = self.get_work_order(agreement.work_order_id)
        agreement = clean_agreement(agreement)
        units = self.affected_units(work) if affected_only else self.list_units(work.property_id)
        unit = next((u for u in units if u.id == agreement.unit_id), None)
        if unit is None:
            raise ValidationError([Problem("unit", f"unit {agreement.unit_id} is not a unit work order {work.id} "
                                                   "affects; choose one of its units")])
        if agreement.in_force:
            current = self._agreement_in_force(work.id, unit.id)
            if current is not None:
                raise ConflictError(f"The agreement of {unit.label} for work order {work.id} is already recorded "
                                    f"({current.note}, by {current.recorded_by}); withdraw it first to record "
                                    "another.")
        if agreement.recorded_at is None:
            agreement = replace(agreement, recorded_at=utc_now())
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO entry_agreements (work_order_id, unit_id, note, recorded_by, recorded_at, withdrawn_at, "
                "withdrawn_by, withdrawn_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (agreement.work_order_id, agreement.unit_id, agreement.note, agreement.recorded_by,
                 to_text(agreement.recorded_at), to_text(agreement.withdrawn_at) if agreement.withdrawn_at else None,
                 agreement.withdrawn_by, agreement.withdrawn_note),
            )
        return replace(agreement, id=int(cursor.lastrowid))

    def _agreement_in_force(self, work_order_id: int, unit_id: int) -> EntryAgreement | None:
        row = self.db.execute("SELECT * FROM entry_agreements WHERE work_order_id = ? AND unit_id = ? "
                              "AND withdrawn_at IS NULL", (work_order_id, unit_id)).fetchone()
        return None if row is None else _from_row(EntryAgreement, row)

    def withdraw_entry_agreement(self, work_order_id: int, unit_id: int, by: str, note: str,
                                 at: datetime | None = None) -> EntryAgreement:
        """The unit's tenant took the agreement back (recorded once): the law's limits apply to the visit again."""
        self.get_work_order(work_order_id)
        current = self._agreement_in_force(work_order_id, unit_id)
        if current is None:
            label = self.get_unit(unit_id).label if self._exists("units", unit_id) else f"unit {unit_id}"
            raise NotFound(f"No agreement of {label} is in force for work order {work_order_id}; "
                           "there is nothing to withdraw.")
        withdrawn = clean_agreement(replace(current, withdrawn_at=at or utc_now(), withdrawn_by=by,
                                            withdrawn_note=note))
        with self.db.atomic():
            self.db.execute("UPDATE entry_agreements SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_note = ? "
                            "WHERE id = ?", (to_text(withdrawn.withdrawn_at), withdrawn.withdrawn_by,
                                             withdrawn.withdrawn_note, current.id))
        return withdrawn

    def list_entry_agreements(self, work_order_id: int) -> list[EntryAgreement]:
        """Every agreement recorded for the work order, withdrawn ones included, in the order recorded."""
        rows = self._rows("SELECT * FROM entry_agreements WHERE work_order_id = ? ORDER BY recorded_at, id",
                          (work_order_id,))
        return [_from_row(EntryAgreement, r) for r in rows]

    # Outbox ---------------------------------------------------------------------------------
    # Added for email delivery and the outbox (issue 5; maintdesk.outbox).

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
        return [_from_row(Notice, r) for r in self._rows(f"SELECT * FROM notices{where} ORDER BY id", params)]

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
        from maintdesk.models import NOTICE_STATES

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
