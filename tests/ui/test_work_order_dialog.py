"""The work order form, driven like a user would: texts, window, units, actions, slots, Save."""

from datetime import datetime, time, timedelta

import pytest
from PySide6.QtCore import QDateTime, QTimeZone, Qt
from PySide6.QtWidgets import QMessageBox

from maintdesk.timeutil import from_local, local, utc_now
from ui.dialogs.work_order import WorkOrderDialog
from ui.pages.work import WorkPage


@pytest.fixture
def boxes(monkeypatch):
    """No real modal message box: record what would be said."""
    said: list[tuple[str, str]] = []

    def record(kind, answer=QMessageBox.StandardButton.Ok):
        def box(parent, title, text, *args, **kwargs):
            said.append((kind, text))
            return answer
        return box

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, record(kind, QMessageBox.StandardButton.Yes))
    return said


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def paris(store):
    return next(p for p in store.list_properties() if p.timezone == "Europe/Paris")


def next_monday(weeks_ahead=3):
    day = local(utc_now(), "Europe/Paris").date() + timedelta(weeks=weeks_ahead)
    return day - timedelta(days=day.weekday())


def set_wall(edit, day, clock):
    edit.setDateTime(QDateTime(day, clock, QTimeZone(b"UTC")))


def open_dialog(qtbot, store, title="Remplacement des compteurs"):
    dialog = WorkOrderDialog(store)
    qtbot.addWidget(dialog)
    dialog.property_box.setCurrentIndex(dialog.property_box.findData(paris(store).id))
    type_into(qtbot, dialog.title_edit.edits["fr"], title)
    type_into(qtbot, dialog.title_edit.edits["en"], "Water meter replacement")
    monday = next_monday()
    set_wall(dialog.start_edit, monday, time(8))
    set_wall(dialog.end_edit, monday + timedelta(days=4), time(18))
    return dialog, monday


def choose_units(dialog, store, labels):
    units = {u.label: u.id for u in store.list_units(paris(store).id)}
    dialog.units.set_checked({units[label] for label in labels})
    return {units[label] for label in labels}


def test_create_with_actions_and_some_units(qtbot, demo_store, boxes):
    dialog, monday = open_dialog(qtbot, demo_store)
    dialog.fields["category"].setCurrentIndex(dialog.fields["category"].findData("water"))
    type_into(qtbot, dialog.fields["contractor"], "Eau & Co")
    chosen = choose_units(dialog, demo_store, ["1A", "2B", "3C"])
    actions = dialog.action_list
    type_into(qtbot, actions.english, "Shut off the water")
    type_into(qtbot, actions.french, "Couper l'eau")
    qtbot.mouseClick(actions.add_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, actions.english, "Replace the meter")
    qtbot.mouseClick(actions.add_button, Qt.MouseButton.LeftButton)
    actions.list.setCurrentRow(1)
    qtbot.mouseClick(actions.up_button, Qt.MouseButton.LeftButton)
    dialog.tabs.setCurrentIndex(2)
    dialog.grab().save("/tmp/wo_units.png")

    assert dialog.save(), dialog.top_message.text()
    saved = next(w for w in demo_store.list_work_orders() if w.title.get("en") == "Water meter replacement")
    assert saved.title["fr"] == "Remplacement des compteurs"
    assert saved.category == "water" and saved.contractor == "Eau & Co"
    assert not saved.all_units and set(saved.affected_unit_ids) == chosen
    assert [a.text for a in saved.actions] == [{"en": "Replace the meter"},
                                               {"en": "Shut off the water", "fr": "Couper l'eau"}]
    assert saved.window_start == from_local(datetime.combine(monday, time(8)), "Europe/Paris")
    assert boxes == []


def test_end_before_start_shows_beside_end_and_keeps_typing(qtbot, demo_store, boxes):
    dialog, monday = open_dialog(qtbot, demo_store, title="Peinture du hall")
    set_wall(dialog.end_edit, monday - timedelta(days=1), time(18))
    before = len(demo_store.list_work_orders())
    dialog.tabs.setCurrentIndex(1)

    assert not dialog.save()
    assert "after" in dialog.message("window_end")
    assert dialog.message("title") == ""
    assert dialog.tabs.currentIndex() == 0  # the tab with the problem is shown
    assert dialog.title_edit.edits["fr"].text() == "Peinture du hall"
    assert len(demo_store.list_work_orders()) == before
    dialog.grab().save("/tmp/wo_error.png")


def test_spread_fills_one_slot_per_affected_unit_inside_window(qtbot, demo_store, boxes):
    dialog, monday = open_dialog(qtbot, demo_store)
    chosen = choose_units(dialog, demo_store, ["1A", "1B", "4D", "6C"])
    dialog.duration.setValue(30)
    dialog.buffer.setValue(10)
    qtbot.mouseClick(dialog.spread_button, Qt.MouseButton.LeftButton)

    slots = dialog.slot_table.slots
    assert dialog.message("slots") == ""
    assert {s.unit_id for s in slots} == chosen and len(slots) == len(chosen)
    work = dialog.typed_work()
    assert all(work.window_start <= s.start < s.end <= work.window_end for s in slots)
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)
    assert dialog.slot_table.rowCount() == 4
    dialog.tabs.setCurrentIndex(2)
    dialog.grab().save("/tmp/wo_slots.png")

    assert dialog.save(), dialog.top_message.text()
    saved = dialog.result_value
    assert len(demo_store.get_work_order(saved.id).slots) == 4
    terms = demo_store.get_work_terms(saved.id)
    assert (terms.slot_minutes, terms.buffer_minutes, terms.slot_rules_saved) == (30, 10, True)


def test_work_page_buttons_open_the_dialog(qtbot, demo_store, app_paths, boxes, monkeypatch):
    page = WorkPage(demo_store, app_paths, "en")
    qtbot.addWidget(page)
    page.refresh()
    opened = []
    monkeypatch.setattr(WorkOrderDialog, "exec", lambda self: opened.append(self) or 0)
    assert not page.edit_button.isEnabled()
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    page.table.selectRow(0)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert [d.windowTitle() for d in opened] == ["New work order", "Edit work order"]
    edited = opened[1]
    assert edited.title_edit.text() and not edited.property_box.isEnabled()
    opened[0].grab().save("/tmp/wo_new.png")


def test_the_crew_sheet_language_is_chosen_on_the_work_order(qtbot, demo_store, boxes):
    dialog, _ = open_dialog(qtbot, demo_store)
    combo = dialog.fields["crew_language"]
    assert combo.currentText() == "The building's language"
    combo.setCurrentIndex(combo.findData("de"))
    assert dialog.save(), dialog.top_message.text()
    assert demo_store.get_work_order(dialog.result_value.id).crew_language == "de"
