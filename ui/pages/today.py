"""Today: the messages due now (issue the selected ones, or all after one confirmation) above the
work of the next 14 days; the tenants' replies to read, and the office mailbox read on demand."""

from __future__ import annotations


from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QAbstractScrollArea, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QSplitter,
    QTableView, QVBoxLayout, QWidget,
)

from maintdesk.errors import UserFacingError
from maintdesk.mail.inbox import InboxReport, replies_to_read
from maintdesk.mail import settings as mail_settings
from maintdesk.notices.due import DueReport, GroupKey, group_key, plan_due, plan_lines
from maintdesk.notices.issue import Delivery
from maintdesk.paths import AppPaths
from maintdesk.planning.communication import DueGroup, due
from maintdesk.records.models import pick_text
from maintdesk.records.store import Store
from maintdesk.timeutil import local, utc_now
from ui.pages import work_list
from ui.dialogs.letters import KIND_LABELS
from ui.dialogs.replies import RepliesDialog
from ui.tasks.channel_tasks import mailbox_task, saved_provider
from ui.messages import show_crash, show_error
from ui.models.table_model import Column, RecordTableModel
from ui.tasks.email_sending import smtp_and_password
from ui.tasks.issuing import due_task
from ui.tasks.runner import Task, start


CHANNEL_LABELS = {"email": "Email", "print": "Print", "sms": "SMS"}


class TodayPage(QWidget):
    def __init__(self, store: Store, paths: AppPaths, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.paths = store, paths
        self.zones: dict[int, str] = {}
        self.last_report: DueReport | None = None
        heading = QLabel("Messages due")
        heading.setObjectName("pageTitle")
        self.due_count = QLabel()
        self.due_count.setObjectName("countLabel")
        self.issue_button = QPushButton("Issue selected…")
        self.issue_button.setToolTip("Print or email the selected messages now and record them in the archive")
        self.issue_button.clicked.connect(self.issue_selected)
        self.issue_all_button = QPushButton("Issue all due…")
        self.issue_all_button.setToolTip("Every message due, after one confirmation; a summary at the end")
        self.issue_all_button.clicked.connect(self.issue_all)
        self.replies_button = QPushButton()
        self.replies_button.setObjectName("repliesButton")
        self.replies_button.setToolTip("Tenants who answered a notice by email")
        self.replies_button.clicked.connect(self.show_replies)
        self.mailbox_button = QPushButton("Read mailbox")
        self.mailbox_button.setToolTip("Read the office mailbox: bounced notices turn failed (the tenant gets "
                                       "paper), replies are attached to their notice")
        self.mailbox_button.clicked.connect(self.read_mailbox)
        columns: list[Column[DueGroup]] = [
            Column("Send by", self._send_by),
            Column("", lambda g: "LATE" if g.late else ""),
            Column("Property", lambda g: g.property_name),
            Column("Work", lambda g: pick_text(g.titles, language)),  # as the Work page names it
            Column("Message", lambda g: KIND_LABELS.get(g.kind, g.kind)),
            Column("Channel", lambda g: CHANNEL_LABELS.get(g.channel, g.channel)),
            Column("Tenants", lambda g: len(g.tenants), align_right=True),
        ]
        self.model: RecordTableModel[DueGroup] = RecordTableModel(columns, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.table.selectionModel().selectionChanged.connect(self._update_button)
        self.upcoming = work_list.today_page(store, language)
        self.task: Task | None = None

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.replies_button)
        top.addWidget(self.mailbox_button)
        top.addWidget(self.due_count)
        top.addWidget(self.issue_button)
        top.addWidget(self.issue_all_button)
        # The due messages take the height they need; the manager can move the line between the two.
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.table)
        self.split.addWidget(self.upcoming)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 0)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)
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
        replies = len(replies_to_read(self.store))
        self.replies_button.setText(f"{replies} repl{'y' if replies == 1 else 'ies'} to read")
        self.replies_button.setVisible(replies > 0)
        self._fit_table()
        self._update_button()

    def _fit_table(self) -> None:
        """Every due row visible when they fit in two thirds of the page; the rest for the coming work."""
        rows = self.model.rowCount()
        wanted = self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + 4 + sum(
            self.table.rowHeight(r) for r in range(rows)) + (self.table.rowHeight(0) if rows == 0 else 0)
        total = max(self.split.height(), 300)
        table = min(wanted, total * 2 // 3)
        self.split.setSizes([table, total - table])

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_table()

    def selected(self) -> list[DueGroup]:
        return [self.model.row_object(index.row()) for index in self.table.selectionModel().selectedRows()]

    def _update_button(self) -> None:
        idle = self.task is None
        self.issue_button.setEnabled(bool(self.selected()) and idle)
        self.issue_all_button.setEnabled(self.model.rowCount() > 0 and idle)
        self.mailbox_button.setEnabled(idle)

    def issue_selected(self) -> None:
        chosen = self.selected()
        if chosen:
            self.issue({group_key(g) for g in chosen})

    def issue_all(self) -> None:
        self.issue(None)

    def issue(self, keys: set[GroupKey] | None) -> None:
        """One confirmation (what goes, what is held back and why), then everything on a worker."""
        try:
            lines = plan_due(self.store, self.paths, keys=keys)
            settings = mail_settings.load(self.paths)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        going = [line for line in lines if line.held is None]
        text = "\n".join(f"•  {line}" for line in plan_lines(lines, settings is not None))
        if not going:
            QMessageBox.information(self, "Issue messages due", "Nothing can be issued now.\n\n" + text)
            return
        what = "every message due" if keys is None else "the selected messages"
        if QMessageBox.question(self, "Issue messages due", f"Issue {what} now? Each is archived as a legal "
                                f"record.\n\n{text}") != QMessageBox.StandardButton.Yes:
            return
        delivery, why_no_email = None, "no email server is set up (Settings)"
        if settings is not None and any(line.group.channel == "email" for line in going):
            try:
                delivery = Delivery(*smtp_and_password(self, self.paths))
            except UserFacingError as exc:
                why_no_email = exc.summary
        sms, why_no_sms = None, ""
        if any(line.group.channel == "sms" for line in going):
            try:
                sms = saved_provider(self.paths)
            except UserFacingError as exc:
                why_no_sms = exc.summary
        folder = self.paths.data_dir / "print" / utc_now().strftime("%Y%m%d-%H%M%S")
        self.task = due_task(self.store.location, self.paths, folder, delivery, why_no_email, keys, sms, why_no_sms)
        self.task.signals.progress.connect(
            lambda done, total: self.window().statusBar().showMessage(f"Issuing… {done} of {total} groups"))
        self.task.signals.finished.connect(lambda report: self._done(lambda: self.show_summary(report)))
        self.task.signals.failed.connect(lambda error: self._done(lambda: show_error(self, error)))
        self.task.signals.crashed.connect(lambda report: self._done(lambda: show_crash(self, report)))
        self._update_button()
        self.window().statusBar().showMessage("Issuing the messages due…")
        start(self.task)

    def _done(self, then) -> None:
        self.task = None
        self.window().statusBar().clearMessage()
        self.refresh()
        then()

    def show_summary(self, report: DueReport) -> None:
        self.last_report = report
        lines = report.lines()
        issued = (sum(i["count"] for i in report.printed) + sum(i["sent"] for i in report.emailed)
                  + sum(i["sent"] for i in report.texted))
        self.window().statusBar().showMessage(f"{issued} messages issued", 10000)
        box = QMessageBox(QMessageBox.Icon.Information, "Messages issued",
                          "\n".join(f"•  {line}" for line in lines) or "Nothing was due.", parent=self)
        if report.printed:
            folder = box.addButton("Open print folder", QMessageBox.ButtonRole.ActionRole)
            folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(report.folder))))
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()

    # Replies and the mailbox ---------------------------------------------------------------------

    def show_replies(self) -> RepliesDialog:
        dialog = RepliesDialog(self.store, self)
        dialog.finished.connect(lambda _: self.refresh())
        dialog.open()
        return dialog

    def read_mailbox(self) -> None:
        try:
            self.task = mailbox_task(self.store.location, self.paths)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.task.signals.finished.connect(lambda report: self._done(lambda: self.mailbox_read(report)))
        self.task.signals.failed.connect(lambda error: self._done(lambda: show_error(self, error)))
        self.task.signals.crashed.connect(lambda report: self._done(lambda: show_crash(self, report)))
        self._update_button()
        self.window().statusBar().showMessage("Reading the office mailbox…")
        start(self.task)

    def mailbox_read(self, report: InboxReport) -> None:
        self.last_mailbox = report
        self.window().statusBar().showMessage("Mailbox: " + "; ".join(report.lines()), 15000)
