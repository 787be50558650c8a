"""The window stays alive while a large batch of letters renders: the GUI thread keeps handling events."""

import time as clock
from datetime import datetime, time, timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPdf import QPdfDocument

from maintdesk.records.models import ActionItem, Property, Tenant, Unit, WorkOrder
from maintdesk.records.store import Store
from maintdesk.timeutil import from_local, local, utc_now
from notices_testing import wait_for_draft
from ui.dialogs.letters import LettersDialog

UNITS = 300
TICK_MS = 20


@pytest.fixture
def big_building(app_paths):
    store = Store.open(app_paths.database)
    prop = store.save_property(Property("Tour Horizon", "1 King St W", "Toronto", "CA", "America/Toronto",
                                        postal_code="M5H 1A1", region="ON", manager_name="Sam Lee"))
    units = store.add_units(prop.id, [Unit(prop.id, f"{floor}{letter}")
                                      for floor in range(1, 31) for letter in "ABCDEFGHIJ"])
    assert len(units) == UNITS
    store.add_tenants(Tenant(unit.id, f"Tenant {unit.label}", language="fr" if i % 3 == 0 else "en")
                      for i, unit in enumerate(units))
    day = local(utc_now(), prop.timezone).date() + timedelta(weeks=3)
    monday = day - timedelta(days=day.weekday())
    work = store.save_work_order(WorkOrder(
        prop.id, {"en": "Fire alarm inspection", "fr": "Inspection des alarmes incendie"},
        from_local(datetime.combine(monday, time(9)), prop.timezone),
        from_local(datetime.combine(monday + timedelta(days=4), time(17)), prop.timezone),
        category="other", actions=[ActionItem({"en": "Test the smoke detector", "fr": "Tester le détecteur"})],
    ))
    yield store, work
    store.close()


def test_the_gui_keeps_processing_events_while_300_letters_render(qtbot, big_building, app_paths, confirmations):
    store, work = big_building
    dialog = LettersDialog(app_paths.database, app_paths, work, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_draft(qtbot, dialog)
    confirmations.set_status = True  # the new work order is a draft: scheduled as it is issued

    ticks = 0

    def tick():
        nonlocal ticks
        ticks += 1

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    try:
        started = clock.monotonic()
        with qtbot.waitSignal(dialog.document.statusChanged, timeout=180_000,
                              check_params_cb=lambda status: status == QPdfDocument.Status.Ready):
            dialog.issue_button.click()
            assert not dialog.issue_button.isEnabled()
        elapsed = clock.monotonic() - started
    finally:
        timer.stop()

    expected = elapsed * 1000 / TICK_MS
    assert ticks >= 0.5 * expected, f"{ticks} ticks in {elapsed:.1f} s, {expected:.0f} expected"
    assert dialog.document.pageCount() == dialog.batch.merged_pages == UNITS
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60_000)
    assert f"{UNITS} printed for tenants on paper" in dialog.status.text()
    assert len(store.list_notices(work.id)) == UNITS
