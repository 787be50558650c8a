"""The Qt layer: shows and edits, and asks maintdesk/ to do the work."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

SPARE_REFERENCES = 1 << 40   # a leak of one reference per call could not use these up in years of use


def _keep_alive_if_leaking(value: object, call: Callable[[], object], *also: object) -> bool:
    """WORKAROUND for PySide6 6.12.0 on Python 3.11: some calls give back a reference to a
    singleton that they never took. Each call of a Qt function that returns nothing (setText,
    setEnabled, processEvents…) drops one reference to None; each `Signal.emit()` returns True
    without taking a reference to it. After some thousands of such calls the count reaches zero
    and Python aborts ("Fatal Python error: none_dealloc" / "bool_dealloc"), at any moment of a
    long session, or when it exits. PySide6 6.11 does not do this, but PySide6-Pdf exists only for
    6.12; from Python 3.12 None, True and False are immortal and nothing is needed.

    Measured on one `call`; when it leaks, `value` (and `also`) get SPARE_REFERENCES more.
    Returns whether the workaround was needed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    before = sys.getrefcount(value)
    call()
    if sys.getrefcount(value) >= before:
        return False
    for kept in (value, *also):
        ctypes.c_ssize_t.from_address(id(kept)).value += SPARE_REFERENCES
    return True


class _Probe(QObject):
    happened = Signal()


_probe = _Probe()
_name = QCoreApplication.applicationName()
NONE_KEPT_ALIVE = _keep_alive_if_leaking(None, lambda: QCoreApplication.setApplicationName(_name))
BOOLS_KEPT_ALIVE = _keep_alive_if_leaking(True, _probe.happened.emit, False)
