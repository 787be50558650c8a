"""`python main.py --screenshots DIR`: every page saved as a PNG, as a person would see it."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_main_saves_a_picture_of_every_page_and_exits(tmp_path):
    shots = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    done = subprocess.run([sys.executable, "main.py", "--basedir", str(tmp_path / "base"), "--screenshots", str(shots)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    pictures = sorted(p.name for p in shots.glob("*.png"))
    assert pictures == ["01-today.png", "02-properties.png", "03-tenants.png", "04-work.png",
                        "05-outbox-records.png", "06-templates.png", "07-settings.png"]
    image = QImage(str(shots / "03-tenants.png"))
    assert (image.width(), image.height()) == (1280, 800)
    assert (tmp_path / "base" / "data" / "maintdesk.sqlite").is_file()  # the first start made a demo database
