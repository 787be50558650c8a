"""A program that quits while its PDF worker is still warming up leaves no folder behind."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CHILD = textwrap.dedent("""
    import sys, time, tempfile
    from pathlib import Path
    from maintdesk.letters.issuing import keep_renderer_warm
    from maintdesk.paths import AppPaths

    if __name__ == "__main__":
        keep_renderer_warm(AppPaths.under(Path(sys.argv[1])).ensure())
        deadline = time.monotonic() + 60
        while not list(Path(tempfile.gettempdir()).glob("maintdesk-warmup-*")):  # the warm-up is under way
            if time.monotonic() > deadline:
                sys.exit("the warm-up never started")
            time.sleep(0.005)
        sys.exit(0)  # quit at once, as the window does on SIGTERM
""")


def test_quitting_during_the_warm_up_removes_its_folder(tmp_path: Path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "base")], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "TMPDIR": str(temp)}, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert not list(temp.glob("maintdesk-*")), "the warm-up's folder was left behind"
