"""Opening the database file: a new file, a good file, and every kind of file we must refuse."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

import pytest

from maintdesk.records.db import open_database
from maintdesk.errors import DatabaseError
from maintdesk.records.migrations import LATEST_VERSION
from maintdesk.records.models import Property, Tenant, Unit
from maintdesk.records.store import Store

# The SQLite file itself: its pragmas, damage, backups. The server's counterparts are in
# test_postgres_schema.py and test_database_address.py.
pytestmark = pytest.mark.sqlite_only

MAINTDESK_TABLES = {
    "organization", "properties", "units", "tenants", "work_orders", "work_order_units",
    "slots", "action_items", "notices",
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pragma(db, name: str):
    return db.execute(f"PRAGMA {name}").fetchone()[0]


def raw_pragma(path: Path, name: str):
    with sqlite3.connect(path) as conn:
        value = conn.execute(f"PRAGMA {name}").fetchone()[0]
    conn.close()
    return value


def test_a_new_database_is_created_with_the_latest_schema(tmp_path):
    path = tmp_path / "not yet" / "maintdesk.sqlite"
    db = open_database(path)
    try:
        assert path.is_file()
        assert pragma(db, "foreign_keys") == 1
        assert pragma(db, "journal_mode") == "wal"
        assert pragma(db, "user_version") == LATEST_VERSION
        assert MAINTDESK_TABLES <= set(db.table_names())
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            db.execute("INSERT INTO units (property_id, label) VALUES (999, '1A')")
    finally:
        db.close()
    assert not (path.parent / "backups").exists(), "a brand-new file needs no backup"


def test_reopening_an_up_to_date_database_keeps_the_data_and_makes_no_backup(db_path):
    store = Store.open(db_path)
    prop = store.save_property(Property("Les Tilleuls", "14 rue des Tilleuls", "Paris", "FR", "Europe/Paris"))
    store.close()

    db = open_database(db_path)
    try:
        assert pragma(db, "user_version") == LATEST_VERSION
        assert pragma(db, "foreign_keys") == 1
        assert [r[0] for r in db.execute("SELECT name FROM properties")] == [prop.name]
    finally:
        db.close()
    assert not (db_path.parent / "backups").exists()


def test_a_database_from_a_newer_maintdesk_is_refused_and_left_unchanged(db_path):
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = digest(db_path)

    with pytest.raises(DatabaseError) as refused:
        open_database(db_path)

    message = refused.value.summary
    assert "written by a newer MaintDesk" in message
    assert "schema 99" in message and f"up to {LATEST_VERSION}" in message
    assert digest(db_path) == before
    assert raw_pragma(db_path, "user_version") == 99
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name], "no backup, no leftovers"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(random.Random(20260511).randbytes(16384), id="random-bytes"),
        pytest.param("Nom;Courriel\nLéa Lefèvre;lea@example.org\n".encode(), id="csv-text"),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 8, id="pdf-like"),
    ],
)
def test_a_file_that_is_not_a_database_is_refused_with_a_sentence(tmp_path, content):
    path = tmp_path / "tenants.sqlite"
    path.write_bytes(content)

    with pytest.raises(DatabaseError) as refused:
        open_database(path)

    assert not isinstance(refused.value, sqlite3.Error)
    assert "is not a MaintDesk database or is damaged" in refused.value.summary
    assert "open another file or restore a backup" in refused.value.summary
    assert path.read_bytes() == content


def test_an_sqlite_file_of_another_application_is_refused(tmp_path):
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO contacts (name) VALUES ('Léa')")
    conn.close()
    before = digest(path)

    with pytest.raises(DatabaseError, match="is an SQLite database but not a MaintDesk one"):
        open_database(path)

    assert digest(path) == before
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    conn.close()
    assert tables == ["contacts"]


def _corrupt_a_table_page(path: Path, table: str, old: bytes, new: bytes) -> None:
    """Change bytes inside `table`'s root page only: the file stays a valid B-tree, but the
    index that holds the same value no longer matches, so the integrity check reports it."""
    assert len(old) == len(new)
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    where = data.find(old, start, start + page_size)
    assert where >= 0, f"{old!r} not found in the root page of {table}"
    data[where:where + len(old)] = new
    path.write_bytes(bytes(data))


def test_a_damaged_database_is_refused(db_path):
    store = Store.open(db_path)
    prop = store.save_property(Property("Les Tilleuls", "14 rue des Tilleuls", "Paris", "FR", "Europe/Paris"))
    unit = store.save_unit(Unit(prop.id, "1A", 1))
    store.save_tenant(Tenant(unit.id, "Léa Lefèvre", email="lea.lefevre@example.org", channel="email"))
    store.close()
    _corrupt_a_table_page(db_path, "tenants", b"lea.lefevre@example.org", b"lea.lefevrX@example.org")
    assert raw_pragma(db_path, "integrity_check") != "ok", "the corruption must be one SQLite detects"

    with pytest.raises(DatabaseError) as refused:
        open_database(db_path)

    assert "is damaged (integrity check:" in refused.value.summary
    assert "tenants_by_email" in refused.value.summary
    assert "restore a copy from" in refused.value.summary


def test_opening_a_missing_file_without_create_names_the_init_command(tmp_path):
    path = tmp_path / "elsewhere" / "maintdesk.sqlite"

    with pytest.raises(DatabaseError) as refused:
        open_database(path, create=False)

    assert f"no database at {path}" in refused.value.summary
    assert f"maintdesk --db {path} init" in refused.value.summary
    assert not path.exists() and not path.parent.exists()
