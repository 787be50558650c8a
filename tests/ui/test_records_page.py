"""Exporting records from the Outbox & records page, off the GUI thread, to the file the user names."""

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog

from maintdesk.letters.issuing import BatchRequest, issue_print_batch
from ui.pages import records as records_page
from ui.main_window import MainWindow
from ui.pages.records import ExportRecordsDialog

WAIT = 60_000


@pytest.fixture
def issued(demo_store, app_paths, tmp_path):
    """Notices on both properties: the emergency at the Paris building, two letters in Toronto."""
    issue_print_batch(demo_store, app_paths.database, app_paths,
                      BatchRequest(3, "emergency", tmp_path / "letters-3"))
    toronto = frozenset(row.tenant.id for row in demo_store.list_tenants(2)[:2])
    issue_print_batch(demo_store, app_paths.database, app_paths,
                      BatchRequest(2, "initial", tmp_path / "letters-2", tenant_ids=toronto))
    return demo_store.list_notices()


def choose(monkeypatch, kind: str, property_id=None, save_as=None):
    """The user's answers: the export dialog's choices, then the save dialog's path."""
    seen = {}

    def exec_(dialog: ExportRecordsDialog) -> int:
        seen["dialog"] = dialog
        dialog.property.setCurrentIndex(dialog.property.findData(property_id))
        (dialog.csv if kind == "csv" else dialog.zip).setChecked(True)
        return QDialog.DialogCode.Accepted

    def save(parent, caption, suggested, filters, *args, **kwargs):
        seen["suggested"], seen["filters"] = suggested, filters
        return (str(save_as), filters) if save_as else ("", "")

    monkeypatch.setattr(ExportRecordsDialog, "exec", exec_)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    return seen


@pytest.fixture
def page(qtbot, demo_store, app_paths, monkeypatch):
    monkeypatch.setattr(records_page, "show_crash", lambda parent, report: pytest.fail(report))
    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    window.show_page("Outbox & records")
    return window.pages["Outbox & records"]


def test_a_csv_export_writes_one_row_per_notice_issued(qtbot, issued, page, monkeypatch, tmp_path):
    assert page.model.total_count() == len(issued) > 2  # the list keeps the notices' columns
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Issued (UTC)"
    target = tmp_path / "exports" / "for-the-owner"  # no suffix typed: the chosen format's is added
    seen = choose(monkeypatch, "csv", save_as=target)
    page.export_button.click()
    assert seen["suggested"].endswith(f"maintdesk-records-{date.today().isoformat()}.csv")
    assert page.export_button.text() == "Cancel export"  # running in the background
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT)
    written = target.with_name("for-the-owner.csv")
    assert page.last_export.path == written and written.is_file()
    rows = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8-sig"))))
    assert [(int(r["notice_id"]), r["recipient_name"], r["subject"], r["kind"], r["channel"], r["state"])
            for r in rows] == [(n.id, n.recipient_name, n.subject, n.kind, n.channel, n.state) for n in issued]
    assert {r["property_name"] for r in rows} == {"Résidence Les Tilleuls", "Maple Court Apartments"}
    assert all(r["pdf_status"] == "ok" for r in rows)
    message = page.window().statusBar().currentMessage()
    assert message == f"Records exported to {written} ({len(issued)} notices)."
    assert page.export_button.text() == "Export records…"


def test_one_property_as_a_zip_with_the_pdfs_as_issued(qtbot, issued, page, monkeypatch, tmp_path):
    paris = [n for n in issued if n.work_order_id == 3]
    seen = choose(monkeypatch, "zip", property_id=1, save_as=tmp_path / "paris.zip")
    page.export_records()
    assert "maintdesk-records-residence-les-tilleuls-" in seen["suggested"] and seen["filters"] == "ZIP archive (*.zip)"
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT)
    with zipfile.ZipFile(tmp_path / "paris.zip") as archive:
        names = archive.namelist()
        index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert [int(r["notice_id"]) for r in index] == [n.id for n in paris]
    assert sum(name.startswith("notices/") for name in names) == len(paris)
    assert any(name.startswith("proof-of-notice/wo3-") for name in names) and "MANIFEST.sha256" in names
    assert f"({len(paris)} notices, {len(paris)} PDFs, 1 proof-of-notice report)" in \
        page.window().statusBar().currentMessage()


def test_nothing_is_written_when_the_save_dialog_is_cancelled(qtbot, page, monkeypatch, tmp_path):
    choose(monkeypatch, "csv", save_as=None)
    page.export_records()
    assert page.task is None and page.last_export is None and not page.progress.isVisible()


def test_the_dialog_builds_the_filter_and_refuses_a_backwards_range(qtbot, demo_store):
    dialog = ExportRecordsDialog(demo_store.list_properties())
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.record_filter() == records_page.RecordFilter() and dialog.kind() == "zip"
    assert not dialog.date_from.isEnabled()
    dialog.property.setCurrentIndex(dialog.property.findData(2))
    dialog.use_from.setChecked(True)
    dialog.use_to.setChecked(True)
    today = date.today()
    dialog.date_from.setDate(QDate(today + timedelta(days=3)))
    assert not ok.isEnabled() and "after the last day" in dialog.problem.text()
    dialog.date_from.setDate(QDate(today - timedelta(days=3)))
    assert ok.isEnabled() and dialog.problem.text() == ""
    dialog.csv.setChecked(True)
    assert dialog.record_filter() == records_page.RecordFilter(2, today - timedelta(days=3), today)
    assert dialog.kind() == "csv"


def test_an_export_that_fails_says_why_in_a_sentence(qtbot, page, monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr(records_page, "show_error", lambda parent, error, title="": shown.append(error.summary))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    choose(monkeypatch, "csv", save_as=blocker / "records.csv")  # its folder cannot be made
    page.export_records()
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT)
    assert len(shown) == 1 and "Traceback" not in shown[0]
    assert shown[0].startswith(f"The records could not be written to {blocker / 'records.csv'}: ")
    assert shown[0].endswith("Choose another folder.")
    assert page.window().statusBar().currentMessage() == shown[0]


def test_an_export_can_be_cancelled_and_leaves_no_file(qtbot, issued, page, monkeypatch, tmp_path):
    from ui.tasks import runner

    target = tmp_path / "cancelled.zip"
    choose(monkeypatch, "zip", save_as=target)
    page.export_records()
    assert page.export_button.text() == "Cancel export"
    page.export_button.click()  # while the proof-of-notice reports render
    assert page.task is None and page.export_button.text() == "Export records…"
    assert page.window().statusBar().currentMessage() == "Export cancelled."
    assert runner.wait_for_all(WAIT)  # the cancelled task's last report, which reaches nobody
    assert page.last_export is None
    assert not target.exists() and not list(tmp_path.glob("cancelled.zip*"))


def test_a_paper_delivery_is_recorded_and_the_issued_pdf_opens(qtbot, demo_store, app_paths, tmp_path, monkeypatch):
    from maintdesk.letters import issuing
    from ui.pages import records as records_page
    from ui.dialogs.delivery import DeliveryDialog
    from ui.main_window import MainWindow

    tenant = demo_store.list_tenants(1)[0].tenant
    issuing.issue_print_batch(demo_store, app_paths.database, app_paths,
                              issuing.BatchRequest(1, "initial", tmp_path / "out", tenant_ids=frozenset({tenant.id})))
    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    window.show_page("Outbox & records")
    page = window.pages["Outbox & records"]
    page.table.selectRow(0)
    assert page.delivery_button.isEnabled() and page.pdf_button.isEnabled()

    opened = []
    monkeypatch.setattr(records_page.PdfPreviewDialog, "exec", lambda self: opened.append(self.document.pageCount()))
    page.open_pdf()
    assert opened == [1]

    def fill_and_save(dialog):
        dialog.method.setCurrentText("under the door")
        dialog.by.setText("Marc (caretaker)")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(DeliveryDialog, "exec", fill_and_save)
    page.record_delivery()
    [notice] = demo_store.list_notices(1)
    assert (notice.state, notice.delivery_method, notice.delivered_by) == ("delivered", "under the door", "Marc (caretaker)")
    assert notice.delivered_at is not None
    assert "delivered (under the door)" in page.proxy.index(0, 6).data()


def test_a_failed_email_is_resent_from_the_outbox(qtbot, demo_store, app_paths, loopback_smtp):
    from maintdesk.mail import settings as mail_settings, outbox
    from ui.main_window import MainWindow

    server, port = loopback_smtp
    server.refuse = True
    settings = mail_settings.SmtpSettings(host="127.0.0.1", port=port, security="none")
    mail_settings.save(app_paths, settings)
    tenant = next(r.tenant for r in demo_store.list_tenants(2) if r.tenant.channel == "email")
    outbox.run(outbox.iter_email_batch(demo_store, app_paths.database, app_paths,
                                       outbox.EmailRequest(2, "initial", tenant_ids=frozenset({tenant.id})),
                                       settings))
    [failed] = [n for n in demo_store.list_notices(2) if n.channel == "email"]
    assert failed.state == "failed"
    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    window.show_page("Outbox & records")
    page = window.pages["Outbox & records"]
    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 3).data() == tenant.name)
    page.table.selectRow(row)
    assert page.resend_button.isEnabled()
    server.refuse = False
    page.resend()
    qtbot.waitUntil(lambda: page.task is None, timeout=30_000)
    assert server.received == [tenant.email]
    assert demo_store.get_notice(failed.id).state == "sent"


def shown(page) -> list[int]:
    return [page.model.row_object(row).id for row in range(page.model.rowCount())]


def test_the_list_shows_one_building_one_channel_or_what_needs_attention(qtbot, issued, page, demo_store):
    toronto = [n.id for n in issued if n.work_order_id == 2]
    assert sorted(shown(page)) == sorted(n.id for n in issued)
    page.property_filter.setCurrentIndex(page.property_filter.findText("Maple Court Apartments"))
    assert sorted(shown(page)) == sorted(toronto) and page.count.text().startswith(str(len(toronto)))
    page.channel_filter.setCurrentIndex(page.channel_filter.findData("email"))
    assert shown(page) == []   # these were printed
    page.channel_filter.setCurrentIndex(0)
    page.state_filter.setCurrentIndex(page.state_filter.findData("attention"))
    assert shown(page) == []
    demo_store.update_notice_state(toronto[0], "failed", error="550 mailbox unknown")
    page.refresh()
    assert shown(page) == [toronto[0]]
    page.property_filter.setCurrentIndex(page.property_filter.findText("Résidence Les Tilleuls"))
    assert shown(page) == []
    page.property_filter.setCurrentIndex(0)
    page.state_filter.setCurrentIndex(page.state_filter.findData("generated"))
    assert toronto[0] not in shown(page) and len(shown(page)) == len(issued) - 1


def test_a_building_added_later_can_be_chosen(qtbot, page, demo_store):
    from maintdesk.records.models import Property

    demo_store.save_property(Property(name="Les Lilas", address_line1="2 rue des Lilas", postal_code="75020",
                                      city="Paris", country="FR", jurisdiction="FR", timezone="Europe/Paris"))
    page.refresh()
    assert page.property_filter.findText("Les Lilas") > 0
