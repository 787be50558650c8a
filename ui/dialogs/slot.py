"""Set or move one unit's visit slot by hand, on the property's clock.

The dialog works on the work order as the form holds it (window and slots, maybe not saved yet) and
hands back the whole new slot list; the form keeps it until its own Save. Problems (end before
start, outside the window, a time the clocks skip) appear beside their field.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QLabel, QWidget

from maintdesk.planning import slot_edit
from maintdesk.records.models import Slot, Unit, WorkOrder
from maintdesk.planning.scheduling import span_text
from ui.widgets.forms import FormDialog
from ui.dialogs.work_order_view import WallClockEdit


class SlotDialog(FormDialog):
    """`slot` given: move that unit's slot (the unit is fixed). Otherwise: a slot for one of `free_units`."""

    def __init__(self, work: WorkOrder, zone_name: str, units: list[Unit], slot: Slot | None = None,
                 minutes: int = 45, parent: QWidget | None = None):
        super().__init__("Edit visit slot" if slot else "Add visit slot", parent=parent)
        self.save_function = lambda _form: self._new_slots()
        self.work, self.zone_name, self.all_units = work, zone_name, units
        self.buttons.button(self.buttons.StandardButton.Save).setText("OK")
        if slot is not None:
            choices = [(u.label, u.id) for u in units if u.id == slot.unit_id]
        else:
            taken = {s.unit_id for s in work.slots}
            choices = [(u.label, u.id) for u in units if u.id not in taken]
        self.unit_box = self.combo("unit", "Unit", choices)
        self.unit_box.setEnabled(slot is None)
        self.start_edit, self.end_edit = WallClockEdit(), WallClockEdit()
        start = slot.start if slot else work.window_start
        end = slot.end if slot else min(work.window_start + timedelta(minutes=minutes), work.window_end)
        self.start_edit.set_moment(start, zone_name)
        self.end_edit.set_moment(end, zone_name)
        zone_note = QLabel(f"Time in {zone_name}, the property's time zone")
        self.add_field("start", "Start", self.start_edit, zone_note)
        self.add_field("end", "End", self.end_edit)
        window = QLabel(f"Inside the work window {span_text(work.window_start, work.window_end, zone_name)}.")
        window.setObjectName("window_note")
        window.setWordWrap(True)
        self.form.addRow("", window)
        self._last_start = self.start_edit.wall_time()
        self.start_edit.dateTimeChanged.connect(self._keep_length)
        if not choices:
            self.show_top_message("Every affected unit already has a slot: select one in the table and edit it.")
            self.buttons.button(self.buttons.StandardButton.Save).setEnabled(False)
        self.setMinimumWidth(420)

    def _keep_length(self) -> None:
        """Moving the start moves the end with it, so the visit keeps its length."""
        start = self.start_edit.wall_time()
        self.end_edit.setDateTime(self.end_edit.dateTime().addSecs(int((start - self._last_start).total_seconds())))
        self._last_start = start

    def unit_id(self) -> int:
        return self.value("unit")

    def _new_slots(self) -> list[Slot]:
        start = slot_edit.wall_to_utc(self.start_edit.wall_time(), self.zone_name, "start")
        end = slot_edit.wall_to_utc(self.end_edit.wall_time(), self.zone_name, "end")
        return slot_edit.set_slot(self.work, self.all_units, self.unit_id(), start, end, self.zone_name)
