"""Starting the program prints nothing on the terminal but warnings, unless --verbose; the log file has it all."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start(base: Path, *options: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(base / "home"))
    return subprocess.run([sys.executable, "main.py", "--basedir", str(base), "--screenshots", str(base / "shots"),
                           *options], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def test_a_first_start_is_quiet_on_the_terminal(tmp_path):
    done = start(tmp_path / "quiet")
    assert done.returncode == 0, done.stderr
    assert " INFO " not in done.stderr, done.stderr
    log = (tmp_path / "quiet").rglob("maintdesk.log")
    text = next(log).read_text(encoding="utf-8")
    assert "created a new database at schema" in text and "starting; database" in text
    assert len(list((tmp_path / "quiet" / "shots").glob("*.png"))) >= 5


def test_verbose_puts_the_log_on_the_terminal(tmp_path):
    done = start(tmp_path / "told", "--verbose")
    assert done.returncode == 0, done.stderr
    assert "INFO maintdesk.records.db: created a new database at schema" in done.stderr
