"""Tenant import from real CSV and XLSX files: encodings, delimiters, shapes, problems, re-imports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from maintdesk.imports import tenants as importing
from maintdesk.cli.app import main
from maintdesk.errors import ConflictError, InvalidInput, ValidationError
from maintdesk.imports.files import read_table
from maintdesk.imports.mapping import guess_mapping, parse_choices, with_choices
from maintdesk.imports.tenants import ImportOptions
from maintdesk.records.models import Property, Tenant

FRENCH_HEADER = ["Logement", "Nom", "Prénom", "Courriel", "Téléphone", "Langue", "Canal", "Remarques"]
FRENCH_ROWS = [
    ["1A", "Lefèvre", "Léa", "lea.lefevre@example.org", "06 12 34 56 78", "Français", "courriel", "Chat — fermer"],
    ["1B", "Château", "Lœtitia Bérénice", "loetitia@example.org", "+33 6 98 76 54 32", "fr", "les deux", ""],
    ["2A", "Núñez", "Zoé", "", "01 43 55 12 34", "anglais", "papier", "Clé chez la gardienne"],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run_import(store, building, path: Path, **options) -> importing.ImportResult:
    report = importing.preview(store, building.id, read_table(path), None, ImportOptions(**options))
    return importing.commit(store, report)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_in_each_encoding_and_delimiter_keeps_french_accents(tmp_path, store, paris, encoding, delimiter):
    path = write_csv(tmp_path / "locataires.csv", [FRENCH_HEADER] + FRENCH_ROWS, encoding, delimiter)
    table = read_table(path)
    assert table.delimiter == delimiter
    assert table.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "cp1252": "cp1252", "utf-16": "utf-16"}[encoding]
    assert table.headers == FRENCH_HEADER
    result = importing.commit(store, importing.preview(store, paris.id, table))
    assert result.counts["created"] == 3
    stored = {r.tenant.name: r for r in store.list_tenants(paris.id)}
    assert set(stored) == {"Léa Lefèvre", "Lœtitia Bérénice Château", "Zoé Núñez"}
    lea, zoe = stored["Léa Lefèvre"].tenant, stored["Zoé Núñez"].tenant
    assert (lea.phone, lea.language, lea.channel, lea.access_notes) == ("+33612345678", "fr", "email", "Chat — fermer")
    assert (zoe.language, zoe.channel, zoe.email, stored["Zoé Núñez"].unit_label) == ("en", "print", "", "2A")
    assert stored["Lœtitia Bérénice Château"].tenant.channel == "both"


def test_windows_1252_is_never_guessed_as_another_code_page(tmp_path):
    path = write_csv(tmp_path / "excel.csv", [["Unit", "Name"], ["1A", "Lœtitia Lefèvre"]], "cp1252", ";")
    assert read_table(path).rows[0].cells == ["1A", "Lœtitia Lefèvre"]


def test_encoding_and_delimiter_can_be_given(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["Unit", "Name"], ["1A", "Dupont; Jérôme"]], "cp1252", ",")
    with pytest.raises(InvalidInput, match=r"line 2 is not UTF-8.*--encoding"):
        read_table(path, encoding="utf-8")
    assert read_table(path, encoding="latin-1").rows[0].cells == ["1A", "Dupont; Jérôme"]
    semicolon = read_table(path, delimiter=";")
    assert semicolon.delimiter == ";" and semicolon.headers == ["Unit,Name"]
    with pytest.raises(InvalidInput, match="delimiter"):
        read_table(path, delimiter="|")


def test_excel_sep_line_title_rows_and_row_numbers(tmp_path, store, paris):
    text = "sep=;\nTenant list;\n;\nUnit;Name;Email\n1A;Ann Lee;ann@\n\n1B;;bob@example.org\n"
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    table = read_table(path)
    assert table.header_row == 3  # Excel hides the sep= line: the header is the sheet's row 3
    report = importing.preview(store, paris.id, table)
    assert [str(p) for p in report.problems] == [
        'row 4, Email: not a valid email address: "ann@" (There must be something after the @-sign.)',
        "row 6, Name: is empty: every tenant needs a name",
    ]


def test_xlsx_made_with_openpyxl_restores_leading_zeros(tmp_path, store, paris):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Locataires"
    sheet.append(["Liste des locataires — Résidence Les Tilleuls"])
    sheet.append([])
    sheet.append(["Appartement", "Nom complet", "Portable", "Adresse", "Code postal", "Ville", "Statut"])
    sheet.append(["1A", "Hélène Fauré", 612345678, "BP 1204", 1000, "Bourg-en-Bresse", "actuel"])
    sheet.append(["1B", "Noël Garnier", "0698765432", "14 rue des Tilleuls", "75011", "Paris", "ancien"])
    sheet.append(["2A", "Bad Phone", 12, None, None, None, None])
    book.save(tmp_path / "locataires.xlsx")
    table = read_table(tmp_path / "locataires.xlsx")
    assert (table.format, table.sheet, table.header_row) == ("xlsx", "Locataires", 3)
    report = importing.preview(store, paris.id, table)
    assert [str(p) for p in report.problems] == ['row 6, Portable: not a valid phone number for FR: "12"']
    warnings = [str(w) for w in report.warnings]
    assert any(w.startswith("row 4, Portable: written without its leading 0") and "+33 6 12 34 56 78" in w
               for w in warnings)
    assert "row 4, Code postal: postal code 1000 has lost its leading zero (stored as a number?): read as 01000" in warnings
    importing.commit(store, report, skip_invalid=True)
    stored = {r.tenant.name: r.tenant for r in store.list_tenants(paris.id)}
    assert stored["Hélène Fauré"].phone == "+33612345678"
    assert stored["Hélène Fauré"].mailing_address == "BP 1204\n01000 Bourg-en-Bresse"
    assert stored["Noël Garnier"].mailing_address == ""  # the building's own address
    assert stored["Noël Garnier"].active is False and "Bad Phone" not in stored


def test_buildium_shaped_file(tmp_path, store, toronto):
    header = ["Property", "Unit number", "First name", "Last name", "Email", "Alternate email", "Mobile phone",
              "Home phone", "Address line 1", "City", "State", "Postal code", "Lease start date"]
    rows = [
        ["Maple Court Apartments", "101", "Priya", "Raghunathan", "priya@example.org", "", "", "(416) 924-3100",
         "220 Wellesley Street East", "Toronto", "ON", "M4X 1G5", "2024-05-01"],
        ["Maple Court Apartments", "102", "Marc-André", "Tremblay", "", "marc@example.net", "416-924-3101", "",
         "88 Rue Saint-Denis", "Montréal", "QC", "H2X 3K8", "2023-01-01"],
    ]
    table = read_table(write_csv(tmp_path / "buildium.csv", [header] + rows))
    mapping = guess_mapping(table.headers)
    assert mapping.shape == "buildium"
    report = importing.preview(store, toronto.id, table, mapping)
    assert report.ok and report.counts["created"] == 2
    importing.commit(store, report)
    stored = {r.tenant.name: r.tenant for r in store.list_tenants(toronto.id)}
    assert stored["Priya Raghunathan"].phone == "+14169243100" and stored["Priya Raghunathan"].mailing_address == ""
    marc = stored["Marc-André Tremblay"]
    assert (marc.email, marc.phone) == ("marc@example.net", "+14169243101")
    assert marc.mailing_address == "88 Rue Saint-Denis\nMontréal, QC H2X 3K8"


def test_appfolio_shaped_report_with_several_properties(tmp_path, store, toronto):
    header = ["Property", "Unit", "Tenant", "Tenant Phone Number", "Tenant Email", "Property Street Address 1",
              "Property City", "Property State", "Property Zip", "Tenant Status", "Rent"]
    rows = [
        ["Maple Court Apartments - 220 Wellesley Street East Toronto, ON M4X 1G5", "101", "Chen, Mei-Ling",
         "Mobile: (416) 924-3102, Home: (416) 924-3103", "mei@example.org", "220 Wellesley Street East",
         "Toronto", "ON", "M4X 1G5", "Current", "1,850.00"],
        ["Maple Court Apartments - 220 Wellesley Street East Toronto, ON M4X 1G5", "201", "O'Connor, Liam", "",
         "", "220 Wellesley Street East", "Toronto", "ON", "M4X 1G5", "Past", "1,700.00"],
        ["Oak Tower - 5 Bay Street Toronto, ON M5J 2N8", "3", "Diaz, Sam", "", "sam@example.org", "5 Bay Street",
         "Toronto", "ON", "M5J 2N8", "Current", "2,100.00"],
    ]
    table = read_table(write_csv(tmp_path / "tenant_directory.csv", [header] + rows))
    report = importing.preview(store, toronto.id, table)
    assert report.mapping.shape == "appfolio"
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "skipped": 1}
    assert report.rows[2].note == 'another property: "Oak Tower - 5 Bay Street Toronto, ON M5J 2N8"'
    assert any("Last, First" in note for note in report.notes)
    assert [str(w) for w in report.warnings] == ["row 2, Tenant Phone Number: the cell has 2 numbers; the first is kept"]
    importing.commit(store, report)
    stored = {r.tenant.name: r.tenant for r in store.list_tenants(toronto.id)}
    assert stored["Mei-Ling Chen"].phone == "+14169243102" and stored["Liam O'Connor"].active is False


def test_user_chosen_mapping(tmp_path, store, paris):
    path = write_csv(tmp_path / "x.csv", [["Réf", "Qui", "Adresse perso"], ["1A", "Ann Lee", "ann@example.org"]])
    table = read_table(path)
    assert guess_mapping(table.headers).columns == {}  # no header it knows
    mapping = with_choices(guess_mapping(table.headers), table.headers,
                           parse_choices(["unit=A", "name=Qui", "email=adresse perso"]))
    report = importing.preview(store, paris.id, table, mapping)
    assert report.ok and report.rows[0].tenant.email == "ann@example.org" and report.mapping.shape == "custom"
    with pytest.raises(InvalidInput, match='no column "Courriel"'):
        with_choices(mapping, table.headers, {"email": "Courriel"})
    with pytest.raises(InvalidInput, match='"mail" is not a field'):
        with_choices(mapping, table.headers, {"mail": "Qui"})
    no_unit = importing.preview(store, paris.id, table, with_choices(mapping, table.headers, {"unit": None}))
    assert no_unit.file_problems == ["no column holds the unit: name it Unit (or Logement), or choose it"]


def test_bad_rows_are_each_named_and_nothing_is_saved(tmp_path, store, paris, state_of):
    rows = [["Unit", "Name", "Email", "Language"],
            ["1A", "Ann Lee", "ann@example", "en"],
            ["9Z", "Bob Roy", "bob@example.org", "en"],
            ["1B", "", "carl@example.org", "fr"],
            ["2A", "Dee Moss", "dee@example.org", "klingon"],
            ["2B", "Eve Hart", "eve@example.org", "en"],
            ["2b", "eve  hart", "eve2@example.org", "en"]]
    before = state_of(store)
    report = importing.preview(store, paris.id, read_table(write_csv(tmp_path / "bad.csv", rows)))
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "Email"), (3, "Unit"), (4, "Name"), (5, "Language"), (7, "Name")]
    assert "duplicate of row 6" in report.problems[-1].message
    assert report.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 5, "skipped": 0}
    with pytest.raises(ValidationError) as raised:
        importing.commit(store, report)
    assert str(raised.value).startswith("row 2, Email: not a valid email address") and "(and 4 more)" in str(raised.value)
    assert state_of(store) == before
    importing.commit(store, report, skip_invalid=True)
    assert [r.tenant.name for r in store.list_tenants(paris.id)] == ["Eve Hart"]


def test_reimport_updates_instead_of_duplicating(tmp_path, store, paris):
    header = ["Unit", "Name", "Email", "Phone"]
    first = [["1A", "Ann Lee", "ann@example.org", "0612345678"], ["1B", "Bob Roy", "bob@example.org", ""],
             ["2A", "Cy Poe", "", "0698765432"]]
    path = write_csv(tmp_path / "t.csv", [header] + first)
    assert run_import(store, paris, path).counts["created"] == 3
    assert run_import(store, paris, path).counts == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0,
                                                     "skipped": 0}
    second = [["1A", "Ann Lee", "ann@example.org", "0611111111"],  # new phone: updated
              ["2B", "Robert Roy", "BOB@example.org", ""],  # same email, new name and unit: updated
              ["2A", "Cy Poe", "", "0698765432"],  # unchanged
              ["3A", "Di Fox", "di@example.org", ""]]  # created
    report = importing.preview(store, paris.id, read_table(write_csv(tmp_path / "t2.csv", [header] + second)))
    assert report.counts == {"created": 1, "updated": 2, "unchanged": 1, "rejected": 0, "skipped": 0}
    assert report.rows[1].changes == {"name": ("Bob Roy", "Robert Roy"), "unit": ("1B", "2B")}
    importing.commit(store, report)
    stored = {r.tenant.name: r for r in store.list_tenants(paris.id)}
    assert len(stored) == 4 and stored["Robert Roy"].unit_label == "2B"
    assert stored["Ann Lee"].tenant.phone == "+33611111111"


def test_reimport_keeps_what_the_file_does_not_say(tmp_path, store, paris):
    tenant = store.save_tenant(Tenant(paris.unit_id("1A"), "Ann Lee", language="fr", channel="both",
                                      email="ann@example.org", access_notes="Chien"))
    path = write_csv(tmp_path / "t.csv", [["Unit", "Name", "Email", "Language"], ["1A", "Ann Lee", "ann@example.org", ""]])
    assert run_import(store, paris, path).counts["unchanged"] == 1
    assert store.get_tenant(tenant.id) == tenant


def test_units_are_created_only_when_allowed(tmp_path, store, paris):
    path = write_csv(tmp_path / "t.csv", [["Unit", "Floor", "Name"], ["7C", "7", "Ann Lee"], ["7c", "7", "Bo Li"],
                                          ["Apt. 1A", "", "Cy Poe"]])
    refused = importing.preview(store, paris.id, read_table(path))
    assert [str(p) for p in refused.problems] == [
        'row 2, Unit: no unit "7C" in Résidence Les Tilleuls; allow new units (--create-units) to add it',
        'row 3, Unit: no unit "7c" in Résidence Les Tilleuls; allow new units (--create-units) to add it']
    report = importing.preview(store, paris.id, read_table(path), None, ImportOptions(create_units=True))
    assert report.ok and report.new_units == ["7C"] and report.rows[2].unit_label == "1A"
    result = importing.commit(store, report)
    assert result.units_created == ["7C"]
    units = {u.label: u for u in store.list_units(paris.id)}
    assert units["7C"].floor == 7 and len(store.tenants_of_unit(units["7C"].id)) == 2


def test_a_stale_preview_is_refused(tmp_path, store, paris, state_of):
    path = write_csv(tmp_path / "t.csv", [["Unit", "Name"], ["1A", "Ann Lee"]])
    report = importing.preview(store, paris.id, read_table(path))
    store.save_tenant(Tenant(paris.unit_id("2A"), "Someone Else"))
    before = state_of(store)
    with pytest.raises(ConflictError, match="preview the file again"):
        importing.commit(store, report)
    assert state_of(store) == before


def test_closing_the_commit_early_saves_nothing(tmp_path, store, paris, state_of):
    rows = [["Unit", "Name"]] + [["1A", f"Tenant {i}"] for i in range(1200)]
    report = importing.preview(store, paris.id, read_table(write_csv(tmp_path / "t.csv", rows)))
    before = state_of(store)
    events = importing.iter_commit(store, report)
    next(events), next(events)  # started, then the first 500 tenants written
    events.close()
    assert state_of(store) == before


def test_ten_thousand_rows(tmp_path, store):
    prop = store.save_property(Property(name="Grand Ensemble", address_line1="1 avenue Jean Jaurès", city="Lyon",
                                        country="FR", timezone="Europe/Paris", jurisdiction="FR"))
    rows = [["Logement", "Étage", "Nom", "Prénom", "Courriel", "Téléphone"]]
    rows += [[f"B{i // 100:03d}-{i % 100:02d}", str(i // 1000), f"Lefèvre-{i}", "Zoé", f"t{i}@example.org",
              f"06 12 {i // 100 % 90 + 10:02d} {i % 100:02d} 00"] for i in range(10_000)]
    path = write_csv(tmp_path / "big.csv", rows, "cp1252", ";")
    events = list(importing.iter_preview(store, prop.id, read_table(path), None, ImportOptions(create_units=True)))
    report = events[-1]
    assert report.counts["created"] == 10_000 and len(report.new_units) == 10_000
    assert [e.done for e in events[:-1]][:3] == [0, 500, 1000]
    importing.commit(store, report)
    assert store.counts()["tenants"] == 10_000 and len(store.list_units(prop.id)) == 10_000
    again = importing.preview(store, prop.id, read_table(path))
    assert again.counts["unchanged"] == 10_000


def test_cli_import_tenants(tmp_path, db_path, store, paris, capsys):
    good = write_csv(tmp_path / "good.csv", [["Unit", "Name"], ["1A", "Ann Lee"], ["9Z", "Bo Li"]])
    args = ["--db", str(db_path), "import", "tenants", str(good), "--property", str(paris.id)]
    assert main(args + ["--json"]) == 2
    printed = json.loads(capsys.readouterr().out)
    assert printed["saved"] is False and printed["counts"]["rejected"] == 1
    assert printed["problems"] == [{"row": 3, "column": "Unit", "message": printed["problems"][0]["message"]}]
    assert store.list_tenants(paris.id) == []
    assert main(args) == 2  # refused, not a dry run: it says what happened
    said = capsys.readouterr()
    assert "would import" not in said.out
    assert "nothing was imported into Résidence Les Tilleuls: the file has problems" in said.out
    assert "1 row of" in said.err and "nothing was imported" in said.err
    assert main(args + ["--create-units", "--dry-run"]) == 0
    assert "would import into Résidence Les Tilleuls: 2 created" in capsys.readouterr().out
    assert store.list_tenants(paris.id) == []
    assert main(args + ["--create-units"]) == 0
    assert "imported into Résidence Les Tilleuls: 2 created" in capsys.readouterr().out
    assert len(store.list_tenants(paris.id)) == 2
    assert main(args + ["--map", "email"]) == 2
    assert "FIELD=COLUMN" in capsys.readouterr().err


def test_files_that_cannot_be_read_say_why(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    (tmp_path / "fake.xlsx").write_text("Unit,Name\n", encoding="utf-8")
    for name, message in (("empty.csv", "is empty"), ("old.xls", "save it as .xlsx or CSV"),
                          ("fake.xlsx", "is not an Excel workbook"), ("none.csv", "no such file")):
        with pytest.raises(InvalidInput, match=message):
            read_table(tmp_path / name)


def test_worker_tasks_open_their_own_connection(tmp_path, db_path, store, paris):
    """What the GUI's import wizard runs on a thread: progress first, then the report or the result."""
    path = write_csv(tmp_path / "t.csv", [["Appt", "Nom complet", "E-mail"], ["1A", "Ann Lee", "ann@example.org"]])
    table = read_table(path)
    events = list(importing.preview_task(db_path, table, paris.id, choices={"unit": "Appt"}))
    assert all(hasattr(e, "done") for e in events[:-1]) and isinstance(events[-1], importing.ImportReport)
    report = events[-1]
    assert report.mapping.headers(table.headers) == {"unit": ["Appt"], "name": ["Nom complet"], "email": ["E-mail"]}
    events = list(importing.commit_task(db_path, report))
    assert isinstance(events[-1], importing.ImportResult) and events[-1].counts["created"] == 1
    assert [r.tenant.name for r in store.list_tenants(paris.id)] == ["Ann Lee"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_total_and_blank_rows_are_skipped_with_their_row_number_never_made_tenants(tmp_path, store, paris, kind):
    rows = [["Unit", "Name", "Rent"], ["7C", "Ann Lee", "800"], [], ["7D", "Bo Li", "750"],
            ["Total", "2", "1550"], ["", "Sous-total :", "1550"], ["", "", "1550"], [], []]
    if kind == "csv":
        path = write_csv(tmp_path / "t.csv", rows)
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append([int(c) if c.isdigit() else c for c in row] or [None])
        path = tmp_path / "t.xlsx"
        book.save(path)
    report = importing.preview(store, paris.id, read_table(path), None, ImportOptions(create_units=True))
    assert report.ok, [str(p) for p in report.problems]
    skipped = {plan.row: plan.note for plan in report.rows if plan.action == "skip"}
    assert skipped == {3: "a blank row", 5: 'a summary row ("Total"), not a tenant',
                       6: 'a summary row ("Sous-total :"), not a tenant',
                       7: "a row of numbers only (a summary row?), not a tenant"}
    assert report.new_units == ["7C", "7D"]  # never a unit called "Total"
    importing.commit(store, report)
    names = {r.tenant.name for r in store.list_tenants(paris.id)}
    assert {"Ann Lee", "Bo Li"} <= names and "2" not in names and not {u.label for u in store.list_units(paris.id)} & {
        "Total", ""}
