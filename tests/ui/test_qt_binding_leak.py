"""The Qt binding's lost references to None, True and False (see ui/__init__.py) cannot end a long session."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})


def test_fifty_thousand_calls_that_return_nothing_do_not_abort_python():
    done = run("""
        import ui
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        label = QLabel()
        for n in range(50_000):
            label.setText(str(n))
        print("done", label.text())
    """)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["done", "49999"]
    assert "none_dealloc" not in done.stderr


def test_fifty_thousand_signals_emitted_do_not_abort_python_then_or_at_exit():
    done = run("""
        import ui
        from PySide6.QtCore import QObject, Signal

        class Counter(QObject):
            ticked = Signal(int, int)

        counter = Counter()
        seen = []
        counter.ticked.connect(lambda done, total: seen.append(done))
        for n in range(50_000):
            counter.ticked.emit(n, 50_000)
        print("done", len(seen))
    """)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["done", "50000"]
    assert "bool_dealloc" not in done.stderr


def test_the_workaround_is_applied_only_where_the_binding_leaks():
    probe = run("""
        import sys
        from PySide6.QtCore import QCoreApplication, QObject, Signal

        class Probe(QObject):
            happened = Signal()

        probe = Probe()
        before = sys.getrefcount(None)
        QCoreApplication.setApplicationName("probe")
        after = sys.getrefcount(None)
        before_emit = sys.getrefcount(True)
        probe.happened.emit()
        after_emit = sys.getrefcount(True)
        none_leaks, true_leaks = after < before, after_emit < before_emit
        import ui
        print(none_leaks, ui.NONE_KEPT_ALIVE, true_leaks, ui.BOOLS_KEPT_ALIVE)
    """)
    assert probe.returncode == 0, probe.stderr[-2000:]
    none_leaks, none_kept, true_leaks, bools_kept = probe.stdout.split()
    assert (none_kept, bools_kept) == (none_leaks, true_leaks)
