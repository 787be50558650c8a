"""Add or edit a property, with its units (add, rename, remove), saved all together or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter, QHBoxLayout, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from maintdesk.i18n import english
from maintdesk.errors import ValidationError
from maintdesk.records.models import Property, Unit
from maintdesk.records.sharing import ChangedElsewhere
from maintdesk.records.store import Store
from maintdesk.records.validation import clean_unit
from ui.widgets.forms import FormDialog, problem_sentence


@dataclass
class UnitEntry:
    """A unit as the dialog holds it until Save: `id` None for a new one."""

    label: str
    id: int | None = None
    floor: int | None = None
    notes: str = ""


class PropertyDialog(FormDialog):
    def __init__(self, store: Store, prop: Property | None = None, parent: QWidget | None = None):
        super().__init__("Edit property" if prop is not None and prop.id else "Add property", parent=parent)
        self.save_function = lambda _form: self._save()
        self.store = store
        self.property = prop or Property(name="", address_line1="", city="", country="", timezone="")
        self.removed_unit_ids: list[int] = []
        p = self.property

        self.line("name", "Name", p.name, "Résidence des Lilas")
        self.line("address_line1", "Address", p.address_line1, "Street and number")
        self.line("address_line2", "Address line 2", p.address_line2)
        self.line("postal_code", "Postal code", p.postal_code)
        self.line("city", "City", p.city)
        self.line("region", "Region", p.region)
        country = self.line("country", "Country", p.country, "Two letters: FR, US, CA…")
        country.setMaxLength(2)
        self.line("jurisdiction", "Jurisdiction", p.jurisdiction or "default", "default, FR, US-CA, CA-ON…")
        zone = self.line("timezone", "Time zone", p.timezone, "Europe/Paris, America/Toronto…")
        completer = QCompleter(sorted(available_timezones()), zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        zone.setCompleter(completer)
        self.line("manager_name", "Manager", p.manager_name)
        self.line("manager_phone", "Manager phone", p.manager_phone)
        self.line("manager_email", "Manager email", p.manager_email)
        senders = store.list_senders()
        choices = [(s.label, s.id) for s in senders] or [("MaintDesk's letterhead (add a sender in Settings)", None)]
        self.combo("sender_id", "Letters come from", choices, p.sender_id or (senders[0].id if senders else None))
        lease = self.line("lease_notice", "Lease notice", p.lease_notice, "48h, 2d, 3bd (business days), 1w, if longer than the law")
        lease.setToolTip("Only when the building's leases give longer notice than the law; a tenant's own "
                         "lease notice overrides it")

        unit_edit = self.line("unit", "Unit label", "", "e.g. 3B, then Add or Rename")
        unit_edit.returnPressed.connect(self.add_unit)
        self.aliases["label"] = "unit"
        self.units = QListWidget()
        self.units.setObjectName("units")
        self.units.setMinimumHeight(120)
        self.units.currentItemChanged.connect(self._unit_chosen)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add_unit)
        self.rename_button = QPushButton("Rename")
        self.rename_button.clicked.connect(self.rename_unit)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_unit)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.remove_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.units, 1)
        row.addLayout(buttons)
        self.form.addRow("Units:", box)
        if p.id is not None:
            for unit in store.list_units(p.id):
                self._append(UnitEntry(unit.label, unit.id, unit.floor, unit.notes))
        self._update_unit_buttons()
        self.setMinimumWidth(520)

    # Units ----------------------------------------------------------------------------------

    def unit_entries(self) -> list[UnitEntry]:
        return [self.units.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.units.count())]

    def _append(self, entry: UnitEntry) -> QListWidgetItem:
        item = QListWidgetItem(entry.label, self.units)
        item.setData(Qt.ItemDataRole.UserRole, entry)
        return item

    def _unit_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None:
            self.fields["unit"].setText(item.text())
        self.set_message("unit", "")
        self._update_unit_buttons()

    def _update_unit_buttons(self) -> None:
        chosen = self.units.currentItem() is not None
        self.rename_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _checked_label(self, skip: QListWidgetItem | None) -> str | None:
        """The typed label, cleaned, or None with the reason under the unit field."""
        others = {e.label for i, e in enumerate(self.unit_entries()) if self.units.item(i) is not skip}
        try:
            unit = clean_unit(Unit(self.property.id or 0, self.value("unit")), others)
        except ValidationError as error:
            self.set_message("unit", "\n".join(problem_sentence("Unit label", p.message) for p in error.problems))
            self.fields["unit"].setFocus()
            return None
        self.set_message("unit", "")
        return unit.label

    def add_unit(self) -> None:
        label = self._checked_label(skip=None)
        if label is None:
            return
        self.units.setCurrentItem(self._append(UnitEntry(label)))
        self.fields["unit"].clear()
        self.fields["unit"].setFocus()

    def rename_unit(self) -> None:
        item = self.units.currentItem()
        if item is None:
            return
        label = self._checked_label(skip=item)
        if label is None:
            return
        entry: UnitEntry = item.data(Qt.ItemDataRole.UserRole)
        entry.label = label
        item.setData(Qt.ItemDataRole.UserRole, entry)
        item.setText(label)

    def remove_unit(self) -> None:
        item = self.units.currentItem()
        if item is None:
            return
        entry: UnitEntry = item.data(Qt.ItemDataRole.UserRole)
        if entry.id is not None:
            tenants = len(self.store.tenants_of_unit(entry.id))
            if tenants:
                answer = QMessageBox.question(
                    self, "Remove unit",
                    f'Unit "{entry.label}" has '
                    + english(tenants, "{n} tenant; saving removes them", "{n} tenants; saving removes them")
                    + " with the unit. "
                    "Issued notices keep their copy of the recipient. Remove it?")
                if answer != QMessageBox.StandardButton.Yes:
                    return
            self.removed_unit_ids.append(entry.id)
        self.units.takeItem(self.units.row(item))
        self.set_message("unit", "")
        self._update_unit_buttons()

    # Saving ---------------------------------------------------------------------------------

    def typed_property(self) -> Property:
        names = ("name", "address_line1", "address_line2", "postal_code", "city", "region", "country",
                 "jurisdiction", "timezone", "manager_name", "manager_phone", "manager_email", "lease_notice")
        return Property(**{n: self.value(n) for n in names}, sender_id=self.value("sender_id"), id=self.property.id)

    def _save(self) -> Property:
        opened = self.property if self.property.id is not None else None
        try:
            with self.store.transaction():
                saved = self._save_all(opened)
        except ChangedElsewhere as error:
            if not error.deleted:   # told once: Save again replaces theirs
                self.property = self.store.get_property(self.property.id)
            raise
        # Only now, with everything kept, does the dialog take the new ids.
        self.property, saved_units = saved
        self.removed_unit_ids = []
        for entry, unit in zip(self.unit_entries(), saved_units):
            entry.id = unit.id
        return self.property

    def _save_all(self, opened: Property | None) -> tuple[Property, list[Unit]]:
        saved = self.store.save_property(self.typed_property(), opened=opened)
        for unit_id in self.removed_unit_ids:
            self.store.delete_unit(unit_id)
        saved_units = [self.store.save_unit(Unit(saved.id, entry.label, entry.floor, entry.notes, id=entry.id))
                       for entry in self.unit_entries()]
        return saved, saved_units

