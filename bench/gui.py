"""The tenant list in the GUI: loading and filtering 50,000 rows (offscreen)."""

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
    return figures
