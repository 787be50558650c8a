"""Tenants' replies to their notices, read from the office mailbox: who wrote, about which notice,
what they said; marked read once a person has seen them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from maintdesk.mail.inbox import replies_to_read
from maintdesk.records.models import InboundMessage
from maintdesk.records.store import Store
from ui.models.table_model import Column, RecordTableModel


class RepliesDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Replies to read")
        self.resize(820, 520)
        self.notices = {}
        columns: list[Column[InboundMessage]] = [
            Column("Received", lambda m: m.received_at[:16].replace("T", " ")),
            Column("From", lambda m: m.sender),
            Column("Notice", lambda m: self._notice(m)),
            Column("Subject", lambda m: m.subject),
        ]
        self.model: RecordTableModel[InboundMessage] = RecordTableModel(columns, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show())
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.count = QLabel()
        self.mark_button = QPushButton("Mark read")
        self.mark_button.clicked.connect(self.mark_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.mark_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.text)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.refresh()

    def _notice(self, message: InboundMessage) -> str:
        if message.notice_id is None:
            return ""
        if message.notice_id not in self.notices:
            notice = self.store.get_notice(message.notice_id)
            self.notices[message.notice_id] = (f"#{notice.id} {notice.kind}, {notice.recipient_name}"
                                               f"{' (' + notice.unit_label + ')' if notice.unit_label else ''}")
        return self.notices[message.notice_id]

    def refresh(self) -> None:
        rows = replies_to_read(self.store)
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows)} repl{'y' if len(rows) == 1 else 'ies'} to read" if rows else "No reply to read.")
        if rows:
            self.table.selectRow(0)
        self._show()

    def selected(self) -> InboundMessage | None:
        index = self.table.currentIndex()
        return self.model.row_object(index.row()) if index.isValid() else None

    def _show(self) -> None:
        message = self.selected()
        self.mark_button.setEnabled(message is not None)
        self.text.setPlainText("" if message is None else f"{message.subject}\n\n{message.body_text}")

    def mark_selected(self) -> None:
        message = self.selected()
        if message is not None and message.id is not None:
            self.store.mark_inbound_read([message.id])
            self.refresh()
