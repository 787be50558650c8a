"""The window on a database this user may not write (run by test_read_only_window.py as its own process).

Prints one line of JSON: the banner, the title, and what saving a tenant said."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from maintdesk.paths import AppPaths
    from ui.app import open_store
    from ui.dialogs.tenant import TenantDialog
    from ui.main_window import MainWindow

    app = QApplication([])
    db, base = sys.argv[1], sys.argv[2]
    store = open_store(Path(db), False)
    paths = AppPaths.under(Path(base))
    window = MainWindow(store, paths, Path(db))
    dialog = TenantDialog(store, property_id=1)
    dialog.fields["name"].setText("New tenant")
    saved = dialog.save()
    print(json.dumps({"banner": window.read_only_banner.isVisibleTo(window), "text": window.read_only_banner.text(),
                      "title": window.windowTitle(), "saved": saved, "message": dialog.top_message.text(),
                      "tenants": len(store.list_tenants())}))
