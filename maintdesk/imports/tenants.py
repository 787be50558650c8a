"""Tenant import from CSV and XLSX: a preview that names every problem, then one transaction.

    table = read_table(path)                       # maintdesk.imports.files
    mapping = guess_mapping(table.headers)         # maintdesk.imports.mapping (+ with_choices)
    report = preview(store, property_id, table, mapping, ImportOptions(create_units=True))
    result = commit(store, report)                 # or skip_invalid=True: the valid rows only

The preview touches nothing. Each row is planned as create, update, unchanged, reject or skip
(another property); each problem names the spreadsheet row and the column header. A row matches
an existing tenant of the property by unit + name, else by email when that email is unique on
both sides; only the columns the file has are compared and written. The commit refuses a stale
preview (the property's units or tenants changed since) and saves all rows or none.
For the GUI: `iter_preview` and `iter_commit` yield Progress, then their result; `preview_task` and
`commit_task` open their own connection from a database path, for a worker thread.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from maintdesk.imports import values
from maintdesk.errors import ConflictError, InvalidInput, Problem, ValidationError
from maintdesk.imports.files import Table, read_table
from maintdesk.imports.mapping import Mapping, guess_mapping, with_choices
from maintdesk.imports.report import ImportReport, ImportResult, RowPlan, RowProblem, plan_property_rows
from maintdesk.imports.rows import SOURCES, Row, last_first, raw_email, read_tenant
from maintdesk.records.location import Location
from maintdesk.records.models import CHANNELS, LANGUAGES, Tenant, Unit
from maintdesk.progress import Progress
from maintdesk.records.store import Store
from maintdesk.records.validation import clean_tenant

__all__ = ["ImportOptions", "ImportReport", "ImportResult", "RowPlan", "RowProblem", "commit", "commit_task",
           "guess_mapping", "iter_commit", "iter_preview", "preview", "preview_task", "read_table", "with_choices"]

STEP = 500  # rows between progress reports


@dataclass(frozen=True)
class ImportOptions:
    create_units: bool = False  # a row naming a unit the property lacks creates it (else: rejected)
    default_language: str | None = None  # for new tenants without a language column; None: the organization's
    default_channel: str = "print"  # for new tenants without a channel column


def iter_preview(store: Store, property_id: int, table: Table, mapping: Mapping | None = None,
                 options: ImportOptions = ImportOptions()) -> Iterator[Progress | ImportReport]:
    prop = store.get_property(property_id)
    mapping = mapping or guess_mapping(table.headers)
    language = options.default_language or store.get_organization().default_language
    if language not in LANGUAGES or options.default_channel not in CHANNELS:
        raise InvalidInput(f"default language {language!r} or channel {options.default_channel!r} is unknown")
    report = ImportReport(prop.id, prop.name, table, mapping, store.tenant_fingerprint(prop.id))
    if not mapping.has("unit"):
        report.file_problems.append("no column holds the unit: name it Unit (or Logement), or choose it")
    if not (mapping.has("name") or mapping.has("first_name") or mapping.has("last_name")):
        report.file_problems.append("no column holds the tenant's name: name it Name (or Nom), or choose it")
    belongs = plan_property_rows(prop, table, mapping, report)
    if report.file_problems:
        yield report
        return
    name_reversed = last_first(table, mapping)
    if name_reversed:
        report.notes.append('every name is written "Last, First": imported as "First Last"')
    units = {values.unit_key(u.label): u for u in store.list_units(prop.id)}
    bare = Counter(values.bare_unit_key(u.label) for u in units.values())
    bare_units = {values.bare_unit_key(u.label): u for u in units.values() if bare[values.bare_unit_key(u.label)] == 1}
    existing = store.list_tenants(prop.id)
    by_key = {(values.unit_key(r.unit_label), values.name_key(r.tenant.name)): r.tenant for r in existing}
    emails = Counter(r.tenant.email.casefold() for r in existing if r.tenant.email)
    by_email = {r.tenant.email.casefold(): r.tenant for r in existing if emails[r.tenant.email.casefold()] == 1}
    unit_labels = {u.id: u.label for u in units.values()}
    file_emails = Counter(raw_email(mapping, r.cells) for r in table.rows)
    new_units: dict[str, Unit] = {}
    seen: dict[tuple[str, str], int] = {}
    claimed: dict[int, int] = {}
    total = len(table.rows)
    yield Progress(0, total)
    last = max((i for i, r in enumerate(table.rows, start=1) if any(c.strip() for c in r.cells)), default=0)
    for done, source in enumerate(table.rows, start=1):
        if done % STEP == 0:
            yield Progress(done, total)
        if done > last:  # the empty rows a spreadsheet keeps below its last line
            continue
        not_a_tenant = values.summary_row(source.cells)
        if not_a_tenant is not None:  # never a unit called "Total" with a tenant called 42
            report.rows.append(RowPlan(source.number, "skip", "", "", note=not_a_tenant))
            continue
        row = Row(table, mapping, source.number, source.cells)
        row.last_first = name_reversed
        label = " ".join(row.get("unit")[0].split())
        if not belongs(row):
            named = row.get("property")[0] or row.get("property_street")[0]
            report.rows.append(RowPlan(row.number, "skip", row.get("name")[0], label,
                                       note=f'another property: "{named}"'))
            continue
        unit = (units.get(values.unit_key(label)) or bare_units.get(values.bare_unit_key(label))) if label else None
        if not label:
            row.problem("unit", "is empty: every tenant needs a unit")
        elif unit is None and options.create_units:
            unit = new_units.get(values.unit_key(label))
            if unit is None:
                unit = new_units[values.unit_key(label)] = Unit(prop.id, label, row.read("floor", _floor), id=0)
        elif unit is None:
            row.problem("unit", f'no unit "{label}" in {prop.name}; allow new units (--create-units) to add it')
        tenant = read_tenant(row, prop, unit, language, options.default_channel)
        plan = RowPlan(row.number, "create", tenant.name, unit.label if unit else label, tenant=tenant,
                       new_unit=bool(unit and unit.id == 0), given=row.given)
        key = (values.unit_key(plan.unit_label), values.name_key(tenant.name))
        if tenant.name and unit and key in seen:
            row.problem("name", f"duplicate of row {seen[key]}: same unit and name")
        elif tenant.name and unit:
            seen[key] = row.number
        if not row.problems:
            match = by_key.get(key)
            if match is None and tenant.email and file_emails[tenant.email.casefold()] == 1:
                match = by_email.get(tenant.email.casefold())
            if match is not None and match.id in claimed:
                row.problem("name", f"row {claimed[match.id]} already matches this tenant (id {match.id})")
            elif match is not None:
                claimed[match.id] = row.number
                _update_plan(row, plan, match, tenant, unit_labels, prop.country)
        if tenant.email and file_emails[tenant.email.casefold()] > 1:
            row.warn("email", "the same address is on another row; both tenants keep it")
        plan.problems, plan.warnings = row.problems, row.warnings
        if plan.problems:
            plan.action = "reject"
        report.rows.append(plan)
    wanted = {p.unit_label for p in report.rows if p.new_unit and p.action != "reject"}
    report.new_units = sorted(wanted)
    report.unit_floors = {u.label: u.floor for u in new_units.values() if u.label in wanted}
    yield Progress(total, total)
    yield report


def _floor(raw: str) -> int | None:
    return values.floor(raw) if raw else None


def _update_plan(row: Row, plan: RowPlan, match: Tenant, tenant: Tenant, labels: dict[int, str],
                 region: str) -> None:
    wanted = {f: getattr(tenant, f) for f in plan.given}
    if wanted.get("email", "").casefold() == match.email.casefold():
        wanted["email"] = match.email  # ANN@example.org is the same mailbox as ann@example.org
    if tenant.unit_id != match.unit_id:
        wanted["unit_id"] = tenant.unit_id
    updated = replace(match, **wanted)
    try:
        if updated != match:  # the stored tenant is clean already
            updated = clean_tenant(updated, region)
    except ValidationError as exc:  # e.g. the email cleared for a tenant who reads by email
        for problem in exc.problems:
            row.problem(problem.field if problem.field in SOURCES else "", f"{problem.message} (tenant {match.id})")
        return
    plan.tenant_id, plan.tenant = match.id, updated
    plan.changes = {f.name: (getattr(match, f.name), getattr(updated, f.name)) for f in fields(Tenant)
                    if getattr(match, f.name) != getattr(updated, f.name)}
    if "unit_id" in plan.changes:
        old, _ = plan.changes.pop("unit_id")
        plan.changes["unit"] = (labels.get(old, str(old)), plan.unit_label)
    plan.action = "update" if plan.changes else "unchanged"


def preview(store: Store, property_id: int, table: Table, mapping: Mapping | None = None,
            options: ImportOptions = ImportOptions()) -> ImportReport:
    return _last(iter_preview(store, property_id, table, mapping, options))


def iter_commit(store: Store, report: ImportReport, *, skip_invalid: bool = False) -> Iterator[Progress | ImportResult]:
    """Save the previewed rows in one transaction; all of them, or none (closing the generator early,
    an error, or a rejected row when `skip_invalid` is false)."""
    if report.file_problems:
        raise InvalidInput(f"{report.table.source}: {report.file_problems[0]}; nothing was imported")
    if report.problems and not skip_invalid:
        raise ValidationError([Problem(p.where, p.message) for p in report.problems])
    plans = [p for p in report.rows if p.action in ("create", "update")]
    total = len(plans)
    yield Progress(0, total)
    with store.transaction():
        if store.tenant_fingerprint(report.property_id) != report.fingerprint:
            raise ConflictError("the property's units or tenants changed since the preview; preview the file again")
        added = store.add_units(report.property_id, [Unit(report.property_id, label, report.unit_floors.get(label))
                                                     for label in report.new_units])
        unit_ids = {unit.label: unit.id for unit in added}
        creates = [replace(p.tenant, unit_id=p.tenant.unit_id or unit_ids[p.unit_label])
                   for p in plans if p.action == "create"]
        for start in range(0, len(creates), STEP):
            store.add_tenants(creates[start:start + STEP])
            yield Progress(min(start + STEP, len(creates)), total)
        for done, plan in enumerate((p for p in plans if p.action == "update"), start=len(creates) + 1):
            store.save_tenant(replace(plan.tenant, unit_id=plan.tenant.unit_id or unit_ids[plan.unit_label]))
            if done % STEP == 0:
                yield Progress(done, total)
    yield Progress(total, total)
    yield ImportResult.of(report)


def commit(store: Store, report: ImportReport, *, skip_invalid: bool = False) -> ImportResult:
    return _last(iter_commit(store, report, skip_invalid=skip_invalid))


def preview_task(database: Location, source: Path | Table, property_id: int, *, mapping: Mapping | None = None,
                 choices: dict[str, str | None] | None = None, options: ImportOptions = ImportOptions(),
                 encoding: str | None = None, delimiter: str | None = None,
                 sheet: str | None = None) -> Iterator[Progress | ImportReport]:
    """For a worker thread: read the file (unless a Table is given) and preview it on a connection
    of its own. `mapping` (else the guessed one) is adjusted by `choices` (see with_choices)."""
    table = source if isinstance(source, Table) else read_table(source, encoding=encoding, delimiter=delimiter,
                                                                 sheet=sheet)
    mapping = with_choices(mapping or guess_mapping(table.headers), table.headers, choices or {})
    store = Store.open(database, create=False)
    try:
        yield from iter_preview(store, property_id, table, mapping, options)
    finally:
        store.close()


def commit_task(database: Location, report: ImportReport, *,
                skip_invalid: bool = False) -> Iterator[Progress | ImportResult]:
    store = Store.open(database, create=False)
    try:
        yield from iter_commit(store, report, skip_invalid=skip_invalid)
    finally:
        store.close()


def _last(events: Iterator[Any]) -> Any:
    result = None
    for event in events:
        if not isinstance(event, Progress):
            result = event
    return result
