"""HTML letters → PDF: one file per letter and one merged print file, rendered in worker processes.

Interface: `iter_render_batch` (a generator of `Progress`, then the `BatchResult`; a GUI runs it
on a pool thread, the CLI draws a bar), `render_batch` (drains it), `render_one`. Callers give
complete HTML documents (`LetterJob`); this module never imports WeasyPrint in the caller's
process — only the workers do (`_Renderer`, `maintdesk.pdf_fetcher`).

How a batch runs
- Worker processes from the *spawn* context (never fork: the GUI has Qt threads; WeasyPrint is not
  thread-safe), `min(2, cpu count)`, but one for ≤ 16 letters. Each worker creates ONE
  `FontConfiguration`, parses the stylesheets ONCE, and serves every resource through
  `SandboxedFetcher` (data: URIs and files under the resource roots only).
- The parent hands out chunks of consecutive letters (guided: up to 40, fewer towards the end
  so both workers finish together). Within a chunk, each run of letters that share the same head
  (minus <title>), <body> tag and styling is rendered in one of two ways:
  - **stamped** (`maintdesk.pdf_stamp`), for letters whose template marks what differs from one
    tenant to the next (`data-md-own`): the shared letter is laid out once per worker, the
    tenants' own regions of the whole run are laid out together in one small document, and
    pikepdf puts each shared page under its tenant's page. Letters a region does not fit are
    laid out whole. Measured: ~12 ms of worker CPU per built-in letter instead of ~40 ms;
  - **laid out whole**: the run is ONE document, each letter's body in
    `<div class="md-letter" data-md-letter="k">` with `break-before: page`.
  The garbage collector is paused during layout and painting. The run's PDF is written once, then
  split into one file per letter with pikepdf; the run's PDF itself is kept for the merged file,
  which pikepdf concatenates in job order at the end (fonts stay shared per run, and a shared
  letter stamped in several chunks is kept once: 2.2 MB for the 1,000 built-in letters).
- Page numbers: WeasyPrint would number the pages of the whole run. `_install_per_letter_page_counters`
  (a marked WORKAROUND around `weasyprint.layout.make_all_pages/make_margin_boxes`) gives the
  margin boxes `counter(page)` and `counter(pages)` of the letter each page belongs to, found from
  the wrapper marks — whatever named pages (`page: a4`) the templates use.
- Safety net: after layout every page must hold exactly one letter, in order, with the counters
  given, and no letter may show a named string or running element that an earlier letter set
  (a tenant's reference on another tenant's footer). Letters whose markup or CSS a shared layout
  would get wrong (`@page :first/:left/:right/:nth()`, `position: fixed`, footnotes,
  `string(x, start)`) or that fail the checks (e.g. an unclosed <div> swallowing the next letter)
  are laid out one by one instead: correct, ~40 % slower.
- Time limit: a chunk gets `time_limit` seconds. On overrun the worker is killed, its temporary
  files are removed, and the chunk's letters are retried one by one, each with `time_limit`; a
  single letter over the limit (or one that makes WeasyPrint raise, or kills its worker) stops the
  batch with `PdfRenderError` naming it. Files are written as `.maintdesk-<token>-<n>.tmp` and
  renamed by the parent only when the worker reports them complete; the merged file likewise.

Measurements (2-core AMD EPYC VM, Python 3.11.7, WeasyPrint 70, libharfbuzz-subset0; the bench
letter of bench/letters_pdf.py: A4, SVG letterhead logo, absolutely positioned window address,
7 paragraphs, boxed slot, 5-item <ol> (inside markers), footer "Page n / N"; timings on this shared VM vary ±10 %):

| 1,000 letters (per-letter files + merged file unless noted)            | wall         | peak memory      |
|-------------------------------------------------------------------------|--------------|------------------|
| naive: serial `HTML(string).write_pdf()` per letter, defaults, no merge | 44.6–46.4 s  | 354 MiB          |
| per-letter layout in 2 workers (shared FontConfiguration, GC paused)    | 21.1–22.2 s  | 201 + 2 × 74 MiB |
| **chunked layout, 1 worker**                                            | 27.9–29.4 s  | 55 + 102 MiB     |
| **chunked layout, 2 workers (letters laid out whole)**                  | 13.4–14.2 s  | 56 + 2 × 101 MiB |

- CPU per letter inside a worker: chunked 26–27.7 ms (layout 16, write_pdf 7–7.5, collector
  1–2.3, pikepdf split 0.6) vs 34–39 ms laid out one by one; 2 workers scale ~2× (CPU-bound).
- Chunk size (serial, ms/letter): 5 → 24.2, 10 → 23.1, 25 → 22.3, 50 → 22.0, 100 → 22.2; memory
  per worker grows with it (40 → ~105 MiB, 100 → ~185 MiB), hence 40.
- Collector: default 25 ms/letter; frozen after start-up + paused per run 22 ms; never collecting
  21.7 ms but 193 MiB after 300 letters.
- Marking the wrappers with an `id` made layout +17 % (WeasyPrint treats ids as anchors): a
  data attribute is used.
- Worker start-up (spawn + import WeasyPrint + fonts + stylesheets): 0.4 s. 1 vs 2 workers,
  wall time: 6 letters 0.75/0.68 s, 16: 0.85/0.74 s, 30: 1.27/0.99 s, 60: 2.02/1.35 s — the second
  process costs ~0.4 s of CPU and saves ≤ 0.1 s below ~16 letters.
- Laid out whole, a letter of this kind costs WeasyPrint ~27 ms of CPU (≥ 13.5 s for 1,000 on
  two cores); the built-in notice ~40 ms (24 s). What a template costs (ms/letter): `hyphens:
  auto` +1–2, `text-align: justify` +1, an <ol> with outside markers +3–4 (list-style-position:
  inside: ~2 less), each absolutely positioned block ~1.
- Stamped (`pdf_stamp`), the 1,000 built-in notices of bench/letters_pdf.py take 6.6 s (naive
  67.7 s: 10×), 264 MiB at peak over all processes, merged file 1.3 MB (4.3 MB laid out whole).
  Per letter in a worker: ~12–14 ms, of which the collector ~4 ms. Overlay regions placed with
  absolute positioning cost ~1 ms each, hence relative positioning; inline `style` attributes on
  every region doubled the style computation, hence one class per placement.

What templates must respect (the chunked layout; `render_one` takes the same path):
- A complete document: <html>, <head>, <body>. Letters share a layout only when head (title
  aside), <body> tag and <style>/<link> elements are identical; anything else starts a new run.
- Selectors see an extra `div.md-letter` between <body> and the letter: avoid `body > …`,
  `body::before/::after` and counters reset on <body> (reset them on the letter's root element).
- Set every named string (`string-set`) and running element in every letter, on its first page
  (otherwise the run is laid out letter by letter, to keep one tenant's data off another's page).
- For speed, avoid `@page :first/:left/:right/:nth()`, `position: fixed` and footnotes in letters
  (they force one-by-one layout); put first-page-only content in the flow. Page size and margins
  via named pages (`.letter { page: a4 }` + `@page a4 {…}`) are fine.
- Reference assets by URLs that resolve under the resource roots: relative to `base_url` (the
  templates folder) or `file://` URIs of files in the asset folder; nothing else is fetched.
- Give the letter stylesheet as `stylesheets=` (parsed once per worker), not <link> (once per run).
- For the stamped way, mark with `data-md-own` every block whose content differs from one tenant
  to the next and give it a set height (see `maintdesk.pdf_stamp` and letter_templates/README.md);
  everything else must be the same for the tenants who should share a layout.
"""

from __future__ import annotations

import gc
import hashlib
import html as html_text
import io
import logging
import math
import multiprocessing
import os
import re
import secrets
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for
from pathlib import Path

from maintdesk.errors import UserFacingError

log = logging.getLogger("maintdesk.pdf")

WRAPPER = "md-letter"            # class of the <div> around each letter's body in a shared layout
MARK = "data-md-letter"          # attribute on the wrapper of letter k in a chunk (not an id:
                                 # ids are anchors, measured +17 % layout work)
CHUNK_MAX = 40                   # letters laid out as one document, at most
CHUNK_MIN = 8                    # …and at least, while that many remain
SMALL_BATCH = 16                 # up to this many letters, one worker process
START_TIMEOUT = 60.0             # seconds a worker may take to import WeasyPrint and parse the stylesheets
MAX_WORKERS = 2


@dataclass(frozen=True)
class LetterJob:
    html: str        # a complete HTML document, already rendered and escaped
    filename: str    # a safe file name ending in .pdf, chosen by the caller


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


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


class PdfRenderError(UserFacingError):
    """A letter could not be turned into a PDF (too slow, broken template, renderer crashed)."""


# --------------------------------------------------------------------------------------------
# The public interface (runs in the caller's process; never imports WeasyPrint)
# --------------------------------------------------------------------------------------------

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
                      stamp: bool = True) -> Iterator[Progress | BatchResult]:
    """Render `jobs` into `out_dir`: one PDF per job, then the merged print file (job order).

    Yields `Progress` as letters finish and the `BatchResult` last. Files are written under a
    temporary name and renamed when complete. A letter whose layout exceeds `time_limit` seconds
    stops the batch with a `PdfRenderError` naming it (its worker is killed). Closing the
    generator early kills the workers and removes temporary files. `stamp=False` lays every
    letter out whole (see `maintdesk.pdf_stamp`; for comparison and measurement).
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
    count = workers if workers is not None else _default_workers(total)
    count = max(1, min(count, math.ceil(total / CHUNK_MIN)))   # no process without a chunk to lay out
    config = _WorkerConfig(
        roots=[str(Path(r).resolve()) for r in resource_roots],
        base_url=Path(base_url).resolve().as_uri().rstrip("/") + "/",
        stylesheets=[str(Path(s).resolve()) for s in stylesheets],
        stamp=stamp,
    )
    token = secrets.token_hex(4)
    batch = _Batch(jobs, out_dir, token, merged_name is not None, count, time_limit)
    pool = _Pool(config, count, time_limit)
    try:
        if stamp:  # while the workers start
            from maintdesk.pdf_stamp import letters_in_company
            batch.in_company = letters_in_company([job.html for job in jobs])
        yield from batch.run(pool)
        merged_path, merged_pages = None, 0
        if merged_name is not None:
            merged_path, merged_pages = _merge(batch.pieces, out_dir / merged_name, out_dir, token)
        letters = [batch.rendered[i] for i in range(total)]
        yield BatchResult(letters, merged_path, merged_pages)
    finally:
        pool.close()
        for leftover in out_dir.glob(f".maintdesk-{token}-*.tmp"):
            leftover.unlink(missing_ok=True)


def _default_workers(total: int) -> int:
    """One process for small batches: a second one costs ~0.4 s of CPU to start and saves at most
    ~0.1 s of wall time below ~16 letters (measured, see the module docstring)."""
    if total <= SMALL_BATCH:
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


# --------------------------------------------------------------------------------------------
# Scheduling: chunks of letters to worker processes, time limits, retries one by one
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _WorkerConfig:
    roots: list[str]
    base_url: str
    stylesheets: list[str]
    stamp: bool = True


@dataclass
class _Task:
    ident: int
    indexes: list[int]


@dataclass
class _Worker:
    process: multiprocessing.Process
    conn: Connection
    ready: bool = False
    task: _Task | None = None
    deadline: float = 0.0


class _Pool:
    """Worker processes (spawn, never fork: the GUI process has Qt threads) that can be killed."""

    def __init__(self, config: _WorkerConfig, count: int, time_limit: float):
        self.context = multiprocessing.get_context("spawn")
        self.config = config
        self.time_limit = time_limit
        self.workers: list[_Worker] = []
        for _ in range(count):
            self.start()

    def start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(child, self.config), daemon=True,
                                       name="maintdesk-pdf")
        process.start()
        child.close()
        worker = _Worker(process, parent, deadline=time.monotonic() + START_TIMEOUT + self.time_limit)
        self.workers.append(worker)
        return worker

    def kill(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def close(self) -> None:
        for worker in list(self.workers):
            if worker.task is None and worker.ready:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in list(self.workers):
            worker.process.join(timeout=2 if worker.task is None and worker.ready else 0)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers.clear()


class _Batch:
    def __init__(self, jobs: list[LetterJob], out_dir: Path, token: str, want_pieces: bool, workers: int,
                 time_limit: float):
        self.jobs = jobs
        self.out_dir = out_dir
        self.token = token
        self.want_pieces = want_pieces
        self.workers = workers
        self.time_limit = time_limit
        self.next_index = 0                   # letters before this one are in a task or done
        self.retry: deque[int] = deque()      # letters to render one by one after a chunk failed
        self.rendered: dict[int, RenderedLetter] = {}
        self.pieces: list[tuple[int, Path, int]] = []   # (first letter, chunk PDF, pages) for the merge
        self.task_ids = 0
        self.warned: set[str] = set()
        self.in_company: set[int] = set()     # letters that share their shared letter with another (pdf_stamp)

    def next_task(self) -> _Task | None:
        if self.retry:
            indexes = [self.retry.popleft()]
        else:
            remaining = len(self.jobs) - self.next_index
            if remaining <= 0:
                return None
            # Guided scheduling: big chunks first, smaller ones at the end so workers finish together.
            size = min(CHUNK_MAX, max(CHUNK_MIN, math.ceil(remaining / (2 * self.workers))), remaining)
            indexes = list(range(self.next_index, self.next_index + size))
            self.next_index += size
        self.task_ids += 1
        return _Task(self.task_ids, indexes)

    def run(self, pool: _Pool) -> Iterator[Progress]:
        total = len(self.jobs)
        while len(self.rendered) < total:
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
                    self._claim(letters, pieces, warnings)
                    worker.task = None
                    yield Progress(len(self.rendered), total)
                else:  # "failed"
                    self._failed(pool, worker, message[2], kill=False)
            now = time.monotonic()
            for worker in [w for w in pool.workers if (w.task is not None or not w.ready) and w.deadline < now]:
                if worker.task is None:
                    pool.kill(worker)
                    raise PdfRenderError("The PDF renderer did not start in time; try again.")
                self._failed(pool, worker, None)

    def _claim(self, letters: list, pieces: list, warnings: list[str]) -> None:
        for message in warnings:
            if message not in self.warned:
                self.warned.add(message)
                log.warning("PDF rendering: %s", message)
        for index, tmp, sha, pages in letters:
            final = self.out_dir / self.jobs[index].filename
            os.replace(tmp, final)
            self.rendered[index] = RenderedLetter(self.jobs[index].filename, final, sha, pages)
        for first, tmp, pages in pieces:
            self.pieces.append((first, Path(tmp), pages))

    def _failed(self, pool: _Pool, worker: _Worker, reason: str | None, kill: bool = True) -> None:
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
        name = self.jobs[task.indexes[0]].filename
        if reason is None:
            raise PdfRenderError(
                f"Letter {name} took longer than {self.time_limit:g} s to lay out; simplify its template.",
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

    from maintdesk.pdf_stamp import share_forms

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


# --------------------------------------------------------------------------------------------
# Inside a worker process: WeasyPrint, one FontConfiguration, stylesheets parsed once
# --------------------------------------------------------------------------------------------

def _worker_main(conn: Connection, config: _WorkerConfig) -> None:
    try:
        renderer = _Renderer(config)
    except Exception as error:  # noqa: BLE001 - reported to the parent as a sentence
        conn.send(("init-failed", f"{type(error).__name__}: {error}"))
        return
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        ident, letters, out_dir, token, want_pieces = message
        try:
            done, pieces = renderer.render(letters, Path(out_dir), token, want_pieces)
        except Exception as error:  # noqa: BLE001 - the parent retries alone, then names the letter
            conn.send(("failed", ident, f"{type(error).__name__}: {error}"))
        else:
            conn.send(("done", ident, done, pieces, renderer.take_warnings()))


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 50:
            self.messages.append(record.getMessage())


@dataclass
class _Letter:
    index: int
    html: str
    filename: str
    signature: tuple | None = None
    head: str = ""
    body_tag: str = ""
    inner: str = ""
    title: str = ""
    lang: str = ""
    pages: tuple[int, int] = field(default=(0, 0))
    company: bool = False   # another letter of the batch shares its shared letter (see pdf_stamp)


class _Renderer:
    def __init__(self, config: _WorkerConfig):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from maintdesk.pdf_fetcher import SandboxedFetcher

        # This process only renders: warnings (refused resources, CSS WeasyPrint does not know)
        # go back to the parent with each result; nothing is printed here.
        self.collector = _Collector()
        root = logging.getLogger()
        root.handlers = [self.collector]
        root.setLevel(logging.WARNING)
        for name in ("weasyprint", "weasyprint.progress", "maintdesk", "pikepdf"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self.patched = _install_per_letter_page_counters()
        self.base_url = config.base_url
        self.fetched_unshareable = False   # a stylesheet fetched during the last layout is unshareable
        self.fetcher = SandboxedFetcher([Path(r) for r in config.roots], css_filter=self._watch_css)
        self.font_config = FontConfiguration()
        self.stylesheets = [CSS(string=ENGINE_CSS, font_config=self.font_config)]
        self.unshareable_stylesheets = False
        for path in config.stylesheets:
            text = Path(path).read_text(encoding="utf-8")
            self.unshareable_stylesheets |= bool(_UNSHAREABLE.search(text))
            self.stylesheets.append(CSS(string=text, base_url=Path(path).as_uri(), url_fetcher=self.fetcher,
                                        font_config=self.font_config))
        self.apart: set[tuple] = set()    # signatures whose letters must be laid out one by one
        from maintdesk.pdf_stamp import OVERLAY_CSS, Stamper

        self.overlay_stylesheets = self.stylesheets + [CSS(string=OVERLAY_CSS, font_config=self.font_config)]
        self.stamper = Stamper(self._stamp_layout) if config.stamp else None
        # Everything built so far lives as long as the worker: keep it out of the collector's way.
        gc.collect()
        gc.freeze()
        self.warm = False

    def _watch_css(self, css: str) -> str:
        if _UNSHAREABLE.search(css):
            self.fetched_unshareable = True
        return css

    def take_warnings(self) -> list[str]:
        messages, self.collector.messages = self.collector.messages, []
        return list(dict.fromkeys(messages))

    def render(self, letters: list, out_dir: Path, token: str, want_pieces: bool) -> tuple[list, list]:
        parsed = [_split_letter(_Letter(i, html, name, company=company)) for i, html, name, company in letters]
        done, pieces = [], []
        for run in _runs(parsed):
            for segment, data, pages in self._render_segments(run):
                done += self._split(data, segment, out_dir, token)
                if want_pieces:
                    piece = out_dir / f".maintdesk-{token}-piece-{segment[0].index}.tmp"
                    piece.write_bytes(data)
                    pieces.append((segment[0].index, str(piece), pages))
            gc.collect()
        if not self.warm:
            # The first layout filled WeasyPrint's and Pango's caches: freeze them too, so later
            # collections only look at each run's own garbage.
            gc.freeze()
            self.warm = True
        return done, pieces

    def _render_segments(self, run: list[_Letter]) -> Iterator[tuple[list[_Letter], bytes, int]]:
        """The run's letters in order, as (consecutive letters, their PDF, its pages): stamped over
        their shared letter where the template marks its own regions (`pdf_stamp`), else laid out
        whole. The collector is paused during layout and painting: it would walk the growing box
        tree again and again (measured: ~10 % less time per letter); the caller collects after."""
        from maintdesk import pdf_stamp

        stamped: dict[int, tuple[int, int]] = {}
        composed = None
        if self.stamper is not None and run[0].signature is not None:
            cuts = [pdf_stamp.cut(letter.html) for letter in run]
            chosen = [n for n, wanted in enumerate(self.stamper.plan(cuts, [letter.company for letter in run]))
                      if wanted]
            if chosen:
                gc.disable()
                try:
                    result = self.stamper.render(run[0].head, run[0].body_tag, [run[n].lang for n in chosen],
                                                 [cuts[n] for n in chosen])
                finally:
                    gc.enable()
                composed = result.pdf
                stamped = {chosen[m]: pages for m, pages in result.ranges.items()}
        position = 0
        while position < len(run):
            end = position
            while end < len(run) and (end in stamped) == (position in stamped):
                end += 1
            segment = run[position:end]
            if position in stamped:
                ranges = [stamped[n] for n in range(position, end)]
                yield segment, *_pages_of(composed, ranges, segment)
            else:
                gc.disable()
                try:
                    data, pages = self._render_run(segment)
                finally:
                    gc.enable()
                yield segment, data, pages
            position = end

    def _render_run(self, run: list[_Letter]) -> tuple[bytes, int]:
        """Lay out letters that share head and styles as one document; verify where each one is."""
        first = run[0]
        if first.signature is None:  # not a document we can wrap: render it as it is
            document = self._layout(first.html)
            first.pages = (0, len(document.pages))
            return document.write_pdf(), len(document.pages)
        if len(run) > 1 and (not self.patched or self.unshareable_stylesheets or first.signature in self.apart
                             or any(_UNSHAREABLE.search(letter.html) for letter in run)):
            return self._render_separately(run)
        document = self._layout(_wrap(first, run))
        ranges = [(0, len(document.pages))] if len(run) == 1 else _letter_ranges(document, len(run))
        if ranges is None or (len(run) > 1 and self.fetched_unshareable):
            # WORKAROUND: a fetched stylesheet with @page :first (counting the whole document), a
            # template with unbalanced tags (swallowing the next letter's wrapper), a letter that
            # does not set a string the previous one set: lay such letters out one by one (and
            # remember the template).
            del document
            self.apart.add(first.signature)
            return self._render_separately(run)
        for letter, pages in zip(run, ranges):
            letter.pages = pages
        return document.write_pdf(), len(document.pages)

    def _render_separately(self, run: list[_Letter]) -> tuple[bytes, int]:
        documents = []
        offset = 0
        for letter in run:
            document = self._layout(_wrap(letter, [letter]))
            letter.pages = (offset, offset + len(document.pages))
            offset += len(document.pages)
            documents.append(document)
        combined = documents[0].copy([page for document in documents for page in document.pages])
        return combined.write_pdf(), offset

    def _layout(self, html: str):
        self.fetched_unshareable = False
        return self._stamp_layout(html)[0]

    def _stamp_layout(self, html: str, overlay: bool = False):
        """Lay out a document (a shared letter or an overlay document, see `pdf_stamp`); returns it
        and the parsed tree its boxes point into."""
        from weasyprint import HTML

        _PAGE_COUNTERS.clear()
        _CARRIES_OVER.clear()
        source = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
        document = source.render(stylesheets=self.overlay_stylesheets if overlay else self.stylesheets,
                                 font_config=self.font_config)
        return document, source.etree_element

    def _split(self, data: bytes, run: list[_Letter], out_dir: Path, token: str) -> list:
        """One file per letter from the run's PDF (pikepdf copies the shared font subset)."""
        import pikepdf

        done = []
        with pikepdf.open(io.BytesIO(data)) as source:
            for letter in run:
                start, stop = letter.pages
                with pikepdf.new() as target:
                    target.pages.extend(source.pages[start:stop])
                    for key in ("/Producer", "/Creator"):
                        if key in source.docinfo:
                            target.docinfo[key] = source.docinfo[key]
                    if letter.title:
                        target.docinfo["/Title"] = letter.title
                    if "/Lang" in source.Root:
                        target.Root.Lang = source.Root.Lang
                    buffer = io.BytesIO()
                    target.save(buffer)
                blob = buffer.getvalue()
                tmp = out_dir / f".maintdesk-{token}-{letter.index}.tmp"
                tmp.write_bytes(blob)
                done.append((letter.index, str(tmp), hashlib.sha256(blob).hexdigest(), stop - start))
        return done


def _pages_of(data: bytes, ranges: list[tuple[int, int]], letters: list[_Letter]) -> tuple[bytes, int]:
    """The given page ranges of a PDF as a PDF of their own (the whole PDF when they cover it), and
    each letter's pages within it."""
    import pikepdf

    offset = 0
    for letter, (start, stop) in zip(letters, ranges):
        letter.pages = (offset, offset + stop - start)
        offset += stop - start
    with pikepdf.open(io.BytesIO(data)) as source:
        if _consecutive(len(source.pages), ranges):
            return data, offset
        with pikepdf.new() as target:
            for start, stop in ranges:
                target.pages.extend(source.pages[start:stop])
            buffer = io.BytesIO()
            target.save(buffer)
    return buffer.getvalue(), offset


def _consecutive(total: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether `ranges` follow each other from page 0 to the last page."""
    return [start for start, _ in ranges] == [0] + [stop for _, stop in ranges[:-1]] and ranges[-1][1] == total


# The engine's own stylesheet: every letter starts a new page.
ENGINE_CSS = f".{WRAPPER} {{ break-before: page; }}"

_SKIPPED = r"<!--.*?-->|<style\b.*?</style\s*>|<script\b.*?</script\s*>|<title\b.*?</title\s*>"
_BODY_OPEN = re.compile(_SKIPPED + r"|(<body\b[^>]*>)", re.I | re.S)
_BODY_CLOSE = re.compile(r"</body\s*>", re.I)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_HTML_LANG = re.compile(r"""(<html\b[^>]*?)\s+lang\s*=\s*["']([^"']*)["']""", re.I)
_STYLING = re.compile(r"<style\b.*?</style\s*>|<link\b[^>]*>|<base\b[^>]*>", re.I | re.S)
# What a shared layout would get wrong: page selectors that count pages (they would count the
# whole run), fixed boxes (repeated on every page of every letter), footnotes (may move on to the
# next letter's page), string()/element() with `start` (the value from before the page).
_UNSHAREABLE = re.compile(r"@page\b[^{};]*:(?:first|left|right|recto|verso|blank|nth)\b"
                          r"|position\s*:\s*fixed|float\s*:\s*footnote"
                          r"|(?:string|element)\([^)]*,\s*start\s*\)", re.I)


def _split_letter(letter: _Letter) -> _Letter:
    """Cut a complete HTML document into head, body tag and body content; its signature says which
    letters may share one layout (same head without the title, same body tag, same styling)."""
    body = next((m for m in _BODY_OPEN.finditer(letter.html) if m.group(1)), None)
    if body is None:
        return letter
    closes = list(_BODY_CLOSE.finditer(letter.html, body.end()))
    end = closes[-1].start() if closes else len(letter.html)
    head = letter.html[:body.start()]
    title = _TITLE.search(head)
    letter.title = html_text.unescape(title.group(1)).strip() if title else ""
    letter.head, letter.body_tag, letter.inner = head, body.group(1), letter.html[body.end():end]
    # The language moves onto the letter's wrapper, so English and French letters share a layout.
    lang = _HTML_LANG.search(head)
    letter.lang = html_text.unescape(lang.group(2)) if lang else ""
    shared_head = _HTML_LANG.sub(lambda m: m.group(1), _TITLE.sub("", head))
    letter.signature = (shared_head, letter.body_tag, tuple(_STYLING.findall(letter.inner)))
    return letter


def _lang_attribute(letter: _Letter) -> str:
    return f' lang="{html_text.escape(letter.lang)}"' if letter.lang else ""


def _runs(letters: list[_Letter]) -> list[list[_Letter]]:
    """Consecutive letters with the same signature, in order."""
    runs: list[list[_Letter]] = []
    for letter in letters:
        if runs and letter.signature is not None and runs[-1][0].signature == letter.signature:
            runs[-1].append(letter)
        else:
            runs.append([letter])
    return runs


def _wrap(first: _Letter, run: list[_Letter]) -> str:
    """One document: the first letter's head and body tag, each letter's body in a marked <div>."""
    parts = [first.head, first.body_tag]
    parts += [
        f'<div class="{WRAPPER}" {MARK}="{k}"{_lang_attribute(letter)}>{letter.inner}</div>' for k, letter in enumerate(run)
    ]
    return "".join(parts) + "</body></html>"


def _letter_ranges(document, count: int) -> list[tuple[int, int]] | None:
    """Pages of each letter, from the wrapper marks on each page; None if they are not in order
    or if the page counters did not follow them."""
    owners = [_owner(getattr(page, "_page_box", None)) for page in document.pages]
    ranges = []
    start = 0
    for k in range(count):
        stop = start
        while stop < len(owners) and owners[stop] == k:
            stop += 1
        if stop == start:
            return None
        ranges.append((start, stop))
        start = stop
    if start != len(owners):
        return None
    expected = [(n - start + 1, stop - start) for start, stop in ranges for n in range(start, stop)]
    if _PAGE_COUNTERS != expected or _CARRIES_OVER != [False]:
        return None
    return ranges


def _owner(page_box) -> int | None:
    """The letter a laid-out page belongs to: the one wrapper found near the top of its boxes."""
    found = _marks(page_box, 4)
    return found.pop() if len(found) == 1 else None


def _marks(box, depth: int) -> set[int]:
    element = getattr(box, "element", None)
    mark = element.get(MARK) if element is not None and getattr(box, "element_tag", "") == "div" else None
    if mark is not None:
        return {int(mark)} if mark.isdigit() else {-1}
    found: set[int] = set()
    if depth > 0:
        for child in getattr(box, "children", ()):
            found |= _marks(child, depth - 1)
    return found


_PAGE_COUNTERS: list[tuple[int, int]] = []   # (page, pages) given to the margin boxes of each page
_CARRIES_OVER: list[bool] = []   # whether a named string or running element crossed into another letter


def _install_per_letter_page_counters() -> bool:
    """WORKAROUND: in a shared layout WeasyPrint numbers the pages of the whole document; the margin
    boxes (footers with counter(page) / counter(pages)) must number each letter's own pages. Wraps
    weasyprint.layout.make_all_pages (to keep the final pages) and make_margin_boxes (to set both
    counters from the letter marks on those pages). Independent of the templates' page names.
    Returns False (→ letters are laid out one by one) if WeasyPrint's internals have changed."""
    try:
        import weasyprint.layout as layout
    except ImportError:
        return False
    all_pages = getattr(layout, "make_all_pages", None)
    margin_boxes = getattr(layout, "make_margin_boxes", None)
    if all_pages is None or margin_boxes is None:
        return False
    if getattr(margin_boxes, "maintdesk_patch", False):
        return True

    def make_all_pages(context, root_box, html, pages):
        made = list(all_pages(context, root_box, html, pages))
        context.maintdesk_pages = made
        context.maintdesk_counters = None
        return iter(made)

    def make_margin_boxes(context, page, state):
        counters = getattr(context, "maintdesk_counters", None)
        if counters is None:
            counters = _per_letter_counters(getattr(context, "maintdesk_pages", []))
            context.maintdesk_counters = counters
            _PAGE_COUNTERS[:] = counters
            _CARRIES_OVER[:] = [bool(counters) and _carries_over(context, counters)]
        index = context.current_page - 1
        if counters and index < len(counters):
            state[1]["page"], state[1]["pages"] = [counters[index][0]], [counters[index][1]]
        return margin_boxes(context, page, state)

    make_margin_boxes.maintdesk_patch = True
    layout.make_all_pages = make_all_pages
    layout.make_margin_boxes = make_margin_boxes
    return True


def _per_letter_counters(pages: list) -> list[tuple[int, int]]:
    """(page within its letter, pages of its letter) for each page; [] for a single letter or
    when some page does not belong to exactly one letter."""
    owners = [_owner(page) for page in pages]
    if None in owners or len(set(owners)) < 2:
        return []
    counters: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(owners) + 1):
        if i == len(owners) or owners[i] != owners[start]:
            counters += [(n + 1, i - start) for n in range(i - start)]
            start = i
    return counters


def _carries_over(context, counters: list[tuple[int, int]]) -> bool:
    """Would a letter's margin boxes show a named string (string-set) or running element set by an
    earlier letter? True if a letter does not set, on its first page, a name set before it."""
    starts = [number for number, (page, _) in enumerate(counters, start=1) if page == 1][1:]
    for store in (getattr(context, "string_set", None), getattr(context, "running_elements", None)):
        if store is None:
            return True
        for by_page in store.values():
            pages = {number for number, values in by_page.items() if values}
            if pages and any(start not in pages and min(pages) < start for start in starts):
                return True
    return False
