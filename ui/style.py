"""The application's look: the style sheet from assets/."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from maintdesk.paths import AppPaths


def apply_style(app: QApplication, paths: AppPaths) -> None:
    sheet = paths.assets_dir / "maintdesk.qss"
    if sheet.is_file():
        app.setStyleSheet(sheet.read_text(encoding="utf-8"))
