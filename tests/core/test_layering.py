"""The house's order (docs/architecture.md): the core never imports Qt or the GUI, each wing imports
only the wings below it, and no two modules import each other, however indirectly.

A wrong-way import fails with the two modules named, e.g.
`maintdesk/records/store.py:12 imports maintdesk.letters.issuing: records may not import letters`.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "maintdesk"
GUI = ROOT / "ui"
CORE_TESTS = Path(__file__).resolve().parent

QT_PACKAGES = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy"}
GUI_PACKAGES = {"ui"}

# The core's wings from the top down; wings on one floor may not import each other. The shared
# basics (the modules at the top of `maintdesk/`) are the ground floor.
CORE_FLOORS = [
    ["__main__"],
    ["cli"],
    ["archive", "notices"],
    ["planning", "mail", "imports", "channels"],
    ["letters"],
    ["records"],
    ["basics"],
]
# The GUI likewise: the composition root and the window, the pages, the dialogs, the parts they
# share, and the few modules everything uses. Any of them may import the core.
GUI_FLOORS = [
    ["app"],
    ["main_window"],
    ["pages"],
    ["dialogs"],
    ["widgets", "models", "tasks"],
    ["gui basics"],
]


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def known_modules() -> set[str]:
    return {module_name(p) for folder in (CORE, GUI) for p in python_files(folder)}


def imported_modules(source: str, filename: str, importer: str, known: set[str]) -> list[tuple[int, str]]:
    """(line, module) for every import of a module of this project, wherever it stands (top level,
    inside a function, under TYPE_CHECKING). `from package import name` counts as an import of
    `package.name` when that is a module, else of `package`."""
    package = importer if filename.endswith("__init__.py") else importer.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.append((node.lineno, candidate if candidate in known else base))
    return [(line, name) for line, name in found if name.split(".")[0] in ("maintdesk", "ui")]


def place(module: str, floors: list[list[str]], package: str, ground: str) -> tuple[str, int]:
    """The wing a module of `package` belongs to, and its floor (0 = the top)."""
    parts = module.split(".")
    wing = parts[1] if len(parts) > 2 or (len(parts) == 2 and any(parts[1] in f for f in floors)) else ground
    if parts[0] != package:
        return package, -1
    for level, wings in enumerate(floors):
        if wing in wings:
            return wing, level
    return ground, len(floors) - 1


def wrong_way(importer: str, imported: str) -> str | None:
    """Why `importer` may not import `imported`, or None if it may."""
    if importer.split(".")[0] == "maintdesk" and imported.split(".")[0] == "ui":
        return "the core may not import the GUI"
    for package, floors, ground in (("maintdesk", CORE_FLOORS, "basics"), ("ui", GUI_FLOORS, "gui basics")):
        if importer.split(".")[0] != package or imported.split(".")[0] != package:
            continue
        wing, level = place(importer, floors, package, ground)
        target, target_level = place(imported, floors, package, ground)
        if wing == target:
            return None
        if target_level <= level:
            return f"{wing} may not import {target}"
    return None


def layering_violations(files: dict[str, str]) -> list[str]:
    """`file:line imports module: why` for every wrong-way import among `files` (path → source)."""
    known = {module_name(ROOT / path) for path in files} | known_modules()
    found = []
    for path, source in sorted(files.items()):
        importer = module_name(ROOT / path)
        for line, imported in imported_modules(source, path, importer, known):
            why = wrong_way(importer, imported)
            if why:
                found.append(f"{path}:{line} imports {imported}: {why}")
    return found


def import_cycles(files: dict[str, str]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's algorithm)."""
    known = {module_name(ROOT / path) for path in files} | known_modules()
    graph: dict[str, set[str]] = {}
    for path, source in files.items():
        importer = module_name(ROOT / path)
        targets = {name for _, name in imported_modules(source, path, importer, known) if name in known}
        # Importing a module runs its packages' __init__ first; those are not edges of a cycle of ours.
        graph[importer] = {t for t in targets if t != importer and not importer.startswith(t + ".")}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def project_sources() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
            for folder in (CORE, GUI) for p in python_files(folder)}


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


def test_the_walk_sees_the_whole_core_package():
    names = {p.relative_to(CORE).as_posix() for p in python_files(CORE)}
    assert {"__init__.py", "records/db.py", "records/store.py", "cli/app.py", "records/interchange.py",
            "letters/pdf/batch.py", "planning/rules/engine.py"} <= names


def test_every_core_module_lives_in_a_wing_but_the_shared_basics():
    basics = {p.name for p in CORE.glob("*.py")}
    assert basics == {"__init__.py", "__main__.py", "errors.py", "i18n.py", "paths.py", "progress.py", "search.py",
                      "slugs.py", "timeutil.py", "secrets.py", "settings_files.py"}
    wings = {p.name for p in CORE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert wings == {w for floor in CORE_FLOORS for w in floor} - {"__main__", "basics"}


def test_each_wing_has_a_docstring_saying_what_it_does():
    for folder in (CORE, GUI):
        for init in folder.rglob("__init__.py"):
            if "__pycache__" in init.parts:
                continue
            docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
            assert docstring and len(docstring) > 40, f"{init.relative_to(ROOT)} needs a docstring"


def test_every_import_runs_down_the_house():
    violations = layering_violations(project_sources())
    assert violations == [], "imports that run the wrong way (docs/architecture.md):\n" + "\n".join(violations)


def test_no_two_modules_import_each_other():
    cycles = import_cycles(project_sources())
    assert cycles == [], "modules that import each other:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("maintdesk/records/store.py", "from maintdesk.letters import issuing\n",
         ["maintdesk/records/store.py:1 imports maintdesk.letters.issuing: records may not import letters"]),
        ("maintdesk/letters/templates.py", "def f():\n    from maintdesk.planning.checks import check_work_order\n",
         ["maintdesk/letters/templates.py:2 imports maintdesk.planning.checks: letters may not import planning"]),
        ("maintdesk/mail/outbox.py", "from maintdesk.planning import scheduling\n",
         ["maintdesk/mail/outbox.py:1 imports maintdesk.planning.scheduling: mail may not import planning"]),
        ("maintdesk/errors.py", "import maintdesk.records.models\n",
         ["maintdesk/errors.py:1 imports maintdesk.records.models: basics may not import records"]),
        ("maintdesk/letters/pdf/batch.py", "from ..issuing import issue_print_batch\n", []),
        ("maintdesk/records/db.py", "from . import models\n", []),
        ("maintdesk/cli/data.py", "from maintdesk.archive import export\nfrom maintdesk import errors\n", []),
        ("maintdesk/planning/checks.py", "from ui.messages import show_error\n",
         ["maintdesk/planning/checks.py:1 imports ui.messages: the core may not import the GUI"]),
        ("ui/widgets/forms.py", "from ui.pages.tenants import TenantsPage\n",
         ["ui/widgets/forms.py:1 imports ui.pages.tenants: widgets may not import pages"]),
        ("ui/dialogs/tenant.py", "from ui.widgets.forms import FormDialog\nfrom maintdesk.records.store import Store\n",
         []),
    ],
)
def test_the_layering_check_names_both_modules(path, source, expected):
    assert layering_violations({path: source}) == expected


def test_the_cycle_check_finds_a_loop_through_a_third_module():
    files = {
        "maintdesk/planning/checks.py": "from maintdesk.planning import scheduling\n",
        "maintdesk/planning/scheduling.py": "from maintdesk.planning import slot_edit\n",
        "maintdesk/planning/slot_edit.py": "def f():\n    from maintdesk.planning.checks import x\n",
    }
    assert import_cycles(files) == [["maintdesk.planning.checks", "maintdesk.planning.scheduling",
                                     "maintdesk.planning.slot_edit"]]


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
        ("import uikit\nfrom maintdesk.records.views import unit_view", []),
        ("text = 'import PySide6'", []),
    ],
)
def test_the_import_detector_catches_every_form(source, expected):
    assert forbidden_imports(source, "x.py", QT_PACKAGES | GUI_PACKAGES) == expected


def test_importing_every_core_module_loads_no_qt():
    """Also catches Qt pulled in indirectly, e.g. through a third-party library."""
    script = (
        "import importlib, pkgutil, sys, maintdesk\n"
        "for info in pkgutil.walk_packages(maintdesk.__path__, 'maintdesk.'):\n"
        "    if not info.name.endswith('__main__'):\n"
        "        importlib.import_module(info.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in %r))\n" % sorted(QT_PACKAGES | GUI_PACKAGES)
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
