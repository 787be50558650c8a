"""One unit's visit slot added, moved or removed by hand in the work order form, then saved with the form."""

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QDateTime, QTimeZone, Qt

from maintdesk.records.models import Slot, WorkOrder
from maintdesk.planning.scheduling import day_text
from maintdesk.timeutil import from_local, local, utc_now
from ui.dialogs.work_order import WorkOrderDialog

PARIS = "Europe/Paris"


def paris(store):
    return next(p for p in store.list_properties() if p.timezone == PARIS)


def unit_ids(store):
    return {u.label: u.id for u in store.list_units(paris(store).id)}


def at(day, hour, minute=0):
    return from_local(datetime.combine(day, time(hour, minute)), PARIS)


def set_wall(edit, day, clock):
    edit.setDateTime(QDateTime(day, clock, QTimeZone(b"UTC")))


def shown(edit):
    return edit.wall_time()


def click(qtbot, button):
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def ok_button(slot_dialog):
    return slot_dialog.buttons.button(slot_dialog.buttons.StandardButton.Save)


def saved_slots(store, work_id):
    labels = {v: k for k, v in unit_ids(store).items()}
    return {labels[s.unit_id]: (s.start, s.end) for s in store.get_work_order(work_id).slots}


@pytest.fixture
def tuesday():
    today = local(utc_now(), PARIS).date()
    monday = today + timedelta(weeks=3) - timedelta(days=today.weekday())
    return monday + timedelta(days=1)


@pytest.fixture
def work(demo_store, tuesday):
    """Units 1A, 1B and 2B; window Tue 08:00 – Wed 18:00 in Paris; 1A visited 08:00–08:45, 1B 09:00–09:45."""
    ids = unit_ids(demo_store)
    return demo_store.save_work_order(WorkOrder(
        paris(demo_store).id, {"en": "Radiator valves", "fr": "Robinets de radiateurs"}, at(tuesday, 8),
        at(tuesday + timedelta(days=1), 18), all_units=False, affected_unit_ids=[ids["1A"], ids["1B"], ids["2B"]],
        slots=[Slot(ids["1A"], at(tuesday, 8), at(tuesday, 8, 45)),
               Slot(ids["1B"], at(tuesday, 9), at(tuesday, 9, 45))]))


def open_form(qtbot, store, work):
    form = WorkOrderDialog(store, store.get_work_order(work.id))
    qtbot.addWidget(form)
    form.tabs.setCurrentIndex(2)
    form.show()
    return form


def select(form, label):
    row = next(r for r in range(form.slot_table.rowCount()) if form.slot_table.item(r, 0).text() == label)
    form.slot_table.selectRow(row)
    return row


def test_add_a_slot_for_the_unit_without_one_and_save(qtbot, demo_store, work, tuesday):
    form = open_form(qtbot, demo_store, work)
    click(qtbot, form.add_slot_button)
    slot_dialog = form.slot_dialog

    assert slot_dialog.isVisible() and slot_dialog.windowTitle() == "Add visit slot"
    units = slot_dialog.unit_box
    assert [units.itemText(i) for i in range(units.count())] == ["2B"]  # 1A and 1B already have a slot
    assert shown(slot_dialog.start_edit) == datetime.combine(tuesday, time(8))  # the window's start, Paris clock
    set_wall(slot_dialog.start_edit, tuesday, time(14))
    assert shown(slot_dialog.end_edit) == datetime.combine(tuesday, time(14, 45))  # the end keeps the visit's length
    slot_dialog.grab().save("/tmp/slot_add.png")
    click(qtbot, ok_button(slot_dialog))

    assert not slot_dialog.isVisible()
    assert [form.slot_table.item(r, 0).text() for r in range(form.slot_table.rowCount())] == ["1A", "1B", "2B"]
    assert form.slot_table.item(2, 1).text().endswith("14:00") and form.slot_table.item(2, 2).text() == "14:45"
    assert "Save keeps the change" in form.slot_note.text()
    assert "2B" not in saved_slots(demo_store, work.id)  # nothing is stored before the form's Save

    assert form.save(), form.top_message.text()
    assert saved_slots(demo_store, work.id)["2B"] == (at(tuesday, 14), at(tuesday, 14, 45))


def test_double_click_moves_a_slot_to_the_afternoon(qtbot, demo_store, work, tuesday):
    form = open_form(qtbot, demo_store, work)
    row = next(r for r in range(form.slot_table.rowCount()) if form.slot_table.item(r, 0).text() == "1A")
    rect = form.slot_table.visualRect(form.slot_table.model().index(row, 1))
    qtbot.mouseClick(form.slot_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(form.slot_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    slot_dialog = form.slot_dialog

    assert slot_dialog.windowTitle() == "Edit visit slot"
    assert slot_dialog.unit_box.currentText() == "1A" and not slot_dialog.unit_box.isEnabled()
    assert (shown(slot_dialog.start_edit), shown(slot_dialog.end_edit)) == (
        datetime.combine(tuesday, time(8)), datetime.combine(tuesday, time(8, 45)))
    set_wall(slot_dialog.start_edit, tuesday + timedelta(days=1), time(15, 30))
    set_wall(slot_dialog.end_edit, tuesday + timedelta(days=1), time(16, 30))
    click(qtbot, ok_button(slot_dialog))
    assert form.slot_table.current_slot().unit_id == unit_ids(demo_store)["1A"]  # the moved slot stays selected

    assert form.save(), form.top_message.text()
    wednesday = tuesday + timedelta(days=1)
    assert saved_slots(demo_store, work.id) == {"1A": (at(wednesday, 15, 30), at(wednesday, 16, 30)),
                                                "1B": (at(tuesday, 9), at(tuesday, 9, 45))}


def test_end_before_start_shows_beside_end_and_keeps_what_was_typed(qtbot, demo_store, work, tuesday):
    form = open_form(qtbot, demo_store, work)
    select(form, "1B")
    click(qtbot, form.edit_slot_button)
    slot_dialog = form.slot_dialog
    set_wall(slot_dialog.start_edit, tuesday, time(15))
    set_wall(slot_dialog.end_edit, tuesday, time(14))
    click(qtbot, ok_button(slot_dialog))

    assert slot_dialog.isVisible()
    assert slot_dialog.message("end") == f"End must be after the start (15:00 on {day_text(tuesday)})"
    assert slot_dialog.message("start") == ""
    assert (shown(slot_dialog.start_edit), shown(slot_dialog.end_edit)) == (
        datetime.combine(tuesday, time(15)), datetime.combine(tuesday, time(14)))
    slot_dialog.grab().save("/tmp/slot_error.png")
    assert form.slot_table.slots == demo_store.get_work_order(work.id).slots  # the form's list is untouched

    set_wall(slot_dialog.end_edit, tuesday, time(16))
    click(qtbot, ok_button(slot_dialog))
    assert not slot_dialog.isVisible()
    assert form.save(), form.top_message.text()
    assert saved_slots(demo_store, work.id)["1B"] == (at(tuesday, 15), at(tuesday, 16))


def test_outside_the_window_is_refused_beside_the_start(qtbot, demo_store, work, tuesday):
    form = open_form(qtbot, demo_store, work)
    click(qtbot, form.add_slot_button)
    slot_dialog = form.slot_dialog
    thursday = tuesday + timedelta(days=2)
    set_wall(slot_dialog.start_edit, thursday, time(9))

    click(qtbot, ok_button(slot_dialog))

    assert slot_dialog.isVisible()
    assert "lies outside the work window" in slot_dialog.message("start")
    assert "(Europe/Paris)" in slot_dialog.message("start")
    assert shown(slot_dialog.start_edit) == datetime.combine(thursday, time(9))
    assert form.slot_table.rowCount() == 2


def test_remove_a_slot_then_save(qtbot, demo_store, work, tuesday):
    form = open_form(qtbot, demo_store, work)
    assert not form.remove_slot_button.isEnabled() and not form.edit_slot_button.isEnabled()
    select(form, "1A")
    click(qtbot, form.remove_slot_button)

    assert [form.slot_table.item(r, 0).text() for r in range(form.slot_table.rowCount())] == ["1B"]
    assert "2 units have no visit slot" in form.slot_note.text()
    assert not form.remove_slot_button.isEnabled()
    assert form.save(), form.top_message.text()
    assert saved_slots(demo_store, work.id) == {"1B": (at(tuesday, 9), at(tuesday, 9, 45))}


def test_an_overlap_is_a_warning_under_the_table_not_a_refusal(qtbot, demo_store, work, tuesday):
    form = open_form(qtbot, demo_store, work)
    click(qtbot, form.add_slot_button)
    set_wall(form.slot_dialog.start_edit, tuesday, time(9, 30))
    click(qtbot, ok_button(form.slot_dialog))

    assert "slots overlap" in form.slot_note.text() and "2B" in form.slot_note.text()
    form.grab().save("/tmp/slot_form.png")
    assert form.save(), form.top_message.text()
    assert saved_slots(demo_store, work.id)["2B"] == (at(tuesday, 9, 30), at(tuesday, 10, 15))


def test_the_dialog_reads_the_property_clock_across_the_spring_change(qtbot, demo_store):
    """Clocks go forward in Paris on Sunday 29 March 2026: 10:00 is 09:00 UTC on Saturday, 08:00 UTC on Sunday."""
    ids = unit_ids(demo_store)
    saturday, sunday = date(2026, 3, 28), date(2026, 3, 29)
    work = demo_store.save_work_order(WorkOrder(
        paris(demo_store).id, {"en": "Boiler"}, at(saturday, 8), at(sunday, 18), all_units=False,
        affected_unit_ids=[ids["1A"], ids["1B"]], slots=[Slot(ids["1A"], at(saturday, 10), at(saturday, 11))]))
    form = open_form(qtbot, demo_store, work)
    select(form, "1A")
    click(qtbot, form.edit_slot_button)
    assert shown(form.slot_dialog.start_edit) == datetime(2026, 3, 28, 10, 0)
    set_wall(form.slot_dialog.start_edit, sunday, time(10))
    click(qtbot, ok_button(form.slot_dialog))

    click(qtbot, form.add_slot_button)
    set_wall(form.slot_dialog.start_edit, sunday, time(2, 30))
    click(qtbot, ok_button(form.slot_dialog))
    assert form.slot_dialog.message("start") == ("02:30 does not exist on Sun 29 Mar 2026 in Europe/Paris: the clocks "
                                                 "go from 02:00 straight to 03:00; choose another time")
    form.slot_dialog.reject()

    assert form.save(), form.top_message.text()
    start, end = saved_slots(demo_store, work.id)["1A"]
    assert start.hour == 8 and start.date() == sunday and end - start == timedelta(hours=1)
