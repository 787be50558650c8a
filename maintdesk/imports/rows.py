"""One row of a tenant list, read through the column mapping into a cleaned Tenant.

Problems and warnings are named by the row's spreadsheet number and the column's header. Text
fields whose column exists are taken as written (an empty cell clears them on update); language,
channel, status and large print are taken only from a non-empty cell.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from maintdesk.imports import values
from maintdesk.errors import ValidationError
from maintdesk.imports.files import Table
from maintdesk.imports.mapping import Mapping, normal
from maintdesk.imports.report import RowProblem
from maintdesk.records.models import Property, Tenant, Unit
from maintdesk.records.validation import clean_tenant

# Tenant field ← the import fields that give it; a tenant field is written only if its columns exist.
SOURCES = {
    "name": ("name", "first_name", "last_name"), "salutation": ("salutation",), "email": ("email",),
    "phone": ("phone",), "language": ("language",), "channel": ("channel",), "active": ("status",),
    "large_print": ("large_print",), "access_notes": ("access_notes",),
    "mailing_address": ("address_line1", "address_line2", "address_line3", "city", "region", "postal_code"),
    "email_consent_on": ("email_consent_on",), "email_consent_kept": ("email_consent_kept",),
    "sms_consent_on": ("sms_consent_on",), "sms_consent_how": ("sms_consent_how",), "lease_notice": ("lease_notice",),
}
# Kept only from a non-empty cell: an empty one never erases a consent or a lease term on record.
_RECORDED = (("email_consent_on", values.day), ("email_consent_kept", str.strip), ("sms_consent_on", values.day),
             ("sms_consent_how", str.strip), ("lease_notice", str.strip))


class Row:
    """One data row read through the mapping: values by field, and the column each came from."""

    def __init__(self, table: Table, mapping: Mapping, number: int, cells: list[str]):
        self.table, self.mapping, self.number, self.cells = table, mapping, number, cells
        self.problems: list[RowProblem] = []
        self.warnings: list[RowProblem] = []
        self.given: set[str] = set()
        self.last_first = False

    def get(self, name: str) -> tuple[str, int | None]:
        indexes = self.mapping.columns.get(name, [])
        for index in indexes:
            if index < len(self.cells) and self.cells[index]:
                return self.cells[index], index
        return "", (indexes[0] if indexes else None)

    def column(self, name: str, index: int | None = None) -> str:
        if index is not None:
            return self.table.headers[index]
        if name == "name" and not self.mapping.has("name"):
            return " + ".join(self.table.headers[i] for f in ("first_name", "last_name")
                              for i in self.mapping.columns.get(f, [])[:1])
        indexes = self.mapping.columns.get(name, [])
        return " / ".join(self.table.headers[i] for i in indexes)

    def problem(self, name: str, message: str, index: int | None = None) -> None:
        self.problems.append(RowProblem(self.number, self.column(name, index), message))

    def warn(self, name: str, message: str, index: int | None = None) -> None:
        self.warnings.append(RowProblem(self.number, self.column(name, index), message))

    def read(self, name: str, convert: Any) -> Any:
        raw, index = self.get(name)
        try:
            return convert(raw)
        except values.Bad as exc:
            self.problem(name, str(exc), index)
            return None


def last_first(table: Table, mapping: Mapping) -> bool:
    """AppFolio's report writes "Last, First": true when every name in its Tenant column is so."""
    if mapping.shape != "appfolio" or not mapping.has("name"):
        return False
    index = mapping.columns["name"][0]
    names = [r.cells[index] for r in table.rows if index < len(r.cells) and r.cells[index]]
    return bool(names) and all(n.count(",") == 1 for n in names)


def raw_email(mapping: Mapping, cells: list[str]) -> str:
    """The row's email as a key for counting repeats (not validated: that comes later, once)."""
    for index in mapping.columns.get("email", []):
        if index < len(cells) and cells[index]:
            return cells[index].strip().casefold()
    return ""


def read_tenant(row: Row, prop: Property, unit: Unit | None, language: str, channel: str) -> Tenant:
    """The tenant the row describes, cleaned as the store would; problems and warnings go to the row."""
    name, _ = row.get("name")
    if not row.mapping.has("name"):
        name = " ".join(p for p in (row.get("first_name")[0], row.get("last_name")[0]) if p)
    elif row.last_first:
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}"
    found: dict[str, Any] = {"name": " ".join(name.split()), "salutation": row.get("salutation")[0],
                             "email": row.get("email")[0], "access_notes": row.get("access_notes")[0], "phone": ""}
    if not found["name"]:
        row.problem("name", "is empty: every tenant needs a name")
    phone_raw, phone_col = row.get("phone")
    if phone_raw:
        try:
            found["phone"], notes = values.phone(phone_raw, prop.country, (row.number, phone_col) in row.table.numeric)
            for note in notes:
                row.warn("phone", note, phone_col)
        except values.Bad as exc:
            row.problem("phone", str(exc), phone_col)
    found["mailing_address"] = mailing_address(row, prop)
    # Language, channel, status and large print: an empty cell keeps what is stored (or the default).
    for field_name, source, convert in (("language", "language", values.language),
                                        ("channel", "channel", values.channel), ("active", "status", values.active),
                                        ("large_print", "large_print", values.yes_no)):
        if row.get(source)[0]:
            found[field_name] = row.read(source, convert)
    for field_name, convert in _RECORDED:
        if row.get(field_name)[0]:
            found[field_name] = row.read(field_name, convert)
    row.given = {f for f, v in found.items() if v is not None and row_provides(row, f)}
    tenant = Tenant(unit_id=unit.id if unit and unit.id else 0, name="", language=language, channel=channel)
    tenant = replace(tenant, **{f: found[f] for f in row.given | {"name"}})
    try:
        # The phone was read above by values.phone with the rules clean_tenant applies (validated
        # again when the store saves it): not parsed a second time here, unless a consent to SMS
        # needs it.
        if tenant.sms_consent_on is not None:
            return clean_tenant(tenant, prop.country)
        return replace(clean_tenant(replace(tenant, phone=""), prop.country), phone=tenant.phone)
    except ValidationError as exc:
        said = {p.column for p in row.problems}
        for problem in exc.problems:
            if problem.field == "name" and not tenant.name:
                continue  # already said
            if problem.field in _COMPANIONS and row.column(_COMPANIONS[problem.field][0]) in said:
                continue  # its day could not be read: that is the problem to fix
            if problem.field == "email" and not row.mapping.has("email"):
                row.problem("channel", f"needs an email address, and the file has no email column ({problem.message})")
            elif problem.field in _COMPANIONS and not row.mapping.has(problem.field):
                given, what = _COMPANIONS[problem.field]
                row.problem(given, f"needs {what}, and the file has no column for it; map one to it")
            elif problem.field in ("name", "email", "phone", "language", "channel", *(f for f, _ in _RECORDED)):
                row.problem(problem.field, problem.message)
            else:
                row.problems.append(RowProblem(row.number, "", str(problem)))
        return tenant


# A field a consent needs beside its day: the column that gave the day, and what is missing.
_COMPANIONS = {"email_consent_kept": ("email_consent_on", "where the signed consent is kept"),
               "sms_consent_how": ("sms_consent_on", "how the consent to SMS was given")}


def row_provides(row: Row, tenant_field: str) -> bool:
    return any(row.mapping.has(source) for source in SOURCES[tenant_field])


def mailing_address(row: Row, prop: Property) -> str:
    lines = [row.get(f)[0] for f in ("address_line1", "address_line2", "address_line3")]
    if not lines[0] or normal(lines[0]) == normal(prop.address_line1):
        return ""  # no address, or the building's own: letters go to the unit
    country = (row.get("country")[0] or prop.country).upper()
    raw_postal, postal_col = row.get("postal_code")
    postal, notes = values.postal_code(raw_postal, country)
    for note in notes:
        row.warn("postal_code", note, postal_col)
    return values.address(lines, row.get("city")[0], row.get("region")[0], postal, country, prop.country)
