"""The Properties page: every property, added, edited and deleted through the property dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from maintdesk.letters.localize import readable_phone
from maintdesk.errors import ConflictError
from maintdesk.records.models import Property
from maintdesk.records.store import Store
from ui.pages.list_page import ListPage
from ui.dialogs.property import PropertyDialog
from ui.models.table_model import Column


def property_columns() -> list[Column[Property]]:
    return [
        Column("Name", lambda p: p.name),
        Column("Address", lambda p: ", ".join(x for x in (p.address_line1, p.postal_code, p.city) if x)),
        Column("Country", lambda p: p.country),
        Column("Jurisdiction", lambda p: p.jurisdiction),
        Column("Time zone", lambda p: p.timezone),
        Column("Manager", lambda p: p.manager_name),
        Column("Phone", lambda p: readable_phone(p.manager_phone)),
    ]


class PropertiesPage(ListPage):
    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__("Properties", property_columns(), store.list_properties, parent=parent)
        self.store = store
        self.add_button = self.make_button("Add property…", "A new property with its units (Ctrl+N)",
                                           self.add_property)
        self.edit_button = self.make_button("Edit…", "Change the selected property and its units (or double-click it)",
                                            self.edit_property, needs_selection=True)
        self.delete_button = self.make_button("Delete…", "Delete the selected property with its units and tenants",
                                              self.delete_property, needs_selection=True)
        self.add_button_bar(right=(self.add_button, self.edit_button, self.delete_button))
        self.on_new("Add property", self.add_property)
        self.table.doubleClicked.connect(lambda _index: self.edit_property())

    def run_dialog(self, dialog: PropertyDialog) -> bool:
        """Show the dialog modally; True when it saved."""
        return dialog.exec() == PropertyDialog.DialogCode.Accepted

    def add_property(self) -> None:
        if self.run_dialog(PropertyDialog(self.store, parent=self)):
            self.refresh()

    def edit_property(self) -> None:
        prop: Property | None = self.selected()
        if prop is None:
            QMessageBox.information(self, "MaintDesk", "Select a property first.")
            return
        if self.run_dialog(PropertyDialog(self.store, self.store.get_property(prop.id), parent=self)):
            self.refresh()

    def delete_property(self) -> None:
        prop: Property | None = self.selected()
        if prop is None:
            QMessageBox.information(self, "MaintDesk", "Select a property first.")
            return
        units = self.store.list_units(prop.id)
        tenants = len(self.store.list_tenants(prop.id))
        answer = QMessageBox.question(
            self, "Delete property",
            f'Delete "{prop.name}" with its {len(units)} units, {tenants} tenants and its work orders? '
            "This cannot be undone.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.store.delete_property(prop.id)
        except ConflictError as error:
            QMessageBox.warning(self, "MaintDesk", error.summary.rstrip(".") + ".")
            return
        self.refresh()
