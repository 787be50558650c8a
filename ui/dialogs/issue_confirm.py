"""The confirmation before a notice is issued: what will happen, and how the emails leave.

Nothing is archived before the manager reads, in sentences, how many letters will be printed and
how many emails sent (per language), what the checks say, and where the emails go: through the
office's server, or, with none set up, into .eml files to open in the office's mail program.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from maintdesk.errors import UserFacingError
from maintdesk.letters.gates import LIVE, refusal
from maintdesk.mail import settings as mail_settings
from maintdesk.notices.issue import Delivery
from maintdesk.notices.plan import IssuePlan
from maintdesk.paths import AppPaths
from maintdesk.timeutil import utc_now
from ui.labels import STATUS_LABELS
from ui.tasks.email_sending import email_delivery, eml_note


class IssueConfirmDialog(QDialog):
    def __init__(self, plan: IssuePlan, paths: AppPaths, eml_dir: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.plan, self.paths, self.eml_dir = plan, paths, eml_dir
        self.setWindowTitle("Issue the notice")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel("<b>Issue this notice?</b> Once issued it is archived as a legal record "
                         "and can only be voided or corrected, never edited.")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.new_status = status_step(plan)
        self.can_mark = self.new_status is not None
        lines = plan.lines(show_refusal=not self.can_mark)
        if self.new_status is not None:
            lines.append(f"Work order {plan.work.id} is {STATUS_LABELS[plan.work.status].lower()}: this notice needs "
                         f"it {STATUS_LABELS[self.new_status].lower()}.")
        self.summary = QLabel("\n".join(f"•  {for_the_window(line)}" for line in lines))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.mark_completed = QCheckBox(f"Mark work order {plan.work.id} as "
                                        f"{STATUS_LABELS.get(self.new_status or '', '').lower()} now")
        self.mark_completed.setVisible(self.can_mark)
        self.mark_completed.toggled.connect(self._update)
        layout.addWidget(self.mark_completed)

        self.settings: mail_settings.SmtpSettings | None = None
        self.email_note = QLabel()
        self.email_note.setWordWrap(True)
        self.change_folder = QPushButton("Change folder…")
        self.change_folder.clicked.connect(self._choose_folder)
        if plan.emails:
            try:
                self.settings = mail_settings.load(paths)
            except UserFacingError as exc:
                self.email_note.setText(exc.summary)
            email_row = QHBoxLayout()
            email_row.addWidget(self.email_note, 1)
            email_row.addWidget(self.change_folder)
            layout.addLayout(email_row)
        self.change_folder.setVisible(bool(plan.emails) and self.settings is None)
        self._describe_email()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.issue_button = self.buttons.addButton("Issue", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()

    def _describe_email(self) -> None:
        if not self.plan.emails:
            return
        if self.settings is not None:
            self.email_note.setText(f"Emails go through {self.settings.where}.")
        else:
            self.email_note.setText(eml_note(self.eml_dir))

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Save the emails in", str(self.eml_dir.parent))
        if chosen:
            self.eml_dir = Path(chosen)
            self._describe_email()

    def _update(self) -> None:
        self.issue_button.setEnabled(self.allowed())
        self.issue_button.setDefault(self.allowed())

    def allowed(self) -> bool:
        plan = self.plan
        if plan.blocked is not None or plan.email_problem is not None or not (plan.letters or plan.emails):
            return False
        return plan.refusal is None or (self.can_mark and self.mark_completed.isChecked())

    def delivery(self) -> Delivery | None:
        """How the emails leave (asks for the server's password if needed); None when the user gives up."""
        if not self.plan.emails:
            return Delivery()
        return email_delivery(self, self.settings, self.eml_dir)


def status_step(plan: IssuePlan) -> str | None:
    """The status change that makes the notice fit, offered with the confirmation: a draft work order
    scheduled, work under way marked completed for its completion notice. None: none is needed or none helps."""
    work = plan.work
    if plan.refusal is None:
        return None
    if work.status == "draft":
        wanted = "scheduled"
    elif plan.kind == "completed" and work.status in LIVE:
        wanted = "completed"
    else:
        return None
    return wanted if refusal(replace(work, status=wanted), plan.kind, utc_now()) is None else None


def for_the_window(text: str) -> str:
    """A core sentence without its command-line hint (the window has its own buttons for it)."""
    return re.sub(r" ?\(`maintdesk [^`]*`\)", "", text)


def confirm_issue(parent: QWidget, plan: IssuePlan, paths: AppPaths, eml_dir: Path) -> tuple[Delivery, str | None] | None:
    """Shows the confirmation; (how emails leave, the status to set first or None) or None when cancelled."""
    dialog = IssueConfirmDialog(plan, paths, eml_dir, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    delivery = dialog.delivery()
    if delivery is None:
        return None
    return delivery, dialog.new_status if dialog.mark_completed.isChecked() else None
