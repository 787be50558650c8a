"""A QAbstractTableModel over a list of domain rows; the selection hands back the row object.

Filtering happens here, in plain Python over one folded text per row, rather than in a
QSortFilterProxyModel that would call data() for every cell on every keystroke (measured: ~500 ms
per keystroke over 50,000 tenants, see bench/RESULTS.md). A proxy on top still sorts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from maintdesk.search import fold, matches

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    header: str
    value: Callable[[Row], Any]
    align_right: bool = False


class RecordTableModel(QAbstractTableModel, Generic[Row]):
    def __init__(self, columns: Sequence[Column[Row]], rows: Sequence[Row] = (), parent: Any = None):
        super().__init__(parent)
        self._columns = list(columns)
        self._all: list[Row] = list(rows)
        self._rows: list[Row] = list(rows)
        self._haystacks: list[str] | None = None
        self._query = ""

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._haystacks = None
        self._rows = self._select(self._query)
        self.endResetModel()

    def set_filter(self, query: str) -> None:
        """Show only rows in which every word of `query` appears (any column, any case or accent)."""
        self.beginResetModel()
        self._query = query
        self._rows = self._select(query)
        self.endResetModel()

    def total_count(self) -> int:
        return len(self._all)

    def _select(self, query: str) -> list[Row]:
        if not query.strip():
            return list(self._all)
        if self._haystacks is None:
            self._haystacks = [
                fold(" ".join(str(c.value(row)) for c in self._columns)) for row in self._all
            ]
        return [row for row, hay in zip(self._all, self._haystacks) if matches(hay, query)]

    def row_object(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = column.value(self._rows[index.row()])
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        return None
