"""One database file, four processes writing at once for 30 seconds: command-line writes, the
tenant dialog's save (offscreen), and transactions that read before they write (as a dialog's
save does). No lock error, no lost write, everyone gets a turn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from maintdesk.records.store import Store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SECONDS = 30


def test_four_writers_on_one_file_for_30_seconds_lose_nothing_and_never_see_a_lock(tmp_path):
    demo = tmp_path / "office.sqlite"
    made = subprocess.run([sys.executable, "-m", "maintdesk", "--db", str(demo), "init", "--demo"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert made.returncode == 0, made.stderr
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    writers = {name: subprocess.Popen([sys.executable, str(HERE / "office_writer.py"), mode, str(demo), str(SECONDS),
                                       name], cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True)
               for name, mode in (("S1", "store"), ("S2", "store"), ("CLI", "cli"), ("GUI", "gui"))}
    writes = {}
    for name, process in writers.items():
        out, err = process.communicate(timeout=SECONDS + 120)
        assert process.returncode == 0, f"{name}: {err.strip()[-2000:]}"
        assert "locked" not in err and "Traceback" not in err, err
        writes[name] = json.loads(out.strip().splitlines()[-1])["writes"]
    assert all(count >= 10 for count in writes.values()), writes  # everyone got their turn
    store = Store.open(demo, create=False)
    try:
        overrides = [o.code for o in store.list_finding_overrides(2) if o.code.startswith("LOAD/")]
        tenants = [r.tenant.name for r in store.list_tenants(1) if r.tenant.name.startswith("GUI tenant")]
    finally:
        store.close()
    assert len(overrides) == len(set(overrides)) == writes["S1"] + writes["S2"] + writes["CLI"]
    assert len(tenants) == writes["GUI"]


