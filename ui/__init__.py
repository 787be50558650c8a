"""The Qt layer: shows and edits, and asks maintdesk/ to do the work."""

from __future__ import annotations

import ctypes
import sys


def _keep_none_alive() -> bool:
    """WORKAROUND for PySide6 6.12.0 on Python 3.11: every call of a Qt function that returns
    nothing (setText, setEnabled, processEvents…) drops one reference to None that it never took.
    After some thousands of such calls None's count reaches zero and Python aborts ("Fatal Python
    error: none_dealloc"), at any moment of a long session. PySide6 6.11 does not do this, but
    PySide6-Pdf exists only for 6.12. From Python 3.12 None is immortal and nothing is needed.

    Measured on one such call; when it leaks, None gets 2**40 references more: a leak of one per
    call could not use them up in years of use. Returns whether the workaround was needed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    from PySide6.QtCore import QCoreApplication

    name = QCoreApplication.applicationName()
    before = sys.getrefcount(None)
    QCoreApplication.setApplicationName(name)
    if sys.getrefcount(None) >= before:
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return True


NONE_KEPT_ALIVE = _keep_none_alive()
