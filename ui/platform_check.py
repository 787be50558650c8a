"""Before Qt starts: can it open a window here? One sentence saying what is missing, not an abort.

On Linux, Qt's X11 platform plugin (libqxcb.so) needs a dozen system libraries that a fresh
machine may lack; when one is missing Qt prints a long message and aborts the process. MaintDesk
asks `ldd` first and, when the plugin cannot load, says which libraries are missing and which
Debian packages hold them. No Qt import here: this runs before QApplication exists.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Sonames whose Debian package does not follow the usual libNAME.so.N -> libNAMEN rule.
PACKAGE_OF = {"libglib-2.0.so.0": "libglib2.0-0", "libgobject-2.0.so.0": "libglib2.0-0",
              "libgthread-2.0.so.0": "libglib2.0-0"}
WINDOWLESS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs")
_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)


def debian_package(soname: str) -> str:
    """'libxcb-icccm.so.4' -> 'libxcb-icccm4', 'libxkbcommon-x11.so.0' -> 'libxkbcommon-x11-0'."""
    if soname in PACKAGE_OF:
        return PACKAGE_OF[soname]
    match = re.match(r"^lib(.+)\.so\.(\d+)", soname)
    if match is None:
        return soname
    name, version = match.group(1).lower(), match.group(2)
    return f"lib{name}{'-' if name[-1].isdigit() else ''}{version}"


def missing_libraries(plugin: Path) -> list[str]:
    """The libraries `plugin` needs that this system cannot find ([] when `ldd` is not there)."""
    ldd = shutil.which("ldd")
    if ldd is None or not plugin.is_file():
        return []
    result = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20)
    return sorted(set(_NOT_FOUND.findall(result.stdout)))


def xcb_plugin(env: Mapping[str, str]) -> Path:
    """Where Qt will look for libqxcb.so: QT_QPA_PLATFORM_PLUGIN_PATH, else PySide6's own plugins."""
    if env.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        return Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"]) / "libqxcb.so"
    import PySide6  # the package only, to find its folder: Qt itself is not loaded

    return Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def window_problem(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """Why no window can open here, in one sentence, or None when nothing is known to be wrong."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].lower()
    if chosen in WINDOWLESS or chosen.startswith("wayland") or (not chosen and env.get("WAYLAND_DISPLAY")):
        return None
    if not env.get("DISPLAY"):
        return ("MaintDesk cannot open its window: there is no display (DISPLAY is not set); start it from "
                "a desktop session, or under a virtual screen with `xvfb-run make run`.")
    missing = missing_libraries(xcb_plugin(env))
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(debian_package(name) for name in missing))
    them = "it" if len(missing) == 1 else "them"
    return (f"MaintDesk cannot open its window: Qt's X11 platform needs {_joined(missing)}, which this "
            f"system lacks; install {them} with `sudo apt-get install {packages}` (or `make system-packages`).")


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
