"""The migration steps on PostgreSQL: every step has a PostgreSQL form, both databases reach the
same version with the same tables and columns, an older server database is migrated step by step
with its rows and keys kept, and issued notices cannot be edited there either."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import psycopg
import pytest

from maintdesk.records.backends.pg_open import migrate, schema_version
from maintdesk.records.backends.pg_schema import UntranslatableStatement, postgres_steps
from maintdesk.records.backends.postgres import connect
from maintdesk.records.db import open_database
from maintdesk.records.location import ServerLocation
from maintdesk.records.migrations import LATEST_VERSION, MIGRATIONS, NOTICE_CONTENT_COLUMNS, Migration
from maintdesk.records.models import Notice, Property, Tenant, Unit, WorkOrder
from maintdesk.records.store import Store

UTC = timezone.utc


def test_every_step_has_a_postgresql_form():
    steps = postgres_steps()
    assert [s.version for s in steps] == [m.version for m in MIGRATIONS]
    assert all(s.statements for s in steps)


def test_a_statement_without_a_postgresql_form_is_named():
    with pytest.raises(UntranslatableStatement, match="schema step 99: no PostgreSQL form for: PRAGMA"):
        postgres_steps((*MIGRATIONS, Migration(99, "changes: x", ("PRAGMA foreign_keys = OFF",))))


def _sqlite_columns(path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(r[1] for r in conn.execute(f"PRAGMA table_info({t})")) for t in tables}
    finally:
        conn.close()


def _postgres_columns(db) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for table, column in db.execute("SELECT table_name, column_name FROM information_schema.columns "
                                    "WHERE table_schema = 'public'").fetchall():
        columns.setdefault(table, []).append(column)
    columns.pop("schema_version")
    return {t: sorted(c) for t, c in sorted(columns.items())}


def test_both_databases_reach_the_same_version_and_columns(tmp_path, postgres_url):
    sqlite_db = open_database(tmp_path / "one.sqlite")
    sqlite_db.close()
    db = open_database(postgres_url)
    try:
        assert schema_version(db) == LATEST_VERSION
        assert _postgres_columns(db) == _sqlite_columns(tmp_path / "one.sqlite")
    finally:
        db.close()


def _work(property_id: int, unit_id: int) -> WorkOrder:
    start = datetime(2026, 6, 2, 6, 30, tzinfo=UTC)
    return WorkOrder(property_id=property_id, title={"en": "Boiler"}, window_start=start,
                     window_end=start.replace(hour=15), all_units=False, affected_unit_ids=[unit_id])


def test_an_older_server_database_is_migrated_with_its_rows_and_keys(postgres_server):
    postgres_server.admin("DROP DATABASE IF EXISTS office_v9")
    postgres_server.admin("CREATE DATABASE office_v9")
    url = postgres_server.url("office_v9")
    old = open_database(url, target_version=9)
    try:
        assert schema_version(old) == 9
        old.execute("INSERT INTO properties (name, address_line1, city, country, timezone) "
                    "VALUES ('Les Tilleuls', '14 rue', 'Paris', 'FR', 'Europe/Paris')")
        old.execute("INSERT INTO units (property_id, label) VALUES (1, '1A')")
        old.execute("INSERT INTO tenants (unit_id, name, language) VALUES (1, 'Léa', 'fr')")
        old.execute("INSERT INTO work_orders (property_id, title, window_start, window_end, created_at) "
                    "VALUES (1, '{}', '2026-06-02T06:30:00Z', '2026-06-02T15:00:00Z', '2026-05-01T00:00:00Z')")
        old.execute("INSERT INTO notices (work_order_id, tenant_id, unit_id, kind, language, channel, "
                    "recipient_name, subject, created_at) VALUES (1, 1, 1, 'initial', 'fr', 'print', 'Léa', "
                    "'Travaux', '2026-05-20T09:00:00Z')")
    finally:
        old.close()
    store = Store.open(url)
    try:
        assert schema_version(store.db) == LATEST_VERSION
        notice = store.get_notice(1)
        assert (notice.recipient_name, notice.tenant_id, notice.channel) == ("Léa", 1, "print")
        assert store.get_tenant(1).language == "fr"
        # the keys on the rebuilt tables hold: a notice's tenant may go, its work order may not
        store.delete_tenant(1)
        assert store.get_notice(1).tenant_id is None
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute("DELETE FROM work_orders WHERE id = 1")
        # ids go on after the highest one written by the migration
        unit = store.save_unit(Unit(1, "1B"))
        assert unit.id == 2 and store.save_tenant(Tenant(unit.id, "Noé")).id == 2
        assert store.save_property(Property(name="B", address_line1="x", city="Lyon", country="FR",
                                            timezone="Europe/Paris")).id == 2
    finally:
        store.close()


@pytest.fixture
def issued_on_server(postgres_url):
    store = Store.open(postgres_url)
    prop = store.save_property(Property(name="A", address_line1="x", city="Paris", country="FR", timezone="Europe/Paris"))
    unit = store.save_unit(Unit(prop.id, "1A"))
    work = store.save_work_order(_work(prop.id, unit.id))
    notice = store.add_notice(Notice(work_order_id=work.id, kind="initial", language="fr", channel="print",
                                     recipient_name="Léa", subject="Travaux", unit_id=unit.id,
                                     created_at=datetime(2026, 5, 20, 9, 0, tzinfo=UTC)))
    store.close()
    return postgres_url, notice


@pytest.mark.parametrize("column", NOTICE_CONTENT_COLUMNS)
def test_an_issued_notice_cannot_be_edited_on_the_server(issued_on_server, column):
    url, notice = issued_on_server
    value = 2 if column == "work_order_id" else "2027-01-01T00:00:00Z" if column == "created_at" else "edited"
    if column == "corrects_notice_id":
        value = notice.id
    with psycopg.connect(url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.IntegrityError, match="issued notices cannot be changed"):
            conn.execute(f"UPDATE notices SET {column} = %s WHERE id = %s", (value, notice.id))
        with pytest.raises(psycopg.errors.IntegrityError, match="issued notices cannot be deleted"):
            conn.execute("DELETE FROM notices WHERE id = %s", (notice.id,))
        conn.execute("UPDATE notices SET state = 'printed' WHERE id = %s", (notice.id,))  # the state may change


def test_two_desks_opening_a_new_database_at_once_create_it_once(postgres_server):
    import threading

    postgres_server.admin("DROP DATABASE IF EXISTS office_race")
    postgres_server.admin("CREATE DATABASE office_race")
    url = postgres_server.url("office_race")
    failures: list[BaseException] = []

    def desk() -> None:
        try:
            open_database(url).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    desks = [threading.Thread(target=desk) for _ in range(3)]
    for d in desks:
        d.start()
    for d in desks:
        d.join()
    assert failures == []
    db = connect(ServerLocation(url))
    try:
        assert schema_version(db) == LATEST_VERSION
        assert db.execute("SELECT count(*) FROM organization").fetchone()[0] == 1
        migrate(db)  # nothing left to do
        assert schema_version(db) == LATEST_VERSION
    finally:
        db.close()
