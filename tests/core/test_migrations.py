"""Schema upgrades: old files open with the latest code, with their data, after a backup copy."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

import maintdesk.records.db
from maintdesk.records.db import open_database
from maintdesk.errors import DatabaseError
from maintdesk.records.migrations import LATEST_VERSION, MIGRATIONS, Migration

# SQLite's upgrade path from schema files of every age, with its backup copy. A server database's
# upgrade is in test_postgres_schema.py.
pytestmark = pytest.mark.sqlite_only

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def load_fixture_script(version: int):
    path = FIXTURES / f"make_schema_v{version}.py"
    spec = importlib.util.spec_from_file_location(f"make_schema_v{version}", path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def raw_rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def columns(path: Path, table: str) -> list[str]:
    return [row[1] for row in raw_rows(path, f"PRAGMA table_info({table})")]


def user_version(path: Path) -> int:
    return raw_rows(path, "PRAGMA user_version")[0][0]


# A Toronto building written with plain SQL into the schema-1 tables.
V1_ROWS = [
    ("properties", "id, name, address_line1, postal_code, city, region, country, jurisdiction, timezone",
     (1, "Maple Court Apartments", "220 Wellesley Street East", "M4X 1G5", "Toronto", "ON", "CA", "CA-ON",
      "America/Toronto")),
    ("units", "id, property_id, label, floor", (1, 1, "101", 1)),
    ("units", "id, property_id, label, floor", (2, 1, "102", 1)),
    ("units", "id, property_id, label, floor, notes", (3, 1, "201", 2, "Corner unit")),
    ("tenants", "id, unit_id, name, salutation, email, phone, language, channel",
     (1, 1, "Priya Raghunathan", "Ms", "priya@example.org", "+14169121112", "en", "email")),
    ("tenants", "id, unit_id, name, salutation, email, phone, language, channel",
     (2, 2, "Marc-André Tremblay", "M.", "marc-andre@example.net", "", "fr", "both")),
    ("tenants", "id, unit_id, name, salutation, language, channel, active",
     (3, 3, "Liam O'Connor", "Mr", "en", "print", 0)),
    ("work_orders", "id, property_id, title, category, scope, status, window_start, window_end, emergency, "
                    "all_units, created_at",
     (1, 1, '{"en": "Water shut-off", "fr": "Coupure d\'eau"}', "water", "building", "scheduled",
      "2026-05-23T13:00:00Z", "2026-05-23T17:00:00Z", 0, 1, "2026-05-01T12:00:00Z")),
    ("slots", "work_order_id, unit_id, start, end", (1, 1, "2026-05-23T13:00:00Z", "2026-05-23T13:30:00Z")),
    ("action_items", "work_order_id, position, text", (1, 1, '{"en": "Fill a kettle beforehand."}')),
    ("action_items", "work_order_id, position, text", (1, 2, '{"en": "Keep taps closed."}')),
]


def make_v1_database(path: Path) -> None:
    db = open_database(path, target_version=1)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "large_print" not in {c.name for c in db.table("tenants").columns}
        with db.atomic():
            for table, names, values in V1_ROWS:
                db.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in values)})", values)
    finally:
        db.close()


def test_a_version_1_database_is_upgraded_with_all_its_data(open_store, db_path):
    make_v1_database(db_path)

    store = open_store(db_path)

    assert LATEST_VERSION >= 2
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    [prop] = store.list_properties()
    assert (prop.name, prop.city, prop.country, prop.timezone) == (
        "Maple Court Apartments", "Toronto", "CA", "America/Toronto")
    assert [(u.label, u.floor, u.notes) for u in store.list_units(prop.id)] == [
        ("101", 1, ""), ("102", 1, ""), ("201", 2, "Corner unit")]
    tenants = {row.tenant.name: row.tenant for row in store.list_tenants(prop.id)}
    assert set(tenants) == {"Priya Raghunathan", "Marc-André Tremblay", "Liam O'Connor"}
    assert all(t.large_print is False and t.access_notes == "" for t in tenants.values())
    assert tenants["Priya Raghunathan"].phone == "+14169121112"
    assert tenants["Liam O'Connor"].active is False
    [work] = store.list_work_orders()
    assert work.title == {"en": "Water shut-off", "fr": "Coupure d'eau"}
    assert (work.scope, work.window_start) == ("building", utc("2026-05-23T13:00:00Z"))
    assert [a.text["en"] for a in work.actions] == ["Fill a kettle beforehand.", "Keep taps closed."]
    assert [(s.unit_id, s.start, s.end) for s in work.slots] == [
        (1, utc("2026-05-23T13:00:00Z"), utc("2026-05-23T13:30:00Z"))]


def test_the_backup_taken_before_migrating_is_the_version_1_file(open_store, db_path):
    make_v1_database(db_path)
    rows_before = raw_rows(db_path, "SELECT id, name, email FROM tenants ORDER BY id")

    open_store(db_path)

    backups = sorted((db_path.parent / "backups").iterdir())
    assert len(backups) == 1
    assert re.fullmatch(rf"{db_path.stem}-schema1-\d{{8}}-\d{{6}}-\d{{6}}\.sqlite", backups[0].name)
    assert user_version(backups[0]) == 1
    assert "large_print" not in columns(backups[0], "tenants")
    assert raw_rows(backups[0], "SELECT id, name, email FROM tenants ORDER BY id") == rows_before
    assert raw_rows(backups[0], "PRAGMA integrity_check") == [("ok",)]
    assert user_version(db_path) == LATEST_VERSION


def test_the_committed_version_1_fixture_opens_with_the_latest_code(open_store, tmp_path):
    expected = load_fixture_script(1)
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v1.sqlite", path)

    store = open_store(path)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert store.get_organization().name == expected.ORGANIZATION["name"]
    [prop] = store.list_properties()
    assert (prop.name, prop.timezone, prop.manager_phone) == (
        expected.PROPERTY["name"], expected.PROPERTY["timezone"], expected.PROPERTY["manager_phone"])
    assert sorted(u.label for u in store.list_units(prop.id)) == sorted(label for _, label, _ in expected.UNITS)
    tenants = [row.tenant for row in store.list_tenants(prop.id)]
    assert sorted((t.name, t.email, t.channel) for t in tenants) == sorted(
        (name, email, channel) for _, _, name, _, email, _, _, channel in expected.TENANTS)
    assert not any(t.large_print for t in tenants) and all(t.access_notes == "" for t in tenants)
    [work] = store.list_work_orders()
    assert work.title["fr"] == "Remplacement des robinets d'arrêt"
    assert work.all_units is False and work.affected_unit_ids == expected.AFFECTED_UNITS
    assert [(s.unit_id, s.start) for s in work.slots] == [(u, utc(start)) for u, start, _ in expected.SLOTS]
    assert [a.text["fr"] for a in work.actions] == ["Videz le placard sous l'évier.",
                                                     "Soyez présent pendant votre créneau."]
    [notice] = store.list_notices()
    assert (notice.subject, notice.state, notice.tenant_id) == (expected.NOTICE["subject"], "sent", 1)
    # The archive stays immutable after the upgrade.
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        store.db.execute("UPDATE notices SET subject = 'edited' WHERE id = 1")


@pytest.mark.parametrize("version", range(1, LATEST_VERSION))
def test_the_committed_fixture_is_what_its_script_builds(tmp_path, version):
    script = load_fixture_script(version)
    rebuilt = script.build(tmp_path / "rebuilt.sqlite")

    def dump(path: Path) -> list[str]:
        conn = sqlite3.connect(path)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    assert dump(rebuilt) == dump(FIXTURES / f"schema_v{version}.sqlite"), (
        f"tests/fixtures/schema_v{version}.sqlite differs from what make_schema_v{version}.py writes")


def test_the_committed_version_2_fixture_opens_with_the_latest_code(open_store, tmp_path):
    expected = load_fixture_script(2)
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v2.sqlite", path)

    store = open_store(path)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    tenants = {row.tenant.id: row.tenant for row in store.list_tenants()}
    assert {i for i, t in tenants.items() if t.large_print} == set(expected.LARGE_PRINT)
    assert {i: t.access_notes for i, t in tenants.items() if t.access_notes} == expected.ACCESS_NOTES
    [work] = store.list_work_orders()
    assert work.previous_window is None  # schema 3 adds the window kept on postponement, empty here
    # Schema 3's notice numbers continue after the notices already issued.
    assert store.reserve_notice_numbers(2) == [expected.NOTICE["id"] + 1, expected.NOTICE["id"] + 2]
    backups = list((path.parent / "backups").glob("copy-schema2-*.sqlite"))
    assert len(backups) == 1 and user_version(backups[0]) == 2


def test_the_committed_version_3_fixture_opens_with_the_latest_code(open_store, tmp_path):
    from maintdesk.records.terms import FindingOverride, WorkTerms

    expected = load_fixture_script(3)
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v3.sqlite", path)

    store = open_store(path)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    [work] = store.list_work_orders()
    assert work.status == "postponed"
    assert work.previous_window == tuple(utc(t) for t in expected.POSTPONED_FROM)
    assert [(s.unit_id, s.start) for s in work.slots] == [(u, utc(start)) for u, start, _ in expected.SLOTS]
    # Numbers reserved at schema 3 are never handed out again.
    assert store.reserve_notice_numbers(1) == [max(n for n, _ in expected.RESERVED_NUMBERS) + 1]
    # Schema 4: every work order starts with the default terms and no overrides, and both can be saved.
    assert store.get_work_terms(work.id) == WorkTerms(work.id)
    assert store.list_finding_overrides(work.id) == []
    store.save_work_terms(WorkTerms(work.id, nature="major", vacate_days=10, print_delivery="registered"))
    store.add_finding_override(FindingOverride(work.id, "FR/off-days/days", "Tenant asked for Saturday", "Hélène"))
    terms = store.get_work_terms(work.id)
    assert (terms.nature, terms.vacate_days, terms.print_delivery) == ("major", 10, "registered")
    [override] = store.list_finding_overrides(work.id)
    assert (override.code, override.reason, override.decided_by) == (
        "FR/off-days/days", "Tenant asked for Saturday", "Hélène")
    backups = list((path.parent / "backups").glob("copy-schema3-*.sqlite"))
    assert len(backups) == 1 and user_version(backups[0]) == 3


def test_the_committed_version_4_fixture_opens_with_the_latest_code_and_takes_update_notices(open_store, tmp_path):
    from dataclasses import replace

    expected = load_fixture_script(4)
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v4.sqlite", path)

    store = open_store(path)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    [notice] = store.list_notices()
    assert (notice.id, notice.kind, notice.subject, notice.state) == (
        expected.NOTICE["id"], "initial", expected.NOTICE["subject"], "sent")
    [work] = store.list_work_orders()
    assert store.get_work_terms(work.id).print_delivery == "registered"
    assert [o.reason for o in store.list_finding_overrides(work.id)] == [expected.OVERRIDE["reason"]]
    # Schema 5: the archive takes progress updates, and stays immutable and undeletable.
    [number] = store.reserve_notice_numbers(1)
    [update] = store.add_notices([replace(notice, id=number, kind="update", subject="Point sur les travaux",
                                          message_id="<notice-update@example.org>")])
    assert [n.kind for n in store.list_notices()] == ["initial", "update"]
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        store.db.execute("UPDATE notices SET subject = 'edited' WHERE id = ?", [update.id])
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
        store.db.execute("DELETE FROM notices WHERE id = ?", [update.id])
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        store.db.execute("INSERT INTO notices (work_order_id, kind, language, channel, recipient_name, subject, "
                         "created_at) VALUES (?, 'newsletter', 'fr', 'print', 'x', 'x', '2026-03-03T00:00:00Z')",
                         [work.id])
    backups = list((path.parent / "backups").glob("copy-schema4-*.sqlite"))
    assert len(backups) == 1 and user_version(backups[0]) == 4


def test_the_committed_version_5_fixture_opens_with_the_latest_code_and_can_withdraw_an_acceptance(
        open_store, tmp_path):
    expected = load_fixture_script(5)
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v5.sqlite", path)

    store = open_store(path)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert [(n.id, n.kind) for n in store.list_notices()] == [(1, "initial"), (expected.UPDATE["id"], "update")]
    [work] = store.list_work_orders()
    [override] = store.list_finding_overrides(work.id)
    # Schema 6: acceptances already recorded are in force; one can be withdrawn, once, and kept.
    assert override.in_force and (override.withdrawn_by, override.withdrawn_reason) == ("", "")
    store.withdraw_finding_override(override.id, "Hélène Girard", "The tenants did not all agree")
    [kept] = store.list_finding_overrides(work.id)
    assert (kept.reason, kept.withdrawn_reason, kept.in_force) == (
        expected.OVERRIDE["reason"], "The tenants did not all agree", False)
    with pytest.raises(sqlite3.IntegrityError, match="kept as recorded"):
        store.db.execute("UPDATE finding_overrides SET reason = 'edited' WHERE id = ?", [override.id])
    backups = list((path.parent / "backups").glob("copy-schema5-*.sqlite"))
    assert len(backups) == 1 and user_version(backups[0]) == 5


def test_the_committed_version_6_fixture_opens_with_the_latest_code_and_takes_entry_agreements(
        open_store, tmp_path):
    from maintdesk.records.agreements import EntryAgreement
    from maintdesk.errors import ConflictError, ValidationError

    expected = load_fixture_script(6)
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v6.sqlite", path)

    store = open_store(path)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    [work] = store.list_work_orders()
    withdrawn, in_force = store.list_finding_overrides(work.id)
    assert (withdrawn.withdrawn_reason, withdrawn.in_force) == (expected.WITHDRAWAL["withdrawn_reason"], False)
    assert (in_force.code, in_force.in_force) == (expected.SECOND_OVERRIDE["code"], True)
    # Schema 7: no agreement yet; one per affected unit can be recorded, withdrawn once, and is kept.
    assert store.list_entry_agreements(work.id) == []
    unit_1a = expected.v1.AFFECTED_UNITS[0]
    store.add_entry_agreement(EntryAgreement(work.id, unit_1a, "signed letter of 3 March", "Hélène Girard"))
    with pytest.raises(ValidationError, match="not a unit work order 1 affects"):
        store.add_entry_agreement(EntryAgreement(work.id, 4, "email of 3 March", "Hélène Girard"))
    with pytest.raises(ConflictError, match="already recorded"):
        store.add_entry_agreement(EntryAgreement(work.id, unit_1a, "a second letter", "Hélène Girard"))
    store.withdraw_entry_agreement(work.id, unit_1a, "Hélène Girard", "phoned on 5 March: no Saturday after all")
    [agreement] = store.list_entry_agreements(work.id)
    assert (agreement.unit_id, agreement.note, agreement.in_force) == (unit_1a, "signed letter of 3 March", False)
    with pytest.raises(sqlite3.IntegrityError, match="kept as recorded"):
        store.db.execute("UPDATE entry_agreements SET note = 'edited' WHERE id = ?", [agreement.id])
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.db.execute("INSERT INTO entry_agreements (work_order_id, unit_id, note, recorded_by, recorded_at) "
                         "VALUES (?, 99, 'x', 'x', '2026-03-03T00:00:00Z')", [work.id])
    backups = list((path.parent / "backups").glob("copy-schema6-*.sqlite"))
    assert len(backups) == 1 and user_version(backups[0]) == 6


def test_the_committed_version_7_fixture_opens_with_the_latest_code_and_keeps_the_names_of_the_day(
        open_store, tmp_path):
    expected = load_fixture_script(7)
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v7.sqlite", path)

    store = open_store(path)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    [work] = store.list_work_orders()
    [agreement] = store.list_entry_agreements(work.id)
    assert (agreement.note, agreement.in_force) == (expected.AGREEMENT["note"], True)
    # Schema 8: the notices issued before take the names of the day of the upgrade...
    units = {unit_id: label for unit_id, label, _ in expected.v1.UNITS}
    assert [(n.id, n.property_name, n.unit_label) for n in store.list_notices()] == [
        (1, expected.v1.PROPERTY["name"], units[expected.NOTICE["unit_id"]]),
        (2, expected.v1.PROPERTY["name"], units[expected.UPDATE["unit_id"]])]
    # ...and keep them: they are part of the notice, which cannot be changed.
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        store.db.execute("UPDATE notices SET property_name = 'Renamed' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        store.db.execute("UPDATE notices SET subject = 'edited' WHERE id = 1")
    store.db.execute("UPDATE notices SET state = 'delivered' WHERE id = 1")  # what happened to it may change
    backups = list((path.parent / "backups").glob("copy-schema7-*.sqlite"))
    assert len(backups) == 1 and user_version(backups[0]) == 7


def test_the_committed_version_8_fixture_opens_with_the_latest_code_and_takes_voids_and_corrections(
        open_store, tmp_path):
    from maintdesk.errors import ConflictError
    from maintdesk.records.models import IssueCheck, Notice

    expected = load_fixture_script(8)
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v8.sqlite", path)

    store = open_store(path)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    printed = store.get_notice(expected.PRINTED["id"])
    assert (printed.unit_label, printed.corrects_notice_id) == ("1A", None)
    assert store.voids() == {}
    # Schema 9: the notice is voided (once) and corrected by a new one that names it.
    void = store.void_notice(printed.id, "wrong date", "Hélène Girard")
    assert store.get_void(printed.id) == void
    with pytest.raises(ConflictError, match="voided once"):
        store.void_notice(printed.id, "again", "Hélène Girard")
    check = IssueCheck("def456", printed.work_order_id, utc("2026-03-09T09:00:00Z"), True, {"ok": True})
    [correction] = store.add_notices([Notice(
        work_order_id=printed.work_order_id, kind="reminder", language="fr", channel="print",
        recipient_name=printed.recipient_name, subject="Rappel (rectificatif)", tenant_id=printed.tenant_id,
        unit_id=printed.unit_id, batch_id="def456", corrects_notice_id=printed.id)], check)
    assert store.get_notice(correction.id).corrects_notice_id == printed.id
    assert store.issue_checks(printed.work_order_id) == [check]
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        store.db.execute("UPDATE notices SET corrects_notice_id = NULL WHERE id = ?", (correction.id,))
    with pytest.raises(sqlite3.IntegrityError, match="kept as recorded"):
        store.db.execute("DELETE FROM notice_voids")
    with pytest.raises(sqlite3.IntegrityError, match="kept as recorded"):
        store.db.execute("UPDATE issue_checks SET ok = 0")
    backups = list((path.parent / "backups").glob("copy-schema8-*.sqlite"))
    assert len(backups) == 1 and user_version(backups[0]) == 8


def test_every_migration_step_has_a_fixture_written_by_the_previous_schema():
    missing = [
        f"tests/fixtures/schema_v{step.version - 1}.sqlite"
        for step in MIGRATIONS
        if step.version > 1 and not (FIXTURES / f"schema_v{step.version - 1}.sqlite").is_file()
    ]
    assert missing == [], "add a fixture database for each schema that can be migrated from: " + ", ".join(missing)
    for fixture in FIXTURES.glob("schema_v*.sqlite"):
        assert user_version(fixture) == int(fixture.stem.removeprefix("schema_v")), fixture.name


def test_migration_versions_are_consecutive_from_1():
    assert [step.version for step in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert LATEST_VERSION == MIGRATIONS[-1].version


def _bogus_step(version: int) -> Migration:
    return Migration(version, "changes: a step that breaks halfway", (
        "ALTER TABLE tenants ADD COLUMN shoe_size INTEGER",
        "UPDATE tenants SET name = upper(name)",
        "INSERT INTO no_such_table VALUES (1)",
    ))


def test_a_failing_step_leaves_the_version_and_the_data_as_they_were(monkeypatch, db_path):
    make_v1_database(db_path)
    names_before = raw_rows(db_path, "SELECT name FROM tenants ORDER BY id")
    monkeypatch.setattr(maintdesk.records.db, "MIGRATIONS", (MIGRATIONS[0], _bogus_step(2)))

    with pytest.raises(DatabaseError, match="no_such_table"):
        open_database(db_path)

    assert user_version(db_path) == 1
    assert "shoe_size" not in columns(db_path, "tenants")
    assert raw_rows(db_path, "SELECT name FROM tenants ORDER BY id") == names_before
    monkeypatch.undo()
    # The real code then upgrades the same file normally.
    db = open_database(db_path)
    db.close()
    assert user_version(db_path) == LATEST_VERSION


def test_each_step_commits_on_its_own(monkeypatch, db_path):
    make_v1_database(db_path)
    names_before = raw_rows(db_path, "SELECT name FROM tenants ORDER BY id")
    monkeypatch.setattr(maintdesk.records.db, "MIGRATIONS", (*MIGRATIONS, _bogus_step(LATEST_VERSION + 1)))

    with pytest.raises(DatabaseError):
        open_database(db_path, target_version=LATEST_VERSION + 1)

    assert user_version(db_path) == LATEST_VERSION, "the real steps stay; the failed one left nothing"
    assert {"large_print", "access_notes"} <= set(columns(db_path, "tenants"))
    assert "shoe_size" not in columns(db_path, "tenants")
    assert raw_rows(db_path, "SELECT name FROM tenants ORDER BY id") == names_before


def test_a_new_database_is_made_at_the_current_schema_in_one_step(db_path, tmp_path, caplog):
    caplog.set_level("INFO", logger="maintdesk")
    db = open_database(db_path)
    db.close()
    assert user_version(db_path) == LATEST_VERSION
    steps = [r.getMessage() for r in caplog.records if r.name == "maintdesk.records.db"]
    assert steps == [f"created a new database at schema {LATEST_VERSION}"]
    assert not (db_path.parent / "backups").exists()
    # The same schema as a file brought up from schema 1 step by step.
    old = tmp_path / "old.sqlite"
    make_v1_database(old)
    open_database(old).close()
    schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    assert raw_rows(db_path, schema) == raw_rows(old, schema)


def test_the_command_line_is_quiet_on_a_new_database_unless_asked(tmp_path):
    import subprocess
    import sys

    def init(name: str, *options: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "maintdesk", *options, "--db", str(tmp_path / name), "init"],
                              capture_output=True, text=True, timeout=120)

    quiet = init("quiet.sqlite")
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert quiet.stdout.strip() == f"database ready at {tmp_path / 'quiet.sqlite'}"
    told = init("told.sqlite", "--verbose")
    assert told.returncode == 0
    assert told.stderr.splitlines() == [f"INFO maintdesk.records.db: created a new database at schema {LATEST_VERSION}"]


def test_the_committed_version_9_fixture_moves_the_letterhead_to_the_first_sender_and_keeps_every_row(
        open_store, tmp_path):
    from maintdesk.records.models import SenderProfile, Tenant

    expected = load_fixture_script(9)
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(FIXTURES / "schema_v9.sqlite", path)
    before = sqlite3.connect(path)
    tenants_before = before.execute("SELECT * FROM tenants ORDER BY id").fetchall()
    notices_before = before.execute("SELECT id, tenant_id, unit_id FROM notices ORDER BY id").fetchall()
    before.close()

    store = open_store(path)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    letterhead = expected.LETTERHEAD
    assert store.list_senders() == [SenderProfile(
        label=letterhead["name"], name=letterhead["name"], address=letterhead["address"], phone=letterhead["phone"],
        email=letterhead["email"], website=letterhead["website"], logo_path=letterhead["logo_path"],
        window_layout="us-10", default_language="fr", signer_name=letterhead["sender_name"],
        signer_titles={"fr": letterhead["sender_title"]}, email_from=letterhead["sender_email"],
        reply_to=letterhead["reply_to"], id=1)]
    assert store.get_organization().name == letterhead["name"]
    assert [p.sender_id for p in store.list_properties()] == [1]
    assert store.get_work_order(expected.PRINTED["work_order_id"]).crew_language == ""
    # The rebuilt tenants table holds the same rows, and the archive still points at them.
    assert [tuple(r)[:len(tenants_before[0])] for r in store.db.execute("SELECT * FROM tenants ORDER BY id")] == (
        tenants_before), "the same rows (schema 11 adds columns after them)"
    assert [tuple(r) for r in store.db.execute("SELECT id, tenant_id, unit_id FROM notices ORDER BY id")] == notices_before
    assert store.get_void(expected.PRINTED["id"]).reason == expected.VOID["reason"]
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    # Tenants may now read German and Spanish; other languages are still refused by the database.
    unit_id = tenants_before[0][1]
    assert store.save_tenant(Tenant(unit_id, "Jürgen Weiß", language="de")).language == "de"
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        store.db.execute("UPDATE tenants SET language = 'it' WHERE id = 1")
    # The foreign keys of the rebuilt table still act: a deleted tenant leaves the archive's notice.
    with store.transaction():
        store.db.execute("DELETE FROM tenants WHERE id = ?", (expected.PRINTED["tenant_id"],))
    assert store.get_notice(expected.PRINTED["id"]).tenant_id is None
    backups = list((path.parent / "backups").glob("copy-schema9-*.sqlite"))
    assert len(backups) == 1 and user_version(backups[0]) == 9


def test_a_new_database_has_no_sender_until_one_is_made(store):
    assert store.list_senders() == []
    assert store.is_empty()
