"""The work order form asks the purpose of entry (notice law differs for a showing or an inspection) and
keeps it with the work order's terms."""

from __future__ import annotations

from ui.dialogs.work_order import PURPOSE_NAMES, WorkOrderDialog


def test_showing_the_flat_is_chosen_saved_and_shown_again(qtbot, demo_store):
    work = next(w for w in demo_store.list_work_orders() if not w.emergency)
    dialog = WorkOrderDialog(demo_store, work)
    qtbot.addWidget(dialog)
    box = dialog.fields["nature"]
    assert box.currentData() == demo_store.get_work_terms(work.id).nature
    assert [box.itemText(i) for i in range(box.count())] == list(PURPOSE_NAMES.values())
    box.setCurrentIndex(box.findData("showing"))
    assert dialog.save(), dialog.top_message.text()
    assert demo_store.get_work_terms(work.id).nature == "showing"
    again = WorkOrderDialog(demo_store, demo_store.get_work_order(work.id))
    qtbot.addWidget(again)
    assert again.fields["nature"].currentText() == "Showing the flat to a buyer or tenant"
