"""A database on a share nobody may write: read as usual, every write refused in one sentence.

Real processes on a real file, run as a user who may not write it (root may write anything, so
as root the commands run as `nobody`). Several writers at once: tests/ui/test_office_writers.py.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest


HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NOBODY = 65534


def cli(db: Path, *args: str, as_user: int | None = None) -> subprocess.CompletedProcess:
    """The command line in a process of its own (as `as_user`, through util-linux's setpriv, if given)."""
    drop = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups"] if as_user is not None else []
    return subprocess.run([*drop, sys.executable, "-m", "maintdesk", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def demo(tmp_path) -> Path:
    db = tmp_path / "office.sqlite"
    assert cli(db, "init", "--demo").returncode == 0
    return db


@pytest.fixture
def share():
    """A folder another user can reach (the test's own tmp_path is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="maintdesk-share-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


def reader_who_may_not_write() -> int | None:
    """Root may write any file: the read-only tests then run their commands as `nobody`."""
    if os.geteuid() != 0:
        return None
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without util-linux's setpriv: no user who may not write")
    probe = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable,
                            "-c", "import maintdesk"], cwd=ROOT, capture_output=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    if probe.returncode != 0:
        pytest.skip(f"the unprivileged user cannot run this checkout's Python: {probe.stderr.strip()[-200:]}")
    return NOBODY


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_database_nobody_may_write_is_read_and_every_write_is_one_clear_sentence(demo, share, what):
    db = share / "copy.sqlite"
    shutil.copyfile(demo, db)
    db.chmod(0o444 if what == "file" else 0o644)
    if what == "folder":
        share.chmod(0o555)
    user = reader_who_may_not_write()
    shown = cli(db, "work", "list", "--json", as_user=user)
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)) == 3
    for command in (["work", "override", "1", "FR/notification/method", "--reason", "signed"],
                    ["work", "status", "2", "cancelled"],
                    ["work", "terms", "2", "--vacate-days", "2"]):
        refused = cli(db, *command, as_user=user)
        lines = refused.stderr.strip().splitlines()
        assert refused.returncode != 0 and len(lines) == 1, refused.stderr
        assert lines[0].startswith(f"maintdesk: error: the database {db} is read-only"), lines[0]
        assert "Traceback" not in refused.stderr and "internal error" not in refused.stderr
    with sqlite3.connect(demo) as conn:
        original = conn.execute("SELECT count(*) FROM finding_overrides").fetchone()
    with sqlite3.connect(f"{db.as_uri()}?immutable=1", uri=True) as conn:
        assert conn.execute("SELECT count(*) FROM finding_overrides").fetchone() == original  # nothing written
