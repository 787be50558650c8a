"""The core package never imports Qt or the GUI package (DESIGN.md, Layers)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "maintdesk"
CORE_TESTS = Path(__file__).resolve().parent

QT_PACKAGES = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy"}
GUI_PACKAGES = {"ui"}


def forbidden_imports(source: str, filename: str, forbidden: set[str]) -> list[str]:
    """`file:line: module` for every import of a forbidden top-level package."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Name, ast.Attribute))
            and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        found += [f"{filename}:{node.lineno}: {name}" for name in names if name.split(".")[0] in forbidden]
    return found


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_walk_sees_the_whole_core_package():
    names = {p.relative_to(CORE).as_posix() for p in python_files(CORE)}
    assert {"__init__.py", "db.py", "store.py", "cli.py", "interchange.py", "validation.py"} <= names


def test_core_package_never_imports_qt_or_the_gui():
    offenders = [
        hit
        for path in python_files(CORE)
        for hit in forbidden_imports(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)),
                                     QT_PACKAGES | GUI_PACKAGES)
    ]
    assert offenders == [], "maintdesk/ must not depend on Qt or ui/:\n" + "\n".join(offenders)


def test_core_tests_never_import_qt_or_the_gui():
    offenders = [
        hit
        for path in python_files(CORE_TESTS)
        for hit in forbidden_imports(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)),
                                     QT_PACKAGES | GUI_PACKAGES)
    ]
    offenders += forbidden_imports((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"),
                                   "tests/conftest.py", QT_PACKAGES | GUI_PACKAGES)
    assert offenders == [], "tests/core must run without Qt:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import PySide6", ["x.py:1: PySide6"]),
        ("import os, PySide6.QtCore as qc", ["x.py:1: PySide6.QtCore"]),
        ("from PySide6 import QtWidgets", ["x.py:1: PySide6"]),
        ("from PySide6.QtCore import Qt", ["x.py:1: PySide6.QtCore"]),
        ("def f():\n    from ui.app import run\n", ["x.py:2: ui.app"]),
        ("import ui", ["x.py:1: ui"]),
        ("import importlib\nimportlib.import_module('PySide6.QtGui')", ["x.py:2: PySide6.QtGui"]),
        ("try:\n    import shiboken6\nexcept ImportError:\n    pass\n", ["x.py:2: shiboken6"]),
        # Not violations: relative imports, and names that merely start with the same letters.
        ("from . import ui", []),
        ("from .ui import thing", []),
        ("import uikit\nfrom maintdesk.views import unit_view", []),
        ("text = 'import PySide6'", []),
    ],
)
def test_the_import_detector_catches_every_form(source, expected):
    assert forbidden_imports(source, "x.py", QT_PACKAGES | GUI_PACKAGES) == expected


def test_importing_every_core_module_loads_no_qt():
    """Also catches Qt pulled in indirectly, e.g. through a third-party library."""
    script = (
        "import importlib, pkgutil, sys, maintdesk\n"
        "for info in pkgutil.iter_modules(maintdesk.__path__):\n"
        "    if info.name != '__main__':\n"
        "        importlib.import_module('maintdesk.' + info.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in %r))\n" % sorted(QT_PACKAGES | GUI_PACKAGES)
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
