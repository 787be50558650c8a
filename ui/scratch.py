"""Scratch folders in the temporary directory (previews, drafts, a throwaway demo), never left behind.

Each folder is named `maintdesk-<kind>-<pid>-<random>`: it is removed when its owner goes away or
at the latest when the program exits, and a folder whose process no longer runs (the program
crashed or was killed) is removed at the next start.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import tempfile
import weakref
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "maintdesk-"
_OWNED = re.compile(r"^maintdesk-[a-z]+-(\d+)-")
_made: set[Path] = set()


def scratch_dir(kind: str, owner: object | None = None) -> Path:
    """A new folder for `kind` ("preview", "drafts", "demo"); removed with `owner`, or at exit."""
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-{os.getpid()}-"))
    _made.add(folder)
    if owner is not None:
        weakref.finalize(owner, remove, folder)
    return folder


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    _made.discard(folder)


def remove_all() -> None:
    """This process's folders: at exit."""
    for folder in list(_made):
        remove(folder)


def remove_stale(temp_dir: Path | None = None) -> list[Path]:
    """The folders of MaintDesk processes that no longer run; returns what was removed."""
    removed = []
    for folder in Path(temp_dir or tempfile.gettempdir()).glob(f"{PREFIX}*"):
        owner = _OWNED.match(folder.name)
        if owner is None or not folder.is_dir() or _running(int(owner.group(1))):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    if removed:
        log.info("removed %d scratch folders left by earlier runs", len(removed))
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows' os.kill(pid, 0) would interrupt that process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


atexit.register(remove_all)
