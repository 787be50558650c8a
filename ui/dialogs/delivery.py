"""Recording how a printed notice reached the tenant: the proof that notice was given.

The notice itself never changes; only its delivery fields are filled in (state `delivered`).
"""

from __future__ import annotations

import getpass
from datetime import datetime, timezone

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox, QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget,
)

from maintdesk.errors import UserFacingError
from maintdesk.records.models import Notice
from maintdesk.records.store import Store
from ui.messages import show_error

METHODS = ("hand-delivered", "under the door", "mailed", "registered letter")


class DeliveryDialog(QDialog):
    def __init__(self, store: Store, notice: Notice, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.notice = store, notice
        self.setWindowTitle("Record delivery")
        self.method = QComboBox()
        self.method.addItems(METHODS)
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.by = QLineEdit(getpass.getuser())
        about = QLabel(f"{notice.recipient_name}: {notice.subject}")
        about.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(about)
        form.addRow("How:", self.method)
        form.addRow("When:", self.when)
        form.addRow("By:", self.by)
        form.addRow(buttons)

    def save(self) -> None:
        moment = datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), timezone.utc)
        by = self.by.text().strip()
        if not by:
            self.by.setPlaceholderText("say who delivered it")
            self.by.setFocus()
            return
        try:
            self.store.update_notice_state(self.notice.id, "delivered", delivered_at=moment,
                                           delivery_method=self.method.currentText(), delivered_by=by)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.accept()
