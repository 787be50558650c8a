"""Smoke test of the built app, dist/MaintDesk/, as a person without Python would run it.

    python3 packaging/smoke_test.py [dist/MaintDesk]        (make package-test; the system's python3,
                                                            standard library only)

Every program runs with a clean HOME in a temporary folder and PATH=/usr/bin:/bin (no .venv):
1. `maintdesk --version`, timed;
2. `maintdesk --db T/demo.sqlite init --demo`;
3. one demo letter through the CLI (`notices render 1 --kind initial --draft --tenant 1`), timed:
   pdftotext finds the tenant's name and the draft mark, pdffonts shows DejaVu embedded;
4. the same letter with a fontconfig file that knows only the bundled fonts, as on a machine
   without fonts-dejavu: DejaVu still embedded; and once more under LD_DEBUG=files: Pango,
   PangoFT2, HarfBuzz, HarfBuzz-subset, fontconfig and GObject are all loaded from the bundle;
5. all drafts of work order 1: the PDF workers (spawned as the frozen `maintdesk` itself) in parallel;
6. `maintdesk-gui --screenshots` under xvfb-run with QT_QPA_PLATFORM=xcb: one PNG per page, each
   decoded here and not blank;
7. `maintdesk-gui` started as a person would, under xvfb-run: its PDF worker (the frozen
   `maintdesk-gui` itself, kept warm for the first preview) comes up and stays up; SIGTERM closes
   the program with status 0 and no process left behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

TIMEOUT = 180


def say(text: str) -> None:
    print(f"smoke: {text}", flush=True)


def fail(text: str) -> None:
    print(f"smoke: FAILED: {text}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def run(args: list[str], env: dict[str, str], what: str) -> tuple[str, float]:
    start = time.monotonic()
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    took = time.monotonic() - start
    if result.returncode != 0:
        fail(f"{what}: exit status {result.returncode}\n{result.stdout}\n{result.stderr}")
    if "Fontconfig" in result.stderr or "WeasyPrint could not import" in result.stderr:
        fail(f"{what}: complaints on stderr:\n{result.stderr}")
    return result.stdout, took


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def embedded_fonts(pdf: Path) -> list[str]:
    """Names of the fonts pdffonts lists as embedded ("emb" yes)."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    names = []
    for line in lines[2:]:
        fields = line.split()
        if len(fields) >= 7 and fields[-5] == "yes":  # … emb sub uni object-number generation
            names.append(fields[0])
    return names


def check_letter(pdf: Path, tenant: str, what: str) -> None:
    text = pdf_text(pdf)
    if tenant not in text:
        fail(f"{what}: {pdf.name} does not contain the tenant's name {tenant!r}")
    if "PROJET" not in text and "DRAFT" not in text:
        fail(f"{what}: {pdf.name} has no draft mark")
    fonts = embedded_fonts(pdf)
    if not fonts or not all("DejaVu" in name for name in fonts):
        fail(f"{what}: {pdf.name} embeds {fonts or 'no fonts'}, expected DejaVu")
    say(f"{what}: {pdf.name} names {tenant}, marked draft, fonts embedded: {', '.join(sorted(set(fonts)))}")


WEASYPRINT_LIBRARIES = ("libgobject-2.0.so.0", "libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz.so.0",
                        "libharfbuzz-subset.so.0", "libfontconfig.so.1")


def native_libraries(args: list[str], env: dict[str, str]) -> dict[str, str]:
    """soname -> file the dynamic loader opened for it while `args` ran (glibc's LD_DEBUG=files)."""
    result = subprocess.run(args, env=dict(env, LD_DEBUG="files"), capture_output=True, text=True,
                            timeout=TIMEOUT, check=False)
    if result.returncode != 0:
        fail(f"{' '.join(args)} with LD_DEBUG: exit status {result.returncode}")
    loaded = {}
    for line in result.stderr.splitlines():  # "  1234:  calling init: /path/to/libpango-1.0.so.0"
        if "calling init: " in line:
            path = line.split("calling init: ", 1)[1].strip()
            name = os.path.basename(path)
            if name in WEASYPRINT_LIBRARIES and loaded.setdefault(name, path) != path:
                fail(f"{name} loaded from two places: {loaded[name]}, {path}")
    return loaded


# -- PNG, decoded with zlib: how many colours does a picture have? -----------------------------

def png_colours(path: Path, limit: int = 64) -> int:
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path.name} is not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour_type)
    if depth != 8 or channels is None or interlace:
        return limit  # a PNG this check does not decode; Qt writes 8-bit RGB(A)
    raw, stride, bpp = zlib.decompress(idat), width * channels, channels
    previous, colours = bytearray(stride), set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        previous = line
        if row % 8 == 0:
            colours.update(bytes(line[i:i + channels]) for i in range(0, stride, channels * 4))
            if len(colours) >= limit:
                return limit
    return len(colours)


# -- Processes ----------------------------------------------------------------------------------

def processes_of(program: Path) -> dict[int, list[str]]:
    """pid -> command line of every running process whose executable is `program`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(os.readlink(entry / "exe")) == program:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
    return found


def main(folder: str = "dist/MaintDesk") -> int:
    app = Path(folder).resolve()
    cli, gui = app / "maintdesk", app / "maintdesk-gui"
    for program in (cli, gui):
        if not os.access(program, os.X_OK):
            fail(f"{program} is missing: run `make package` first")
    for tool in ("pdftotext", "pdffonts", "xvfb-run"):
        if shutil.which(tool, path="/usr/bin:/bin") is None:
            fail(f"{tool} is missing (Debian: poppler-utils, xvfb)")
    t = Path(tempfile.mkdtemp(prefix="maintdesk-smoke-"))
    try:
        (t / "home").mkdir()
        (t / "tmp").mkdir()
        env = {"HOME": str(t / "home"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TMPDIR": str(t / "tmp")}
        db = str(t / "demo.sqlite")

        out, took = run([str(cli), "--version"], env, "maintdesk --version")
        say(f"{out.strip()} in {took:.2f} s")

        run([str(cli), "--db", db, "init", "--demo"], env, "init --demo")
        tenants = json.loads(run([str(cli), "--db", db, "tenant", "list", "--property", "1", "--json"], env,
                                 "tenant list")[0])
        tenant = next(row["name"] for row in tenants if row["id"] == 1)
        say(f"demo database at {db}")

        render = [str(cli), "--db", db, "notices", "render", "1", "--kind", "initial", "--draft", "--tenant", "1"]
        _, took = run(render + ["--out", str(t / "one")], env, "one letter")
        letters = sorted((t / "one").glob("draft-*-initial.pdf"))
        letters = [p for p in letters if "-all" not in p.name] or letters
        if not letters:
            fail(f"no PDF in {t / 'one'}")
        say(f"one letter rendered through the CLI in {took:.2f} s")
        check_letter(letters[0], tenant, "one letter")

        bundled = t / "bundled-fonts-only.conf"
        bundled.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{app / "_internal" / "fonts"}</dir>'
                           f"<cachedir>{t / 'fc-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
        run(render + ["--out", str(t / "bundled")], dict(env, FONTCONFIG_FILE=str(bundled)), "bundled fonts only")
        check_letter(min((t / "bundled").glob("draft-*1a*.pdf")), tenant, "bundled fonts only")

        loaded = native_libraries(render + ["--out", str(t / "libs")], env)
        outside = {name: path for name, path in loaded.items() if not path.startswith(str(app) + os.sep)}
        if set(loaded) != set(WEASYPRINT_LIBRARIES) or outside:
            fail(f"WeasyPrint's libraries: loaded {loaded}, expected all six from {app}")
        say(f"WeasyPrint's native libraries all loaded from the bundle: {', '.join(sorted(loaded))}")

        out, took = run([str(cli), "--db", db, "notices", "render", "1", "--kind", "initial", "--draft",
                         "--out", str(t / "all")], env, "all drafts")
        count = len([p for p in (t / "all").glob("draft-*.pdf") if "-all" not in p.name])
        if count < 2:
            fail(f"all drafts: {count} PDFs")
        say(f"all drafts of work order 1: {count} letters in {took:.2f} s")

        gui_env = dict(env, QT_QPA_PLATFORM="xcb")
        xvfb = ["xvfb-run", "-a", "-s", "-screen 0 1280x900x24"]
        _, took = run(xvfb + [str(gui), "--basedir", str(t / "gui"), "--screenshots", str(t / "shots")], gui_env,
                      "maintdesk-gui --screenshots")
        shots = sorted((t / "shots").glob("*.png"))
        if not shots:
            fail("maintdesk-gui --screenshots wrote no PNG")
        for shot in shots:
            colours = png_colours(shot)
            if colours < 8:
                fail(f"{shot.name} is blank ({colours} colours)")
        say(f"maintdesk-gui under Xvfb (xcb): {len(shots)} screenshots, none blank, in {took:.2f} s")

        before = set(processes_of(gui))
        window = subprocess.Popen(xvfb + [str(gui), "--basedir", str(t / "gui")], env=gui_env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline, main_pid, workers = time.monotonic() + 60, None, []
        while time.monotonic() < deadline and not workers:
            time.sleep(0.5)
            running = {pid: cmd for pid, cmd in processes_of(gui).items() if pid not in before}
            main_pid = next((pid for pid, cmd in running.items() if "--multiprocessing-fork" not in cmd), None)
            workers = [pid for pid, cmd in running.items() if "--multiprocessing-fork" in cmd]
            if window.poll() is not None:
                fail(f"maintdesk-gui ended by itself ({window.returncode}):\n{window.stdout.read()}")
        if main_pid is None or not workers:
            window.kill()
            fail("maintdesk-gui started no PDF worker within 60 s")
        time.sleep(3)
        if not all(Path(f"/proc/{pid}").exists() for pid in workers):
            window.kill()
            fail(f"the PDF worker of maintdesk-gui stopped:\n{window.stdout.read() if window.poll() is not None else ''}")
        os.kill(main_pid, signal.SIGTERM)
        try:
            status = window.wait(timeout=30)
        except subprocess.TimeoutExpired:
            window.kill()
            fail("maintdesk-gui did not close within 30 s of SIGTERM")
        deadline, left = time.monotonic() + 10, {}
        while time.monotonic() < deadline:  # helpers (the resource tracker) end when they see it gone
            left = {pid: cmd for pid, cmd in processes_of(gui).items() if pid not in before}
            if not left:
                break
            time.sleep(0.2)
        if status != 0 or left:
            fail(f"maintdesk-gui closed with status {status}, processes left: {left}\n{window.stdout.read()}")
        say(f"maintdesk-gui started its PDF worker ({len(workers)} process, the frozen program itself), "
            "closed on SIGTERM with status 0, nothing left running")
        say("passed")
        return 0
    finally:
        shutil.rmtree(t, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
