"""A page with a title, search-as-you-type and a sortable table of domain rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget,
)

from ui.table_model import Column, RecordTableModel


class ListPage(QWidget):
    def __init__(self, title: str, columns: Sequence[Column[Any]], load: Callable[[], Sequence[Any]],
                 hint: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._load = load
        self.model: RecordTableModel[Any] = RecordTableModel(columns, parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_filter)
        self.search.textChanged.connect(self._update_count)
        self.count = QLabel()
        self.count.setObjectName("countLabel")

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.count)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(top)
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setObjectName("pageHint")
            layout.addWidget(note)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        self.model.set_rows(self._load())
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            if self.table.columnWidth(column) > 360:
                self.table.setColumnWidth(column, 360)
        self._update_count()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_object(self.proxy.mapToSource(rows[0]).row())

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.total_count()
        self.count.setText(f"{total:,}" if shown == total else f"{shown:,} of {total:,}")
