"""The Outbox & records page: every issued notice, and the export of records for owners and courts."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QLabel, QMainWindow, QMessageBox, QProgressBar, QRadioButton, QVBoxLayout, QWidget,
)

from maintdesk.i18n import english
from maintdesk.errors import UserFacingError
from maintdesk.records.models import NOTICE_STATES, Notice, NoticeVoid, Property
from maintdesk.records.notice_filter import ATTENTION, NoticeFilter
from maintdesk.paths import AppPaths
from maintdesk.archive.export import ExportResult, RecordFilter, export_task
from maintdesk.slugs import slug
from maintdesk.records.store import Store
from maintdesk.mail import outbox
from maintdesk.notices.corrections import void_notices
from maintdesk.timeutil import utc_now
from maintdesk.letters.issuing import archive_dir
from ui.dialogs.delivery import DeliveryDialog
from ui.dialogs.void import VoidDialog
from ui.tasks.email_sending import smtp_and_password
from ui.pages.list_page import ListPage
from ui.widgets.pdf_preview import PdfPreviewDialog
from ui.messages import show_crash, show_error
from ui.models.table_model import Column
from ui.tasks.issuing import Corrected, correct_task
from ui.tasks.channel_tasks import saved_provider, sms_outbox_task, sms_summary
from ui.tasks.runner import Task, start


def state_text(notice: Notice, void: NoticeVoid | None) -> str:
    """What the Outbox says of a notice: voided first, an .eml file as exported, a letter with how it went."""
    if notice.channel == "eml" and notice.state == "generated":
        state = "exported (.eml file)"
    else:
        state = notice.state + (f" ({notice.delivery_method})" if notice.delivery_method and notice.channel == "print"
                                else "")
    if notice.state == "failed" and (notice.channel == "sms" or notice.error.startswith("bounced")):
        state += f": {notice.error}"  # an SMS refused or undelivered, an email that bounced: why
    if notice.corrects_notice_id is not None:
        state += f", corrects notice {notice.corrects_notice_id}"
    if void is not None:
        return f"VOID ({void.reason}) — was {state}"
    return state


def notice_columns(voids: Callable[[], dict[int, NoticeVoid]]) -> list[Column[Notice]]:
    return [
        Column("Issued (UTC)", lambda n: n.created_at.strftime("%Y-%m-%d %H:%M") if n.created_at else ""),
        Column("Work order", lambda n: n.work_order_id, align_right=True),
        Column("Kind", lambda n: n.kind),
        Column("Recipient", lambda n: n.recipient_name + (f" ({n.recipient_phone})" if n.recipient_phone else "")),
        Column("Channel", lambda n: n.channel),
        Column("Notice", lambda n: n.id, align_right=True),
        Column("State", lambda n: state_text(n, voids().get(n.id))),
        Column("Subject", lambda n: n.subject),
    ]


class ExportRecordsDialog(QDialog):
    """Which notices to export (a property or all, the days they were issued) and in which form."""

    def __init__(self, properties: list[Property], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export records")
        self.property = QComboBox()
        self.property.addItem("All properties", None)
        for prop in properties:
            self.property.addItem(prop.name, prop.id)
        today = QDate.currentDate()
        self.use_from, self.date_from = QCheckBox("From"), QDateEdit(today.addMonths(-1))
        self.use_to, self.date_to = QCheckBox("to"), QDateEdit(today)
        dates = QHBoxLayout()
        for check, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._check)
            edit.dateChanged.connect(self._check)
            dates.addWidget(check)
            dates.addWidget(edit)
        dates.addStretch(1)
        self.zip = QRadioButton("ZIP: the PDFs as issued, the index, a proof-of-notice report per work order "
                                "and a SHA-256 manifest")
        self.csv = QRadioButton("CSV: the index only, one row per notice (opens in a spreadsheet)")
        self.zip.setChecked(True)
        self.kinds = QButtonGroup(self)
        self.kinds.addButton(self.zip)
        self.kinds.addButton(self.csv)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        hint = QLabel("Days are those on which the notices were issued, in each building's time zone; "
                      "leave a box unticked for no limit.")
        hint.setWordWrap(True)
        hint.setObjectName("pageHint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Property:", self.property)
        form.addRow("Issued:", dates)
        form.addRow("", hint)
        form.addRow("Format:", self.zip)
        form.addRow("", self.csv)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        flt = self.record_filter()
        wrong = bool(flt.date_from and flt.date_to and flt.date_from > flt.date_to)
        self.problem.setText("The first day is after the last day: change one of them." if wrong else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not wrong)

    def record_filter(self) -> RecordFilter:
        def day(check: QCheckBox, edit: QDateEdit) -> date | None:
            return edit.date().toPython() if check.isChecked() else None

        return RecordFilter(self.property.currentData(), day(self.use_from, self.date_from),
                            day(self.use_to, self.date_to))

    def kind(self) -> str:
        return "csv" if self.csv.isChecked() else "zip"


class RecordsPage(ListPage):
    def __init__(self, store: Store, db_path: Path, paths: AppPaths, parent: QWidget | None = None):
        self.voided: dict[int, NoticeVoid] = {}
        self.correcting: Notice | None = None
        super().__init__("Outbox & records", notice_columns(lambda: self.voided), lambda: self._shown_notices(),
                         parent=parent, hint="Every issued notice, kept unchanged: what was sent, to whom, when and how.")
        self.store, self.db_path, self.paths = store, db_path, paths
        self.property_filter = QComboBox()
        self.property_filter.setToolTip("Only the notices of one building")
        self.channel_filter = QComboBox()
        for text, value in (("All channels", None), ("Printed letters", "print"), ("Emails", "email"), ("SMS", "sms")):
            self.channel_filter.addItem(text, value)
        self.state_filter = QComboBox()
        self.state_filter.addItem("All states", None)
        self.state_filter.addItem("Needs attention (failed, unknown, waiting)", ATTENTION)
        for state in NOTICE_STATES:
            self.state_filter.addItem(state.capitalize(), state)
        self._fill_properties()
        for combo in (self.property_filter, self.channel_filter, self.state_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.add_filters([QLabel("Show:"), self.property_filter, self.channel_filter, self.state_filter])
        self.task: Task | None = None
        self.last_export: ExportResult | None = None
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setMaximumWidth(240)
        self.export_button = self.make_button(
            "Export records…", "The issued notices as a ZIP (PDFs, index, proof of notice) or a CSV index",
            self.export_records)
        self.pdf_button = self.make_button("Open PDF", "The letter exactly as it was issued", self.open_pdf)
        self.delivery_button = self.make_button(
            "Record delivery…", "How and when the printed notice reached the tenant, and by whom", self.record_delivery)
        self.resend_button = self.make_button(
            "Resend email", "Send a failed, queued or unknown email notice again, as it was issued", self.resend)
        self.void_button = self.make_button(
            "Void…", "Declare the notice void (it stays in the archive, marked void, with your reason)", self.void)
        self.correct_button = self.make_button(
            "Correct…", "Issue a correction to the same tenant, then void this notice", self.correct)
        self.sms_button = self.make_button(
            "SMS: send queued, check delivery", "Ask the SMS provider what became of the SMS sent, and send the "
            "queued ones (never one the provider already has)", self.sms_outbox)
        self.add_button_bar(right=(self.progress, self.sms_button, self.resend_button, self.pdf_button, self.delivery_button,
                                   self.void_button, self.correct_button, self.export_button), hint_on_left=True)

    def notice_filter(self) -> NoticeFilter:
        return NoticeFilter(self.property_filter.currentData(), self.channel_filter.currentData(),
                            self.state_filter.currentData())

    def _shown_notices(self) -> list[Notice]:
        self._fill_properties()
        self.voided = self.store.voids()
        property_of_work = {w.id: w.property_id for w in self.store.list_work_orders()}
        return self.notice_filter().apply(self.store.list_notices(), property_of_work)

    def _fill_properties(self) -> None:
        """The buildings as they are now, keeping the one chosen (if it still exists)."""
        chosen = self.property_filter.currentData()
        properties = [(p.name, p.id) for p in self.store.list_properties()]
        current = [(self.property_filter.itemText(i), self.property_filter.itemData(i))
                   for i in range(1, self.property_filter.count())]
        if properties == current and self.property_filter.count():
            return
        self.property_filter.blockSignals(True)
        self.property_filter.clear()
        self.property_filter.addItem("All properties", None)
        for name, ident in properties:
            self.property_filter.addItem(name, ident)
        self.property_filter.setCurrentIndex(max(0, self.property_filter.findData(chosen)))
        self.property_filter.blockSignals(False)

    def update_buttons(self) -> None:
        notice: Notice | None = self.selected()
        self.pdf_button.setEnabled(bool(notice and notice.pdf_path))
        self.delivery_button.setEnabled(bool(notice and notice.channel == "print"))
        live = bool(notice and notice.id not in self.voided)
        self.resend_button.setEnabled(live and notice.channel == "email"
                                      and notice.state in ("failed", "queued", "unknown") and self.task is None)
        self.void_button.setEnabled(live)
        self.correct_button.setEnabled(live and notice.tenant_id is not None and self.task is None)
        self.sms_button.setEnabled(self.task is None)

    def void(self) -> None:
        notice: Notice | None = self.selected()
        if notice is None:
            return
        dialog = self._void_dialog(notice, correcting=False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            void_notices(self.store, [notice.id], dialog.reason.text().strip(), dialog.by.text().strip())
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.refresh()
        self._message(f"Notice {notice.id} to {notice.recipient_name} is void; it stays in the archive.")

    def correct(self) -> None:
        notice: Notice | None = self.selected()
        if notice is None:
            return
        dialog = self._void_dialog(notice, correcting=True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        delivery = dialog.delivery()
        if delivery is None:
            return
        self.task = correct_task(self.store.location, self.paths, [notice.id], dialog.reason.text().strip(),
                                 dialog.by.text().strip(), dialog.print_dir, delivery)
        self.correcting = notice
        self.task.signals.finished.connect(self._corrected)
        self.task.signals.failed.connect(self._failed)
        self.task.signals.crashed.connect(self._crashed)
        self.update_buttons()
        self._message(f"Issuing the correction of notice {notice.id}…")
        start(self.task)

    def _void_dialog(self, notice: Notice, correcting: bool) -> VoidDialog:
        stamp = utc_now().strftime("%Y%m%d-%H%M%S")
        return VoidDialog(notice, correcting, self.paths, getpass.getuser(),
                          self.paths.data_dir / "letters" / f"corrections-{stamp}",
                          self.paths.data_dir / "emails" / f"corrections-{stamp}", self)

    def _corrected(self, result: Corrected) -> None:
        if not self._current():
            return
        notice_id = self.correcting.id if self.correcting else ""
        printed = [o.printed.merged_path or o.printed.files[0] for o in result.outcomes if o.printed]
        self._done(f"Notice {notice_id} corrected and void."
                   + (f" The corrected letter to print: {printed[0]}" if printed else ""))
        self.refresh()

    def resend(self) -> None:
        notice: Notice | None = self.selected()
        if notice is None:
            return
        if notice.state == "unknown" and QMessageBox.question(
                self, "Resend email", f"It is not known whether {notice.recipient_name} received this email "
                "(the connection broke after it was handed over). Send it again anyway?"
        ) != QMessageBox.StandardButton.Yes:
            return
        try:
            settings, password = smtp_and_password(self, self.paths)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        database, db_path = self.store.location, self.db_path

        def work() -> Iterator[Any]:
            store = Store.open(database, create=False)
            try:
                yield from outbox.iter_retry(store, db_path, settings, password, [notice.id])
            finally:
                store.close()

        self.task = Task(work, lambda event: isinstance(event, outbox.SendReport))
        self.task.signals.finished.connect(self._resent)
        self.task.signals.failed.connect(self._failed)
        self.task.signals.crashed.connect(self._crashed)
        self.update_buttons()
        self._message(f"Sending notice {notice.id} again through {settings.where}…")
        start(self.task)

    def sms_outbox(self) -> None:
        try:
            self.task = sms_outbox_task(self.store.location, saved_provider(self.paths))
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.task.signals.finished.connect(lambda result: self._done(sms_summary(*result)) if self._current() else None)
        self.task.signals.failed.connect(self._failed)
        self.task.signals.crashed.connect(self._crashed)
        self.update_buttons()
        self._message("Asking the SMS provider…")
        start(self.task)

    def _resent(self, report: outbox.SendReport) -> None:
        if not self._current():
            return
        self._done("Sent." if report.sent else f"Not sent: {len(report.failed)} refused, {len(report.unknown)} unknown.")
        self.refresh()

    def open_pdf(self) -> None:
        notice: Notice | None = self.selected()
        if notice is None or not notice.pdf_path:
            return
        path = archive_dir(self.db_path) / notice.pdf_path
        if not path.is_file():
            QMessageBox.warning(self, "MaintDesk", f"The archived PDF is missing: {path}")
            return
        PdfPreviewDialog(path, f"{notice.recipient_name} — {notice.subject}", self).exec()

    def record_delivery(self) -> None:
        notice: Notice | None = self.selected()
        if notice is not None and DeliveryDialog(self.store, notice, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self._message(f"Delivery of notice {notice.id} to {notice.recipient_name} recorded.")

    def export_records(self) -> None:
        if self.task is not None:  # the button reads "Cancel export" while one runs
            self.task.cancel()
            self._done("Export cancelled.")
            return
        dialog = ExportRecordsDialog(self.store.list_properties(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        flt, kind = dialog.record_filter(), dialog.kind()
        name = "maintdesk-records"
        if flt.property_id is not None:
            name += "-" + slug(self.store.get_property(flt.property_id).name)
        name += f"-{date.today().isoformat()}.{kind}"
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export records", str(Path(folder) / name),
            "ZIP archive (*.zip)" if kind == "zip" else "CSV file (*.csv)")
        if not chosen:
            return
        out = Path(chosen)
        if out.suffix.lower() != f".{kind}":
            out = out.with_name(f"{out.name}.{kind}")
        self.start_export(out, flt)

    def start_export(self, out: Path, flt: RecordFilter) -> None:
        database, paths = self.store.location, self.paths

        def work() -> Iterator[Any]:
            try:
                yield from export_task(database, paths, out, flt)
            except OSError as exc:  # the disk, not a bug: a full disk, a folder that cannot be made
                raise UserFacingError(f"The records could not be written to {out}: {exc.strerror or exc}. "
                                      "Choose another folder.") from None

        self.task = Task(work, lambda e: isinstance(e, ExportResult))
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._finished)
        self.task.signals.failed.connect(self._failed)
        self.task.signals.crashed.connect(self._crashed)
        self.export_button.setText("Cancel export")
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self._message(f"Exporting records to {out}…")
        start(self.task)

    def _current(self) -> bool:
        return self.task is not None and self.sender() is self.task.signals

    def _progress(self, done: int, total: int) -> None:
        if self._current():
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

    def _finished(self, result: ExportResult) -> None:
        if not self._current():
            return
        self.last_export = result
        what = english(result.notices, "{n} notice", "{n} notices")
        if result.format == "zip":
            what += (", " + english(result.pdfs, "{n} PDF", "{n} PDFs") + ", "
                     + english(len(result.reports), "{n} proof-of-notice report", "{n} proof-of-notice reports"))
        self._done(f"Records exported to {result.path} ({what}).")
        if result.problems:
            box = QMessageBox(QMessageBox.Icon.Warning, "Export records",
                              english(len(result.problems),
                                      "{n} archived PDF is missing or differs from what was issued; the index "
                                      "marks it in its pdf_status column.",
                                      "{n} archived PDFs are missing or differ from what was issued; the index "
                                      "marks them in its pdf_status column."), parent=self)
            box.setDetailedText("\n".join(result.problems))
            box.open()

    def _failed(self, error: UserFacingError) -> None:
        if self._current():
            self._done(error.summary)
            show_error(self, error, "Export records")

    def _crashed(self, report: str) -> None:
        if self._current():
            self._done("The export failed; see the report.")
            show_crash(self, report)

    def _done(self, message: str) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.export_button.setText("Export records…")
        self._message(message)

    def _message(self, text: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text)
