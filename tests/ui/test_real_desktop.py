"""The program as a person starts it: `main.py` on a real X server (Xvfb) with Qt's xcb platform,
not offscreen; what it says when no window can open; no scratch folders left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ui.platform_check import debian_package, window_problem

ROOT = Path(__file__).resolve().parents[2]
GRAB = Path(__file__).with_name("screen_grab.py")


def x_environment(tmp_path: Path, display: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND"))}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path / "home"), TMPDIR=str(tmp_path / "tmp"),
               XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"), XDG_RUNTIME_DIR=str(tmp_path / "run"))
    for folder in ("home", "tmp", "run"):
        (tmp_path / folder).mkdir(exist_ok=True, mode=0o700)
    return env


@pytest.fixture
def x_server(tmp_path):
    """An Xvfb of the test's own on a free display number; yields ':N'."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail("Xvfb is not installed: run `make install` (Debian package xvfb)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    assert number.isdigit(), "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait(10)


def wait_for_window(env: dict[str, str], title: str, program: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    tree = ""
    while time.monotonic() < deadline:
        assert program.poll() is None, f"the program exited with {program.returncode}"
        tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True).stdout
        if title in tree:
            return tree
        time.sleep(0.3)
    raise AssertionError(f"no window titled {title!r} after {timeout} s:\n{tree[-2000:]}")


def test_the_window_opens_on_a_real_x_display_shows_the_demo_and_quits_cleanly(tmp_path, x_server):
    env = x_environment(tmp_path, x_server)
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as stderr:
        program = subprocess.Popen([sys.executable, "main.py", "--basedir", str(tmp_path / "data")], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            wait_for_window(env, "MaintDesk — maintdesk.sqlite (demo data)", program)
            time.sleep(1.0)  # the first paint
            shot = tmp_path / "screen.png"
            grab = subprocess.run([sys.executable, str(GRAB), str(shot)], env=env, capture_output=True, text=True,
                                  timeout=60)
            assert grab.returncode == 0, grab.stderr
            assert int(grab.stdout.strip()) > 20, "the screen is blank"
            assert shot.stat().st_size > 10_000
            program.send_signal(signal.SIGTERM)  # as a logout does: the program quits as with File > Quit
            assert program.wait(30) == 0
        finally:
            if program.poll() is None:
                program.kill()
                program.wait(10)
    said = errors.read_text()
    assert "Traceback" not in said and "Aborted" not in said, said
    assert not list((tmp_path / "tmp").glob("maintdesk-*")), "scratch folders left behind"


def test_a_missing_x11_library_is_one_sentence_not_an_abort(tmp_path, x_server):
    """A copy of Qt's X11 plugin that needs a library no system has, found where Qt would look."""
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    platforms = tmp_path / "Qt" / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (tmp_path / "Qt" / "lib").symlink_to(qt / "lib")  # the plugin finds Qt's libraries at $ORIGIN/../../lib
    plugin = (qt / "plugins" / "platforms" / "libqxcb.so").read_bytes()
    assert plugin.count(b"libxcb-icccm.so.4\0") == 1
    (platforms / "libqxcb.so").write_bytes(plugin.replace(b"libxcb-icccm.so.4\0", b"libxcb-icqqm.so.4\0"))
    env = x_environment(tmp_path, x_server) | {"QT_QPA_PLATFORM_PLUGIN_PATH": str(platforms)}

    result = subprocess.run([sys.executable, "main.py", "--basedir", str(tmp_path / "data")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "MaintDesk cannot open its window: Qt's X11 platform needs libxcb-icqqm.so.4, which this system lacks; "
        "install it with `sudo apt-get install libxcb-icqqm4` (or `make system-packages`)."]


def test_without_a_display_the_program_says_so():
    problem = window_problem({"PATH": os.environ.get("PATH", "")}, platform="linux")
    assert problem.startswith("MaintDesk cannot open its window: there is no display")
    assert window_problem({"QT_QPA_PLATFORM": "offscreen"}, platform="linux") is None
    assert window_problem({}, platform="win32") is None


@pytest.mark.parametrize("soname, package", [
    ("libxcb-icccm.so.4", "libxcb-icccm4"), ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libEGL.so.1", "libegl1"), ("libX11-xcb.so.1", "libx11-xcb1"), ("libglib-2.0.so.0", "libglib2.0-0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"), ("libdbus-1.so.3", "libdbus-1-3"),
])
def test_a_library_is_named_by_its_debian_package(soname, package):
    assert debian_package(soname) == package


def test_scratch_folders_of_a_crashed_run_go_at_the_next_start_and_the_program_leaves_none(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TMPDIR"} | {"QT_QPA_PLATFORM": "offscreen",
                                                                   "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / "tmp" / f"maintdesk-preview-{dead.pid}-x1y2"
    (stale / "inner").mkdir(parents=True)
    alive = tmp_path / "tmp" / f"maintdesk-preview-{os.getpid()}-a1b2"  # a program still running
    alive.mkdir()
    other = tmp_path / "tmp" / "maintdesk-records-unrelated"
    other.mkdir()

    result = subprocess.run([sys.executable, "main.py", "--demo", "--screenshots", str(tmp_path / "shots")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "shots").glob("*.png"))) == 7
    assert sorted(p.name for p in (tmp_path / "tmp").iterdir()) == sorted([alive.name, other.name])
