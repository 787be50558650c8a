"""The Tenants page: every tenant with where they live, and the import of a tenant list."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QWidget

from maintdesk.letters.localize import readable_phone
from maintdesk.records.models import TenantRow
from maintdesk.records.store import Store
from ui.dialogs.import_wizard.wizard import ImportWizard
from ui.pages.list_page import ListPage
from ui.messages import show_crash, show_error
from ui.labels import CHANNEL_LABELS, LANGUAGE_LABELS
from ui.models.table_model import Column
from ui.tasks.runner import Task, start
from ui.dialogs.tenant import TenantDialog


def tenant_columns() -> list[Column[TenantRow]]:
    return [
        Column("Name", lambda r: r.tenant.name),
        Column("Property", lambda r: r.property_name),
        Column("Unit", lambda r: r.unit_label),
        Column("Language", lambda r: LANGUAGE_LABELS.get(r.tenant.language, r.tenant.language)),
        Column("Channel", lambda r: CHANNEL_LABELS.get(r.tenant.channel, r.tenant.channel)),
        Column("Email", lambda r: r.tenant.email),
        Column("Phone", lambda r: readable_phone(r.tenant.phone)),
        Column("Consents and lease", consents_text),
        Column("Active", lambda r: "yes" if r.tenant.active else "no"),
    ]


def consents_text(row: TenantRow) -> str:
    """What the checks rely on, at a glance: the written consents with their day, a lease's own
    notice period, and a flag for paper after a bounce."""
    tenant = row.tenant
    parts = []
    if tenant.email_consent_on is not None:
        parts.append(f"email since {tenant.email_consent_on.isoformat()}")
    if tenant.sms_consent_on is not None:
        parts.append(f"SMS since {tenant.sms_consent_on.isoformat()}")
    if tenant.lease_notice:
        parts.append(f"lease notice {tenant.lease_notice}")
    if tenant.paper_reason:
        parts.append("paper: email bounced")
    return " · ".join(parts)


# Up to this many tenants the list is read on the GUI thread (a few milliseconds); beyond it, on
# the pool with its own connection (50,000 take ~0.5 s), the table keeping its rows meanwhile.
LOAD_IN_BACKGROUND_OVER = 5_000


class TenantsPage(ListPage):
    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__("Tenants", tenant_columns(), store.list_tenants, parent=parent)
        self.store = store
        self.wizard: ImportWizard | None = None
        self.loading: Task | None = None
        self.load_again = False
        self.import_button = self.make_button(
            "Import tenants…", "Read a CSV or Excel tenant list, preview every row, then import it", self.import_tenants)
        self.add_button = self.make_button("Add tenant…", "A new tenant in a unit of a property (Ctrl+N)", self.add_tenant)
        self.edit_button = self.make_button("Edit…", "Change the selected tenant (or double-click them)",
                                            self.edit_tenant)
        self.delete_button = self.make_button(
            "Delete…", "Delete the selected tenant; issued notices keep their copy of the recipient", self.delete_tenant)
        self.add_button_bar(right=(self.add_button, self.edit_button, self.delete_button, self.import_button))
        self.on_new("Add tenant", self.add_tenant)
        self.table.doubleClicked.connect(lambda _index: self.edit_tenant())

    def refresh(self) -> None:
        if self.store.counts()["tenants"] <= LOAD_IN_BACKGROUND_OVER:
            super().refresh()
            return
        if self.loading is not None:  # a change while loading: read once more when this load ends
            self.load_again = True
            return
        database = self.store.location

        def work() -> Iterator[list[TenantRow]]:
            store = Store.open(database, create=False)
            try:
                yield store.list_tenants()
            finally:
                store.close()

        self.loading = Task(work, lambda event: isinstance(event, list))
        self.loading.signals.finished.connect(self._loaded)
        self.loading.signals.failed.connect(lambda error: self._load_ended() or show_error(self, error))
        self.loading.signals.crashed.connect(lambda report: self._load_ended() or show_crash(self, report))
        self.count.setText("Loading…")
        start(self.loading)

    def _loaded(self, rows: list[TenantRow]) -> None:
        self._load_ended()
        self.show_rows(rows)

    def _load_ended(self) -> None:
        self.loading = None
        if self.load_again:
            self.load_again = False
            self.refresh()

    def run_dialog(self, dialog: TenantDialog) -> bool:
        """Show the dialog modally; True when it saved."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def add_tenant(self) -> None:
        if not self.store.list_properties():
            QMessageBox.information(self, "MaintDesk", "Add a property with its units first.")
            return
        selected = self.selected()
        if self.run_dialog(TenantDialog(self.store, property_id=selected.property_id if selected else None,
                                        parent=self)):
            self.refresh()

    def edit_tenant(self) -> None:
        selected = self.selected()
        if selected is None:
            QMessageBox.information(self, "MaintDesk", "Select a tenant first.")
            return
        if self.run_dialog(TenantDialog(self.store, self.store.get_tenant(selected.tenant.id), parent=self)):
            self.refresh()

    def delete_tenant(self) -> None:
        selected = self.selected()
        if selected is None:
            QMessageBox.information(self, "MaintDesk", "Select a tenant first.")
            return
        answer = QMessageBox.question(
            self, "Delete tenant",
            f"Delete {selected.tenant.name} ({selected.property_name}, unit {selected.unit_label})? "
            "Notices already issued keep their copy of the recipient's name and address.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.store.delete_tenant(selected.tenant.id)
        self.refresh()

    def import_tenants(self) -> None:
        selected = self.selected()
        self.wizard = ImportWizard(self.store, self.store.location, self,
                                   property_id=selected.property_id if selected is not None else None)
        self.wizard.finished.connect(self._import_closed)
        self.wizard.open()  # window-modal; the page learns of the end by `finished`

    def _import_closed(self, _code: int) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is None:
            return
        result, report = wizard.import_result, wizard.report
        wizard.deleteLater()
        if result is None or report is None:
            return
        self.refresh()
        window = self.window()
        if isinstance(window, QMainWindow):
            counts = result.counts
            window.statusBar().showMessage(
                f"Tenant import into {report.property_name}: {counts['created']:,} added, "
                f"{counts['updated']:,} updated, {counts['rejected']:,} rejected rows not imported.", 15_000)
