"""Importing a tenant list from the Tenants page: read, map, preview, then save, all off the GUI thread."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWizard

from ui.dialogs.import_wizard import wizard as import_wizard
from ui.dialogs.import_wizard.wizard import ImportWizard
from ui.dialogs.import_wizard.steps import PreviewModel
from ui.main_window import MainWindow

WAIT = 20_000
# What French Excel writes for "CSV": Windows-1252, semicolons, CRLF. Row 5's email is wrong.
FRENCH_CSV = (
    "Logement;Nom complet;Courriel;Téléphone;Langue;Remarques\r\n"
    "1A;Léa Lefèvre;lea.lefevre@example.org;06 12 11 12 13;fr;Digicode 1234 — sonner deux fois\r\n"
    "7A;Hélène Dubœuf;helene.duboeuf@example.fr;06 45 67 89 10;Français;Chien gentil\r\n"
    "6B;François Müller;;01 42 68 53 00;anglais;\r\n"
    "5C;Gaël Crémieux;gael@@exemple;06 11 22 33 44;fr;\r\n"
)


@pytest.fixture
def french_csv(tmp_path: Path) -> Path:
    path = tmp_path / "locataires.csv"
    path.write_bytes(FRENCH_CSV.encode("cp1252"))
    return path


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    """show_error's sentences, instead of modal boxes; a crash fails the test."""
    shown: list[str] = []
    monkeypatch.setattr(import_wizard, "show_error", lambda parent, error, title="": shown.append(error.summary))
    monkeypatch.setattr(import_wizard, "show_crash", lambda parent, report: pytest.fail(report))
    return shown


def names_in(store, property_id: int = 1) -> dict[str, object]:
    return {row.tenant.name: row for row in store.list_tenants(property_id)}


def next_button(wizard: QWizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def read(qtbot, wizard: ImportWizard, path: Path, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), "Tenant lists"))
    wizard.file_page.browse.click()
    qtbot.waitUntil(lambda: wizard.table is not None and next_button(wizard).isEnabled(), timeout=WAIT)


def to_preview(qtbot, wizard: ImportWizard) -> None:
    next_button(wizard).click()  # → the columns
    assert wizard.currentPage() is wizard.mapping_page
    next_button(wizard).click()  # → the preview, computed in the background
    assert wizard.currentPage() is wizard.preview_page
    qtbot.waitUntil(lambda: wizard.report is not None and not wizard.busy(), timeout=WAIT)


def test_a_french_excel_csv_is_previewed_row_by_row_then_imported(qtbot, demo_store, app_paths, french_csv,
                                                                   monkeypatch, errors):
    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    window.show_page("Tenants")
    page = window.pages["Tenants"]
    before = page.model.total_count()
    page.import_button.click()
    wizard = page.wizard
    assert wizard is not None and wizard.isVisible()

    # Step 1: the file, read off the GUI thread; what was detected is shown.
    files = wizard.file_page
    files.property.setCurrentIndex(files.property.findData(1))  # Résidence Les Tilleuls
    files.create_units.setChecked(True)
    read(qtbot, wizard, french_csv, monkeypatch)
    assert files.encoding.currentText() == "Detected: Windows-1252"
    assert files.delimiter.currentText() == "Detected: semicolon"
    assert "4 rows read" in files.status.text() and "Téléphone" in files.status.text()

    # Step 2: the detected mapping, one combo per column of the file.
    next_button(wizard).click()
    mapping = wizard.mapping_page
    assert [c.currentData() for c in mapping.combos] == ["unit", "name", "email", "phone", "language",
                                                         "access_notes"]
    assert mapping.table.item(1, 1).text().startswith("Léa Lefèvre  ·  Hélène Dubœuf")

    # Step 3: every row with its action; the bad row named by row and column; nothing saved yet.
    next_button(wizard).click()
    qtbot.waitUntil(lambda: wizard.report is not None and not wizard.busy(), timeout=WAIT)
    preview = wizard.preview_page
    assert preview.counts.text() == "2 new · 1 to update · 0 unchanged · 1 rejected"
    plans = [preview.model.row_object(i) for i in range(preview.model.rowCount())]
    assert [(p.row, p.action) for p in plans] == [(2, "update"), (3, "create"), (4, "create"), (5, "reject")]
    rejected = plans[3]
    assert [(p.row, p.column) for p in rejected.problems] == [(5, "Courriel")]
    problems_column = preview.model.columnCount() - 1
    cell = preview.model.index(3, problems_column).data()
    assert cell.startswith("✖ Courriel: not a valid email address") and "gael@@exemple" in cell
    assert preview.model.index(3, 1).data() == "Rejected"
    assert preview.model.index(3, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "row 5, Courriel: not a valid email address" in preview.notes.text()
    assert "access notes: — → Digicode 1234" in preview.model.index(0, problems_column).data()
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert preview.all_or_nothing.isChecked() and not commit.isEnabled()  # all or nothing: a row is rejected
    assert "Hélène Dubœuf" not in names_in(demo_store)
    preview.only_problems.setChecked(True)
    assert preview.model.rowCount() == 1
    preview.only_problems.setChecked(False)

    # The user chooses to import the valid rows, and confirms.
    preview.all_valid.setChecked(True)
    assert commit.isEnabled() and commit.text() == "Import 3 tenants"
    assert "Hélène Dubœuf" not in names_in(demo_store)
    commit.click()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=WAIT)
    assert wizard.import_result.counts["created"] == 2
    assert "2 tenants added and 1 updated in Résidence Les Tilleuls" in wizard.result_page.summary.text()
    assert "Units created: 7A" in wizard.result_page.details.text()

    tenants = names_in(demo_store)
    helene, francois = tenants["Hélène Dubœuf"], tenants["François Müller"]
    assert (helene.unit_label, helene.tenant.email, helene.tenant.phone, helene.tenant.language,
            helene.tenant.access_notes) == ("7A", "helene.duboeuf@example.fr", "+33645678910", "fr", "Chien gentil")
    assert (francois.unit_label, francois.tenant.language, francois.tenant.channel) == ("6B", "en", "print")
    assert tenants["Léa Lefèvre"].tenant.access_notes == "Digicode 1234 — sonner deux fois"
    assert "Gaël Crémieux" not in tenants

    # Finish: the Tenants page shows them, the status bar says what happened.
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert page.wizard is None
    assert page.model.total_count() == before + 2
    assert "2 added, 1 updated, 1 rejected" in window.statusBar().currentMessage()


def test_a_wrong_encoding_is_a_sentence_and_the_right_one_reads_the_accents(qtbot, demo_store, app_paths,
                                                                             french_csv, monkeypatch, errors):
    wizard = ImportWizard(demo_store, app_paths.database, property_id=1)
    qtbot.addWidget(wizard)
    wizard.show()
    read(qtbot, wizard, french_csv, monkeypatch)
    files = wizard.file_page
    files.encoding.setCurrentIndex(files.encoding.findData("utf-8"))  # not what the file is
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT)
    assert errors[0].startswith("locataires.csv: line 1 is not UTF-8")
    assert "--encoding" not in errors[0] and "Traceback" not in errors[0]
    assert files.status.text() == errors[0] and not next_button(wizard).isEnabled()
    files.encoding.setCurrentIndex(files.encoding.findData("cp1252"))
    qtbot.waitUntil(lambda: wizard.table is not None, timeout=WAIT)
    assert wizard.table.headers[3] == "Téléphone" and wizard.table.rows[1].cells[1] == "Hélène Dubœuf"
    assert files.encoding.itemText(0) == "Detected: Windows-1252"  # what detection found stays in view


def test_a_column_left_out_is_not_compared_and_the_unit_column_is_required(qtbot, demo_store, app_paths,
                                                                           french_csv, monkeypatch, errors):
    wizard = ImportWizard(demo_store, app_paths.database, property_id=1)
    qtbot.addWidget(wizard)
    wizard.show()
    read(qtbot, wizard, french_csv, monkeypatch)
    next_button(wizard).click()
    combos = wizard.mapping_page.combos
    combos[0].setCurrentIndex(combos[0].findData(None))  # Logement: not imported
    assert not next_button(wizard).isEnabled()
    assert "unit" in wizard.mapping_page.status.text()
    combos[0].setCurrentIndex(combos[0].findData("unit"))
    combos[5].setCurrentIndex(combos[5].findData(None))  # Remarques: not imported
    assert wizard.mapping_page.mapping().shape == "custom"
    next_button(wizard).click()
    qtbot.waitUntil(lambda: wizard.report is not None and not wizard.busy(), timeout=WAIT)
    preview = wizard.preview_page
    # Without "Create missing units", unit 7A is a problem named with the wizard's own words.
    assert preview.counts.text() == "1 new · 0 to update · 1 unchanged · 2 rejected"
    unit_problem = next(p for p in wizard.report.problems if p.column == "Logement")
    assert unit_problem.row == 3
    assert 'tick "Create missing units"' in preview.notes.text() and "--create-units" not in preview.notes.text()
    # Back to the first step, tick it: the preview is made again.
    wizard.back()
    wizard.back()
    wizard.file_page.create_units.setChecked(True)
    to_preview(qtbot, wizard)
    assert preview.counts.text() == "2 new · 0 to update · 1 unchanged · 1 rejected"


def test_the_preview_model_is_well_behaved(qtbot, qtmodeltester, demo_store, app_paths, french_csv,
                                           monkeypatch, errors):
    wizard = ImportWizard(demo_store, app_paths.database, property_id=1)
    qtbot.addWidget(wizard)
    wizard.show()
    read(qtbot, wizard, french_csv, monkeypatch)
    to_preview(qtbot, wizard)
    assert isinstance(wizard.preview_page.model, PreviewModel)
    qtmodeltester.check(wizard.preview_page.model)


def test_the_tenants_can_be_read_from_another_sheet_of_a_workbook(qtbot, demo_store, app_paths, tmp_path,
                                                                   monkeypatch, errors):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["This workbook lists the tenants of Les Tilleuls on the next sheet."])
    tenants = book.create_sheet("Locataires")
    tenants.append(["Logement", "Nom", "Courriel"])
    tenants.append(["1A", "Léa Lefèvre", "lea@example.org"])
    tenants.append(["2B", "Zoé Núñez", "zoe@example.org"])
    path = tmp_path / "tilleuls.xlsx"
    book.save(path)
    wizard = ImportWizard(demo_store, app_paths.database, property_id=1)
    qtbot.addWidget(wizard)
    wizard.show()
    read(qtbot, wizard, path, monkeypatch)
    files = wizard.file_page
    assert 'sheet "Read me"' in files.status.text() and files.sheet.isEnabled()
    assert [files.sheet.itemText(i) for i in range(files.sheet.count())] == ["The first sheet", "Read me", "Locataires"]
    files.sheet.setCurrentIndex(files.sheet.findData("Locataires"))
    qtbot.waitUntil(lambda: wizard.table is not None and wizard.table.sheet == "Locataires", timeout=WAIT)
    assert "2 rows read" in files.status.text() and 'sheet "Locataires"' in files.status.text()
    assert files.sheet.currentData() == "Locataires" and errors == []
    to_preview(qtbot, wizard)
    assert wizard.report is not None


def test_a_csv_file_has_no_sheet_to_choose(qtbot, demo_store, app_paths, french_csv, monkeypatch, errors):
    wizard = ImportWizard(demo_store, app_paths.database, property_id=1)
    qtbot.addWidget(wizard)
    wizard.show()
    read(qtbot, wizard, french_csv, monkeypatch)
    assert not wizard.file_page.sheet.isEnabled() and wizard.file_page.sheet.currentText() == "Only for Excel files"
