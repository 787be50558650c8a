"""The tenant import wizard's last steps: the preview of every row, then the import and its result.

The preview is computed and the import saved off the GUI thread, by the wizard (ui/dialogs/import_wizard/wizard.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from PySide6.QtWidgets import QAbstractButton, QWizard, QWizardPage

from maintdesk.i18n import english
from maintdesk.imports.tenants import ImportReport, ImportResult, commit_task, preview_task
from maintdesk.records.location import Location
from ui.dialogs.import_wizard.steps import PreviewStep, ResultStep, counts_text, gui_words


class WizardHost(Protocol):
    """The wizard as its last steps see it (ui/dialogs/import_wizard/wizard.py): what the file and
    the preview gave, and its one background job at a time."""

    database: Location
    report: ImportReport | None
    import_result: ImportResult | None

    def run(self, work: Callable[[], Iterator[Any]], is_result: Callable[[Any], bool],
            done: Callable[[Any], None], page: QWizardPage, text: str) -> None: ...
    def busy(self) -> bool: ...
    def stop(self) -> None: ...
    def button(self, which: QWizard.WizardButton) -> QAbstractButton: ...
    def setButtonText(self, which: QWizard.WizardButton, text: str) -> None: ...
    def next(self) -> None: ...

SHOWN_PROBLEMS = 5  # listed above the preview; the table shows them all


def _some(names: list[str], shown: int = 12) -> str:
    """A list that stays one line however long the file: "1A, 1B, … and 240 more"."""
    more = f" … and {len(names) - shown:,} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


class PreviewPage(PreviewStep):
    def __init__(self, wizard: WizardHost):
        super().__init__()
        self.owner = wizard
        self._importable = self._rejected = 0
        self.setCommitPage(True)
        self.only_problems.toggled.connect(self._fill)
        self.choice.buttonToggled.connect(lambda _button, _checked: self._update_choice())

    def initializePage(self) -> None:
        owner = self.owner
        owner.report = None
        self.model.set_rows([])
        self.counts.setText("Checking every row…")
        self.notes.setText("")
        table, mapping, options = owner.table, owner.mapping_page.mapping(), owner.file_page.options()
        property_id, database = owner.file_page.property.currentData(), owner.database
        assert table is not None

        def work() -> Iterator[Any]:
            return preview_task(database, table, property_id, mapping=mapping, options=options)

        owner.run(work, lambda event: isinstance(event, ImportReport), self._show, self, "Checking every row…")

    def cleanupPage(self) -> None:  # Back: a preview still running is dropped
        self.owner.stop()
        self.owner.report = None

    def _show(self, report: ImportReport) -> None:
        self.owner.report = report
        self._importable, self._rejected = self.importable(), report.counts["rejected"]
        self.counts.setText(counts_text(report))
        lines = [f"✖ The file cannot be imported: {gui_words(p)}." for p in report.file_problems]
        problems = report.problems
        lines += [f"✖ {p.where}: {gui_words(p.message)}" for p in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(f"✖ … and {len(problems) - SHOWN_PROBLEMS:,} more: tick “Show only rejected rows”.")
        if report.warnings:
            lines.append("⚠ " + english(len(report.warnings), "{n} value", "{n} values")
                         + " to check: see “Problems and changes”.")
        if report.new_units:
            lines.append(f"New units: {_some(report.new_units)}.")
        lines += [f"Note: {note}." for note in report.notes]
        self.notes.setText("\n".join(lines))
        self.only_problems.setEnabled(bool(report.problems))
        for button in (self.all_valid, self.all_or_nothing):
            button.setVisible(bool(self._rejected))  # the choice matters only when a row is rejected
        self._fill()
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount() - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        self._update_choice()

    def _fill(self) -> None:
        report = self.owner.report
        rows = [] if report is None else report.rows
        self.model.set_rows([p for p in rows if p.action == "reject"] if self.only_problems.isChecked() else rows)

    def importable(self) -> int:
        report = self.owner.report
        return 0 if report is None else report.counts["created"] + report.counts["updated"]

    def _update_choice(self) -> None:
        report, count = self.owner.report, self._importable
        if report is None:
            return
        self.owner.setButtonText(QWizard.WizardButton.CommitButton,
                                 english(count, "Import {n} tenant", "Import {n} tenants") if count else "Import")
        if report.file_problems:
            text = "Go back and choose the columns, or fix the file and read it again."
        elif count == 0:
            text = "Nothing to import: every valid row is already up to date."
        elif report.problems and self.all_or_nothing.isChecked():
            text = ("Fix the rejected rows in the file and read it again (Back), or choose to import the "
                    "valid rows only.")
        else:
            text = f"Import saves these {count:,} tenants in one step; nothing is saved before."
        self.status.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # asked often: from the counts, without walking the rows
        report = self.owner.report
        if report is None or self.owner.busy() or report.file_problems or not self._importable:
            return False
        return not self._rejected or self.all_valid.isChecked()

    def validatePage(self) -> bool:
        if self.owner.import_result is not None:
            return True
        if not self.owner.busy() and self.isComplete():
            self._commit()
        return False  # the wizard moves on when the import is saved

    def _commit(self) -> None:
        report, skip, database = self.owner.report, self.all_valid.isChecked(), self.owner.database
        assert report is not None

        def work() -> Iterator[Any]:
            return commit_task(database, report, skip_invalid=skip)

        self.owner.run(work, lambda event: isinstance(event, ImportResult), self._committed, self, "Saving…")
        self.owner.button(QWizard.WizardButton.BackButton).setEnabled(False)

    def _committed(self, result: ImportResult) -> None:
        self.owner.import_result = result
        self.owner.next()


class ResultPage(ResultStep):
    def __init__(self, wizard: WizardHost):
        super().__init__()
        self.owner = wizard
        self.setFinalPage(True)

    def initializePage(self) -> None:
        result, report = self.owner.import_result, self.owner.report
        if result is None or report is None:
            return
        counts = result.counts
        self.summary.setText(english(counts["created"], "{n} tenant", "{n} tenants") + " added and "
                             f"{counts['updated']:,} updated in {report.property_name}.")
        lines = [f"{counts['unchanged']:,} already up to date."] if counts["unchanged"] else []
        if counts["rejected"]:
            lines.append(english(counts["rejected"], "{n} rejected row not imported: fix it",
                                 "{n} rejected rows not imported: fix them")
                         + " in the file and import it again (the rows saved now will then show as unchanged).")
        if counts["skipped"]:
            lines.append(english(counts["skipped"], "{n} row about another property skipped.",
                                 "{n} rows about another property skipped."))
        if result.units_created:
            lines.append(f"Units created: {_some(result.units_created)}.")
        self.details.setText("\n".join(lines))
