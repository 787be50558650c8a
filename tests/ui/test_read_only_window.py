"""The window on a copy nobody may write: a banner says so, and a save is refused in a sentence."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from maintdesk.records.store import Store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NOBODY = 65534


def test_a_read_only_database_opens_with_a_banner_and_refuses_saves_in_a_sentence(app_paths, demo_store):
    share = Path(tempfile.mkdtemp(prefix="maintdesk-share-"))
    try:
        db = share / "copy.sqlite"
        demo_store.close()
        shutil.copyfile(app_paths.database, db)
        copy = Store.open(db)
        before = len(copy.list_tenants())
        copy.close()
        db.chmod(0o444)
        share.chmod(0o555)
        drop = []
        if os.geteuid() == 0:  # root may write anything: look as a user who may not
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without util-linux's setpriv")
            drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        done = subprocess.run([*drop, sys.executable, str(HERE / "read_only_window.py"), str(db), str(share / "base")],
                              cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(share)})
        assert done.returncode == 0, done.stderr[-2000:]
        seen = json.loads(done.stdout.strip().splitlines()[-1])
        assert seen["banner"] and seen["text"].startswith(f"Read-only: {db} cannot be written")
        assert seen["title"].endswith("(read-only)")
        assert not seen["saved"] and f"the database {db} is read-only" in seen["message"]
        assert seen["tenants"] == before
    finally:
        share.chmod(0o755)
        shutil.rmtree(share, ignore_errors=True)
