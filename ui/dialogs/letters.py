"""Generate the letters of a work order: choose, render off the GUI thread, preview, print."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pikepdf

from PySide6.QtCore import QPointF, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QListWidget, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit,
    QProgressBar, QPushButton, QVBoxLayout, QWidget,
)

from maintdesk.letters import issuing
from maintdesk.mail import outbox
from maintdesk.errors import UserFacingError
from maintdesk.records.models import NOTICE_KINDS, WorkOrder, pick_text
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from ui.tasks.email_sending import email_task, outcome_text, smtp_and_password
from ui.messages import show_crash, show_error
from ui.widgets.printing import print_pdf
from ui.tasks.runner import Task, start

KIND_LABELS = {
    "initial": "Initial notice", "reminder": "Reminder (24 h before)", "final-reminder": "Final reminder (same day)",
    "emergency": "Emergency notice", "update": "Progress update", "postponed": "Postponement", "cancelled": "Cancellation",
    "completed": "Completion",
}


def pdf_page_count(path: Path) -> int:
    with pikepdf.open(path) as document:
        return len(document.pages)


class LettersDialog(QDialog):
    def __init__(self, db_path: Path, paths: AppPaths, work: WorkOrder, language: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path, self.paths, self.work = db_path, paths, work
        self.task: Task | None = None
        self.batch: issuing.IssuedBatch | None = None
        self.setWindowTitle(f"Letters — {pick_text(work.title, language)}")
        self.resize(900, 760)

        self.kind = QComboBox()
        for kind in NOTICE_KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.setCurrentIndex(NOTICE_KINDS.index(self.suggested_kind()))
        self.language = QComboBox()
        self.language.addItem("Each tenant's language", None)
        self.language.addItem("English", "en")
        self.language.addItem("French", "fr")
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
        self.out_dir = paths.data_dir / "letters" / f"wo{work.id}-{stamp}"
        folder = QLabel(str(self.out_dir))
        folder.setWordWrap(True)

        # The text of a progress update, written here: it is the news the letter carries.
        self.message_en, self.message_fr = QPlainTextEdit(), QPlainTextEdit()
        for box, placeholder in ((self.message_en, "What has happened since the last notice (English)"),
                                 (self.message_fr, "Ce qui s'est passé depuis le dernier avis (français)")):
            box.setPlaceholderText(placeholder)
            box.setMaximumHeight(70)
            box.textChanged.connect(self._update_generate)

        form = QFormLayout()
        self.form = form
        form.addRow("Notice:", self.kind)
        form.addRow("Language:", self.language)
        form.addRow("Update (English):", self.message_en)
        form.addRow("Update (French):", self.message_fr)
        form.addRow("Saved in:", folder)
        self.kind.currentIndexChanged.connect(self._update_generate)

        self.generate = QPushButton("Generate letters")
        self.generate.setDefault(True)
        self.generate.clicked.connect(self.start_generation)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.print_button = QPushButton("Print…")
        self.print_button.clicked.connect(self.print_letters)
        self.save_button = QPushButton("Save PDF…")
        self.save_button.setToolTip("Save a copy of the letters to print as one PDF file")
        self.save_button.clicked.connect(self.save_pdf)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save_pdf)
        self.open_button = QPushButton("Open folder")
        self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.out_dir))))
        for button in (self.print_button, self.save_button, self.open_button):
            button.setEnabled(False)
        self.email_button = QPushButton("Send email…")
        self.email_button.setToolTip("Email the notice to tenants who prefer email; print it for the others")
        self.email_button.clicked.connect(self.send_email)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        actions = QHBoxLayout()
        actions.addWidget(self.generate)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.email_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.save_button)
        actions.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        self.recipients = QListWidget()
        self.recipients.setMaximumWidth(260)
        self.recipients.setToolTip("Click a tenant to see their letter")
        self.recipients.currentRowChanged.connect(self.show_recipient)
        preview = QHBoxLayout()
        preview.addWidget(self.recipients)
        preview.addWidget(self.view, 1)
        layout.addLayout(preview, 1)
        layout.addWidget(buttons)
        self._update_generate()

    def message(self) -> dict[str, str]:
        if self.kind.currentData() != "update":
            return {}
        texts = {"en": self.message_en.toPlainText().strip(), "fr": self.message_fr.toPlainText().strip()}
        return {lang: text for lang, text in texts.items() if text}

    def _update_generate(self) -> None:
        """The update boxes show for a progress update only, and one of them must be filled first."""
        is_update = self.kind.currentData() == "update"
        for box in (self.message_en, self.message_fr):
            self.form.setRowVisible(box, is_update)
        ready = self.task is None and (not is_update or bool(self.message()))
        self.generate.setEnabled(ready)
        self.email_button.setEnabled(ready)
        if is_update and not self.message():
            self.generate.setToolTip("Write the update (in English, French or both) first")
        else:
            self.generate.setToolTip("")

    def suggested_kind(self) -> str:
        """The message the work order's state calls for: its status first, then emergency or initial."""
        by_status = {"completed": "completed", "cancelled": "cancelled", "postponed": "postponed"}
        if self.work.status in by_status:
            return by_status[self.work.status]
        return "emergency" if self.work.emergency else "initial"

    def start_generation(self) -> None:
        request = issuing.BatchRequest(
            work_order_id=self.work.id, kind=self.kind.currentData(), out_dir=self.out_dir,
            language=self.language.currentData(), message=self.message(),
        )
        db_path, paths = self.db_path, self.paths

        def work():
            store = Store.open(db_path, create=False)  # the worker's own connection
            try:
                yield from issuing.iter_issue_print_batch(store, db_path, paths, request)
            finally:
                store.close()

        self.task = Task(work, lambda event: isinstance(event, issuing.IssuedBatch))
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._finished)
        self.task.signals.failed.connect(self._failed)
        self.task.signals.crashed.connect(self._crashed)
        self.generate.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText("Rendering letters…")
        start(self.task)

    def send_email(self) -> None:
        try:
            settings, password = smtp_and_password(self, self.paths)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        kind = self.kind.currentData()
        request = outbox.EmailRequest(work_order_id=self.work.id, kind=kind, language=self.language.currentData(),
                                      print_dir=self.out_dir, message=self.message(),
                                      again=kind == "update")  # every update is a new one
        self.task = email_task(self.db_path, self.paths, request, settings, password)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._emailed)
        self.task.signals.failed.connect(self._failed)
        self.task.signals.crashed.connect(self._crashed)
        self.generate.setEnabled(False)
        self.email_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText(f"Sending through {settings.where}…")
        start(self.task)

    def _emailed(self, outcome: outbox.EmailOutcome) -> None:
        self._reset()
        self.status.setText(outcome_text(outcome))
        if outcome.printed and outcome.printed.merged_path:
            self.batch = outcome.printed
            self.document.load(str(outcome.printed.merged_path))
            self.print_button.setEnabled(True)
            self.save_button.setEnabled(True)
            self.open_button.setEnabled(True)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(f"Working… {done} of {total}")

    def _finished(self, batch: issuing.IssuedBatch) -> None:
        self.batch = batch
        self._reset()
        self.status.setText(
            f"{len(batch.notices)} letters issued and archived ({batch.merged_pages} pages to print)."
        )
        if batch.merged_path:
            self.document.load(str(batch.merged_path))
        self.list_recipients(batch)
        self.print_button.setEnabled(batch.merged_path is not None)
        self.save_button.setEnabled(batch.merged_path is not None)
        self.open_button.setEnabled(True)

    def list_recipients(self, batch: issuing.IssuedBatch) -> None:
        """One line per tenant, remembering where their letter starts in the print file."""
        self.recipients.clear()
        self.first_pages: list[int] = []
        page = 0
        for notice, path in zip(batch.notices, batch.files):
            self.first_pages.append(page)
            page += pdf_page_count(path)
            self.recipients.addItem(f"{notice.recipient_name} ({notice.language})")

    def show_recipient(self, row: int) -> None:
        if 0 <= row < len(getattr(self, "first_pages", [])):
            self.view.pageNavigator().jump(self.first_pages[row], QPointF(0, 0))

    def _failed(self, error) -> None:
        self._reset()
        self.status.setText(error.summary)
        show_error(self, error)

    def _crashed(self, report: str) -> None:
        self._reset()
        show_crash(self, report)

    def _reset(self) -> None:
        self.task = None
        self.progress.setVisible(False)
        self._update_generate()

    def print_letters(self) -> None:
        if self.batch and self.batch.merged_path:
            print_pdf(self, self.document)

    def save_pdf(self) -> None:
        """A copy of the merged print file wherever the user chooses (Documents by default)."""
        merged = self.batch.merged_path if self.batch else None
        if merged is None or not Path(merged).exists():
            return
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        default = Path(documents or Path.home()) / Path(merged).name
        chosen, _filter = QFileDialog.getSaveFileName(self, "Save letters as PDF", str(default), "PDF files (*.pdf)")
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            shutil.copyfile(merged, target)
        except OSError as exc:
            self.status.setText(f"Could not save the PDF to {target}: {exc.strerror or exc}")
            return
        self.status.setText(f"Letters saved to {target}")

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
        super().reject()
