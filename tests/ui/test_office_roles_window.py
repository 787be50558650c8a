"""The window on an office's PostgreSQL server (issue 17): its workers issue into the server, not
into this computer's file; a clerk's window says the role may not issue, and the server refuses
even when the dialog is bypassed, with one sentence and nothing recorded."""

from __future__ import annotations

import io
import itertools
from datetime import date

import pytest
from notices_testing import WAIT, issue, wait_for_draft

from maintdesk.cli.app import main
from maintdesk.letters.issuing import archive_dir
from maintdesk.records.demo import create_demo
from maintdesk.records.store import Store
from ui.dialogs import letters as letters_dialog
from ui.dialogs.letters import LettersDialog
from ui.main_window import MainWindow

_NUMBERS = itertools.count(1)


@pytest.fixture
def office(pg_server, tmp_path, monkeypatch):
    """An office set up with `admin init-server`: the demo, bob (manager) and alice (clerk); a
    function giving each person's address."""
    name = f"gui_roles_{next(_NUMBERS)}"
    assert main(["--basedir", str(tmp_path), "admin", "init-server", pg_server.url(name)], out=io.StringIO()) == 0
    for person, role in (("bob", "manager"), ("alice", "clerk")):
        monkeypatch.setenv("MAINTDESK_NEW_PASSWORD", f"pw-{person}")
        assert main(["--basedir", str(tmp_path), "--db", pg_server.url(name), "admin", "add-person", person,
                     "--role", role], out=io.StringIO()) == 0
    owner = Store.open(pg_server.url(name))
    create_demo(owner, today=date.today())
    owner.close()
    yield lambda person: pg_server.url(name, user=person, password=f"pw-{person}")
    pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(letters_dialog, "show_error", lambda parent, error: shown.append(error.summary))
    return shown


def _dialog(qtbot, store, app_paths, work_id: int) -> LettersDialog:
    dialog = LettersDialog(store.location, app_paths, store.get_work_order(work_id), "en")
    qtbot.addWidget(dialog)
    wait_for_draft(qtbot, dialog)
    return dialog


def test_a_manager_s_window_issues_into_the_office_database(qtbot, office, app_paths, confirmations):
    store = Store.open(office("bob"))
    try:
        window = MainWindow(store, app_paths, app_paths.database)
        qtbot.addWidget(window)
        assert window.windowTitle().startswith("MaintDesk — bob (manager) · postgresql://bob:***@127.0.0.1:")
        dialog = _dialog(qtbot, store, app_paths, 2)
        issue(qtbot, dialog)
        assert confirmations.shown and "Issued" in dialog.status.text(), dialog.status.text()
        issued = store.list_notices(2)
        assert issued and {n.issued_by for n in issued} == {"bob"}
        assert not app_paths.database.exists(), "nothing was written into this computer's own database file"
        archived = [p for p in archive_dir(app_paths.database).rglob("*.pdf")]
        assert len(archived) == len([n for n in issued if n.pdf_path]), "the archive is in this desk's data folder"
    finally:
        store.close()


def test_a_clerk_s_window_may_draft_but_not_issue_and_the_server_refuses_anyway(qtbot, office, app_paths, errors,
                                                                               confirmations):
    store = Store.open(office("alice"))
    try:
        window = MainWindow(store, app_paths, app_paths.database)
        qtbot.addWidget(window)
        assert "alice (clerk)" in window.windowTitle()
        dialog = _dialog(qtbot, store, app_paths, 2)
        assert "DRAFT" in dialog.status.text() or "Draft for" in dialog.status.text()
        assert "Your role clerk may not issue notices; ask a manager" in dialog.plan_label.text()
        assert not dialog.issue_button.isEnabled()

        dialog.issue()  # what the button would do, were it shown: the pg_server itself refuses
        qtbot.waitUntil(lambda: dialog.task is None, timeout=WAIT)
        assert errors == ["Your role clerk may not issue notices; ask a manager"]
        assert store.list_notices() == []
        assert not app_paths.database.exists()
    finally:
        store.close()
