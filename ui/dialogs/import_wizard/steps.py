"""The tenant import wizard's layout: its four steps as widgets, and the preview table's model.

Behaviour (reading, previewing and saving off the GUI thread) is in ui/dialogs/import_wizard/wizard.py.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QProgressBar, QPushButton, QRadioButton, QTableView, QTableWidget, QVBoxLayout, QWidget, QWizardPage,
)

from maintdesk.imports.mapping import FIELDS
from maintdesk.imports.report import ImportReport, RowPlan
from ui.models.table_model import Column, Index, RecordTableModel

FIELD_LABELS = {
    "property": "Property name", "property_street": "Property street address",
    "property_postal_code": "Property postal code", "unit": "Unit", "floor": "Floor",
    "name": "Tenant's full name", "first_name": "First name", "last_name": "Last name", "salutation": "Salutation",
    "email": "Email", "phone": "Phone", "language": "Language", "channel": "Channel (email, print, both)",
    "status": "Status (current or past)", "large_print": "Large print", "access_notes": "Access notes",
    "address_line1": "Mailing address, line 1", "address_line2": "Mailing address, line 2",
    "address_line3": "Mailing address, line 3", "city": "Mailing address, city",
    "region": "Mailing address, state or province", "postal_code": "Mailing address, postal code",
    "country": "Mailing address, country",
    "email_consent_on": "Consent to email notices: the day", "email_consent_kept": "Consent to email: where it is kept",
    "sms_consent_on": "Consent to SMS: the day", "sms_consent_how": "Consent to SMS: how it was given",
    "lease_notice": "Lease's notice period",
}
assert set(FIELD_LABELS) == set(FIELDS), "every import field needs a label"

ACTION_LABELS = {"create": "New tenant", "update": "Update", "unchanged": "Unchanged", "reject": "Rejected",
                 "skip": "Skipped"}
ENCODINGS = (("UTF-8", "utf-8"), ("UTF-8 with BOM", "utf-8-sig"), ("Windows-1252 (Excel on Windows)", "cp1252"),
             ("ISO-8859-15 (Latin-9)", "iso-8859-15"), ("UTF-16", "utf-16"), ("Mac Roman", "mac_roman"))
DELIMITERS = (("Comma ( , )", ","), ("Semicolon ( ; )", ";"), ("Tab", "\t"))

# The core's messages name the command line's options; the wizard names its own controls instead.
_GUI_WORDS = (
    ("allow new units (--create-units)", 'tick "Create missing units"'),
    ("name the file's encoding with --encoding", "choose the file's encoding under “Encoding”"),
    ("(--map property=)", "(set its Property column to “Not imported”)"),
    ("--delimiter", "the delimiter"),
)


def gui_words(text: str) -> str:
    for cli, gui in _GUI_WORDS:
        text = text.replace(cli, gui)
    return text


def counts_text(report: ImportReport) -> str:
    counts = report.counts
    parts = [f"{counts['created']:,} new", f"{counts['updated']:,} to update", f"{counts['unchanged']:,} unchanged",
             f"{counts['rejected']:,} rejected"]
    if counts["skipped"]:
        parts.append(f"{counts['skipped']:,} skipped (another property)")
    return " · ".join(parts)


def _notes(plan: RowPlan) -> str:
    """What the user should read about a row: its problems, then warnings, changes or note."""
    lines = [f"✖ {p.column or 'row'}: {gui_words(p.message)}" for p in plan.problems]
    lines += [f"⚠ {w.column or 'row'}: {w.message}" for w in plan.warnings]
    lines += [f"{name.replace('_', ' ')}: {_shown(old)} → {_shown(new)}" for name, (old, new) in plan.changes.items()]
    if plan.new_unit and plan.action != "reject":
        lines.append(f"new unit {plan.unit_label}")
    if plan.note:
        lines.append(plan.note)
    return "; ".join(lines)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value not in (None, "") else "—"


def _tenant(attribute: str) -> Any:
    return lambda plan: getattr(plan.tenant, attribute) if plan.tenant is not None and plan.action != "reject" else ""


PREVIEW_COLUMNS: list[Column[RowPlan]] = [
    Column("Row", lambda p: p.row, align_right=True),
    Column("Action", lambda p: ACTION_LABELS[p.action]),
    Column("Unit", lambda p: p.unit_label),
    Column("Name", lambda p: p.name),
    Column("Email", _tenant("email")),
    Column("Phone", _tenant("phone")),
    Column("Language", _tenant("language")),
    Column("Channel", _tenant("channel")),
    Column("Problems and changes", _notes),
]
_ROW_COLOURS = {"reject": QColor("#fde8e8"), "skip": QColor("#f1f3f6"), "create": QColor("#eaf6ec")}


class PreviewModel(RecordTableModel[RowPlan]):
    """Every row of the file as it would be imported, in file order; rejected rows tinted."""

    def __init__(self, parent: Any = None):
        super().__init__(PREVIEW_COLUMNS, parent=parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and 0 <= index.row() < self.rowCount():
            return _ROW_COLOURS.get(self.row_object(index.row()).action)
        return super().data(index, role)


def _progress_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setVisible(False)
    bar.setTextVisible(False)
    bar.setMaximumHeight(14)
    return bar


def _status_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class FileStep(QWizardPage):
    """Step 1: the file, how it is read, and the property it goes into."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("Choose the tenant list")
        self.setSubTitle("A CSV or Excel (.xlsx) file with one tenant per row. Nothing is saved until you "
                         "confirm the import in the third step.")
        self.path = QLineEdit()
        self.path.setPlaceholderText("The file to import")
        self.browse = QPushButton("Browse…")
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        self.encoding = QComboBox()
        self.encoding.addItem("Detected", None)
        for label, codec in ENCODINGS:
            self.encoding.addItem(label, codec)
        self.delimiter = QComboBox()
        self.delimiter.addItem("Detected", None)
        for label, char in DELIMITERS:
            self.delimiter.addItem(label, char)
        self.sheet = QComboBox()
        self.sheet.addItem("The first sheet", None)
        self.sheet.setEnabled(False)
        self.sheet.setToolTip("The sheet of the workbook that lists the tenants")
        for combo in (self.encoding, self.delimiter, self.sheet):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.property = QComboBox()
        self.property.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.create_units = QCheckBox("Create missing units (a unit the property does not have yet is added)")
        self.progress = _progress_bar()
        self.status = _status_label()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("File:", file_row)
        form.addRow("Encoding:", self.encoding)
        form.addRow("Delimiter:", self.delimiter)
        form.addRow("Sheet:", self.sheet)
        reading = QLabel("Change these only if accents, columns or the sheet look wrong in the next step.")
        reading.setObjectName("pageHint")
        form.addRow("", reading)
        form.addRow("Import into:", self.property)
        form.addRow("", self.create_units)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)


class MappingStep(QWizardPage):
    """Step 2: which column holds what, one combo per column of the file."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("Check the columns")
        self.setSubTitle("Each column of the file and what MaintDesk reads from it. Change a choice if a "
                         "column was not recognized; columns set to “Not imported” are ignored.")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Column in the file", "First values", "Imported as"])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.status = _status_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def field_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.addItem("Not imported", None)
        for name in FIELDS:
            combo.addItem(FIELD_LABELS[name], name)
        return combo


class PreviewStep(QWizardPage):
    """Step 3: every row as it would be imported, the counts, and how to treat rejected rows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("Preview the import")
        self.setSubTitle("Every row as it would be imported. Nothing has been saved yet.")
        self.counts = QLabel()
        self.counts.setObjectName("pageTitle")
        self.notes = _status_label()
        self.only_problems = QCheckBox("Show only rejected rows")
        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fast with 50,000 rows
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(500)  # column widths from the first rows only
        self.table.setWordWrap(False)
        self.all_valid = QRadioButton("Import the valid rows; leave out the rejected ones")
        self.all_or_nothing = QRadioButton("All or nothing: import only if every row is valid")
        self.all_or_nothing.setChecked(True)
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.all_valid)
        self.choice.addButton(self.all_or_nothing)
        self.progress = _progress_bar()
        self.status = _status_label()

        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.only_problems)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.all_or_nothing)
        layout.addWidget(self.all_valid)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)


class ResultStep(QWizardPage):
    """Step 4: what was saved."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("Import finished")
        self.setSubTitle("The tenants are saved. The Tenants page shows them when this window closes.")
        self.summary = QLabel()
        self.summary.setObjectName("pageTitle")
        self.summary.setWordWrap(True)
        self.details = _status_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addStretch(1)
