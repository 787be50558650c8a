"""The demo says it is the demo, and makes way for a database of one's own."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QMessageBox

from maintdesk.records.store import Store
from ui.app import Session
from ui.main_window import MainWindow


def test_the_demo_is_marked_in_the_window_and_a_real_database_is_not(qtbot, demo_store, app_paths, tmp_path):
    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    assert not window.demo_banner.isHidden()
    assert window.windowTitle() == "MaintDesk — maintdesk.sqlite (demo data)"

    own = Store.open(tmp_path / "office.sqlite")
    try:
        plain = MainWindow(own, app_paths, tmp_path / "office.sqlite")
        qtbot.addWidget(plain)
        assert plain.demo_banner.isHidden() and plain.windowTitle() == "MaintDesk — office.sqlite"
    finally:
        own.close()


def test_starting_one_s_own_database_keeps_the_demo_aside_and_opens_an_empty_one(qtbot, demo_store, app_paths,
                                                                                  monkeypatch):
    demo_tenants = demo_store.counts()["tenants"]
    session = Session(app_paths, demo_store, app_paths.database)
    first = session.window
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)

    first.own_database_button.click()

    try:
        assert session.window is not first and session.db_path == app_paths.database
        assert session.store.counts() == {"properties": 0, "units": 0, "tenants": 0, "work_orders": 0, "notices": 0}
        assert session.window.demo_banner.isHidden()
        assert session.window.windowTitle() == "MaintDesk — maintdesk.sqlite"
        kept = app_paths.database.with_name("demo.sqlite")
        with sqlite3.connect(kept) as copy:
            assert copy.execute("SELECT count(*) FROM tenants").fetchone()[0] == demo_tenants
        assert not first.isVisible()
    finally:
        session.window.close()
        session.store.close()
