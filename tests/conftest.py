"""Shared by every test (core and ui): no test may touch a real MaintDesk profile.

Imports nothing from Qt, so tests/core stays Qt-free.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Qt tests run headless; harmless for the core tests, which never load Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_PROFILE_VARIABLES = {
    "XDG_DATA_HOME": ".local/share",
    "XDG_CONFIG_HOME": ".config",
    "XDG_STATE_HOME": ".local/state",
    "XDG_CACHE_HOME": ".cache",
    "APPDATA": "AppData/Roaming",
    "LOCALAPPDATA": "AppData/Local",
}


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty home folder per test: platformdirs (AppPaths.default()) resolves inside it."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    for variable, relative in _PROFILE_VARIABLES.items():
        monkeypatch.setenv(variable, str(home / relative))
    return home
