"""Two people edit the same record: the second save is told what the first changed, and loses
nothing it typed. The other person is a real second process on the same database file (and, once,
on an office's PostgreSQL server)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from maintdesk.records.demo import create_demo
from maintdesk.records.models import Tenant
from maintdesk.records.store import Store
from ui.dialogs.property import PropertyDialog
from ui.dialogs.tenant import TenantDialog

ROOT = Path(__file__).resolve().parents[2]


def elsewhere(db: Path | str, code: str) -> None:
    """Run `code` (with `store` open on `db`) in another process, as another MaintDesk would."""
    script = f"from maintdesk.records.store import Store\nstore = Store.open({str(db)!r}, create=False)\n{code}\nstore.close()"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 0, done.stderr


def edit_while_someone_else_saves(qtbot, dialog, typed: dict[str, str], db: Path | str, kind: str, record_id: int,
                                  theirs: str):
    """Type into `dialog`, then another process changes the same record (`theirs`: field='value')."""
    qtbot.addWidget(dialog)
    for field, text in typed.items():
        dialog.fields[field].setText(text)
    elsewhere(db, f"from dataclasses import replace\nr = store.get_{kind}({record_id})\n"
                  f"store.save_{kind}(replace(r, {theirs}))")
    return dialog


def test_a_tenant_changed_by_someone_else_is_not_overwritten_without_telling(qtbot, demo_store: Store, app_paths):
    _their_change_is_told_then_replaced(qtbot, demo_store, app_paths.database)


def test_the_same_on_an_office_server(qtbot, pg_server):
    """Two desks on PostgreSQL: the version check holds there too (the other desk is a process)."""
    pg_server.admin("CREATE DATABASE gui_edits")
    store = Store.open(pg_server.url("gui_edits"))
    try:
        create_demo(store, today=date.today())
        _their_change_is_told_then_replaced(qtbot, store, pg_server.url("gui_edits"))
    finally:
        store.close()
        pg_server.admin("DROP DATABASE IF EXISTS gui_edits WITH (FORCE)")


def _their_change_is_told_then_replaced(qtbot, demo_store: Store, db: Path | str) -> None:
    tenant = demo_store.list_tenants(1)[0].tenant
    dialog = edit_while_someone_else_saves(qtbot, TenantDialog(demo_store, tenant), {"phone": "+33123456789"},
                                           db, "tenant", tenant.id, "email='new.address@example.org'")
    assert not dialog.save()
    message = dialog.top_message.text()
    assert "Someone else changed tenant" in message and "(email now “new.address@example.org”)" in message and "Save again" in message
    assert dialog.fields["phone"].text() == "+33123456789"            # what was typed stays
    stored = demo_store.get_tenant(tenant.id)
    assert stored.email == "new.address@example.org" and stored.phone == tenant.phone   # theirs stays too

    assert dialog.save()  # told once: saving again replaces theirs with what the dialog shows
    stored = demo_store.get_tenant(tenant.id)
    assert stored.phone == "+33123456789" and stored.email == tenant.email


def test_a_tenant_deleted_meanwhile_is_not_brought_back(qtbot, demo_store: Store, app_paths):
    added = demo_store.save_tenant(Tenant(unit_id=demo_store.list_units(1)[0].id, name="Short Stay"))
    dialog = TenantDialog(demo_store, added)
    qtbot.addWidget(dialog)
    elsewhere(app_paths.database, f"store.delete_tenant({added.id})")
    assert not dialog.save()
    assert "Someone else deleted tenant Short Stay" in dialog.top_message.text()
    assert all(r.tenant.name != "Short Stay" for r in demo_store.list_tenants(1))


def test_a_property_changed_by_someone_else_names_what_changed(qtbot, demo_store: Store, app_paths):
    prop = demo_store.list_properties()[0]
    dialog = edit_while_someone_else_saves(qtbot, PropertyDialog(demo_store, prop), {"manager_name": "Nadia Benali"},
                                           app_paths.database, "property", prop.id, "manager_phone='+33 1 40 00 00 00'")
    assert not dialog.save()
    assert "(manager phone now “+33140000000”)" in dialog.top_message.text()
    assert demo_store.get_property(prop.id).manager_phone == "+33140000000"
    assert dialog.save() and demo_store.get_property(prop.id).manager_name == "Nadia Benali"


def test_saving_what_nobody_else_touched_just_saves(qtbot, demo_store: Store):
    tenant = demo_store.list_tenants(1)[0].tenant
    dialog = TenantDialog(demo_store, tenant)
    qtbot.addWidget(dialog)
    dialog.fields["phone"].setText("+33600000001")
    assert dialog.save() and demo_store.get_tenant(tenant.id).phone == "+33600000001"


def test_a_page_shown_again_shows_what_another_process_changed(qtbot, demo_store: Store, app_paths):
    from ui.main_window import MainWindow

    window = MainWindow(demo_store, app_paths, app_paths.database)
    qtbot.addWidget(window)
    window.show()
    window.show_page("Tenants")
    page = window.pages["Tenants"]

    def names() -> set[str]:
        return {page.proxy.index(row, column).data() for row in range(page.proxy.rowCount())
                for column in range(page.proxy.columnCount())}

    qtbot.waitUntil(lambda: page.proxy.rowCount() > 0)
    tenant = demo_store.list_tenants(1)[0].tenant
    elsewhere(app_paths.database, f"from dataclasses import replace\nr = store.get_tenant({tenant.id})\n"
                                  "store.save_tenant(replace(r, name='Renamed Elsewhere'))")
    assert "Renamed Elsewhere" not in names()
    window.show_page("Today")
    window.show_page("Tenants")
    qtbot.waitUntil(lambda: "Renamed Elsewhere" in names())


def test_a_work_order_changed_by_someone_else_names_its_fields_and_lists(qtbot, demo_store: Store, app_paths):
    from ui.dialogs.work_order import WorkOrderDialog

    work = demo_store.get_work_order(2)
    dialog = edit_while_someone_else_saves(qtbot, WorkOrderDialog(demo_store, work), {}, app_paths.database,
                                           "work_order", work.id, "category='electrical', actions=r.actions[:1]")
    assert not dialog.save()
    message = dialog.top_message.text()
    assert "Someone else changed work order 2" in message and "category now “electrical”; actions)" in message
    assert len(demo_store.get_work_order(2).actions) == 1
    assert dialog.save()   # told: the dialog's actions replace theirs
    assert len(demo_store.get_work_order(2).actions) == len(work.actions)
