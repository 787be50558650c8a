"""Tenant import of the records a notice's law may ask for: the written consent to email notices
(the day, where it is kept), the consent to SMS (the day, how) and a lease's longer notice period,
from real CSV and XLSX files."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl

from maintdesk.imports import tenants as importing
from maintdesk.imports.files import read_table

HEADER = ["Unit", "Name", "Email", "Mobile", "Channel", "Email consent", "Email consent kept", "SMS consent",
          "SMS consent how", "Lease notice period"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def preview(store, building, path: Path) -> importing.ImportReport:
    return importing.preview(store, building.id, read_table(path))


def stored(store, building) -> dict:
    return {r.tenant.name: r.tenant for r in store.list_tenants(building.id)}


def test_consents_and_the_lease_s_notice_come_in_from_a_csv(tmp_path, store, toronto):
    path = write_csv(tmp_path / "tenants.csv", [HEADER,
        ["101", "Priya Raghunathan", "priya@example.org", "416 912 1112", "email", "2026-01-15",
         "Lease addendum, binder 3", "2026-02-01", "signed form", "60d"],
        ["102", "Liam O'Connor", "liam@example.org", "", "both", "", "", "", "", ""]])

    report = preview(store, toronto, path)
    assert [p for r in report.rows for p in r.problems] == []
    importing.commit(store, report)

    priya, liam = stored(store, toronto)["Priya Raghunathan"], stored(store, toronto)["Liam O'Connor"]
    assert (priya.email_consent_on, priya.email_consent_kept) == (date(2026, 1, 15), "Lease addendum, binder 3")
    assert (priya.sms_consent_on, priya.sms_consent_how, priya.phone) == (date(2026, 2, 1), "signed form", "+14169121112")
    assert priya.lease_notice == "60d" and priya.wants_sms
    assert (liam.email_consent_on, liam.sms_consent_on, liam.lease_notice) == (None, None, "")


def test_an_xlsx_date_cell_is_a_day(tmp_path, store, toronto):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Unit", "Name", "Email", "Consentement courriel", "Lieu du consentement"])
    sheet.append(["101", "Chantal Gagnon", "chantal@example.org", datetime(2026, 3, 2), "Classeur 2"])
    book.save(tmp_path / "locataires.xlsx")

    importing.commit(store, preview(store, toronto, tmp_path / "locataires.xlsx"))

    assert stored(store, toronto)["Chantal Gagnon"].email_consent_on == date(2026, 3, 2)


def test_a_day_that_reads_two_ways_is_refused_with_both_readings(tmp_path, store, toronto):
    path = write_csv(tmp_path / "tenants.csv", [HEADER[:2] + HEADER[5:7],
                                                ["101", "Priya Raghunathan", "03/04/2026", "Binder 3"],
                                                ["102", "Liam O'Connor", "25/03/2026", "Binder 3"]])

    report = preview(store, toronto, path)

    first, second = report.rows
    assert [str(p) for p in first.problems] == [
        'row 2, Email consent: "03/04/2026" could be 3 April or 4 March: write it as 2026-04-03 or 2026-03-04 '
        "(year-month-day)"]
    assert second.problems == [] and second.tenant.email_consent_on == date(2026, 3, 25)


def test_a_consent_without_where_it_is_kept_names_the_missing_column(tmp_path, store, toronto):
    path = write_csv(tmp_path / "tenants.csv", [["Unit", "Name", "Email consent", "SMS consent", "Phone"],
                                                ["101", "Priya Raghunathan", "2026-01-15", "2026-02-01", "416 912 1112"]])

    [row] = preview(store, toronto, path).rows

    assert row.action == "reject"
    assert {str(p) for p in row.problems} == {
        "row 2, Email consent: needs where the signed consent is kept, and the file has no column for it; map one to it",
        "row 2, SMS consent: needs how the consent to SMS was given, and the file has no column for it; map one to it"}


def test_a_bad_lease_period_and_a_future_consent_are_problems_of_their_column(tmp_path, store, toronto):
    path = write_csv(tmp_path / "tenants.csv", [["Unit", "Name", "Email consent", "Email consent kept", "Lease notice"],
                                                ["101", "Priya Raghunathan", "2099-01-01", "Binder", "soon"]])

    [row] = preview(store, toronto, path).rows

    columns = {p.column for p in row.problems}
    assert columns == {"Email consent", "Lease notice"}, row.problems
    assert any("in the future" in p.message for p in row.problems)


def test_an_empty_cell_on_re_import_keeps_the_consent_on_record(tmp_path, store, toronto):
    first = write_csv(tmp_path / "first.csv", [HEADER[:3] + HEADER[5:7],
                                               ["101", "Priya Raghunathan", "priya@example.org", "2026-01-15", "Binder 3"]])
    importing.commit(store, preview(store, toronto, first))
    again = write_csv(tmp_path / "again.csv", [HEADER[:3] + HEADER[5:7],
                                               ["101", "Priya Raghunathan", "priya@example.org", "", ""]])

    [row] = preview(store, toronto, again).rows
    importing.commit(store, preview(store, toronto, again))

    assert row.action == "unchanged"
    priya = stored(store, toronto)["Priya Raghunathan"]
    assert (priya.email_consent_on, priya.email_consent_kept) == (date(2026, 1, 15), "Binder 3")
