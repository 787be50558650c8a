"""Long work off the GUI thread (ui/tasks/runner.py) and garbage collected on it (ui/garbage.py)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from maintdesk.errors import InvalidInput
from maintdesk.progress import Progress
from ui.tasks import runner
from ui.tasks.runner import Task, start

WAIT = 60_000


class Owner(QWidget):
    """Lets go of its task in the slot that receives the task's last report, as the dialogs do."""

    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel(self)
        self.task: Task | None = None
        self.results: list[object] = []

    def go(self, number: int) -> None:
        def work():
            yield Progress(0, 1)
            yield ("result", number)

        self.task = Task(work, lambda event: isinstance(event, tuple))
        self.task.signals.finished.connect(self.finished)
        start(self.task)

    def finished(self, result: object) -> None:
        self.task = None
        self.results.append(result)
        self.label.setText(str(len(self.results)))


def test_two_thousand_short_tasks_whose_owner_lets_go_at_once(qtbot):
    """The old runner (a QRunnable with signals of its own, destroyed on the pool thread) crashed
    with a segmentation fault within 500 such tasks."""
    owners = [Owner() for _ in range(4)]
    for owner in owners:
        qtbot.addWidget(owner)
    started = 0
    while started < 2000:
        for owner in owners:
            if owner.task is None and started < 2000:
                owner.go(started)
                started += 1
        QApplication.processEvents()
    assert runner.wait_for_all(WAIT)
    qtbot.waitUntil(lambda: sum(len(o.results) for o in owners) == 2000, timeout=WAIT)
    assert sorted(number for o in owners for _, number in o.results) == list(range(2000))
    assert runner.running() == 0


def test_progress_result_failure_and_crash_arrive_on_the_gui_thread(qtbot):
    gui_thread = threading.get_ident()
    seen: list[tuple[str, object, int]] = []

    def record(kind):
        return lambda *values: seen.append((kind, values, threading.get_ident()))

    def working():
        yield Progress(1, 3)
        yield Progress(2, 3)
        yield "done"

    def failing():
        yield Progress(1, 2)
        raise InvalidInput("the file has no header row")

    def crashing():
        yield Progress(1, 2)
        raise KeyError("bug")

    tasks = []
    for work in (working, failing, crashing):
        task = Task(work, lambda event: isinstance(event, str))
        for kind in ("progress", "finished", "failed", "crashed"):
            getattr(task.signals, kind).connect(record(kind))
        tasks.append(start(task))
    assert runner.wait_for_all(WAIT)
    assert {thread for _, _, thread in seen} == {gui_thread}
    kinds = [(kind, values) for kind, values, _ in seen]
    assert ("progress", (1, 3)) in kinds and ("progress", (2, 3)) in kinds
    assert ("finished", ("done",)) in kinds
    failed = [values[0] for kind, values in kinds if kind == "failed"]
    assert [error.summary for error in failed] == ["the file has no header row"]
    crashed = [values[0] for kind, values in kinds if kind == "crashed"]
    assert len(crashed) == 1 and "KeyError: 'bug'" in crashed[0]


def test_a_cancelled_task_reports_nothing_more_and_stops_its_work(qtbot):
    release = threading.Event()
    reached = []

    def slow():
        yield Progress(0, 2)
        release.wait(10)
        reached.append("after the wait")
        yield Progress(1, 2)
        reached.append("after cancel: must not run")
        yield "done"

    task = Task(slow, lambda event: isinstance(event, str))
    reports = []
    for kind in ("progress", "finished", "failed", "crashed"):
        getattr(task.signals, kind).connect(lambda *values, kind=kind: reports.append(kind))
    start(task)
    qtbot.waitUntil(lambda: reports == ["progress"], timeout=WAIT)
    task.cancel()
    release.set()
    assert runner.wait_for_all(WAIT)
    assert reports == ["progress"]
    assert reached == ["after the wait"]


def test_garbage_is_collected_on_the_gui_thread_only(qtbot):
    assert not gc.isenabled()  # automatic collection would run on any thread

    class Cycle(QObject):
        pass

    def make_cycle():
        first, second = Cycle(), Cycle()
        first.other, second.other = second, first
        return weakref.ref(first)

    cycles = [make_cycle() for _ in range(1000)]  # enough allocations to pass the first threshold
    assert any(ref() is not None for ref in cycles)
    qtbot.waitUntil(lambda: all(ref() is None for ref in cycles), timeout=5_000)
