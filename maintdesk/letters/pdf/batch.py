"""A batch of letters: chunks handed to the worker processes, time limits, retries, the merged file.

The public interface of the PDF engine lives here (re-exported by `maintdesk.letters.pdf`); it
runs in the caller's process and never imports WeasyPrint. How a batch runs, what it costs and
what templates must respect: docs/pdf-engine.md.
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import wait as wait_for
from pathlib import Path

from maintdesk.errors import UserFacingError
from maintdesk.letters.pdf.layout import RendererConfig
from maintdesk.letters.pdf.pool import Pool, Task, Worker
from maintdesk.letters.pdf.pool import keep_warm as pool_keep_warm
from maintdesk.progress import Progress

log = logging.getLogger(__name__)
REFUSED = "letter resource refused:"   # the fetcher's warning (maintdesk.letters.pdf.fetcher)

CHUNK_MAX = 40                   # letters laid out as one document, at most
CHUNK_MIN = 8                    # …and at least, while that many remain
SMALL_BATCH = 16                 # up to this many letters, one worker process
MAX_WORKERS = 2


@dataclass(frozen=True)
class LetterJob:
    html: str        # a complete HTML document, already rendered and escaped
    filename: str    # a safe file name ending in .pdf, chosen by the caller
    template: str = ""   # the template it was made from, named when it fails ("fr/initial-unit.html.j2")
    origin: str = ""     # "user" or "built-in": whose template is too slow


@dataclass(frozen=True)
class RenderedLetter:
    filename: str
    path: Path
    sha256: str
    pages: int


@dataclass(frozen=True)
class BatchResult:
    letters: list[RenderedLetter]
    merged_path: Path | None
    merged_pages: int
    refused: list[str] = field(default_factory=list)   # "URL (reason)" of each resource the sandbox refused


@dataclass(frozen=True)
class LettersDone:
    """Letters whose files are complete, as (position in the jobs, letter), in the order a part
    finished: `iter_render_batch(..., each_part=True)` yields one before each Progress, so that a
    caller can use them (compose, send) while the workers render the next parts."""
    letters: list[tuple[int, RenderedLetter]]


class PdfRenderError(UserFacingError):
    """A letter could not be turned into a PDF (too slow, broken template, renderer crashed)."""


def render_batch(jobs: Sequence[LetterJob], out_dir: Path, **options) -> BatchResult:
    """Render every job; see `iter_render_batch`."""
    result = None
    for event in iter_render_batch(jobs, out_dir, **options):
        if isinstance(event, BatchResult):
            result = event
    assert result is not None
    return result


def render_one(job: LetterJob, out_dir: Path, **options) -> RenderedLetter:
    """Render one letter to `out_dir / job.filename` (no merged file)."""
    options["merged_name"] = None
    return render_batch([job], out_dir, **options).letters[0]


def iter_render_batch(jobs: Sequence[LetterJob], out_dir: Path, *, resource_roots: Sequence[Path], base_url: Path,
                      stylesheets: Sequence[Path] = (), merged_name: str | None = "all-letters.pdf",
                      workers: int | None = None, time_limit: float = 20.0,
                      stamp: bool = True, letters_per_task: int | None = None,
                      each_part: bool = False) -> Iterator[Progress | LettersDone | BatchResult]:
    """Render `jobs` into `out_dir`: one PDF per job, then the merged print file (job order).

    Yields `Progress` as letters finish and the `BatchResult` last. Files are written under a
    temporary name and renamed when complete. A letter whose layout exceeds `time_limit` seconds
    stops the batch with a `PdfRenderError` naming it (its worker is killed). Closing the
    generator early kills the workers and removes temporary files. `stamp=False` lays every
    letter out whole (see `maintdesk.letters.pdf.stamping`; for comparison and measurement).
    `each_part`: also yield `LettersDone` for the letters of each part as it finishes.
    """
    jobs = list(jobs)
    _check_names(jobs, merged_name)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    total = len(jobs)
    yield Progress(0, total)
    if not jobs:
        yield BatchResult([], None, 0)
        return
    count = workers if workers is not None else default_workers(total, long_documents=letters_per_task is not None)
    smallest_task = letters_per_task or CHUNK_MIN
    count = max(1, min(count, math.ceil(total / smallest_task)))   # no process without a task
    config = renderer_config(resource_roots, base_url, stylesheets, stamp)
    token = secrets.token_hex(4)
    batch = _Batch(jobs, out_dir, token, merged_name is not None, count, time_limit, letters_per_task)
    batch.each_part = each_part
    pool = Pool(config, count, time_limit)
    try:
        if stamp:  # while the workers start
            from maintdesk.letters.pdf.cutting import letters_in_company
            batch.in_company = letters_in_company([job.html for job in jobs])
        yield from batch.run(pool)
        merged_path, merged_pages = None, 0
        if merged_name is not None:
            merged_path, merged_pages = _merge(batch.pieces, out_dir / merged_name, out_dir, token)
        letters = [batch.rendered[i] for i in range(total)]
        yield BatchResult(letters, merged_path, merged_pages, [m[len(REFUSED):].strip() for m in batch.refused])
    finally:
        pool.close()
        for leftover in out_dir.glob(f".maintdesk-{token}-*.tmp"):
            leftover.unlink(missing_ok=True)


def renderer_config(resource_roots: Sequence[Path], base_url: Path, stylesheets: Sequence[Path] = (),
                    stamp: bool = True) -> RendererConfig:
    return RendererConfig(
        roots=[str(Path(r).resolve()) for r in resource_roots],
        base_url=Path(base_url).resolve().as_uri().rstrip("/") + "/",
        stylesheets=[str(Path(s).resolve()) for s in stylesheets],
        stamp=stamp,
    )


def keep_warm(*, resource_roots: Sequence[Path], base_url: Path, stylesheets: Sequence[Path] = (),
              stamp: bool = True, sample: str = "") -> None:
    """Start a worker process for batches with these options now, and keep one between batches
    (see `maintdesk.letters.pdf.pool`): a program that previews letters calls this at start-up.
    `sample`: a letter's HTML the worker lays out once before its first real one."""
    config = renderer_config(resource_roots, base_url, stylesheets, stamp)
    pool_keep_warm(replace(config, warm_up=sample))


def default_workers(total: int, long_documents: bool = False) -> int:
    """One process for small batches: a second one costs ~0.4 s of CPU to start and saves at most
    ~0.1 s of wall time below ~16 letters (measured, see the module docstring). Long documents
    (the parts of a report, seconds each) are worth a second process however few they are."""
    if total <= SMALL_BATCH and not long_documents:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _check_names(jobs: list[LetterJob], merged_name: str | None) -> None:
    names = [job.filename for job in jobs] + ([merged_name] if merged_name is not None else [])
    for name in names:
        if (not name or Path(name).name != name or name.startswith(".") or "\\" in name or "\0" in name
                or not name.lower().endswith(".pdf")):
            raise ValueError(f"not a safe PDF file name: {name!r}")
    seen = set()
    for name in names:
        if name.casefold() in seen:
            raise ValueError(f"two letters would be written to the same file: {name!r}")
        seen.add(name.casefold())


class _Batch:
    def __init__(self, jobs: list[LetterJob], out_dir: Path, token: str, want_pieces: bool, workers: int,
                 time_limit: float, letters_per_task: int | None = None):
        self.jobs = jobs
        self.out_dir = out_dir
        self.token = token
        self.want_pieces = want_pieces
        self.workers = workers
        self.time_limit = time_limit
        self.letters_per_task = letters_per_task
        self.next_index = 0                   # letters before this one are in a task or done
        self.retry: deque[int] = deque()      # letters to render one by one after a chunk failed
        self.rendered: dict[int, RenderedLetter] = {}
        self.pieces: list[tuple[int, Path, int]] = []   # (first letter, chunk PDF, pages) for the merge
        self.task_ids = 0
        self.warned: set[str] = set()
        self.refused: list[str] = []           # the sandbox's refusals, told once at the end
        self.in_company: set[int] = set()     # letters that share their shared letter with another (cutting)
        self.each_part = False                # also yield LettersDone as parts finish

    def next_task(self) -> Task | None:
        if self.retry:
            indexes = [self.retry.popleft()]
        else:
            remaining = len(self.jobs) - self.next_index
            if remaining <= 0:
                return None
            # Guided scheduling: big chunks first, smaller ones at the end so workers finish together.
            size = self.letters_per_task or min(CHUNK_MAX, max(CHUNK_MIN, math.ceil(remaining / (2 * self.workers))))
            size = min(size, remaining)
            indexes = list(range(self.next_index, self.next_index + size))
            self.next_index += size
        self.task_ids += 1
        return Task(self.task_ids, indexes)

    def run(self, pool: Pool) -> Iterator[Progress | LettersDone]:
        yield from self._render(pool)
        if self.refused:  # one line for the batch, not one per fetch
            more = f" and {len(self.refused) - 1} more" if len(self.refused) > 1 else ""
            log.warning("PDF rendering: the letters' sandbox refused %d resource%s (%s%s)", len(self.refused),
                        "s" if len(self.refused) > 1 else "", self.refused[0][len(REFUSED):].strip(), more)

    def _hand_out(self, pool: Pool) -> None:
        """A task to every idle worker (before the caller gets a finished part: a worker does not
        wait while the caller uses it)."""
        for worker in pool.workers:
            if worker.ready and worker.task is None:
                task = self.next_task()
                if task is None:
                    break
                letters = [(i, self.jobs[i].html, self.jobs[i].filename, i in self.in_company)
                           for i in task.indexes]
                worker.task, worker.deadline = task, time.monotonic() + self.time_limit
                try:
                    worker.conn.send((task.ident, letters, str(self.out_dir), self.token, self.want_pieces))
                except OSError:
                    self._failed(pool, worker, "the PDF renderer stopped unexpectedly")
                    break

    def _render(self, pool: Pool) -> Iterator[Progress | LettersDone]:
        total = len(self.jobs)
        while len(self.rendered) < total:
            self._hand_out(pool)
            busy = [w for w in pool.workers if w.task is not None or not w.ready]
            if not busy:  # every worker died and nothing is running: start one
                pool.start()
                continue
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready_conns = wait_for([w.conn for w in busy], timeout)
            for worker in [w for w in busy if w.conn in ready_conns]:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    code = worker.process.exitcode
                    self._failed(pool, worker, f"the PDF renderer stopped unexpectedly (exit code {code})")
                    continue
                if message[0] == "ready":
                    worker.ready = True
                elif message[0] == "init-failed":
                    pool.kill(worker)
                    raise PdfRenderError(f"The PDF renderer could not start: {message[1]}",
                                         "Check the letter stylesheets and that WeasyPrint is installed.")
                elif message[0] == "done":
                    _, _, letters, pieces, warnings = message
                    claimed = self._claim(letters, pieces, warnings)
                    worker.task = None
                    self._hand_out(pool)
                    if self.each_part:
                        yield LettersDone([(index, self.rendered[index]) for index in claimed])
                    yield Progress(len(self.rendered), total)
                else:  # "failed"
                    self._failed(pool, worker, message[2], kill=False)
            now = time.monotonic()
            for worker in [w for w in pool.workers if (w.task is not None or not w.ready) and w.deadline < now]:
                if worker.task is None:
                    pool.kill(worker)
                    raise PdfRenderError("The PDF renderer did not start in time; try again.")
                self._failed(pool, worker, None)

    def _claim(self, letters: list, pieces: list, warnings: list[str]) -> list[int]:
        for message in warnings:
            if message.startswith(REFUSED):
                if message not in self.refused:
                    self.refused.append(message)
            elif "ResourceRefused" in message:  # WeasyPrint repeating the same refusal
                continue
            elif message not in self.warned:
                self.warned.add(message)
                log.warning("PDF rendering: %s", message)
        for index, tmp, sha, pages in letters:
            final = self.out_dir / self.jobs[index].filename
            os.replace(tmp, final)
            self.rendered[index] = RenderedLetter(self.jobs[index].filename, final, sha, pages)
        for first, tmp, pages in pieces:
            self.pieces.append((first, Path(tmp), pages))
        return [index for index, *_ in letters]

    def _failed(self, pool: Pool, worker: Worker, reason: str | None, kill: bool = True) -> None:
        """A task failed: retry its letters one by one, or name the letter if it was alone.

        `reason` None means the time limit was exceeded."""
        task = worker.task
        if kill:
            pool.kill(worker)
        else:
            worker.task = None
        if task is None:
            raise PdfRenderError(f"The PDF renderer could not start: {reason}")
        for tmp in self.out_dir.glob(f".maintdesk-{self.token}-*.tmp"):
            if _tmp_index(tmp) in task.indexes:
                tmp.unlink(missing_ok=True)
        if len(task.indexes) > 1:
            log.info("PDF chunk of %d letters failed (%s); rendering them one by one", len(task.indexes),
                     reason or "time limit")
            self.retry.extendleft(reversed(task.indexes))
            if kill:
                pool.start()
            return
        job = self.jobs[task.indexes[0]]
        name = job.filename
        made_from = f" (made from the {job.origin} template {job.template})" if job.template and job.origin else ""
        if reason is None and job.origin == "built-in":
            raise PdfRenderError(
                f"{name}{made_from} took longer than {self.time_limit:g} s to lay out: MaintDesk's own template is "
                "too slow for this much data; please report it, and export fewer notices at a time meanwhile.")
        if reason is None:
            raise PdfRenderError(
                f"Letter {name}{made_from} took longer than {self.time_limit:g} s to lay out; simplify its template.",
                "Very long loops, huge tables or thousands of pages make a letter too slow to print.")
        raise PdfRenderError(f"Letter {name} could not be turned into a PDF: {reason}",
                             "Check the letter's template and try again.")


def _tmp_index(path: Path) -> int | None:
    last = path.name.removesuffix(".tmp").rsplit("-", 1)[-1]
    return int(last) if last.isdigit() else None


def _merge(pieces: list[tuple[int, Path, int]], target: Path, out_dir: Path, token: str) -> tuple[Path, int]:
    """Concatenate the chunk PDFs in letter order with pikepdf (qpdf): fonts stay shared per chunk,
    and a shared letter stamped in several chunks is kept once."""
    import pikepdf

    from maintdesk.letters.pdf.stamping import share_forms

    merged = pikepdf.new()
    opened = []
    try:
        for _, path, _ in sorted(pieces):
            source = pikepdf.open(path)
            opened.append(source)
            merged.pages.extend(source.pages)
        share_forms(merged)
        tmp = out_dir / f".maintdesk-{token}-merged.tmp"
        merged.save(tmp)
        pages = len(merged.pages)
    finally:
        for source in opened:
            source.close()
        merged.close()
    os.replace(tmp, target)
    return target, pages
