"""The first draft a manager sees: the letters dialog opened on the demo's radiator work order
(offscreen), until the draft PDF is loaded in its viewer; then a click on another tenant.

Cold: a program that has not asked for a warm PDF worker (a new process per preview, templates
compiled on first use). Warm: as MaintDesk starts (`keep_renderer_warm` at start-up)."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from bench.timing import Figure, measure

TARGET_FIRST_MS = 250
TARGET_SWITCH_MS = 100


def run(folder: Path) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QApplication

    from maintdesk.letters import issuing
    from maintdesk.letters import templates as letter_templates
    from maintdesk.letters.pdf import pool
    from maintdesk.paths import AppPaths
    from maintdesk.records.demo import create_demo
    from maintdesk.records.store import Store
    from ui.dialogs.letters import LettersDialog

    app = QApplication.instance() or QApplication([])
    paths = AppPaths.under(folder / "preview-base").ensure()
    store = Store.open(paths.database)
    create_demo(store, today=date(2026, 3, 2))
    work = store.get_work_order(1)
    opened: list[LettersDialog] = []

    def shown(dialog: LettersDialog) -> bool:
        return (dialog.preview is None and dialog.plan is not None
                and dialog.document.status() == QPdfDocument.Status.Ready)

    def wait(dialog: LettersDialog) -> None:
        deadline = time.monotonic() + 60
        while not shown(dialog):
            app.processEvents()
            time.sleep(0.001)
            if time.monotonic() > deadline:
                raise RuntimeError(f"no draft after 60 s: {dialog.status.text()}")

    def open_dialog() -> None:
        dialog = LettersDialog(paths.database, paths, work, "fr")
        dialog.show()
        opened.append(dialog)
        wait(dialog)

    def close_all() -> None:
        while opened:
            dialog = opened.pop()
            dialog.close()
            dialog.deleteLater()
        app.processEvents()

    def forget_warm_state() -> None:
        close_all()
        for workers in pool._warm.values():
            for worker in workers:
                worker.process.kill()
                worker.process.join()
        pool._warm.clear()
        letter_templates._shared.clear()

    figures = [measure("draft preview, cold: dialog opened → first letter shown (a new PDF process)", open_dialog,
                       setup=forget_warm_state, repeat=3, note="before: what every preview cost")]
    forget_warm_state()
    issuing.keep_renderer_warm(paths, "fr").join()
    time.sleep(3.0)  # the program has been open a few seconds before the manager opens the dialog

    def settle() -> None:
        close_all()
        time.sleep(0.5)   # the worker back in its place between two openings

    first = measure("draft preview, warm: dialog opened → first letter shown", open_dialog, setup=settle, repeat=5)
    first.target = TARGET_FIRST_MS
    first.note = "worker and templates kept warm from start-up"
    figures.append(first)

    close_all()
    open_dialog()
    dialog = opened[0]
    started = time.perf_counter()
    while dialog.every_draft is not None:   # the building's other drafts, in the background
        app.processEvents()
        time.sleep(0.001)
    background = time.perf_counter() - started
    rows = iter(list(range(1, dialog.recipients.count())) * 2)

    def switch() -> None:
        dialog.recipients.setCurrentRow(next(rows))
        wait(dialog)

    switching = measure("draft preview: another tenant's letter clicked → shown", switch,
                        setup=lambda: time.sleep(0.2), repeat=7)
    switching.target = TARGET_SWITCH_MS
    switching.note = (f"the other {len(dialog.drafts) - 1} drafts "
                      f"were made in the background within {background:.1f} s of the first one")
    figures.append(switching)
    kept = dict(dialog.drafts)

    def forget() -> None:
        time.sleep(0.2)
        dialog.drafts = {}

    on_demand = measure("draft preview: another tenant clicked before the background drafts are made", switch,
                        setup=forget, repeat=5, note="laid out on demand by the warm worker")
    dialog.drafts = kept
    figures.append(on_demand)
    close_all()
    store.close()
    return figures


if __name__ == "__main__":
    import tempfile

    from bench.__main__ import table

    with tempfile.TemporaryDirectory() as tmp:
        print(table(run(Path(tmp))))
