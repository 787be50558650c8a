"""The window's --db takes an office server's URL and never makes a folder of one (issue 17)."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QMessageBox

from ui import app


def test_an_unknown_scheme_is_a_sentence_and_no_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(app, "window_problem", lambda: None)
    monkeypatch.setattr(app, "setup_logging", lambda paths, verbose=False: None)
    status = app.run(["--db", "mysql://root@127.0.0.1/maintdesk", "--basedir", str(tmp_path / "base")])
    assert status == 1
    assert len(shown) == 1 and "mysql:// address, which MaintDesk cannot open" in shown[0]
    assert not [p for p in os.listdir(tmp_path) if p.startswith("mysql")]


def test_a_server_url_is_not_a_path(tmp_path):
    paths, db_path, seed = app.resolve(app.parse_args(["--db", "postgresql://clerk:pw@127.0.0.1/office",
                                                       "--basedir", str(tmp_path)]))
    assert db_path == paths.database and seed is False
