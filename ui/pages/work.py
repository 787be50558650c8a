"""The Work page: the list of work orders, with letters, the crew sheet and the lobby poster for the selected one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from maintdesk.letters import crew_sheet, poster
from maintdesk.records.models import Property, WorkOrder
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from ui.pages import work_list
from ui.dialogs.checks import ChecksDialog
from ui.dialogs.letters import LettersDialog
from ui.pages.list_page import ListPage
from ui.messages import show_crash, show_error
from ui.widgets.pdf_preview import PdfPreviewDialog
from ui.dialogs.status_change import STATUS_CHOICES, change_status, offer_message
from ui.tasks.runner import Task, start
from ui.dialogs.work_order import WorkOrderDialog


class WorkPage(ListPage):
    def __init__(self, store: Store, paths: AppPaths, language: str, parent: QWidget | None = None):
        super().__init__("Work orders", work_list.work_columns(language), work_list.WorkCatalog(store).rows, parent=parent)
        self.store, self.paths, self.language = store, paths, language
        self.letters_button = self.make_button(
            "Notices…", "Read the drafts, then issue, print and email the notices of the selected work order (Ctrl+P)",
            self.open_letters, needs_selection=True)
        self.sheet_button = self.make_button(
            "Crew sheet…", "The visits in slot order with access notes, for the people doing the work",
            self.make_crew_sheet)
        self.poster_button = self.make_button(
            "Lobby poster…", "One page in large type for the lobby, in the building's languages: for building-wide work",
            self.make_poster)
        self.checks_button = self.make_button(
            "Checks…", "Is the notice complete, and on time for the law of the place?", self.open_checks,
            needs_selection=True)
        self.new_button = self.make_button(
            "New work order…", "A new work order: texts, window, units, actions and visit slots (Ctrl+N)",
            self.new_work_order)
        self.edit_button = self.make_button("Edit…", "Change the selected work order", self.edit_work_order,
                                            needs_selection=True)
        self.status_button = self.make_button(
            "Status", "Mark the work in progress, completed, postponed or cancelled; MaintDesk offers the matching notice",
            lambda: None, needs_selection=True)
        status_menu = QMenu(self.status_button)
        for status, label in STATUS_CHOICES:
            status_menu.addAction(label).triggered.connect(lambda checked=False, s=status: self.set_status(s))
        self.status_button.setMenu(status_menu)
        self.task: Task | None = None
        self.add_button_bar(left=(self.new_button, self.edit_button, self.status_button),
                            right=(self.checks_button, self.sheet_button, self.poster_button, self.letters_button))
        self.on_new("New work order", self.new_work_order)
        self.table.doubleClicked.connect(lambda _index: self.open_letters())

    def update_buttons(self) -> None:
        super().update_buttons()
        row: tuple[WorkOrder, Property] | None = self.selected()
        self.sheet_button.setEnabled(row is not None and self.task is None)
        self.poster_button.setEnabled(row is not None and row[0].scope == "building" and self.task is None)

    def _selected_work(self) -> WorkOrder | None:
        row: tuple[WorkOrder, Property] | None = self.selected()
        if row is None:
            QMessageBox.information(self, "MaintDesk", "Select a work order first.")
            return None
        return row[0]

    def new_work_order(self) -> None:
        if WorkOrderDialog(self.store, parent=self).exec():
            self.refresh()

    def edit_work_order(self) -> None:
        work = self._selected_work()
        if work is not None and WorkOrderDialog(self.store, self.store.get_work_order(work.id), self).exec():
            self.refresh()

    def open_letters(self) -> None:
        work = self._selected_work()
        if work is not None:
            LettersDialog(self.store.location, self.paths, work, self.language, self).exec()

    def set_status(self, status: str) -> None:
        work = self._selected_work()
        if work is None:
            return
        changed = change_status(self, self.store, work, status)
        if changed is None:
            return
        self.refresh()
        if offer_message(self, changed):
            LettersDialog(self.store.location, self.paths, changed, self.language, self).exec()

    def open_checks(self) -> None:
        work = self._selected_work()
        if work is not None:
            ChecksDialog(self.store, self.paths, work.id, self).exec()

    def make_crew_sheet(self) -> None:
        work = self._selected_work()
        if work is None:
            return
        out = self.paths.data_dir / "crew-sheets" / f"wo{work.id}-crew-sheet.pdf"
        paths = self.paths
        run = self._with_store(lambda store: crew_sheet.write_crew_sheet(store, paths, work.id, out))
        self._start(Task(run, lambda event: hasattr(event, "sha256")), self._sheet_ready, "Preparing the crew sheet…")

    def make_poster(self) -> None:
        """Asks for the paper and a file name, renders off the GUI thread, then shows the poster."""
        work = self._selected_work()
        if work is None or work.scope != "building":
            return
        papers = list(poster.PAPERS)
        usual = self.store.sender_of(self.store.get_property(work.property_id)).paper_size
        paper, chosen = QInputDialog.getItem(self, "Lobby poster", "Paper:", papers, papers.index(usual), False)
        if not chosen:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name, _ = QFileDialog.getSaveFileName(self, "Save the lobby poster",
                                              str(Path(folder) / f"wo{work.id}-lobby-poster-{paper}.pdf"), "PDF file (*.pdf)")
        if not name:
            return
        out = Path(name) if name.lower().endswith(".pdf") else Path(f"{name}.pdf")
        paths = self.paths
        run = self._with_store(lambda store: poster.write_poster(store, paths, work.id, out, paper))
        self._start(Task(run, lambda event: isinstance(event, poster.Poster)), self._poster_ready,
                    "Preparing the lobby poster…")

    def _with_store(self, make):
        """The work of a task: `make(store)` on a connection of the worker's own (plain values only)."""
        database = self.store.location

        def run():
            store = Store.open(database, create=False)
            try:
                yield make(store)
            finally:
                store.close()

        return run

    def _start(self, task: Task, ready, message: str) -> None:
        self.task = task
        task.signals.finished.connect(ready)
        task.signals.failed.connect(lambda error: self._task_done(lambda: show_error(self, error)))
        task.signals.crashed.connect(lambda report: self._task_done(lambda: show_crash(self, report)))
        self.update_buttons()
        self.window().statusBar().showMessage(message)
        start(task)

    def _task_done(self, then) -> None:
        self.task = None
        self.update_buttons()
        self.window().statusBar().clearMessage()
        then()

    def _sheet_ready(self, rendered) -> None:
        self._task_done(lambda: PdfPreviewDialog(rendered.path, "Crew sheet", self).exec())

    def _poster_ready(self, made: poster.Poster) -> None:
        def show() -> None:
            if made.scale < 1:   # the texts were too long for full-size type: say how large it is
                self.window().statusBar().showMessage(
                    f"Lobby poster saved; its texts were too long for full-size type, so the type is at {made.scale:.0%} "
                    f"({made.body_pt:g} pt). Larger paper keeps it larger.")
            PdfPreviewDialog(made.path, "Lobby poster", self).exec()

        self._task_done(show)
