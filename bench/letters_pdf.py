"""Letters to PDF: a 1,000-letter batch (per-tenant files + merged print file) against the naive way.

The letters are the real initial notices of the built-in templates (bench/letters_real.py), in
English and French. `maintdesk.letters.pdf.render_batch` is timed around the call (worker start-up, layout, the per-letter files,
the merged file), in a fresh Python process per run so that its peak memory is its own. The naive
way is what a first version would do: serial, one `HTML(string=...).write_pdf(path)` per letter with
default settings (new font configuration and stylesheet parse each time, no merged file), also
in a fresh process. Targets (issue 19): batch ≤ 5 s, ≥ 10× faster than naive in the same run, peak
< 300 MiB; the batch is also timed with a CPU hog beside it (one busy core, `bench.timing.CpuHog`).

Peak memory is the parent's peak RSS plus, for each worker, the largest worker's peak RSS
(`getrusage` reports only the largest child): an upper bound of the sum over processes.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.timing import CpuHog, Figure, measure

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
LETTERS = 1_000

def _folders(folder: Path) -> tuple[Path, Path]:
    """The built-in templates folder and its print style sheet: the bench letters are real notices."""
    from maintdesk.paths import BUILTIN_TEMPLATES_DIR

    return BUILTIN_TEMPLATES_DIR, BUILTIN_TEMPLATES_DIR / "letter.css"


def _letters(count: int = LETTERS) -> list[str]:
    """`count` initial notices from the built-in templates, en and fr, each with its own tenant and slot."""
    from bench.letters_real import letter_jobs

    return [job.html for job in letter_jobs(count)]


class _PeakWatch:
    """This process's peak resident memory, sampled from /proc: ru_maxrss of a process started by
    fork counts the parent's memory from before exec (the bench process holds ~1.4 GB by then)."""

    def __init__(self) -> None:
        self.peak_kib = 0
        threading.Thread(target=self._watch, daemon=True).start()

    @staticmethod
    def now_kib() -> int:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

    def _watch(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, self.now_kib())
            time.sleep(0.02)


def _child(mode: str, folder: str) -> None:
    """One measured run in this (fresh) process; prints a JSON line."""
    watch = _PeakWatch()
    folder_path = Path(folder)
    templates, stylesheet = _folders(folder_path)
    out = folder_path / mode
    out.mkdir(exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    letters = _letters()
    workers = 1
    if mode == "batch":
        from maintdesk.letters.pdf import LetterJob, render_batch

        jobs = [LetterJob(text, f"letter-{i:04d}.pdf") for i, text in enumerate(letters)]
        start = time.perf_counter()
        result = render_batch(jobs, out, resource_roots=[templates, ASSETS], base_url=templates,
                              stylesheets=[stylesheet])
        seconds = time.perf_counter() - start
        assert result.merged_pages == sum(letter.pages for letter in result.letters) == LETTERS
        from maintdesk.letters.pdf import default_workers
        workers = default_workers(LETTERS)
    else:
        from weasyprint import HTML

        start = time.perf_counter()
        for i, text in enumerate(letters):
            HTML(string=text, base_url=str(templates)).write_pdf(out / f"letter-{i:04d}.pdf",
                                                                 stylesheets=[str(stylesheet)])
        seconds = time.perf_counter() - start
    assert len(list(out.glob("letter-*.pdf"))) == LETTERS
    own = max(watch.peak_kib, _PeakWatch.now_kib()) / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    merged = out / "all-letters.pdf"
    print(json.dumps({"seconds": seconds, "peak_mib": own + workers * children, "own_mib": own,
                      "worker_mib": children, "workers": workers,
                      "merged_mb": merged.stat().st_size / 1e6 if merged.exists() else 0}))


def _run_child(mode: str, folder: Path) -> dict:
    command = [sys.executable, "-c", "import sys; from bench.letters_pdf import _child; _child(sys.argv[1], sys.argv[2])",
               mode, str(folder)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(done.stdout.strip().splitlines()[-1])


def _figure(name: str, samples: list[float], unit: str, note: str = "", **target) -> Figure:
    return Figure(name, statistics.median(samples), min(samples), unit, note, **target)


def run(folder: Path, batch_runs: int = 3, naive_runs: int = 1, loaded_runs: int = 2) -> list[Figure]:
    batch = [_run_child("batch", folder) for _ in range(batch_runs)]
    with CpuHog():
        loaded = [_run_child("batch", folder) for _ in range(loaded_runs)]
    naive = [_run_child("naive", folder) for _ in range(naive_runs)]
    batch_s = [r["seconds"] for r in batch]
    naive_s = [r["seconds"] for r in naive]
    ratio = statistics.median(naive_s) / statistics.median(batch_s)
    figures = [
        _figure(f"{LETTERS:,} letters: per-tenant PDFs + merged file (render_batch)", batch_s, "s",
                f"{batch[0]['workers']} workers; merged file {batch[0]['merged_mb']:.1f} MB; "
                f"{1000 * statistics.median(batch_s) / LETTERS:.1f} ms/letter", target=5),
        _figure(f"{LETTERS:,} letters, the same, beside a CPU hog (one busy core)", [r["seconds"] for r in loaded], "s",
                f"{statistics.median([r['seconds'] for r in loaded]) / statistics.median(batch_s):.2f}× the time alone"),
        _figure(f"{LETTERS:,} letters the naive way (serial write_pdf per letter, defaults)", naive_s, "s",
                "per-letter files only"),
        Figure("speed-up over the naive way", ratio, statistics.median(naive_s) / min(batch_s), "×",
               "median/median in this run; best column: naive median / best batch", target=10, above=True),
        _figure("peak memory of the batch, all processes", [r["peak_mib"] for r in batch], "MiB",
                f"parent {batch[0]['own_mib']:.0f} + {batch[0]['workers']} × "
                f"worker {batch[0]['worker_mib']:.0f} (upper bound)", target=300),
        _figure("peak memory of the naive way", [r["peak_mib"] for r in naive], "MiB"),
    ]
    templates, stylesheet = _folders(folder)
    from maintdesk.letters.pdf import LetterJob, render_one

    job = LetterJob(_letters(1)[0], "one.pdf")
    figures.append(measure("one letter with render_one (starts its worker process)",
                           lambda: render_one(job, folder / "one", resource_roots=[templates, ASSETS],
                                              base_url=templates, stylesheets=[stylesheet]), repeat=5))
    return figures


if __name__ == "__main__":
    import tempfile

    from bench.__main__ import table

    with tempfile.TemporaryDirectory(prefix="maintdesk-bench-") as tmp:
        print(table(run(Path(tmp))))
