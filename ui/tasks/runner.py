"""Long work off the GUI thread: a core generator run on a thread pool, reported by signals.

The core yields progress objects (with `done` and `total`) and finally its result; the task
forwards them to the GUI thread. A UserFacingError arrives as `failed` with its sentence; any
other exception is a bug and arrives as `crashed` with the traceback.
"""

from __future__ import annotations

import gc
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from maintdesk.errors import UserFacingError


class _GarbageCollectorPause:
    """No automatic garbage collection while a task runs on a pool thread.

    A collection triggered on a pool thread may destroy Qt objects that belong to the GUI thread
    (wrappers caught in reference cycles), which crashes Qt (seen: a segmentation fault while a
    batch rendered). Collection is paused while tasks run and done on the GUI thread instead.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._was_enabled = True

    def enter(self) -> None:
        with self._lock:
            if self._running == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._running += 1

    def leave(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0 and self._was_enabled:
                gc.enable()


_gc_pause = _GarbageCollectorPause()


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
        try:
            self._run()
        finally:
            _gc_pause.leave()

    def _run(self) -> None:
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
    """Runs the task on the pool. Called on the GUI thread, which collects its garbage first."""
    gc.collect()
    _gc_pause.enter()
    task.signals.finished.connect(_collect_on_gui_thread)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def _collect_on_gui_thread(_result: object = None) -> None:
    gc.collect()
