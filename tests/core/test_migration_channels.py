"""Schema 13 on the committed schema-12 fixture: the rebuilt notices table keeps every notice and what
refers to them, takes SMS, still refuses edits; tenants, buildings and the mailbox's table get theirs."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from maintdesk.records.db import open_database
from maintdesk.records.migration_channels import NOTICE_CONTENT_COLUMNS
from maintdesk.records.models import Notice
from maintdesk.records.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


_V12_COLUMNS: list[str] = []  # the notices' columns at schema 12 (later steps add more)


@pytest.fixture
def upgraded(tmp_path):
    path = tmp_path / "v12.sqlite"
    shutil.copyfile(FIXTURES / "schema_v12.sqlite", path)
    global _V12_COLUMNS
    _V12_COLUMNS = [r[1] for r in rows(path, "PRAGMA table_info(notices)")]
    before = rows(path, "SELECT * FROM notices ORDER BY id"), rows(path, "SELECT * FROM notice_voids")
    db = open_database(path, backups_dir=tmp_path / "backups")
    yield path, db, Store(db), before
    db.close()


def test_every_notice_and_its_void_come_through_and_an_sms_can_be_archived(upgraded):
    path, db, store, (notices, voids) = upgraded
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 13
    after = rows(path, f"SELECT {', '.join(_V12_COLUMNS)}, recipient_phone FROM notices ORDER BY id")
    assert [row[:-1] for row in after] == notices and {row[-1] for row in after} == {""}  # recipient_phone ''
    assert rows(path, "SELECT * FROM notice_voids") == voids
    assert not db.execute("PRAGMA foreign_key_check").fetchall()
    first = store.get_notice(after[0][0])
    [sms] = store.add_notices([Notice(first.work_order_id, "reminder", "fr", "sms", first.recipient_name, "Rappel",
                                      tenant_id=first.tenant_id, recipient_phone="+33612345678", body_text="x",
                                      state="queued")])
    assert store.get_notice(sms.id).recipient_phone == "+33612345678"
    assert store.find_notice_by_message_id([first.message_id]).id == first.id


@pytest.mark.parametrize("column", NOTICE_CONTENT_COLUMNS)
def test_an_archived_notice_still_cannot_be_changed(upgraded, column):
    _, db, _, (notices, _) = upgraded
    with pytest.raises(Exception, match="issued notices cannot be changed"):
        db.execute(f"UPDATE notices SET {column} = NULL WHERE id = ?", (notices[0][0],))
    with pytest.raises(Exception, match="cannot be deleted"):
        db.execute("DELETE FROM notices WHERE id = ?", (notices[0][0],))


def test_tenants_buildings_and_the_mailbox_start_with_nothing_recorded(upgraded):
    _, db, store, _ = upgraded
    tenant = store.get_tenant(5)
    assert (tenant.sms_consent_on, tenant.paper_reason, tenant.email_consent_on) == (None, "", date(2026, 2, 1))
    prop = store.list_properties()[0]
    assert (prop.quiet_start, prop.quiet_end) == ("21:00", "08:00")
    assert store.list_inbound() == [] and store.known_inbound_uids("INBOX") == {}
    assert store.get_work_terms(store.list_work_orders()[0].id).nature == "showing"
    with pytest.raises(Exception):
        db.execute("UPDATE properties SET quiet_start = 'late' WHERE id = ?", (prop.id,))
    with pytest.raises(Exception):
        db.execute("INSERT INTO notices (work_order_id, kind, language, channel, recipient_name, subject, created_at) "
                   "VALUES (1, 'reminder', 'en', 'pager', 'x', 'y', '2026-01-01T00:00:00Z')")
