"""Long work off the GUI thread: a core generator run on a thread pool, reported by signals.

The core yields progress objects (with `done` and `total`) and finally its result; the task
forwards them to the GUI thread. A UserFacingError arrives as `failed` with its sentence; any
other exception is a bug and arrives as `crashed` with the traceback.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from maintdesk.errors import UserFacingError


class TaskSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)  # the UserFacingError
    crashed = Signal(str)  # a traceback


class Task(QRunnable):
    def __init__(self, work: Callable[[], Iterator[Any]], is_result: Callable[[Any], bool]):
        super().__init__()
        self.signals = TaskSignals()
        self._work = work
        self._is_result = is_result
        self._cancelled = False
        self.setAutoDelete(True)

    def cancel(self) -> None:
        self._cancelled = True

    def run(self) -> None:
        result = None
        try:
            events = self._work()
            try:
                for event in events:
                    if self._cancelled:
                        break
                    if self._is_result(event):
                        result = event
                    elif hasattr(event, "done"):
                        self._emit(self.signals.progress, event.done, event.total)
            finally:
                events.close()  # a cancelled batch stops its workers and removes temporary files
        except UserFacingError as exc:
            self._emit(self.signals.failed, exc)
            return
        except Exception:  # a bug: report it with the traceback
            self._emit(self.signals.crashed, traceback.format_exc())
            return
        self._emit(self.signals.finished, result)

    def _emit(self, signal, *values: Any) -> None:
        try:
            signal.emit(*values)
        except RuntimeError:  # the window that asked for this work was closed meanwhile: nobody to tell
            self._cancelled = True


def start(task: Task, pool: QThreadPool | None = None) -> Task:
    (pool or QThreadPool.globalInstance()).start(task)
    return task
