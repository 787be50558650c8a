"""Today: the messages due now (with "Issue now") above the work of the next 14 days."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from maintdesk.letters import issuing
from maintdesk.mail import outbox
from maintdesk.errors import UserFacingError
from maintdesk.paths import AppPaths
from maintdesk.planning.communication import DueGroup, due
from maintdesk.records.store import Store
from maintdesk.timeutil import local, utc_now
from ui.pages import work_list
from ui.tasks.email_sending import email_task, outcome_text, smtp_and_password
from ui.dialogs.letters import KIND_LABELS
from ui.messages import show_crash, show_error
from ui.widgets.pdf_preview import PdfPreviewDialog
from ui.models.table_model import Column, RecordTableModel
from ui.tasks.runner import Task, start


class TodayPage(QWidget):
    def __init__(self, store: Store, db_path: Path, paths: AppPaths, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.db_path, self.paths = store, db_path, paths
        self.zones: dict[int, str] = {}
        heading = QLabel("Messages due")
        heading.setObjectName("pageTitle")
        self.due_count = QLabel()
        self.due_count.setObjectName("countLabel")
        self.issue_button = QPushButton("Issue now")
        self.issue_button.setToolTip("Print or email the selected notices now and record them in the archive")
        self.issue_button.clicked.connect(self.issue_selected)
        columns: list[Column[DueGroup]] = [
            Column("Send by", self._send_by),
            Column("", lambda g: "LATE" if g.late else ""),
            Column("Property", lambda g: g.property_name),
            Column("Work", lambda g: g.title),
            Column("Message", lambda g: KIND_LABELS.get(g.kind, g.kind)),
            Column("Channel", lambda g: "Email" if g.channel == "email" else "Print"),
            Column("Tenants", lambda g: len(g.tenants), align_right=True),
        ]
        self.model: RecordTableModel[DueGroup] = RecordTableModel(columns, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMaximumHeight(220)
        self.table.selectionModel().selectionChanged.connect(self._update_button)
        self.upcoming = work_list.today_page(store, language)
        self.task: Task | None = None

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.due_count)
        top.addWidget(self.issue_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 0)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.upcoming, 1)
        self._update_button()

    def _send_by(self, group: DueGroup) -> str:
        zone = self.zones.get(group.work_order_id)
        moment = local(group.send_by, zone) if zone else group.send_by
        return moment.strftime("%a %d %b %H:%M") + (f" ({zone})" if zone else " UTC")

    def refresh(self) -> None:
        groups = due(self.store, utc_now())
        properties = {p.id: p for p in self.store.list_properties()}
        self.zones = {w.id: properties[w.property_id].timezone for w in self.store.list_work_orders()}
        self.model.set_rows(groups)
        late = sum(1 for g in groups if g.late)
        self.due_count.setText(f"{len(groups)} due" + (f", {late} late" if late else ""))
        self.upcoming.refresh()
        self._update_button()

    def selected(self) -> DueGroup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def _update_button(self) -> None:
        group = self.selected()
        self.issue_button.setEnabled(group is not None and self.task is None)

    def issue_selected(self) -> None:
        group = self.selected()
        if group is None:
            return
        if group.needs_text:
            show_error(self, UserFacingError(
                "Write the update first: on the Work page, open Letters for this work order, choose "
                "\u201cProgress update\u201d and type what has happened since the last notice."))
            return
        if group.channel == "email":
            self.send_emails(group)
            return
        stamp = utc_now().strftime("%Y%m%d-%H%M%S")
        request = issuing.BatchRequest(
            work_order_id=group.work_order_id, kind=group.kind,
            out_dir=self.paths.data_dir / "letters" / f"wo{group.work_order_id}-{group.kind}-{stamp}",
            tenant_ids=frozenset(m.tenant_id for m in group.tenants),
        )
        db_path, paths = self.db_path, self.paths

        def work():
            store = Store.open(db_path, create=False)
            try:
                yield from issuing.iter_issue_print_batch(store, db_path, paths, request)
            finally:
                store.close()

        self.task = Task(work, lambda event: isinstance(event, issuing.IssuedBatch))
        self.task.signals.progress.connect(
            lambda done, total: self.window().statusBar().showMessage(f"Rendering letters… {done} of {total}"))
        self.task.signals.finished.connect(self._issued)
        self.task.signals.failed.connect(lambda error: self._done(lambda: show_error(self, error)))
        self.task.signals.crashed.connect(lambda report: self._done(lambda: show_crash(self, report)))
        self._update_button()
        start(self.task)

    def send_emails(self, group: DueGroup) -> None:
        try:
            settings, password = smtp_and_password(self, self.paths)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        request = outbox.EmailRequest(work_order_id=group.work_order_id, kind=group.kind,
                                      tenant_ids=frozenset(m.tenant_id for m in group.tenants))
        self.task = email_task(self.db_path, self.paths, request, settings, password)
        self.task.signals.finished.connect(lambda outcome: self._done(
            lambda: self.window().statusBar().showMessage(outcome_text(outcome), 10000)))
        self.task.signals.failed.connect(lambda error: self._done(lambda: show_error(self, error)))
        self.task.signals.crashed.connect(lambda report: self._done(lambda: show_crash(self, report)))
        self._update_button()
        self.window().statusBar().showMessage(f"Sending through {settings.where}…")
        start(self.task)

    def _done(self, then) -> None:
        self.task = None
        self.window().statusBar().clearMessage()
        self.refresh()
        then()

    def _issued(self, batch: issuing.IssuedBatch) -> None:
        def show() -> None:
            self.window().statusBar().showMessage(f"{len(batch.notices)} letters issued and archived", 8000)
            if batch.merged_path:
                PdfPreviewDialog(batch.merged_path, "Letters to print", self).exec()
        self._done(show)
