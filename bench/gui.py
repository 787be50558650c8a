"""The GUI on 50,000 tenants (offscreen): start-up to a shown main window, loading and filtering the tenants."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.timing import Figure, measure


def run(folder: Path) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from maintdesk.records.store import Store
    from ui.pages.tenants import TenantsPage

    app = QApplication.instance() or QApplication([])
    store = Store.open(folder / "tenants50k.sqlite")
    page = TenantsPage(store, folder / "tenants50k.sqlite")
    page.resize(1100, 700)
    page.show()

    def wait_for_rows() -> None:
        while page.loading is not None:   # read on the pool; the rows arrive by a signal
            app.processEvents()
            time.sleep(0.001)             # leave the interpreter to the pool thread meanwhile
        app.processEvents()

    def load() -> None:
        page.refresh()
        wait_for_rows()

    figures = [
        measure("Tenants page: load 50,000 rows into the table (read in the background)", load),
        measure("Tenants page: time refresh() holds the GUI thread before the rows arrive", page.refresh,
                setup=wait_for_rows, note="the window stays responsive while they are read"),
    ]
    wait_for_rows()

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
        from maintdesk.records.store import Store

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
