"""Changing a work order's status, and offering the message that goes with it.

Completed → the completion notice; cancelled → the cancellation; postponed → a new date, every
slot moved by the same amount, then the postponement notice.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QWidget

from maintdesk.errors import UserFacingError
from maintdesk.records.models import WorkOrder
from maintdesk.records.store import Store
from maintdesk.timeutil import from_local, local
from ui.messages import show_error

STATUS_CHOICES = (("scheduled", "Scheduled"), ("in_progress", "In progress"), ("completed", "Completed"),
                  ("postponed", "Postponed…"), ("cancelled", "Cancelled"))
MESSAGE_FOR = {"completed": "completion", "cancelled": "cancellation", "postponed": "postponement"}


class NewDateDialog(QDialog):
    """The new start of a postponed work order, in the property's time zone; the length stays."""

    def __init__(self, work: WorkOrder, zone_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Postpone the work")
        self.zone_name = zone_name
        start = local(work.window_start, zone_name)
        self.start = QDateTimeEdit(QDateTime(start.year, start.month, start.day, start.hour, start.minute, 0))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("ddd dd MMM yyyy HH:mm")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"The work and every visit slot move by the same amount.\nTimes in {zone_name}."))
        form.addRow("New start:", self.start)
        form.addRow(buttons)

    def new_start(self) -> datetime:
        chosen = self.start.dateTime()
        wall = datetime(chosen.date().year(), chosen.date().month(), chosen.date().day(),
                        chosen.time().hour(), chosen.time().minute())
        return from_local(wall, self.zone_name)


def change_status(parent: QWidget, store: Store, work: WorkOrder, status: str) -> WorkOrder | None:
    """Applies the change (asking for a new date when postponing); None when nothing changed."""
    try:
        if status == "postponed":
            zone_name = store.get_property(work.property_id).timezone
            dialog = NewDateDialog(work, zone_name, parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            start = dialog.new_start()
            return store.postpone_work_order(work.id, start, start + (work.window_end - work.window_start))
        return store.set_work_status(work.id, status)
    except UserFacingError as exc:
        show_error(parent, exc)
        return None


def offer_message(parent: QWidget, work: WorkOrder) -> bool:
    """True when the manager wants to issue the matching notice now."""
    message = MESSAGE_FOR.get(work.status)
    if message is None:
        return False
    answer = QMessageBox.question(parent, "MaintDesk", f"Issue the {message} notice to the tenants now?")
    return answer == QMessageBox.StandardButton.Yes
