"""The `Store`'s records of the work: work orders, their terms, accepted findings and entry agreements."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import datetime

from maintdesk.errors import ConflictError, NotFound, Problem, ValidationError
from maintdesk.records import validation
from maintdesk.records.agreements import EntryAgreement, clean_agreement
from maintdesk.records.models import ActionItem, Slot, Unit, WorkOrder
from maintdesk.records.store_base import from_row, to_row
from maintdesk.records.store_places import PlacesStore
from maintdesk.records.terms import FindingOverride, WorkTerms, clean_override, clean_terms
from maintdesk.timeutil import from_text, to_text, utc_now

class WorkStore(PlacesStore):
    # Work orders ----------------------------------------------------------------------------

    def list_work_orders(self, property_id: int | None = None) -> list[WorkOrder]:
        if property_id is None:
            rows = self._rows("SELECT * FROM work_orders ORDER BY window_start, id")
        else:
            rows = self._rows("SELECT * FROM work_orders WHERE property_id = ? ORDER BY window_start, id", (property_id,))
        return [self._complete(from_row(WorkOrder, r)) for r in rows]

    def get_work_order(self, work_order_id: int) -> WorkOrder:
        row = self._one("SELECT * FROM work_orders WHERE id = ?", (work_order_id,), f"work order with id {work_order_id}")
        return self._complete(from_row(WorkOrder, row))

    def _complete(self, work: WorkOrder) -> WorkOrder:
        work.affected_unit_ids = [
            r[0] for r in self.db.execute(
                "SELECT unit_id FROM work_order_units WHERE work_order_id = ? ORDER BY unit_id", (work.id,)
            )
        ]
        work.slots = [
            from_row(Slot, r)
            for r in self._rows("SELECT * FROM slots WHERE work_order_id = ? ORDER BY start, unit_id", (work.id,))
        ]
        work.actions = [
            from_row(ActionItem, r)
            for r in self._rows("SELECT * FROM action_items WHERE work_order_id = ? ORDER BY position", (work.id,))
        ]
        return work

    def affected_units(self, work: WorkOrder) -> list[Unit]:
        units = self.list_units(work.property_id)
        if work.all_units:
            return units
        chosen = set(work.affected_unit_ids)
        return [u for u in units if u.id in chosen]

    def save_work_order(self, work: WorkOrder, opened: WorkOrder | None = None) -> WorkOrder:
        """Insert or update with its units, slots and actions; with `opened` (the work order as the
        dialog showed it), refuse to overwrite someone else's change made since (ChangedElsewhere)."""
        prop = self.get_property(work.property_id) if self._exists("properties", work.property_id) else None
        if prop is None:
            raise ValidationError([Problem("property_id", f"no property with id {work.property_id}")])
        unit_ids = {u.id for u in self.list_units(prop.id) if u.id is not None}
        work = validation.clean_work_order(work, unit_ids, prop.country)
        if work.created_at is None:
            work.created_at = utc_now()
        with self.transaction():
            self._refuse_if_changed(opened, self.get_work_order, f"work order {work.id}")
            work_id = self._write("work_orders", to_row(work), work.id)
            for table in ("work_order_units", "slots", "action_items"):
                self.db.execute(f"DELETE FROM {table} WHERE work_order_id = ?", (work_id,))
            if not work.all_units:
                self.db.table("work_order_units").insert_all(
                    {"work_order_id": work_id, "unit_id": u} for u in work.affected_unit_ids
                )
            for slot in work.slots:
                self.db.execute(
                    'INSERT INTO slots (work_order_id, unit_id, start, "end") VALUES (?, ?, ?, ?)',
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
        with self.transaction():
            self.db.execute("DELETE FROM work_orders WHERE id = ?", (work.id,))

    # Work terms and finding overrides (schema 4; maintdesk.records.terms) ------------------------------
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
        with self.transaction():
            self.db.execute(
                f"INSERT OR REPLACE INTO work_order_terms ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                tuple(row.values()),
            )
        return terms

    def save_slots(self, work_order_id: int, slots: list[Slot], terms: WorkTerms | None = None) -> WorkOrder:
        """Replace the work order's visit slots (and the slot rules they were made with): all or nothing."""
        work = self.get_work_order(work_order_id)
        with self.transaction():
            if terms is not None:
                self.save_work_terms(replace(terms, slot_rules_saved=True))
            return self.save_work_order(replace(work, slots=list(slots)))

    def add_finding_override(self, override: FindingOverride) -> FindingOverride:
        """Record that a manager accepts a finding; overrides are kept, never edited (only withdrawn)."""
        self.get_work_order(override.work_order_id)
        override = clean_override(override)
        if override.decided_at is None:
            override = replace(override, decided_at=utc_now())
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO finding_overrides (work_order_id, code, reason, decided_by, decided_at, withdrawn_at, "
                "withdrawn_by, withdrawn_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (override.work_order_id, override.code, override.reason, override.decided_by,
                 to_text(override.decided_at), to_text(override.withdrawn_at) if override.withdrawn_at else None,
                 override.withdrawn_by, override.withdrawn_reason),
            )
        return self._stored(FindingOverride, "finding_overrides", int(cursor.lastrowid))

    def withdraw_finding_override(self, override_id: int, by: str, reason: str,
                                  at: datetime | None = None) -> FindingOverride:
        """Take back the acceptance of a finding (once): the checks count the finding again."""
        rows = self._rows("SELECT * FROM finding_overrides WHERE id = ?", (override_id,))
        if not rows:
            raise NotFound(f"There is no accepted finding number {override_id}.",
                           "`maintdesk work check ID` lists the accepted findings with their numbers.")
        current = from_row(FindingOverride, rows[0])
        if not current.in_force:
            raise ConflictError(f"The acceptance of {current.code} was already withdrawn on "
                                f"{to_text(current.withdrawn_at)} by {current.withdrawn_by}.")
        withdrawn = clean_override(replace(current, withdrawn_at=at or utc_now(), withdrawn_by=by,
                                           withdrawn_reason=reason))
        with self.transaction():
            self.db.execute("UPDATE finding_overrides SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ? "
                            "WHERE id = ?", (to_text(withdrawn.withdrawn_at), withdrawn.withdrawn_by,
                                             withdrawn.withdrawn_reason, override_id))
        return self._stored(FindingOverride, "finding_overrides", override_id)

    def list_finding_overrides(self, work_order_id: int) -> list[FindingOverride]:
        rows = self._rows("SELECT * FROM finding_overrides WHERE work_order_id = ? ORDER BY decided_at, id",
                          (work_order_id,))
        return [from_row(FindingOverride, r) for r in rows]

    # Entry agreements (schema 7; maintdesk.records.agreements) ----------------------------------------

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
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO entry_agreements (work_order_id, unit_id, note, recorded_by, recorded_at, withdrawn_at, "
                "withdrawn_by, withdrawn_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (agreement.work_order_id, agreement.unit_id, agreement.note, agreement.recorded_by,
                 to_text(agreement.recorded_at), to_text(agreement.withdrawn_at) if agreement.withdrawn_at else None,
                 agreement.withdrawn_by, agreement.withdrawn_note),
            )
        return self._stored(EntryAgreement, "entry_agreements", int(cursor.lastrowid))

    def _agreement_in_force(self, work_order_id: int, unit_id: int) -> EntryAgreement | None:
        row = self.db.execute("SELECT * FROM entry_agreements WHERE work_order_id = ? AND unit_id = ? "
                              "AND withdrawn_at IS NULL", (work_order_id, unit_id)).fetchone()
        return None if row is None else from_row(EntryAgreement, row)

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
        with self.transaction():
            self.db.execute("UPDATE entry_agreements SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_note = ? "
                            "WHERE id = ?", (to_text(withdrawn.withdrawn_at), withdrawn.withdrawn_by,
                                             withdrawn.withdrawn_note, current.id))
        return self._stored(EntryAgreement, "entry_agreements", current.id)

    def _stored(self, kind: type, table: str, row_id: int):
        """The row as kept: on an office server, who did it is the person's role, not the name given."""
        return from_row(kind, self._rows(f"SELECT * FROM {table} WHERE id = ?", (row_id,))[0])

    def list_entry_agreements(self, work_order_id: int) -> list[EntryAgreement]:
        """Every agreement recorded for the work order, withdrawn ones included, in the order recorded."""
        rows = self._rows("SELECT * FROM entry_agreements WHERE work_order_id = ? ORDER BY recorded_at, id",
                          (work_order_id,))
        return [from_row(EntryAgreement, r) for r in rows]
