"""Python's garbage collector, run on the GUI thread only.

WORKAROUND for Qt objects destroyed off their thread: Python collects reference cycles on
whichever thread happens to allocate when a threshold is crossed: a worker thread, or a library's
own thread (an SMTP server's event loop in the tests). A cycle that holds the Python side of a
widget or a dialog, collected there, destroys a Qt object outside the GUI thread while the GUI
thread may be using it. `install` turns automatic collection off and collects from a timer on the
GUI thread instead, with the thresholds Python would have used.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500

_collector: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start(INTERVAL_MS)

    def collect_if_due(self) -> None:
        """Collect the youngest generation past its threshold, and older ones past theirs, as Python would."""
        counts = gc.get_count()
        if counts[0] <= self.thresholds[0]:
            return
        generation = 0
        while generation < 2 and counts[generation + 1] > self.thresholds[generation + 1]:
            generation += 1
        gc.collect(generation)


def install(app: QCoreApplication) -> GuiThreadCollector:
    """Collect garbage on `app`'s thread only, from now on (once per process)."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector(app)
    return _collector
