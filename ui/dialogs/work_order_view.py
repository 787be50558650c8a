"""Widgets of the work order dialog: a text in English and French, the action list, the unit checklist
and the slot table. They hold what is typed; the dialog reads them on Save."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QSize, QTimeZone, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QDateTimeEdit, QHBoxLayout, QHeaderView, QLineEdit, QListWidget,
    QListWidgetItem, QPlainTextEdit, QPushButton, QRadioButton, QSizePolicy, QTableWidget, QTableWidgetItem, QTabWidget,
    QVBoxLayout, QWidget,
)

from maintdesk.records.models import ActionItem, LocalizedText, Slot, Unit
from maintdesk.planning.scheduling import span_text
from maintdesk.timeutil import from_local, local

LANGUAGE_TABS = (("en", "English"), ("fr", "Français"))


def pretty(code: str) -> str:
    """'in_progress' → 'In progress'."""
    return code.replace("_", " ").capitalize()


class LocalizedEdit(QTabWidget):
    """One text per language, a tab each."""

    def __init__(self, text: LocalizedText | None = None, lines: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDocumentMode(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        for code, name in LANGUAGE_TABS:
            if lines:
                edit: QLineEdit | QPlainTextEdit = QPlainTextEdit()
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
            else:
                edit = QLineEdit()
            edit.setObjectName(code)
            self.edits[code] = edit
            self.addTab(edit, name)
        self.set_text(text or {})

    def sizeHint(self) -> QSize:  # noqa: N802 - the text boxes have a fixed height; the tabs' hint ignores it
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())

    def set_text(self, text: LocalizedText) -> None:
        for code, edit in self.edits.items():
            (edit.setText if isinstance(edit, QLineEdit) else edit.setPlainText)(text.get(code, ""))

    def text(self) -> LocalizedText:
        values = {code: (e.text() if isinstance(e, QLineEdit) else e.toPlainText()) for code, e in self.edits.items()}
        return {code: value for code, value in values.items() if value.strip()}


class WallClockEdit(QDateTimeEdit):
    """A date and time as the clock reads in a given zone; `moment()` gives it back in UTC."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.setTimeZone(QTimeZone(b"UTC"))  # plain wall-clock values: the computer's zone plays no part
        self.zone_name = "UTC"

    def set_moment(self, moment: datetime, zone_name: str) -> None:
        self.zone_name = zone_name
        wall = local(moment, zone_name)
        self.setDateTime(QDateTime(wall.date(), wall.time().replace(second=0, microsecond=0), QTimeZone(b"UTC")))

    def wall_time(self) -> datetime:
        value = self.dateTime()
        return datetime.combine(value.date().toPython(), value.time().toPython()).replace(second=0, microsecond=0)

    def moment(self, zone_name: str | None = None) -> datetime:
        return from_local(self.wall_time(), zone_name or self.zone_name)


def _button(text: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.setToolTip(tip)
    return button


class UnitChooser(QWidget):
    """"All units", or a checklist of the property's units."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.all_button = QRadioButton("All units")
        self.some_button = QRadioButton("Only the units checked below")
        group = QButtonGroup(self)
        group.addButton(self.all_button)
        group.addButton(self.some_button)
        self.all_button.setChecked(True)
        self.list = QListWidget()
        self.list.setObjectName("unit_list")
        self.list.setMaximumHeight(120)
        self.all_button.toggled.connect(lambda on: self.list.setEnabled(not on))
        self.list.setEnabled(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.all_button)
        row.addWidget(self.some_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.list)

    def set_units(self, units: list[Unit], all_units: bool = True, chosen: list[int] | None = None) -> None:
        self.list.clear()
        for unit in units:
            item = QListWidgetItem(unit.label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if unit.id in (chosen or []) else Qt.CheckState.Unchecked)
        (self.all_button if all_units else self.some_button).setChecked(True)

    def all_units(self) -> bool:
        return self.all_button.isChecked()

    def set_checked(self, unit_ids: set[int]) -> None:
        self.some_button.setChecked(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in unit_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen(self) -> list[int]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]


class ActionList(QWidget):
    """What will be done, in order: type the English and French text, then Add or Update."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("action_list")
        self.list.setMaximumHeight(110)
        self.list.currentItemChanged.connect(self._chosen)
        self.english, self.french = QLineEdit(), QLineEdit()
        self.english.setPlaceholderText("Action in English")
        self.french.setPlaceholderText("Action en français")
        self.english.returnPressed.connect(self.add)
        self.french.returnPressed.connect(self.add)
        self.add_button = _button("Add", "A new action from the texts typed above")
        self.update_button = _button("Update", "The selected action takes the texts typed above")
        self.remove_button = _button("Remove")
        self.up_button = _button("Up", "Move the selected action up")
        self.down_button = _button("Down", "Move the selected action down")
        self.add_button.clicked.connect(self.add)
        self.update_button.clicked.connect(self.update_current)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        texts = QHBoxLayout()
        texts.addWidget(self.english)
        texts.addWidget(self.french)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.update_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list)
        column.addLayout(texts)
        column.addLayout(buttons)
        self._update_buttons()

    def typed(self) -> LocalizedText:
        return {code: edit.text().strip() for code, edit in (("en", self.english), ("fr", self.french))
                if edit.text().strip()}

    def append(self, action: ActionItem) -> QListWidgetItem:
        item = QListWidgetItem(self._caption(action.text), self.list)
        item.setData(Qt.ItemDataRole.UserRole, action)
        return item

    def actions(self) -> list[ActionItem]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def add(self) -> None:
        text = self.typed()
        if text:
            self.list.setCurrentItem(self.append(ActionItem(text)))
            self.english.clear()
            self.french.clear()
            self.english.setFocus()

    def update_current(self) -> None:
        item, text = self.list.currentItem(), self.typed()
        if item is not None and text:
            action: ActionItem = item.data(Qt.ItemDataRole.UserRole)
            action.text = text
            item.setData(Qt.ItemDataRole.UserRole, action)
            item.setText(self._caption(text))

    def remove(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.takeItem(self.list.row(item))
        self._update_buttons()

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        if row < 0 or not 0 <= row + step < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(row + step, item)
        self.list.setCurrentRow(row + step)

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None:
            text: LocalizedText = item.data(Qt.ItemDataRole.UserRole).text
            self.english.setText(text.get("en", ""))
            self.french.setText(text.get("fr", ""))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.list.currentItem() is not None
        for button in (self.update_button, self.remove_button, self.up_button, self.down_button):
            button.setEnabled(chosen)

    @staticmethod
    def _caption(text: LocalizedText) -> str:
        return " / ".join(text[code] for code, _ in LANGUAGE_TABS if text.get(code))


class SlotTable(QTableWidget):
    """The visit slots: unit, start and end as the property's clock reads."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Unit", "Start", "End"])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setMinimumHeight(110)
        self.slots: list[Slot] = []

    def set_slots(self, slots: list[Slot], labels: dict[int, str], zone_name: str) -> None:
        self.slots = sorted(slots, key=lambda s: (s.start, s.unit_id))
        self.clearSelection()
        self.setRowCount(len(self.slots))
        for row, slot in enumerate(self.slots):
            span = span_text(slot.start, slot.end, zone_name)
            start, _, end = span.partition("–")
            for column, text in enumerate((labels.get(slot.unit_id, f"unit {slot.unit_id}"), start, end)):
                self.setItem(row, column, QTableWidgetItem(text))

    def current_slot(self) -> Slot | None:
        rows = self.selectionModel().selectedRows()
        return self.slots[rows[0].row()] if rows else None

    def select_unit(self, unit_id: int) -> None:
        row = next((i for i, s in enumerate(self.slots) if s.unit_id == unit_id), -1)
        if row >= 0:
            self.selectRow(row)
        else:
            self.clearSelection()
