"""Status changes on the Work page offer the matching notice; postponing moves the window and slots."""

from datetime import timedelta

from PySide6.QtWidgets import QMessageBox

from ui.dialogs import status_change
from ui.pages import work as work_page
from ui.main_window import MainWindow


def work_page_with(qtbot, store, paths, work_id):
    window = MainWindow(store, paths, paths.database)
    qtbot.addWidget(window)
    window.show_page("Work")
    page = window.pages["Work"]
    row = next(r for r in range(page.model.rowCount()) if page.model.row_object(r)[0].id == work_id)
    page.table.selectRow(page.proxy.mapFromSource(page.model.index(row, 0)).row())
    return page


def test_completing_offers_the_completion_notice(qtbot, demo_store, app_paths, monkeypatch):
    opened = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(work_page.LettersDialog, "exec", lambda self: opened.append(self.kind.currentData()))
    page = work_page_with(qtbot, demo_store, app_paths, 3)
    assert page.status_button.isEnabled()
    page.set_status("completed")
    assert demo_store.get_work_order(3).status == "completed"
    assert opened == ["completed"]


def test_in_progress_offers_nothing(qtbot, demo_store, app_paths, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No)
    page = work_page_with(qtbot, demo_store, app_paths, 1)
    page.set_status("in_progress")
    assert demo_store.get_work_order(1).status == "in_progress" and asked == []


def test_postponing_moves_the_window_and_every_slot_and_offers_the_postponement(qtbot, demo_store, app_paths,
                                                                                monkeypatch):
    before = demo_store.get_work_order(1)
    week = timedelta(days=7)

    def choose_a_week_later(dialog):
        start = dialog.start.dateTime().addDays(7)
        dialog.start.setDateTime(start)
        return status_change.QDialog.DialogCode.Accepted

    opened = []
    monkeypatch.setattr(status_change.NewDateDialog, "exec", choose_a_week_later)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(work_page.LettersDialog, "exec", lambda self: opened.append(self.kind.currentData()))
    page = work_page_with(qtbot, demo_store, app_paths, 1)
    page.set_status("postponed")
    after = demo_store.get_work_order(1)
    assert after.status == "postponed"
    assert after.window_start - before.window_start == week
    assert after.previous_window == (before.window_start, before.window_end)
    assert [s.start - b.start for s, b in zip(after.slots, before.slots)] == [week] * len(before.slots)
    assert opened == ["postponed"]
