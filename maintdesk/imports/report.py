"""What an import would do (the preview) and what it did, as plain values for the CLI, JSON and GUI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from maintdesk.imports.files import Table
from maintdesk.imports.mapping import Mapping, normal
from maintdesk.records.models import Property, Tenant

ACTIONS = ("create", "update", "unchanged", "reject", "skip")
COUNT_NAMES = {"create": "created", "update": "updated", "unchanged": "unchanged", "reject": "rejected",
               "skip": "skipped"}


@dataclass(frozen=True)
class RowProblem:
    row: int  # the spreadsheet's row number
    column: str  # the column's header as in the file ("" for the row as a whole)
    message: str

    @property
    def where(self) -> str:
        return f"row {self.row}, {self.column}" if self.column else f"row {self.row}"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def view(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class RowPlan:
    row: int
    action: str  # one of ACTIONS
    name: str
    unit_label: str
    tenant: Tenant | None = None  # as it would be stored (unit_id 0: a unit created on the way)
    tenant_id: int | None = None  # the existing tenant it updates or leaves unchanged
    new_unit: bool = False
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (stored, file)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    note: str = ""
    given: set[str] = field(default_factory=set)  # the tenant fields this row sets

    def view(self) -> dict[str, Any]:
        item: dict[str, Any] = {"row": self.row, "action": self.action, "unit": self.unit_label, "name": self.name,
                                "tenant_id": self.tenant_id, "new_unit": self.new_unit}
        if self.tenant is not None and self.action != "reject":
            item.update(email=self.tenant.email, phone=self.tenant.phone, language=self.tenant.language,
                        channel=self.tenant.channel, active=self.tenant.active)
        if self.changes:
            item["changes"] = {k: {"from": old, "to": new} for k, (old, new) in self.changes.items()}
        if self.note:
            item["note"] = self.note
        if self.problems:
            item["problems"] = [p.view() for p in self.problems]
        return item


@dataclass
class ImportReport:
    property_id: int
    property_name: str
    table: Table
    mapping: Mapping
    fingerprint: str  # the property's units and tenants at preview time (Store.tenant_fingerprint)
    rows: list[RowPlan] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    unit_floors: dict[str, int | None] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        tally = {COUNT_NAMES[a]: 0 for a in ACTIONS}
        for plan in self.rows:
            tally[COUNT_NAMES[plan.action]] += 1
        return tally

    @property
    def problems(self) -> list[RowProblem]:
        return [p for plan in self.rows for p in plan.problems]

    @property
    def warnings(self) -> list[RowProblem]:
        return [w for plan in self.rows for w in plan.warnings]

    @property
    def ok(self) -> bool:
        """Nothing stands in the way of importing every row."""
        return not self.file_problems and not self.problems

    def view(self) -> dict[str, Any]:
        table = self.table
        return {
            "property_id": self.property_id, "property_name": self.property_name, "file": table.source,
            "format": table.format, "encoding": table.encoding, "delimiter": table.delimiter, "sheet": table.sheet,
            "header_row": table.header_row, "shape": self.mapping.shape,
            "mapping": self.mapping.headers(table.headers), "unused_columns": self.mapping.unused(table.headers),
            "ok": self.ok, "counts": self.counts, "units_created": list(self.new_units),
            "file_problems": list(self.file_problems), "notes": list(self.notes),
            "problems": [p.view() for p in self.problems], "warnings": [w.view() for w in self.warnings],
            "rows": [plan.view() for plan in self.rows],
        }


@dataclass(frozen=True)
class ImportResult:
    property_id: int
    counts: dict[str, int]  # created, updated, unchanged, rejected, skipped
    units_created: list[str]

    @classmethod
    def of(cls, report: ImportReport) -> ImportResult:
        return cls(report.property_id, report.counts, list(report.new_units))

    def view(self) -> dict[str, Any]:
        return {"property_id": self.property_id, "counts": dict(self.counts), "units_created": self.units_created}


def plan_property_rows(prop: Property, table: Table, mapping: Mapping, report: ImportReport) -> Callable[[Any], bool]:
    """Which rows are about `prop` when the file names properties (AppFolio's report lists them all).

    A row is about it when its property cell holds the property's name or street address. When no
    row names it but the file names one property only, every row is taken, with a note.
    """
    if not (mapping.has("property") or mapping.has("property_street")):
        return lambda row: True
    name, street = normal(prop.name), normal(prop.address_line1)

    def named(value: str) -> bool:
        value = normal(value)
        if not value:
            return False
        return name in value or (len(value) >= 4 and value in name) or (bool(street) and street in value)

    def belongs(row: Any) -> bool:
        return named(row.get("property")[0]) or named(row.get("property_street")[0])

    def column(field_name: str) -> set[str]:
        indexes = mapping.columns.get(field_name, [])
        return {r.cells[i] for r in table.rows for i in indexes[:1] if i < len(r.cells) and r.cells[i]}

    mentioned = column("property") or column("property_street")
    if any(named(v) for v in mentioned | column("property_street")) or not mentioned:
        return belongs
    if len(mentioned) == 1:
        report.notes.append(f'the file names the property "{next(iter(mentioned))}": taken to be "{prop.name}"')
        return lambda row: True
    listed = ", ".join(f'"{v}"' for v in sorted(mentioned)[:5]) + (" …" if len(mentioned) > 5 else "")
    report.file_problems.append(
        f'none of the file\'s properties ({listed}) is "{prop.name}" or at "{prop.address_line1}": '
        "import into the property the file names, or ignore its property column (--map property=)")
    return lambda row: False
