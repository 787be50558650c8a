"""Schema 11: a schema-10 file opens with every row as it was; the tenants' email consent and the
leases' notice periods start empty."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from maintdesk.records.migrations import LATEST_VERSION
from maintdesk.records.models import Tenant

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NEW_TENANT_COLUMNS = ["email_consent_on", "email_consent_kept", "lease_notice"]


def fixture_script(version: int):
    spec = importlib.util.spec_from_file_location(f"make_schema_v{version}", FIXTURES / f"make_schema_v{version}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def table(path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        cursor = conn.execute(sql)
        return [d[0] for d in cursor.description], cursor.fetchall()
    finally:
        conn.close()


def test_the_committed_version_10_fixture_keeps_every_row_and_starts_without_consent_or_lease_notice(
        open_store, tmp_path):
    expected = fixture_script(10)
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v10.sqlite", path)
    dumps = {name: table(path, f"SELECT * FROM {name} ORDER BY rowid")
             for name in ("organization", "senders", "properties", "units", "tenants", "work_orders", "slots",
                          "action_items", "work_order_terms", "notices")}

    store = open_store(path)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION >= 11
    for name, (columns, rows) in dumps.items():  # every old column keeps its values
        now = store.db.execute(f"SELECT {', '.join(columns)} FROM {name} ORDER BY rowid").fetchall()
        assert [tuple(row) for row in now] == rows, name
    added = {"tenants": NEW_TENANT_COLUMNS, "properties": ["lease_notice"]}
    for name, new_columns in added.items():
        now_columns = [row[1] for row in store.db.execute(f"PRAGMA table_info({name})")]
        assert set(new_columns) <= set(now_columns) - set(dumps[name][0]), name
    tenants = {t.id: t for t in (row.tenant for row in store.list_tenants())}
    assert len(tenants) == len(expected.TENANTS)
    assert all((t.email_consent_on, t.email_consent_kept, t.lease_notice) == (None, "", "") for t in tenants.values())
    assert not any(t.email_consent for t in tenants.values())
    assert tenants[5].language == "de" and tenants[2].large_print is True
    assert tenants[1].access_notes == expected.ACCESS_NOTES[1]
    [prop] = store.list_properties()
    assert (prop.lease_notice, prop.sender_id) == ("", expected.SENDER["id"])
    assert store.get_work_order(expected.WORK_ORDER["id"]).crew_language == "de"
    assert [n.id for n in store.list_notices()] == [expected.NOTICE["id"], expected.PRINTED["id"]]
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    backups = list((path.parent / "backups").glob("copy-schema10-*.sqlite"))
    assert len(backups) == 1


def test_after_the_upgrade_consent_and_lease_notices_are_kept(open_store, tmp_path):
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v10.sqlite", path)
    store = open_store(path)
    tenant = store.get_tenant(1)

    store.save_tenant(Tenant(**{**tenant.__dict__, "email_consent_on": date(2026, 3, 1),
                                "email_consent_kept": "lease addendum, office binder 3", "lease_notice": "48h"}))
    prop = store.list_properties()[0]
    prop.lease_notice = "2d"
    store.save_property(prop)

    assert table(path, "SELECT email_consent_on, email_consent_kept, lease_notice FROM tenants WHERE id = 1")[1] == [
        ("2026-03-01", "lease addendum, office binder 3", "48h")]
    assert store.get_tenant(1).email_consent_on == date(2026, 3, 1)
    assert store.get_property(prop.id).lease_notice == "2d"
    # The database itself refuses a consent day that is not a date.
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        store.db.execute("UPDATE tenants SET email_consent_on = '1 March' WHERE id = 1")
