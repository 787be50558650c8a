import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402

from maintdesk.records.demo import create_demo  # noqa: E402
from maintdesk.paths import AppPaths  # noqa: E402
from maintdesk.records.store import Store  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def garbage_on_the_gui_thread(qapp):
    """As in the program (ui/garbage.py): no cycle collection on worker or server threads."""
    from ui import garbage

    garbage.install(qapp)


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Window geometry and other QSettings go to a temporary folder, never the user's profile."""
    folder = tmp_path_factory.mktemp("qsettings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    return AppPaths.under(tmp_path / "base").ensure()


@pytest.fixture
def demo_store(app_paths: AppPaths):
    store = Store.open(app_paths.database)
    create_demo(store, today=date.today())
    yield store
    store.close()


from notices_testing import confirmations  # noqa: E402,F401  (the fixture, for every GUI test)
from office_testing import pg_server  # noqa: E402,F401  (the fixture, for the office tests)


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    """A message box nobody expected would wait for a click forever: fail the test with its text instead.
    A test that expects one replaces QMessageBox.exec itself."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(box):
        raise AssertionError(f"unexpected message box: {box.windowTitle()}: {box.text()}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)
