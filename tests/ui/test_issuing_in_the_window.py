"""Issuing you can trust, through the widgets: drafts first, kinds that fit the work order's state,
checks that hold issuing back, and notices voided and corrected from the Outbox."""

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialog
from pypdf import PdfReader

from maintdesk.letters.issuing import BatchRequest, archive_dir, issue_print_batch
from maintdesk.records.terms import FindingOverride
from notices_testing import WAIT, issue, wait_for_draft
from ui.dialogs import letters as letters_dialog
from ui.dialogs.letters import LettersDialog
from ui.dialogs.void import VoidDialog
from ui.main_window import MainWindow


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    """The error boxes the notices dialog shows, by their sentence."""
    shown: list[str] = []
    monkeypatch.setattr(letters_dialog, "show_error", lambda parent, error: shown.append(error.summary))
    return shown


def open_dialog(qtbot, store, paths, work_id: int, kind: str | None = None) -> LettersDialog:
    dialog = LettersDialog(paths.database, paths, store.get_work_order(work_id), "en")
    qtbot.addWidget(dialog)
    if kind is not None:
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    wait_for_draft(qtbot, dialog)
    return dialog


def archived_files(paths) -> list:
    folder = archive_dir(paths.database)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_the_dialog_opens_on_a_draft_that_is_never_archived(qtbot, demo_store, app_paths, confirmations):
    dialog = open_dialog(qtbot, demo_store, app_paths, 1)  # Paris: French tenants first
    qtbot.waitUntil(lambda: dialog.document.status() == QPdfDocument.Status.Ready, timeout=WAIT)
    letter = " ".join(dialog.document.getAllText(0).text().split())
    assert "PROJET" in letter and "WO-1/PROJET" in letter  # marked, and no notice number used up
    assert "not issued, nothing archived" in dialog.status.text()
    email = dialog.email_view.toPlainText()
    assert "Subject:" in email and "[PROJET]" in email
    assert "letters to print" in dialog.plan_label.text() and "emails to send" in dialog.plan_label.text()
    # Another tenant's draft, in English, on a click.
    row = next(i for i in range(dialog.recipients.count()) if " · en · " in dialog.recipients.item(i).text())
    dialog.recipients.setCurrentRow(row)
    wait_for_draft(qtbot, dialog)
    qtbot.waitUntil(lambda: "DRAFT" in dialog.document.getAllText(0).text(), timeout=WAIT)
    # Nothing was issued: no notice, no archived file, an empty Outbox.
    assert demo_store.list_notices() == [] and archived_files(app_paths) == []
    assert confirmations.shown == []
    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    window.show_page("Outbox & records")
    assert window.pages["Outbox & records"].model.total_count() == 0


def test_a_kind_that_does_not_fit_the_work_is_refused_with_the_reason(qtbot, demo_store, app_paths, errors,
                                                                     confirmations):
    dialog = open_dialog(qtbot, demo_store, app_paths, 2, "emergency")  # planned work, not an emergency
    assert "only for work marked as an emergency" in dialog.plan_label.text()
    dialog.issue_button.click()
    assert errors and "only for work marked as an emergency" in errors[-1] and "maintdesk" not in errors[-1]
    dialog.kind.setCurrentIndex(dialog.kind.findData("postponed"))
    wait_for_draft(qtbot, dialog)
    dialog.issue_button.click()
    assert "needs the new dates" in errors[-1]
    assert confirmations.shown == [] and demo_store.list_notices() == []


def test_a_completion_notice_marks_the_work_completed_only_when_the_manager_ticks_it(qtbot, demo_store, app_paths,
                                                                                    confirmations):
    dialog = open_dialog(qtbot, demo_store, app_paths, 2, "completed")
    assert "issuing offers to mark it completed" in dialog.plan_label.text()
    dialog.issue_button.click()  # the confirmation is read, the box left unticked: Issue cannot be pressed
    assert confirmations.issue_enabled == [False] and "needs it completed" in confirmations.shown[0]
    assert demo_store.list_notices() == [] and demo_store.get_work_order(2).status == "scheduled"
    confirmations.set_status = True
    issue(qtbot, dialog)
    assert demo_store.get_work_order(2).status == "completed"
    assert {n.kind for n in demo_store.list_notices(2)} == {"completed"}


def test_an_open_error_of_the_checks_holds_issuing_back_until_it_is_accepted(qtbot, demo_store, app_paths, errors,
                                                                            confirmations):
    terms = demo_store.get_work_terms(1)
    demo_store.save_work_terms(replace(terms, print_delivery="mail"))  # France wants it by hand or registered
    dialog = open_dialog(qtbot, demo_store, app_paths, 1)
    assert "1 open error" in dialog.plan_label.text() and "FR/notification/method" in dialog.plan_label.text()
    dialog.issue_button.click()
    assert "open error" in errors[-1] and confirmations.shown == []
    assert demo_store.list_notices() == []
    demo_store.add_finding_override(FindingOverride(1, "FR/notification/method", "The lease allows notices by post",
                                                    "Camille Rousseau"))
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))  # any change draws the draft and plan again
    wait_for_draft(qtbot, dialog)
    assert "Checks: no open error" in dialog.plan_label.text()
    issue(qtbot, dialog)
    checks = demo_store.issue_checks(1)  # one per batch: the letters, the emails
    assert checks and all(c.ok and "FR/notification/method" in str(c.report) for c in checks)  # as they stood


def answer_void(monkeypatch, reason: str) -> list[VoidDialog]:
    seen: list[VoidDialog] = []

    def exec_(dialog: VoidDialog) -> QDialog.DialogCode:
        seen.append(dialog)
        dialog.reason.setText(reason)
        assert dialog.ok.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(VoidDialog, "exec", exec_)
    return seen


def test_a_notice_is_voided_and_another_corrected_from_the_outbox(qtbot, demo_store, app_paths, tmp_path,
                                                                  monkeypatch):
    issue_print_batch(demo_store, app_paths.database, app_paths, BatchRequest(3, "emergency", tmp_path / "letters"))
    first, second, *_ = demo_store.list_notices(3)
    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    window.show_page("Outbox & records")
    page = window.pages["Outbox & records"]

    def select(notice_id: int) -> int:
        row = next(r for r in range(page.model.rowCount()) if page.model.row_object(r).id == notice_id)
        page.table.selectRow(row)
        return row

    state_column = next(c for c in range(page.model.columnCount())
                        if page.model.headerData(c, Qt.Orientation.Horizontal) == "State")
    answer_void(monkeypatch, "wrong floor")
    select(first.id)
    page.void_button.click()
    row = select(first.id)
    assert page.model.index(row, state_column).data().startswith("VOID (wrong floor)")
    assert not page.void_button.isEnabled() and not page.correct_button.isEnabled()
    assert demo_store.get_void(first.id).reason == "wrong floor"

    answer_void(monkeypatch, "the date was wrong")
    select(second.id)
    page.correct_button.click()
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT)
    [correction] = [n for n in demo_store.list_notices(3) if n.corrects_notice_id == second.id]
    assert correction.tenant_id == second.tenant_id and correction.kind == "emergency"
    assert demo_store.get_void(second.id).reason == "the date was wrong"
    text = " ".join(PdfReader(archive_dir(app_paths.database) / correction.pdf_path).pages[0].extract_text().split())
    assert "rectifie l'avis" in text and "émis par erreur" in text
    row = select(correction.id)
    assert f"corrects notice {second.id}" in page.model.index(row, state_column).data()
    assert (archive_dir(app_paths.database) / second.pdf_path).is_file()  # the original stays as issued
