"""The GUI on 50,000 tenants (offscreen): start-up to a shown main window, loading and filtering the tenants."""

from __future__ import annotations

import os
from pathlib import Path

from bench.timing import Figure, measure


def run(folder: Path) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from maintdesk.store import Store
    from ui.tenants_page import TenantsPage

    app = QApplication.instance() or QApplication([])
    store = Store.open(folder / "tenants50k.sqlite")
    page = TenantsPage(store, folder / "tenants50k.sqlite")
    page.resize(1100, 700)
    page.show()
    figures = [measure("Tenants page: load 50,000 rows into the table", lambda: (page.refresh(), app.processEvents()))]

    def type_search() -> None:
        for text in ("l", "le", "lef", "lefè", "lefèvre 12", "tenant 499-10"):
            page.search.setText(text)
        app.processEvents()

    def clear() -> None:
        page.search.setText("")
        app.processEvents()

    figures.append(measure("Tenants page: six keystrokes of search-as-you-type over 50,000 rows", type_search,
                           setup=clear, note="per whole sequence"))
    page.close()
    store.close()
    figures.append(_startup(app, folder))
    return figures


def _startup(app, folder: Path) -> Figure:
    """Open the database, build the main window (Today page loaded) and show it: what the user waits for."""
    from maintdesk.paths import AppPaths
    from ui.main_window import MainWindow

    paths = AppPaths.under(folder / "gui-base").ensure()
    opened = []

    def start() -> None:
        from maintdesk.store import Store

        store = Store.open(folder / "tenants50k.sqlite", create=False)
        window = MainWindow(store, paths, folder / "tenants50k.sqlite")
        window.show()
        app.processEvents()
        opened.append((window, store))

    def close() -> None:
        while opened:
            window, store = opened.pop()
            window.close()
            store.close()

    figure = measure("start-up to a shown main window on 50,000 tenants (database opened, Today loaded)",
                     start, setup=close, note="in-process, after Qt is loaded")
    close()
    return figure
