"""The checks dialog records a unit's written agreement to a Saturday visit, and its withdrawal."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from maintdesk.records.models import Slot, WorkOrder
from ui.dialogs.checks import ChecksDialog


def saturday_work(store) -> WorkOrder:
    """Two Paris flats visited on a Saturday next year (French law: not without the tenant's agreement)."""
    paris = next(p for p in store.list_properties() if p.jurisdiction == "FR")
    unit_1a, unit_1b = store.list_units(paris.id)[:2]
    day = datetime(datetime.now().year + 1, 6, 1, tzinfo=timezone.utc)
    saturday = day + timedelta(days=(5 - day.weekday()) % 7, hours=8)
    return store.save_work_order(WorkOrder(
        paris.id, {"en": "Boiler repair", "fr": "Réparation de la chaudière"}, saturday, saturday + timedelta(hours=6),
        status="scheduled", all_units=False, affected_unit_ids=[unit_1a.id, unit_1b.id],
        slots=[Slot(unit_1a.id, saturday, saturday + timedelta(minutes=45)),
               Slot(unit_1b.id, saturday + timedelta(hours=1), saturday + timedelta(hours=1, minutes=45))]))


def row_of(dialog: ChecksDialog, code: str) -> int:
    return next(i for i in range(dialog.findings.count()) if dialog._finding(i) and dialog._finding(i).code == code)


def checked_again(qtbot, dialog: ChecksDialog, action) -> None:
    before = dialog.report
    action()
    qtbot.waitUntil(lambda: dialog.report is not before, timeout=30_000)


def test_tenant_agreed_then_withdrawn_from_the_checks(qtbot, demo_store, app_paths, monkeypatch):
    work = saturday_work(demo_store)
    first, second = (u.label for u in demo_store.affected_units(work))
    dialog = ChecksDialog(demo_store, app_paths, work.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    dialog.findings.setCurrentRow(row_of(dialog, "FR/off-days/days"))
    assert dialog.agree_button.isEnabled() and not dialog.unagree_button.isEnabled()

    dialog.agree_button.click()
    asked = dialog.agreement_dialog
    assert [asked.unit.itemText(i) for i in range(asked.unit.count())] == [first, second]
    shown = []
    monkeypatch.setattr("ui.dialogs.agreement.show_error", lambda parent, error: shown.append(error.summary))
    asked.ok_button.click()  # no note: refused, the dialog stays open
    assert shown and shown[0].startswith("note: is required") and asked.isVisible()
    asked.unit.setCurrentIndex(0)
    asked.note.setText("signed letter of 3 May")
    checked_again(qtbot, dialog, asked.ok_button.click)

    [agreement] = demo_store.list_entry_agreements(work.id)
    assert (agreement.note, agreement.in_force) == ("signed letter of 3 May", True)
    assert dialog._finding(row_of(dialog, "FR/off-days/days")).units == [second]
    dialog.findings.setCurrentRow(row_of(dialog, "FR/off-days/days/agreed"))
    assert dialog.unagree_button.isEnabled() and not dialog.agree_button.isEnabled()
    dialog.unagree_button.click()
    taken_back = dialog.agreement_dialog
    assert [taken_back.unit.itemText(i) for i in range(taken_back.unit.count())] == [first]
    taken_back.note.setText("phoned on 5 May")
    checked_again(qtbot, dialog, taken_back.ok_button.click)

    [kept] = demo_store.list_entry_agreements(work.id)
    assert (kept.note, kept.withdrawn_note, kept.in_force) == ("signed letter of 3 May", "phoned on 5 May", False)
    assert dialog._finding(row_of(dialog, "FR/off-days/days")).units == [first, second]
