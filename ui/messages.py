"""The one place that shows errors to the user."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from maintdesk.errors import UserFacingError

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, error: UserFacingError, title: str = "MaintDesk") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, error.summary, parent=parent)
    if error.detail:
        box.setDetailedText(error.detail)
    box.exec()


def show_crash(parent: QWidget | None, report: str) -> None:
    """A bug inside MaintDesk: say so, keep the data, offer the details to send."""
    log.error("unexpected error\n%s", report)
    box = QMessageBox(QMessageBox.Icon.Critical, "MaintDesk — unexpected error",
                      "Something went wrong inside MaintDesk. Your saved data is safe. "
                      "Please send the details below to support.", parent=parent)
    box.setDetailedText(report)
    box.exec()


def install_crash_handler() -> None:
    """Unexpected exceptions are bugs: log them and show a copyable report instead of dying silently."""
    import sys

    def handle(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        report = "".join(traceback.format_exception(kind, value, tb))
        if isinstance(value, UserFacingError) and QApplication.instance():
            show_error(None, value)
            return
        if QApplication.instance() is None:
            sys.__excepthook__(kind, value, tb)
            return
        show_crash(None, report)

    sys.excepthook = handle
