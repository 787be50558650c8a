"""The checks of a work order: completeness of the notice and the notice law of the place.

Each finding shows what is wrong, the rule and its citation, and what would fix it; a manager can
accept a finding with a reason, and withdraw that acceptance later; both are recorded. Where the
law lets a tenant agree to a visit outside its days or hours, a unit's written agreement (and its
withdrawal) is recorded from the finding (ui/dialogs/agreement.py).
"""

from __future__ import annotations

import getpass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
    QWidget,
)

from maintdesk.planning import checks
from maintdesk.errors import UserFacingError
from maintdesk.planning.findings import Finding
from maintdesk.paths import AppPaths
from maintdesk.planning.rules.entry_times import agreement_lifts
from maintdesk.planning.rules.provenance import provenance_lines
from maintdesk.records.store import Store
from maintdesk.records.terms import FindingOverride
from ui.dialogs.agreement import AgreementDialog
from ui.messages import show_crash, show_error
from ui.tasks.runner import Task, start

MARKS = {"error": "✖", "warning": "⚠", "info": "ℹ"}


def finding_text(finding: Finding) -> str:
    lines = [f"{MARKS[finding.severity]}  {finding.message}"]
    if finding.fix:
        lines.append(f"    Fix: {finding.fix}")
    if finding.rule or finding.citation:
        lines.append(f"    {finding.rule}{' — ' if finding.rule and finding.citation else ''}{finding.citation}")
    if finding.overridden:
        lines.append(f"    Accepted by {finding.overridden.get('by')}: {finding.overridden.get('reason')}")
    return "\n".join(lines)


class ChecksDialog(QDialog):
    def __init__(self, store: Store, paths: AppPaths, work_order_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.paths, self.work_order_id = store, paths, work_order_id
        self.setWindowTitle(f"Checks — work order {work_order_id}")
        self.resize(820, 600)
        self.summary = QLabel("Checking…")
        self.summary.setObjectName("pageTitle")
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.findings.setAlternatingRowColors(True)
        self.provenance = QLabel()  # the rules' name and whether anyone has read the statute's text
        self.provenance.setWordWrap(True)
        self.provenance.setTextFormat(Qt.TextFormat.RichText)
        self.provenance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.provenance_details = QLabel()  # the basis, the counting and the doubts, on demand
        self.provenance_details.setWordWrap(True)
        self.provenance_details.setObjectName("pageHint")
        self.provenance_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.provenance_details.hide()
        self.details_button = QPushButton("Basis and doubts")
        self.details_button.setCheckable(True)
        self.details_button.setToolTip("What the rules were encoded from, how they count days, and what is uncertain")
        self.details_button.toggled.connect(self.provenance_details.setVisible)
        self.disclaimer = QLabel()
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setObjectName("pageHint")
        self.accept_button = QPushButton("Accept finding…")
        self.accept_button.setToolTip("Keep the finding on record as accepted, with your reason")
        self.accept_button.clicked.connect(self.accept_finding)
        self.accept_button.setEnabled(False)
        self.withdraw_button = QPushButton("Withdraw acceptance…")
        self.withdraw_button.setToolTip("The finding counts again; the acceptance and your reason stay on record")
        self.withdraw_button.clicked.connect(self.withdraw_acceptance)
        self.withdraw_button.setEnabled(False)
        self.agree_button = QPushButton("Tenant agreed…")
        self.agree_button.setToolTip("Record a unit's written agreement to this visit outside the lawful days or hours")
        self.agree_button.clicked.connect(lambda: self.record_agreement(withdraw=False))
        self.agree_button.setEnabled(False)
        self.unagree_button = QPushButton("Agreement withdrawn…")
        self.unagree_button.setToolTip("A tenant took the agreement back; it stays on record")
        self.unagree_button.clicked.connect(lambda: self.record_agreement(withdraw=True))
        self.unagree_button.setEnabled(False)
        self.agreement_dialog: AgreementDialog | None = None
        self.findings.currentRowChanged.connect(self._selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.unagree_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.agree_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.withdraw_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        heading = QHBoxLayout()
        heading.addWidget(self.provenance, 1)
        heading.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heading)
        layout.addWidget(self.provenance_details)
        layout.addWidget(self.findings, 1)
        layout.addWidget(self.disclaimer)
        layout.addWidget(buttons)
        self.report: checks.CheckReport | None = None
        self.run_checks()

    def run_checks(self) -> None:
        database, paths, work_id = self.store.location, self.paths, self.work_order_id

        def work():
            store = Store.open(database, create=False)
            try:
                yield checks.check_work_order(store, paths, work_id)
            finally:
                store.close()

        self.task = Task(work, lambda event: isinstance(event, checks.CheckReport))  # kept: it owns the signals
        self.task.signals.finished.connect(self.show_report)
        self.task.signals.failed.connect(lambda error: show_error(self, error))
        self.task.signals.crashed.connect(lambda report: show_crash(self, report))
        start(self.task)

    def _finding(self, row: int) -> Finding | None:
        item = self.findings.item(row)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _selected(self, row: int) -> None:
        finding = self._finding(row) if row >= 0 else None
        self.accept_button.setEnabled(finding is not None and finding.overridden is None)
        self.withdraw_button.setEnabled(finding is not None and finding.overridden is not None)
        self.agree_button.setEnabled(finding is not None and finding.severity != "info"
                                     and agreement_lifts(finding.code))
        self.unagree_button.setEnabled(finding is not None and finding.code.endswith(("/days/agreed", "/hours/agreed")))

    def show_report(self, report: checks.CheckReport) -> None:
        self.report = report
        view = report.view()
        counts = view["counts"]
        verdict = "Ready to send" if view["ok"] else "Needs attention"
        self.summary.setText(f"{verdict}: {counts['error']} errors, {counts['warning']} warnings "
                             f"({report.jurisdiction}, {report.timezone})")
        self.findings.clear()
        for finding in report.findings:
            item = QListWidgetItem(finding_text(finding))
            item.setData(Qt.ItemDataRole.UserRole, finding)
            if finding.overridden:
                item.setForeground(Qt.GlobalColor.gray)
            self.findings.addItem(item)
        if not report.findings:
            self.findings.addItem("No findings: the notice is complete and on time.")
        self.disclaimer.setText(view["disclaimer"])
        rules = view["rules"]
        lines = provenance_lines(rules)
        heading = f"Rules: {rules['name']} — {rules['citation']}" + (
            " (no rule for this jurisdiction: good practice only)" if rules["fallback"] else "")
        status = escape(lines[0]) if lines else ""
        if lines and not rules.get("verified"):
            status = f'<span style="color:#a11d1d; font-weight:600">{status}</span>'
        self.provenance.setText("<br>".join([escape(heading), *([status] if status else [])]))
        self.provenance_details.setText("\n".join(lines[1:]))
        self.details_button.setVisible(len(lines) > 1)

    def accept_finding(self) -> None:
        row = self.findings.currentRow()
        finding = self._finding(row) if row >= 0 else None
        if finding is None or self.report is None:
            return
        reason, ok = QInputDialog.getMultiLineText(
            self, "Accept finding", f"Why is this acceptable?\n\n{finding.message}")
        if not ok:
            return
        try:
            self.store.add_finding_override(FindingOverride(self.work_order_id, finding.code, reason,
                                                            getpass.getuser()))
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.run_checks()

    def withdraw_acceptance(self) -> None:
        row = self.findings.currentRow()
        finding = self._finding(row) if row >= 0 else None
        if finding is None or not finding.overridden:
            return
        reason, ok = QInputDialog.getMultiLineText(
            self, "Withdraw acceptance", f"Why is this no longer acceptable?\n\n{finding.message}")
        if not ok:
            return
        try:
            self.store.withdraw_finding_override(finding.overridden["id"], getpass.getuser(), reason)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.run_checks()

    def record_agreement(self, withdraw: bool) -> None:
        """Ask which of the finding's units (all affected units for building-wide work) and the note."""
        row = self.findings.currentRow()
        finding = self._finding(row) if row >= 0 else None
        if finding is None:
            return
        units = self.store.affected_units(self.store.get_work_order(self.work_order_id))
        named = [u for u in units if u.label in finding.units]
        if withdraw:
            agreed = {a.unit_id for a in self.store.list_entry_agreements(self.work_order_id) if a.in_force}
            named = [u for u in named or units if u.id in agreed]
        self.agreement_dialog = AgreementDialog(self.store, self.work_order_id, named or units, finding.message,
                                                withdraw=withdraw, parent=self)
        self.agreement_dialog.accepted.connect(self.run_checks)
        self.agreement_dialog.open()
