"""The edit forms: property with units, tenant, and deleting from the pages, driven like a user would."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from maintdesk.letters import issuing
from maintdesk.errors import Problem
from maintdesk.records.models import Property
from ui.widgets.forms import FormDialog
from ui.pages.properties import PropertiesPage
from ui.dialogs.property import PropertyDialog
from ui.dialogs.tenant import TenantDialog
from ui.pages.tenants import TenantsPage


@pytest.fixture
def boxes(monkeypatch):
    """No real modal message box: record what would be asked or said, answer Yes."""
    said: list[tuple[str, str]] = []

    def record(kind, answer=QMessageBox.StandardButton.Ok):
        def box(parent, title, text, *args, **kwargs):
            said.append((kind, text))
            return answer
        return box

    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    monkeypatch.setattr(QMessageBox, "information", record("information"))
    return said


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def fill_property(qtbot, dialog: PropertyDialog, name="Les Tilleuls"):
    for field, text in (("name", name), ("address_line1", "4 rue des Tilleuls"), ("postal_code", "69003"),
                        ("city", "Lyon"), ("country", "FR"), ("jurisdiction", "FR"),
                        ("timezone", "Europe/Paris"), ("manager_email", "gardien@example.org")):
        type_into(qtbot, dialog.fields[field], text)


def add_unit(qtbot, dialog: PropertyDialog, label: str):
    type_into(qtbot, dialog.fields["unit"], label)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)


def test_a_property_with_units_is_added_through_the_dialog(qtbot, demo_store):
    dialog = PropertyDialog(demo_store)
    qtbot.addWidget(dialog)
    fill_property(qtbot, dialog)
    for label in ("1A", "1B", "2A"):
        add_unit(qtbot, dialog, label)
    dialog.units.setCurrentRow(2)
    type_into(qtbot, dialog.fields["unit"], "2B")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    dialog.show()
    dialog.grab().save("/tmp/forms_property.png")

    assert dialog.save()
    assert dialog.result() == PropertyDialog.DialogCode.Accepted
    saved = [p for p in demo_store.list_properties() if p.name == "Les Tilleuls"]
    assert len(saved) == 1 and saved[0].timezone == "Europe/Paris" and saved[0].city == "Lyon"
    assert [u.label for u in demo_store.list_units(saved[0].id)] == ["1A", "1B", "2B"]


def test_editing_a_property_renames_and_removes_units(qtbot, demo_store, boxes):
    prop = demo_store.list_properties()[0]
    before = [u.label for u in demo_store.list_units(prop.id)]
    dialog = PropertyDialog(demo_store, prop)
    qtbot.addWidget(dialog)
    dialog.units.setCurrentRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [kind for kind, _ in boxes] == ["question"], "a unit with tenants asks first"
    assert dialog.save()
    assert [u.label for u in demo_store.list_units(prop.id)] == before[1:]


def test_a_duplicate_unit_label_shows_its_message_beside_the_unit_field(qtbot, demo_store):
    dialog = PropertyDialog(demo_store)
    qtbot.addWidget(dialog)
    add_unit(qtbot, dialog, "1A")
    add_unit(qtbot, dialog, "1a")
    assert dialog.units.count() == 1
    assert 'Duplicate "1a": the property already has a unit' in dialog.message("unit")
    assert dialog.fields["unit"].text() == "1a", "what was typed stays"
    dialog.show()
    dialog.grab().save("/tmp/forms_property_duplicate.png")


def test_a_bad_property_keeps_the_dialog_open_and_saves_nothing(qtbot, demo_store):
    count = len(demo_store.list_properties())
    dialog = PropertyDialog(demo_store)
    qtbot.addWidget(dialog)
    fill_property(qtbot, dialog)
    add_unit(qtbot, dialog, "1A")
    type_into(qtbot, dialog.fields["timezone"], "Europe/Lyon")
    assert not dialog.save()
    assert dialog.message("timezone")
    assert dialog.fields["name"].text() == "Les Tilleuls" and dialog.units.count() == 1
    assert len(demo_store.list_properties()) == count
    dialog.show()
    dialog.grab().save("/tmp/forms_property_error.png")


def test_a_bad_email_keeps_the_tenant_dialog_open_then_fixing_it_saves(qtbot, demo_store):
    prop = demo_store.list_properties()[0]
    dialog = TenantDialog(demo_store, property_id=prop.id)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.fields["name"], "Camille Durand")
    type_into(qtbot, dialog.fields["email"], "camille@")
    dialog.fields["channel"].setCurrentIndex(dialog.fields["channel"].findData("email"))
    dialog.fields["language"].setCurrentIndex(dialog.fields["language"].findData("fr"))
    dialog.show()

    assert not dialog.save()
    assert dialog.isVisible() and dialog.result() != TenantDialog.DialogCode.Accepted
    assert 'Not a valid email address: "camille@"' in dialog.message("email")
    assert dialog.message("name") == ""
    assert dialog.fields["name"].text() == "Camille Durand"
    assert dialog.fields["email"].text() == "camille@"
    assert dialog.value("channel") == "email" and dialog.value("language") == "fr"
    dialog.grab().save("/tmp/forms_tenant_error.png")
    assert not [r for r in demo_store.list_tenants() if r.tenant.name == "Camille Durand"]

    type_into(qtbot, dialog.fields["email"], "camille@example.org")
    assert dialog.save()
    rows = [r for r in demo_store.list_tenants() if r.tenant.name == "Camille Durand"]
    assert len(rows) == 1 and rows[0].tenant.email == "camille@example.org"
    assert rows[0].property_id == prop.id and rows[0].tenant.language == "fr"


def test_editing_a_tenant_keeps_their_unit(qtbot, demo_store):
    row = demo_store.list_tenants()[5]
    dialog = TenantDialog(demo_store, demo_store.get_tenant(row.tenant.id))
    qtbot.addWidget(dialog)
    assert dialog.value("property") == row.property_id and dialog.value("unit_id") == row.tenant.unit_id
    dialog.show()
    dialog.grab().save("/tmp/forms_tenant.png")
    type_into(qtbot, dialog.fields["access_notes"], "Key with the caretaker")
    assert dialog.save()
    assert demo_store.get_tenant(row.tenant.id).access_notes == "Key with the caretaker"


def test_problems_of_unknown_fields_go_to_the_top(qtbot):
    dialog = FormDialog("Test")
    qtbot.addWidget(dialog)
    dialog.line("name", "Name")
    dialog.show_problems([Problem("name", "is required"), Problem("elsewhere", "went wrong")])
    assert dialog.message("name") == "Name is required"
    assert dialog.top_message.text() == "elsewhere: went wrong"


def test_deleting_a_property_with_issued_notices_is_refused_with_the_sentence(qtbot, demo_store, app_paths,
                                                                            boxes, tmp_path):
    work = demo_store.get_work_order(1)
    issuing.issue_print_batch(demo_store, app_paths.database, app_paths,
                              issuing.BatchRequest(work_order_id=1, kind="initial", out_dir=tmp_path / "out"))
    page = PropertiesPage(demo_store)
    qtbot.addWidget(page)
    page.refresh()
    row = next(r for r in range(page.proxy.rowCount())
               if page.model.row_object(page.proxy.mapToSource(page.proxy.index(r, 0)).row()).id == work.property_id)
    page.table.selectRow(row)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)

    kinds = [kind for kind, _ in boxes]
    assert kinds == ["question", "warning"]
    assert "cannot be deleted" in boxes[1][1] and "issued notices" in boxes[1][1]
    assert demo_store.get_property(work.property_id).id == work.property_id


def test_deleting_a_property_without_notices_removes_it(qtbot, demo_store, boxes):
    spare = demo_store.save_property(Property("Spare", "1 Main St", "Ottawa", "CA", "America/Toronto"))
    page = PropertiesPage(demo_store)
    qtbot.addWidget(page)
    page.refresh()
    page.search.setText("Spare")
    page.table.selectRow(0)
    page.delete_property()
    assert [kind for kind, _ in boxes] == ["question"]
    assert spare.id not in {p.id for p in demo_store.list_properties()}
    assert page.model.total_count() == len(demo_store.list_properties())


def test_deleting_a_tenant_asks_first_and_mentions_the_archived_copy(qtbot, demo_store, app_paths, boxes):
    page = TenantsPage(demo_store)
    qtbot.addWidget(page)
    page.refresh()
    total = page.model.total_count()
    page.table.selectRow(0)
    page.delete_tenant()
    assert [kind for kind, _ in boxes] == ["question"]
    assert "keep their copy of the recipient" in boxes[0][1]
    assert page.model.total_count() == total - 1


def test_ctrl_n_on_the_pages_opens_the_add_dialogs(qtbot, demo_store, app_paths, monkeypatch):
    from ui.main_window import MainWindow

    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    opened = []
    for name, page_type in (("Properties", PropertiesPage), ("Tenants", TenantsPage)):
        monkeypatch.setattr(page_type, "run_dialog", lambda self, dialog: opened.append(type(dialog)) or False)
        window.show_page(name)
        page = window.pages[name]
        # The offscreen platform activates no window, so trigger the page's Ctrl+N action as the key would.
        add = next(a for a in page.actions() if a.shortcut() == QKeySequence("Ctrl+N"))
        add.trigger()
    assert opened == [PropertyDialog, TenantDialog]
