"""Long work off the GUI thread: a core generator run on a worker thread, reported on the GUI thread.

The core yields progress objects (with `done` and `total`) and finally its result; the task hands
them to the GUI thread. A UserFacingError arrives as `failed` with its sentence; any other
exception is a bug and arrives as `crashed` with the traceback. A cancelled task reports nothing
more.

Lifetimes: a worker thread never holds a Qt object or a widget, only the work (a closure over
plain values such as a database path), a cancel flag and the task's number. It reports through
`_Hub`, one QObject that lives as long as the application and whose signal crosses to the GUI
thread; there the hub hands each report to its `Task` and lets go of the task after its last
report. So every Qt object of a task is made and destroyed on the GUI thread. (A task used to be
a QRunnable with signals of its own, which the thread pool destroyed on its thread while the GUI
thread could still be delivering them: a rare segmentation fault.)
"""

from __future__ import annotations

import itertools
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from maintdesk.errors import UserFacingError

WORKER_THREADS = 4


class TaskSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)  # the UserFacingError
    crashed = Signal(str)  # a traceback


class Task:
    """One piece of long work: `work()` returns the core's generator, `is_result(event)` picks its result."""

    def __init__(self, work: Callable[[], Iterator[Any]], is_result: Callable[[Any], bool]):
        self.signals = TaskSignals()
        self.work = work
        self.is_result = is_result
        self.cancelled = threading.Event()

    def cancel(self) -> None:
        self.cancelled.set()


class _Hub(QObject):
    """Carries the workers' reports to the GUI thread; lives as long as the application."""

    report = Signal(int, str, object)

    def __init__(self) -> None:
        super().__init__()
        self.tasks: dict[int, Task] = {}
        self.numbers = itertools.count(1)
        self.pool = ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="maintdesk-task")
        self.report.connect(self._deliver)  # queued: emitted on a worker thread, received on the GUI thread

    def _deliver(self, number: int, kind: str, payload: Any) -> None:
        task = self.tasks.get(number)
        if task is None:
            return
        if kind == "progress":
            if not task.cancelled.is_set():
                task.signals.progress.emit(*payload)
            return
        del self.tasks[number]
        if kind != "cancelled" and not task.cancelled.is_set():
            getattr(task.signals, kind).emit(payload)


_hub: _Hub | None = None


def _the_hub() -> _Hub:
    global _hub
    if _hub is None:
        _hub = _Hub()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(cancel_all)
    return _hub


def start(task: Task) -> Task:
    """Runs the task on a worker thread. Called on the GUI thread."""
    hub = _the_hub()
    number = next(hub.numbers)
    hub.tasks[number] = task
    hub.pool.submit(_run, number, task.work, task.is_result, task.cancelled, hub.report)
    return task


def running() -> int:
    """How many tasks have not yet delivered their last report."""
    return len(_hub.tasks) if _hub is not None else 0


def cancel_all() -> None:
    """Asks every running task to stop (when the application quits)."""
    for task in list(_hub.tasks.values()) if _hub is not None else ():
        task.cancel()


def wait_for_all(timeout_ms: int) -> bool:
    """Processes events until every task has delivered its last report; False on timeout."""
    deadline = time.monotonic() + timeout_ms / 1000
    while running():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents()
        time.sleep(0.005)
    return True


def _run(number: int, work: Callable[[], Iterator[Any]], is_result: Callable[[Any], bool],
         cancelled: threading.Event, report: Any) -> None:
    """On a worker thread: drain the generator, sending what it yields to the GUI thread."""
    result = None
    try:
        events = work()
        try:
            for event in events:
                if cancelled.is_set():
                    break
                if is_result(event):
                    result = event
                elif hasattr(event, "done"):
                    report.emit(number, "progress", (event.done, event.total))
        finally:
            events.close()  # a cancelled batch stops its workers and removes temporary files
    except UserFacingError as exc:
        report.emit(number, "failed", exc)
        return
    except Exception:  # a bug: report it with the traceback
        report.emit(number, "crashed", traceback.format_exc())
        return
    report.emit(number, "cancelled" if cancelled.is_set() else "finished", result)
