"""The worker processes of the PDF engine: started with *spawn*, killed on a time limit.

Never fork: the GUI process has Qt threads, and WeasyPrint is not thread-safe. Each worker builds
one `Renderer` (`maintdesk.letters.pdf.layout`) and serves tasks from its pipe until told to stop.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from maintdesk.letters.pdf.layout import Renderer, RendererConfig

START_TIMEOUT = 60.0             # seconds a worker may take to import WeasyPrint and parse the stylesheets


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


class Pool:
    """Worker processes (spawn, never fork: the GUI process has Qt threads) that can be killed."""

    def __init__(self, config: RendererConfig, count: int, time_limit: float):
        self.context = multiprocessing.get_context("spawn")
        self.config = config
        self.time_limit = time_limit
        self.workers: list[Worker] = []
        for _ in range(count):
            self.start()

    def start(self) -> Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=worker_main, args=(child, self.config), daemon=True,
                                       name="maintdesk-pdf")
        process.start()
        child.close()
        worker = Worker(process, parent, deadline=time.monotonic() + START_TIMEOUT + self.time_limit)
        self.workers.append(worker)
        return worker

    def kill(self, worker: Worker) -> None:
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


def worker_main(conn: Connection, config: RendererConfig) -> None:
    try:
        renderer = Renderer(config)
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
