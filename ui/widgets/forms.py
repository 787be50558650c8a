"""A form dialog: named fields, a red message under each, and a Save that keeps the dialog open on errors.

The save function gets the dialog and stores what is typed. A ValidationError from it leaves every
field as typed and puts each problem's message under its field; anything else it raises that the
user can act on (UserFacingError) is shown in the label at the top. On success the dialog closes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
    QVBoxLayout, QWidget,
)

from maintdesk.errors import Problem, UserFacingError, ValidationError

ERROR_STYLE = "color: #b00020;"


def problem_sentence(label: str, message: str) -> str:
    """'is required' under Name reads "Name is required"; other messages start with a capital."""
    message = message.strip()
    if message.startswith(("is ", "must ")):
        return f"{label} {message}"
    return message[:1].upper() + message[1:]


class FormDialog(QDialog):
    def __init__(self, title: str, save: Callable[[FormDialog], Any] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.save_function = save
        self.result_value: Any = None
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        self.messages: dict[str, QLabel] = {}
        # Problem fields the store names differently from the form, e.g. "label" -> "unit".
        self.aliases: dict[str, str] = {}

        self.top_message = QLabel()
        self.top_message.setObjectName("formProblems")
        self.top_message.setStyleSheet(ERROR_STYLE)
        self.top_message.setWordWrap(True)
        self.top_message.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.top_message)
        self.body.addLayout(self.form)
        self.body.addWidget(self.buttons)

    # Building -------------------------------------------------------------------------------

    def add_field(self, name: str, label: str, widget: QWidget, extra: QWidget | None = None) -> QWidget:
        """A row `label: widget` with a (hidden until needed) red message under the widget."""
        message = QLabel()
        message.setObjectName(f"{name}_message")
        message.setStyleSheet(ERROR_STYLE)
        message.setWordWrap(True)
        message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        message.hide()
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if extra is not None:
            column.addWidget(extra)
        column.addWidget(message)
        widget.setObjectName(name)
        self.form.addRow(f"{label}:", cell)
        self.fields[name], self.labels[name], self.messages[name] = widget, label, message
        return widget

    def line(self, name: str, label: str, text: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        return self.add_field(name, label, edit)  # type: ignore[return-value]

    def combo(self, name: str, label: str, choices: Iterable[tuple[str, Any]], current: Any = None) -> QComboBox:
        box = QComboBox()
        for text, data in choices:
            box.addItem(text, data)
        index = box.findData(current)
        if index >= 0:
            box.setCurrentIndex(index)
        return self.add_field(name, label, box)  # type: ignore[return-value]

    def text(self, name: str, label: str, text: str = "", lines: int = 3) -> QPlainTextEdit:
        edit = QPlainTextEdit(text)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
        return self.add_field(name, label, edit)  # type: ignore[return-value]

    def check(self, name: str, label: str, checked: bool = False, caption: str = "") -> QCheckBox:
        box = QCheckBox(caption)
        box.setChecked(checked)
        return self.add_field(name, label, box)  # type: ignore[return-value]

    # Reading --------------------------------------------------------------------------------

    def value(self, name: str) -> Any:
        widget = self.fields[name]
        if isinstance(widget, QLineEdit):
            return widget.text()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QDateEdit):
            return widget.date().toPython()
        raise TypeError(f"no value for {type(widget).__name__}")

    def message(self, name: str) -> str:
        """The message shown under a field ('' when none), for tests and screen readers alike."""
        label = self.messages[name]
        return label.text() if not label.isHidden() else ""

    # Problems -------------------------------------------------------------------------------

    def clear_problems(self) -> None:
        for label in self.messages.values():
            label.clear()
            label.hide()
        self.top_message.clear()
        self.top_message.hide()

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Each problem's message under its field; problems of unknown fields in the label at the top."""
        self.clear_problems()
        beside: dict[str, list[str]] = {}
        elsewhere: list[str] = []
        for problem in problems:
            name = self.aliases.get(problem.field, problem.field)
            if name in self.messages:
                beside.setdefault(name, []).append(problem_sentence(self.labels[name], problem.message))
            else:
                elsewhere.append(str(problem))
        for name, texts in beside.items():
            self.messages[name].setText("\n".join(texts))
            self.messages[name].show()
        if elsewhere:
            self.show_top_message("\n".join(elsewhere))
        self.grow_to_fit()
        first = next(iter(beside), None)
        if first is not None:
            self.fields[first].setFocus()

    def set_message(self, name: str, text: str) -> None:
        """Show (or with '' hide) the message under one field, leaving the others as they are."""
        label = self.messages[name]
        label.setText(text)
        label.setVisible(bool(text))
        if text:
            self.grow_to_fit()

    def show_top_message(self, text: str) -> None:
        self.top_message.setText(text)
        self.top_message.show()
        self.grow_to_fit()

    def grow_to_fit(self) -> None:
        """Messages that appear (and wrap) make the dialog taller rather than squeezing the rows."""
        layout = self.layout()
        layout.invalidate()
        layout.activate()
        wanted = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        wanted = max(wanted, layout.totalSizeHint().height())
        if wanted > self.height():
            self.resize(self.width(), wanted)

    # Saving ---------------------------------------------------------------------------------

    def save(self) -> bool:
        """Call the save function; close on success, stay open with the messages on a user error."""
        self.clear_problems()
        if self.save_function is None:
            self.accept()
            return True
        try:
            self.result_value = self.save_function(self)
        except ValidationError as error:
            self.show_problems(error.problems)
            return False
        except UserFacingError as error:
            self.show_top_message(error.summary)
            return False
        self.accept()
        return True
