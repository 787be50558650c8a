"""Voiding an issued notice, or voiding it and issuing its correction.

An issued notice is never edited or deleted: a void records why, who and when, and the notice
stays in the archive as it was issued. A correction is made from the work order as it is now,
goes to the same tenant on the channel the original took, and names the notice it corrects.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from maintdesk.errors import UserFacingError
from maintdesk.mail import settings as mail_settings
from maintdesk.notices.issue import Delivery
from maintdesk.paths import AppPaths
from maintdesk.records.models import Notice
from ui.tasks.email_sending import email_delivery, eml_note


class VoidDialog(QDialog):
    def __init__(self, notice: Notice, correcting: bool, paths: AppPaths, user: str, print_dir: Path, eml_dir: Path,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.notice, self.correcting, self.print_dir, self.eml_dir = notice, correcting, print_dir, eml_dir
        self.settings: mail_settings.SmtpSettings | None = None
        self.setWindowTitle("Void and correct the notice" if correcting else "Void the notice")
        self.setMinimumWidth(520)
        what = f"notice {notice.id} ({notice.kind}, {notice.channel}) to {notice.recipient_name}"
        if correcting:
            text = (f"A correction of {what} is issued now, made from the work order as it is today, on the same "
                    f"channel; it says which notice it corrects. Then notice {notice.id} is voided. "
                    f"Both stay in the archive.")
        else:
            text = (f"Void {what}? It stays in the archive exactly as issued, marked void with your reason. "
                    "The tenant is not told: issue a correction for that.")
        explanation = QLabel(text)
        explanation.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why, for the record (e.g. wrong date)")
        self.by = QLineEdit(user)
        form = QFormLayout(self)
        form.addRow(explanation)
        form.addRow("Reason:", self.reason)
        form.addRow("By:", self.by)
        self.email_note = QLabel()
        self.email_note.setWordWrap(True)
        if correcting and notice.channel != "print":
            try:
                self.settings = mail_settings.load(paths)
            except UserFacingError as exc:
                self.email_note.setText(exc.summary)
            else:
                self.email_note.setText(f"The correction goes by email through {self.settings.where}."
                                        if self.settings else eml_note(eml_dir))
            form.addRow(self.email_note)
        elif correcting:
            form.addRow(QLabel(f"The corrected letter is saved in {print_dir}, ready to print."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton("Void and issue the correction" if correcting else "Void",
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for edit in (self.reason, self.by):
            edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.reason.text().strip() and self.by.text().strip()))

    def delivery(self) -> Delivery | None:
        if not self.correcting or self.notice.channel == "print":
            return Delivery()
        return email_delivery(self, self.settings, self.eml_dir)
