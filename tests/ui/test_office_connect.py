"""Connect to an office database… and other desks' changes shown as they happen (issue 17),
against a real PostgreSQL server started by the test run (tests/core/pg_testing)."""

from __future__ import annotations

import itertools

import pytest
from office_testing import pg_testing
from PySide6.QtCore import QSettings

from maintdesk.records.location import KEYRING_SERVICE, ServerLocation  # noqa: E402
from maintdesk.records.models import Property  # noqa: E402
from maintdesk.records.store import Store  # noqa: E402
from ui.dialogs.connect_server import LAST_ADDRESS, ConnectDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

_NUMBERS = itertools.count(1)


@pytest.fixture
def office(pg_server):
    """A new office database with the current schema: its name."""
    name = f"gui_office_{next(_NUMBERS)}"
    pg_server.admin(f"CREATE DATABASE {name}")
    Store.open(pg_server.url(name)).close()
    yield name
    pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch, tmp_path):
    yield from pg_testing.keyring_only(monkeypatch, tmp_path)


def _dialog(qtbot, pg_server, database: str, password: str, port: int | None = None) -> ConnectDialog:
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(port or pg_server.port)
    dialog.database.setText(database)
    dialog.user.setText(pg_testing.SUPERUSER)
    dialog.password.setText(password)
    dialog.sslmode.setCurrentText("disable")
    return dialog


def test_each_failure_is_one_sentence_and_what_was_typed_stays(qtbot, pg_server, office):
    dialog = _dialog(qtbot, pg_server, office, "wrong")
    assert not dialog.try_connect()
    assert "refused the sign-in: the user name or password is wrong" in dialog.error.text()
    assert (dialog.host.text(), dialog.database.text(), dialog.user.text(), dialog.password.text()) == \
        ("127.0.0.1", office, pg_testing.SUPERUSER, "wrong")
    assert dialog.result() != ConnectDialog.DialogCode.Accepted and dialog.store is None

    dialog.port.setValue(pg_testing.free_port())
    dialog.password.setText(pg_testing.PASSWORD)
    assert not dialog.try_connect() and dialog.error.text().startswith("cannot reach the office database")
    dialog.port.setValue(pg_server.port)
    dialog.database.setText("no_such_office")
    assert not dialog.try_connect() and "does not exist on the server" in dialog.error.text()
    dialog.host.setText("")
    assert not dialog.try_connect() and dialog.error.text() == "Give the server to connect"
    assert "\n" not in dialog.error.text() and "Traceback" not in dialog.error.text()


def test_connecting_keeps_the_password_in_the_keyring_and_the_address_for_next_time(qtbot, pg_server, office,
                                                                                      memory_keyring):
    dialog = _dialog(qtbot, pg_server, office, pg_testing.PASSWORD)
    assert dialog.try_connect(), dialog.error.text()
    dialog.store.close()
    user = f"{pg_testing.SUPERUSER}@127.0.0.1:{pg_server.port}/{office}"
    assert memory_keyring.passwords == {(KEYRING_SERVICE, user): pg_testing.PASSWORD}
    saved = QSettings().value(LAST_ADDRESS, "", str)
    assert saved.endswith(f"127.0.0.1:{pg_server.port}/{office}?sslmode=disable") and pg_testing.PASSWORD not in saved

    again = ConnectDialog()
    qtbot.addWidget(again)
    assert (again.host.text(), again.port.value(), again.database.text(), again.user.text(),
            again.sslmode.currentText()) == ("127.0.0.1", pg_server.port, office, pg_testing.SUPERUSER, "disable")
    assert again.password.text() == "" and again.try_connect(), again.error.text()  # the keyring's password
    again.store.close()


def test_the_file_menu_opens_the_office_database(qtbot, pg_server, office, app_paths, monkeypatch):
    store = Store.open(app_paths.database)
    window = MainWindow(store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    assert window.connect_action.text() == "&Connect to an office database…"
    opened = []
    window.server_opened.connect(opened.append)

    def typed(dialog):
        dialog.host.setText("127.0.0.1")
        dialog.port.setValue(pg_server.port)
        dialog.database.setText(office)
        dialog.user.setText(pg_testing.SUPERUSER)
        dialog.password.setText(pg_testing.PASSWORD)
        return ConnectDialog.DialogCode.Accepted if dialog.try_connect() else ConnectDialog.DialogCode.Rejected

    monkeypatch.setattr(ConnectDialog, "exec", typed)
    window.connect_action.trigger()
    assert len(opened) == 1 and isinstance(opened[0].db.location, ServerLocation)
    opened[0].close()
    window.close()
    store.close()


def test_the_page_shown_follows_other_desks_changes(qtbot, pg_server, office, app_paths):
    store = Store.open(pg_server.url(office))
    other = Store.open(pg_server.url(office))
    window = MainWindow(store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    try:
        assert window.watch is not None
        assert window.windowTitle() == f"MaintDesk — postgresql://{pg_testing.SUPERUSER}:***@127.0.0.1:{pg_server.port}/{office}"
        window.show_page("Properties")
        page = window.pages["Properties"]
        assert page.model.rowCount() == 0
        other.save_property(Property(name="Résidence du Parc", address_line1="1 rue X", city="Paris", country="FR",
                                     timezone="Europe/Paris"))
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
        assert "1 properties" in window.statusBar().currentMessage()
        assert "another desk's changes" in window.statusBar().currentMessage()
    finally:
        window.close()
        other.close()
        store.close()


def test_a_file_database_has_no_watch(qtbot, app_paths):
    store = Store.open(app_paths.database)
    window = MainWindow(store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    assert window.watch is None
    window.close()
    store.close()
