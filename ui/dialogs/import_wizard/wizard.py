"""Import tenants from a CSV or XLSX file: choose the file → check the columns → preview → import.

Each step's layout is in ui/dialogs/import_wizard/steps.py; this module is the wizard and the first two
steps' behaviour, ui/dialogs/import_wizard/preview.py the last two's. Reading the file,
the preview and the import run off the GUI thread (ui.tasks.runner.Task), each on a database connection
of its own (maintdesk.imports.tenants.preview_task / commit_task). Nothing is saved until the user clicks
Import on the preview, and then all the chosen rows are saved in one transaction, or none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QComboBox, QFileDialog, QTableWidgetItem, QWidget, QWizard

from maintdesk.errors import UserFacingError
from maintdesk.imports.files import DELIMITERS, ENCODING_NAMES, Table, read_table
from maintdesk.imports.mapping import Mapping, guess_mapping
from maintdesk.imports.tenants import ImportOptions, ImportReport, ImportResult
from maintdesk.records.location import Location
from maintdesk.records.models import Property
from maintdesk.records.store import Store
from ui.dialogs.import_wizard.preview import PreviewPage, ResultPage
from ui.dialogs.import_wizard.steps import FileStep, MappingStep, PreviewStep, gui_words
from ui.messages import show_crash, show_error
from ui.tasks.runner import Task, start

Page = FileStep | PreviewStep  # the steps that run background work: each has `progress` and `status`


class ImportWizard(QWizard):
    def __init__(self, store: Store, database: Location, parent: QWidget | None = None, property_id: int | None = None):
        super().__init__(parent)
        self.database = database  # the window's file or office server, opened by the workers
        self.table: Table | None = None  # the file as read in step 1
        self.report: ImportReport | None = None  # the preview of step 3
        self.import_result: ImportResult | None = None  # what step 3's Import saved
        self.task: Task | None = None  # the one background job running, if any
        self._on_done: Callable[[Any], None] = lambda _result: None
        self._page: Page | None = None
        self._text = ""
        self.setWindowTitle("Import tenants")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.file_page = FilePage(self, store.list_properties(), property_id)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.result_page):
            self.addPage(page)
        self.setMinimumSize(QSize(820, 560))
        self.resize(1000, 680)

    # One background job at a time; a job replaced or cancelled is ignored when it reports.
    def run(self, work: Callable[[], Iterator[Any]], is_result: Callable[[Any], bool],
            done: Callable[[Any], None], page: Page, text: str) -> None:
        self.stop()
        self.task = Task(work, is_result)
        self._on_done, self._page, self._text = done, page, text
        signals = self.task.signals
        signals.progress.connect(self._progress)
        signals.finished.connect(self._finished)
        signals.failed.connect(self._failed)
        signals.crashed.connect(self._crashed)
        page.progress.setRange(0, 0)
        page.progress.setVisible(True)
        page.status.setText(text)
        page.completeChanged.emit()
        start(self.task)

    def busy(self) -> bool:
        return self.task is not None

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()  # an import in progress is rolled back: nothing is saved
            self._end()

    def _current(self) -> bool:
        return self.task is not None and self.sender() is self.task.signals

    def _progress(self, done: int, total: int) -> None:
        if self._current() and self._page is not None:
            self._page.progress.setRange(0, max(total, 1))
            self._page.progress.setValue(done)
            self._page.status.setText(f"{self._text} {done:,} of {total:,} rows")

    def _finished(self, result: Any) -> None:
        if self._current():
            done, page = self._on_done, self._page
            self._end()
            done(result)
            if page is not None:
                page.completeChanged.emit()  # again, now that the page has the result

    def _failed(self, error: UserFacingError) -> None:
        if self._current():
            page = self._end()
            error = UserFacingError(gui_words(error.summary), error.detail and gui_words(error.detail))
            page.status.setText(error.summary)
            show_error(self, error, "Import tenants")

    def _crashed(self, report: str) -> None:
        if self._current():
            self._end().status.setText("Something went wrong inside MaintDesk; nothing was saved.")
            show_crash(self, report)

    def _end(self) -> Page:
        page = self._page
        assert page is not None
        self.task = None
        page.progress.setVisible(False)
        page.completeChanged.emit()
        return page

    def reject(self) -> None:
        self.stop()
        super().reject()


class FilePage(FileStep):
    def __init__(self, wizard: ImportWizard, properties: list[Property], property_id: int | None):
        super().__init__()
        self.owner = wizard
        self._read_key: tuple[Path, str | None, str | None, str | None] | None = None
        for prop in properties:
            self.property.addItem(prop.name, prop.id)
        if property_id is not None and self.property.findData(property_id) >= 0:
            self.property.setCurrentIndex(self.property.findData(property_id))
        self.browse.clicked.connect(self.choose_file)
        self.path.editingFinished.connect(self.read_file)
        self.encoding.currentIndexChanged.connect(self.read_file)
        self.delimiter.currentIndexChanged.connect(self.read_file)
        self.sheet.currentIndexChanged.connect(self.read_file)
        self.property.currentIndexChanged.connect(self.completeChanged)
        if not properties:
            self.status.setText("Add a property first: tenants are imported into one.")

    def choose_file(self) -> None:
        folder = str(Path(self.path.text()).parent) if self.path.text().strip() else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Choose the tenant list", folder,
                                              "Tenant lists (*.csv *.txt *.xlsx *.xlsm);;All files (*)")
        if name:
            self.path.setText(name)
            self.read_file()

    def read_file(self) -> None:
        text = self.path.text().strip()
        if not text:
            return
        path = Path(text)
        if self._read_key is not None and path != self._read_key[0]:
            self._set_sheets([], None)  # another file: its own first sheet
        encoding, delimiter, sheet = self.encoding.currentData(), self.delimiter.currentData(), self.sheet.currentData()
        key = (path, encoding, delimiter, sheet)
        if key == self._read_key and (self.owner.table is not None or self.owner.busy()):
            return  # editingFinished also fires when the field loses focus
        self._read_key = key
        self.owner.table = None

        def work() -> Iterator[Table]:
            yield read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)

        self.owner.run(work, lambda event: isinstance(event, Table), self._read, self, "Reading the file…")

    def _read(self, table: Table) -> None:
        self.owner.table = table
        csv = table.format == "csv"
        if csv and self.encoding.currentData() is None:
            self.encoding.setItemText(0, f"Detected: {ENCODING_NAMES.get(table.encoding, table.encoding)}")
        if csv and self.delimiter.currentData() is None:
            self.delimiter.setItemText(0, f"Detected: {DELIMITERS.get(table.delimiter, table.delimiter)}")
        for combo in (self.encoding, self.delimiter):
            combo.setEnabled(csv)
            if not csv:
                combo.setItemText(0, "Not used for Excel files")
        self._set_sheets(table.sheets, self.sheet.currentData())
        rows = sum(1 for row in table.rows if any(row.cells))
        columns = ", ".join(h for h in table.headers if h)
        self.status.setText(f"{rows:,} rows read — {table.describe()}. The column headers are on row "
                            f"{table.header_row}: {columns}.")

    def _set_sheets(self, sheets: list[str], chosen: str | None) -> None:
        """The workbook's sheets to choose from (none for a CSV file), without reading again."""
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItem("The first sheet" if sheets else "Only for Excel files", None)
        for name in sheets:
            self.sheet.addItem(name, name)
        self.sheet.setCurrentIndex(max(0, self.sheet.findData(chosen)) if chosen is not None else 0)
        self.sheet.setEnabled(len(sheets) > 1)
        self.sheet.blockSignals(False)

    def isComplete(self) -> bool:
        return self.owner.table is not None and not self.owner.busy() and self.property.currentIndex() >= 0

    def validatePage(self) -> bool:  # a path edited then Next clicked: the file is being read again
        return self.isComplete()

    def options(self) -> ImportOptions:
        return ImportOptions(create_units=self.create_units.isChecked())


class MappingPage(MappingStep):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.owner = wizard
        self.combos: list[QComboBox] = []
        self.guessed = Mapping()
        self._shown: Table | None = None

    def initializePage(self) -> None:
        table = self.owner.table
        if table is None or table is self._shown:
            return  # coming back to the same file keeps the choices made
        self._shown = table
        self.guessed = guess_mapping(table.headers)
        field_of = {index: name for name, indexes in self.guessed.columns.items() for index in indexes}
        self.table.setRowCount(len(table.headers))
        self.combos = []
        for index, header in enumerate(table.headers):
            samples = [row.cells[index] for row in table.rows if index < len(row.cells) and row.cells[index]][:3]
            self.table.setItem(index, 0, QTableWidgetItem(header or f"(column {index + 1}, no header)"))
            self.table.setItem(index, 1, QTableWidgetItem("  ·  ".join(samples)))
            combo = self.field_combo()
            combo.setCurrentIndex(combo.findData(field_of.get(index)))
            combo.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        if self.combos:  # wide enough for the longest field name
            self.table.setColumnWidth(2, max(combo.sizeHint().width() for combo in self.combos) + 4)
        self._changed()

    def mapping(self) -> Mapping:
        """The columns chosen per field; a field's columns keep the detected priority (mobile before home)."""
        columns: dict[str, list[int]] = {}
        for index, combo in enumerate(self.combos):
            if combo.currentData():
                columns.setdefault(combo.currentData(), []).append(index)
        for name, indexes in columns.items():
            order = self.guessed.columns.get(name, [])
            indexes.sort(key=lambda i: (order.index(i) if i in order else len(order), i))
        return Mapping(columns, self.guessed.shape if columns == self.guessed.columns else "custom")

    def missing(self) -> str:
        mapping = self.mapping()
        if not mapping.has("unit"):
            return "Choose the column that holds the unit (“Unit”)."
        if not any(mapping.has(name) for name in ("name", "first_name", "last_name")):
            return "Choose the column that holds the tenant's name (“Tenant's full name”, or first and last name)."
        return ""

    def _changed(self) -> None:
        mapping = self.mapping()
        missing = self.missing()
        used = sum(len(indexes) for indexes in mapping.columns.values())
        self.status.setText(missing or f"{used} of the file's {len(self.combos)} columns will be read.")
        self.status.setStyleSheet("color: #b3261e;" if missing else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.missing()
