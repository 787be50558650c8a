"""The Work page's "Lobby poster…": paper and file asked for, rendered off the GUI thread, shown."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QInputDialog

from ui.main_window import MainWindow

WAIT = 60_000


def select_work(page, work_id: int) -> None:
    for row in range(page.proxy.rowCount()):
        page.table.selectRow(row)
        if page.selected()[0].id == work_id:
            return
    raise AssertionError(f"work order {work_id} is not listed")


def test_the_lobby_poster_of_building_wide_work_is_asked_for_rendered_and_shown(qtbot, demo_store, app_paths, tmp_path,
                                                                                monkeypatch):
    from ui.pages import work as work_page

    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    window.show_page("Work")
    page = window.pages["Work"]
    select_work(page, 1)   # radiator servicing, flat by flat: no poster
    assert page.sheet_button.isEnabled() and not page.poster_button.isEnabled()
    select_work(page, 2)   # the Toronto water shut-off, building-wide
    assert page.poster_button.isEnabled()

    asked = {}

    def get_item(parent, title, label, items, current, editable):
        asked["papers"], asked["usual"] = list(items), items[current]
        return "A3", True

    def get_save_file_name(parent, caption, proposed, filters):
        asked["proposed"] = proposed
        return str(tmp_path / "lobby"), filters   # no .pdf typed: it is added

    shown = []
    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)
    monkeypatch.setattr(work_page.PdfPreviewDialog, "exec",
                        lambda dialog: shown.append((dialog.windowTitle(), dialog.document.pageCount())))
    page.poster_button.click()
    assert page.task is not None and not page.poster_button.isEnabled()   # rendering off the GUI thread
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT)

    assert asked["papers"] == ["A4", "Letter", "A3", "Tabloid"] and asked["usual"] == "Letter"  # Toronto's sender
    assert asked["proposed"].endswith("wo2-lobby-poster-A3.pdf")
    assert shown == [("Lobby poster", 1)]
    assert "too long for full-size type" in window.statusBar().currentMessage()   # how large the type came out
    text = PdfReader(tmp_path / "lobby.pdf").pages[0].extract_text()
    assert "Water shut-off" in text and "Coupure d'eau" in text
    assert page.poster_button.isEnabled()


def test_a_cancelled_paper_choice_makes_no_poster(qtbot, demo_store, app_paths, monkeypatch):
    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    window.show_page("Work")
    page = window.pages["Work"]
    select_work(page, 2)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: ("A4", False))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: (_ for _ in ()).throw(AssertionError("no file asked for after a cancel")))
    page.poster_button.click()
    assert page.task is None
