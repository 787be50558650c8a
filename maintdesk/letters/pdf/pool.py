"""The worker processes of the PDF engine: started with *spawn*, killed on a time limit.

Never fork: the GUI process has Qt threads, and WeasyPrint is not thread-safe. Each worker builds
one `Renderer` (`maintdesk.letters.pdf.layout`) and serves tasks from its pipe until told to stop.

A new worker costs ~0.5 s before its first letter (a Python process, WeasyPrint's import, the
stylesheets parsed). A program that previews drafts asks `keep_warm(config)` once: one worker for
that configuration is started at once and kept between batches, so that a one-letter preview
starts with a worker already waiting. The configuration's key includes the stylesheets' size and
modification time: an edited stylesheet gets a fresh worker.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from maintdesk.letters.pdf.layout import Renderer, RendererConfig

START_TIMEOUT = 60.0             # seconds a worker may take to import WeasyPrint and parse the stylesheets
WARM_PER_CONFIG = 1              # idle workers kept for a configuration someone asked to keep warm


@dataclass
class Task:
    ident: int
    indexes: list[int]


@dataclass
class Worker:
    process: multiprocessing.Process
    conn: Connection
    ready: bool = False
    task: Task | None = None
    deadline: float = 0.0


_CONTEXT = multiprocessing.get_context("spawn")
_warm_lock = threading.Lock()
_warm: dict[tuple, list[Worker]] = {}    # configuration key -> idle workers kept for it


def config_key(config: RendererConfig) -> tuple:
    def stamp(path: str) -> tuple:
        try:
            info = os.stat(path)
        except OSError:
            return (path, None)
        return (path, info.st_size, info.st_mtime_ns)
    return (tuple(config.roots), config.base_url, tuple(stamp(s) for s in config.stylesheets), config.stamp)
    # (not warm_up: a worker warmed up with a sample letter serves any batch of the same options)


def keep_warm(config: RendererConfig) -> None:
    """Start a worker for `config` now (unless one waits already) and keep one between batches."""
    key = config_key(config)
    with _warm_lock:
        waiting = _warm.setdefault(key, [])
        waiting[:] = [w for w in waiting if w.process.is_alive()]
        if waiting:
            return
        waiting.append(_spawn(config, START_TIMEOUT))


def _spawn(config: RendererConfig, start_allowance: float) -> Worker:
    parent, child = _CONTEXT.Pipe()
    process = _CONTEXT.Process(target=worker_main, args=(child, config), daemon=True, name="maintdesk-pdf")
    process.start()
    child.close()
    return Worker(process, parent, deadline=time.monotonic() + start_allowance)


def _take_warm(key: tuple) -> Worker | None:
    with _warm_lock:
        waiting = _warm.get(key) or []
        while waiting:
            worker = waiting.pop()
            if worker.process.is_alive():
                return worker
            worker.conn.close()
    return None


def _keep(key: tuple, worker: Worker) -> bool:
    """Keep an idle, healthy worker for the next batch if its configuration is kept warm."""
    with _warm_lock:
        waiting = _warm.get(key)
        if waiting is None or len(waiting) >= WARM_PER_CONFIG or not worker.process.is_alive():
            return False
        waiting.append(worker)
        return True


class Pool:
    """Worker processes (spawn, never fork: the GUI process has Qt threads) that can be killed."""

    def __init__(self, config: RendererConfig, count: int, time_limit: float):
        self.config = config
        self.key = config_key(config)
        self.time_limit = time_limit
        self.workers: list[Worker] = []
        for _ in range(count):
            self.start()

    def start(self) -> Worker:
        """A kept warm worker if there is one (ready, or still starting), else a new process."""
        allowance = START_TIMEOUT + self.time_limit
        worker = _take_warm(self.key) or _spawn(self.config, allowance)
        worker.deadline, worker.task = time.monotonic() + allowance, None
        self.workers.append(worker)
        return worker

    def kill(self, worker: Worker) -> None:
        self.workers.remove(worker)
        worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def close(self) -> None:
        for worker in list(self.workers):
            if worker.task is None and worker.ready and _keep(self.key, worker):
                self.workers.remove(worker)
                continue
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


def worker_main(conn: Connection, config: RendererConfig) -> None:
    try:
        renderer = Renderer(config)
    except Exception as error:  # noqa: BLE001 - reported to the parent as a sentence
        conn.send(("init-failed", f"{type(error).__name__}: {error}"))
        return
    if config.warm_up:
        _warm_up(renderer, config.warm_up)
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


def _warm_up(renderer: Renderer, html: str) -> None:
    """Lay out one letter and throw it away: the first real one is then as fast as the next ones
    (~0.1 s instead of ~0.2 s: fonts, Pango's and WeasyPrint's caches)."""
    # Named after the program's process, like its scratch folders (maintdesk-<kind>-<pid>-…): a worker
    # stopped during its warm-up does not reach the clean-up below, so the program removes it at exit
    # (and, had the program itself been killed, the next start removes it).
    folder = Path(tempfile.mkdtemp(prefix=f"{WARM_UP_PREFIX}{os.getppid()}-"))
    try:
        renderer.render([(0, html, "warm-up.pdf", False)], folder, "warm", False)
    except Exception:  # noqa: BLE001 - a real letter will say what is wrong
        pass
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    renderer.take_warnings()


WARM_UP_PREFIX = "maintdesk-warmup-"


def _remove_warm_up_leftovers() -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{WARM_UP_PREFIX}{os.getpid()}-*"):
        shutil.rmtree(folder, ignore_errors=True)


# At exit, after multiprocessing has stopped the workers (an exit priority below theirs), so that no
# worker writes in the folder again once it is removed.
multiprocessing.util.Finalize(None, _remove_warm_up_leftovers, exitpriority=-1)
