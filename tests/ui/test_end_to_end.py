"""A property manager's first afternoon, through the widgets, on a fresh empty database:
a property with its units, its tenants, a work order, the letters previewed, saved as PDF and printed."""

from datetime import time, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox

from maintdesk.records.store import Store
from notices_testing import wait_for_draft
from maintdesk.timeutil import local, utc_now
from ui.dialogs.letters import LettersDialog
from ui.widgets.printing import paint_pages
from ui.dialogs.property import PropertyDialog
from ui.dialogs.tenant import TenantDialog
from ui.dialogs.work_order import WorkOrderDialog

TENANTS = (  # unit, name, language, email, channel
    ("1A", "Camille Durand", "fr", "camille@example.org", "both"),
    ("1B", "Jordan Miller", "en", "", "print"),
    ("2A", "Élodie Martin", "fr", "", "print"),
)


@pytest.fixture
def store(app_paths):
    store = Store.open(app_paths.database)  # fresh and empty: no demo data
    yield store
    store.close()


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch):
    """A modal box would hang the test: fail loudly instead."""
    def refuse(parent, title, text, *args, **kwargs):
        raise AssertionError(f"unexpected message box: {title}: {text}")

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, refuse)


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def choose(combo, data):
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_from_an_empty_database_to_printed_letters(qtbot, store, app_paths, tmp_path, monkeypatch, confirmations):
    assert store.list_properties() == []

    # 1. The property and its three units.
    dialog = PropertyDialog(store)
    qtbot.addWidget(dialog)
    for field, text in (("name", "Les Tilleuls"), ("address_line1", "4 rue des Tilleuls"), ("postal_code", "69003"),
                        ("city", "Lyon"), ("country", "FR"), ("jurisdiction", "FR"),
                        ("timezone", "Europe/Paris"), ("manager_name", "Paul Gardien"),
                        ("manager_email", "gardien@example.org")):
        type_into(qtbot, dialog.fields[field], text)
    for label in ("1A", "1B", "2A"):
        type_into(qtbot, dialog.fields["unit"], label)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.save(), dialog.top_message.text()
    [prop] = store.list_properties()
    units = {u.label: u.id for u in store.list_units(prop.id)}
    assert sorted(units) == ["1A", "1B", "2A"]

    # 2. One tenant per unit, in French and English, one reached by email too.
    for label, name, language, email, channel in TENANTS:
        dialog = TenantDialog(store, property_id=prop.id)
        qtbot.addWidget(dialog)
        choose(dialog.fields["unit_id"], units[label])
        type_into(qtbot, dialog.fields["name"], name)
        type_into(qtbot, dialog.fields["email"], email)
        choose(dialog.fields["language"], language)
        choose(dialog.fields["channel"], channel)
        assert dialog.save(), [dialog.message(f) for f in dialog.fields]
    rows = store.list_tenants(prop.id)
    assert {(r.unit_label, r.tenant.name, r.tenant.language, r.tenant.email) for r in rows} == {
        (unit, name, language, email) for unit, name, language, email, _ in TENANTS}

    # 3. The work order: title, window, two actions, slots spread automatically.
    dialog = WorkOrderDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.value("property_id") == prop.id
    type_into(qtbot, dialog.title_edit.edits["fr"], "Remplacement des compteurs d'eau")
    type_into(qtbot, dialog.title_edit.edits["en"], "Water meter replacement")
    # French law wants the nature of the work in the notice: without it the checks hold the letters back.
    type_into(qtbot, dialog.localized["description"].edits["fr"], "Remplacement du compteur d'eau de chaque logement.")
    type_into(qtbot, dialog.localized["description"].edits["en"], "Each unit's water meter is replaced.")
    day = local(utc_now(), "Europe/Paris").date() + timedelta(weeks=3)
    monday = day - timedelta(days=day.weekday())
    dialog.start_edit.setDateTime(QDateTime(monday, time(8), QTimeZone(b"UTC")))
    dialog.end_edit.setDateTime(QDateTime(monday + timedelta(days=4), time(18), QTimeZone(b"UTC")))
    actions = dialog.action_list
    for english, french in (("Shut off the water", "Couper l'eau"), ("Replace the meter", "Remplacer le compteur")):
        type_into(qtbot, actions.english, english)
        type_into(qtbot, actions.french, french)
        qtbot.mouseClick(actions.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.spread_button, Qt.MouseButton.LeftButton)
    assert dialog.message("slots") == ""
    assert {s.unit_id for s in dialog.slot_table.slots} == set(units.values())
    assert dialog.save(), dialog.top_message.text()
    work = store.get_work_order(dialog.result_value.id)
    assert work.title == {"fr": "Remplacement des compteurs d'eau", "en": "Water meter replacement"}
    assert len(work.actions) == 2 and len(work.slots) == 3 and work.all_units

    # 4. The office's letterhead and email address, to send from (Settings, Senders): Camille wants email too.
    from ui.pages.settings import SettingsPage

    settings = SettingsPage(store, app_paths, app_paths.database)
    qtbot.addWidget(settings)
    settings.refresh()
    office = settings.add_sender()
    qtbot.addWidget(office)
    for field, text in (("label", "Bureau"), ("name", "Gardien et Fils"), ("email", "bureau@example.org")):
        type_into(qtbot, office.fields[field], text)
    assert office.save(), office.top_message.text()
    assert settings.senders.count() == 1 and store.sender_of(store.get_property(work.property_id)).name == "Gardien et Fils"

    # 5. The letters: a draft first, then issued off the GUI thread after the confirmation, one page per tenant.
    letters = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(letters)
    assert not letters.save_button.isEnabled()
    wait_for_draft(qtbot, letters)
    assert "3 letters to print: 1 English, 2 French" in letters.plan_label.text()
    assert "is draft: issuing offers to mark it scheduled" in letters.plan_label.text()
    confirmations.set_status = True
    assert store.list_notices(work.id) == []
    with qtbot.waitSignal(letters.document.statusChanged, timeout=120_000,
                          check_params_cb=lambda status: status == QPdfDocument.Status.Ready):
        qtbot.mouseClick(letters.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: letters.task is None, timeout=120_000)
    assert letters.document.pageCount() == letters.batch.merged_pages == 3
    assert "3 printed for tenants on paper" in letters.status.text()
    assert len(list(letters.eml_dir.glob("*.eml"))) == 1  # no email server yet: Camille's email as a file
    assert confirmations.shown and "3 letters to print" in confirmations.shown[0]
    assert store.get_work_order(work.id).status == "scheduled"
    assert letters.save_button.isEnabled() and letters.print_button.isEnabled()

    # 6. Save PDF…: a copy of the merged file where the user says.
    saved_path = tmp_path / "chosen" / "tilleuls-letters.pdf"
    saved_path.parent.mkdir()
    asked = []

    def get_save_file_name(parent, caption, directory, filter_text, *args, **kwargs):
        asked.append(directory)
        return str(saved_path), filter_text

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)
    qtbot.mouseClick(letters.save_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].endswith(letters.batch.merged_path.name)
    assert str(saved_path) in letters.status.text()
    saved = PdfReader(saved_path)
    assert len(saved.pages) == 3
    text = "\n".join(page.extract_text() for page in saved.pages)
    for _, name, *_ in TENANTS:
        assert name in text, name

    # 7. Print the preview, to a PDF file through QPrinter.
    printed_path = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed_path))
    assert paint_pages(printer, letters.document)
    assert printed_path.exists()
    assert len(PdfReader(printed_path).pages) == 3
