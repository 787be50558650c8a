"""Record a unit's written agreement to a visit outside the lawful days or hours, or its withdrawal.

Opened from the checks (ui/dialogs/checks.py) on a finding about the days or hours of entry. The
store refuses what it cannot keep (no note, a unit the work does not affect); the dialog then stays
open with what was typed.
"""

from __future__ import annotations

import getpass

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from maintdesk.records.agreements import EntryAgreement
from maintdesk.errors import UserFacingError
from maintdesk.records.models import Unit
from maintdesk.records.store import Store
from ui.messages import show_error


class AgreementDialog(QDialog):
    def __init__(self, store: Store, work_order_id: int, units: list[Unit], finding_message: str, *,
                 withdraw: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.work_order_id, self.withdraw = store, work_order_id, withdraw
        self.setWindowTitle("Agreement withdrawn" if withdraw else "Tenant agreed")
        self.setMinimumWidth(520)
        intro = QLabel(("Which unit's tenant took the agreement back? The law's days and hours apply to "
                        "that visit again." if withdraw else
                        "Which unit's tenant agreed in writing to this visit? Keep the signed document.")
                       + f"\n\n{finding_message}")
        intro.setWordWrap(True)
        self.unit = QComboBox()
        for unit in units:
            self.unit.addItem(unit.label, unit.id)
        self.note = QLineEdit()
        self.note.setPlaceholderText("e.g. phoned on 5 May" if withdraw else "e.g. signed letter of 3 May")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record withdrawal" if withdraw else "Record agreement")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("Unit", self.unit)
        form.addRow("How or why" if withdraw else "Written where", self.note)
        form.addRow(buttons)

    def save(self) -> None:
        unit_id, note = self.unit.currentData(), self.note.text()
        try:
            if self.withdraw:
                self.store.withdraw_entry_agreement(self.work_order_id, unit_id, getpass.getuser(), note)
            else:
                self.store.add_entry_agreement(EntryAgreement(self.work_order_id, unit_id, note, getpass.getuser()))
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.accept()
