"""The command line, as scripts and the benchmarks use it: output, JSON keys and exit status."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest

from maintdesk.cli.app import main
from maintdesk.records.demo import create_demo
from maintdesk.paths import AppPaths
from maintdesk.records.location import database_location
from maintdesk.records.store import Store

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(args), out=out)
    return status, out.getvalue()


def run_json(*args: str):
    status, text = run(*args, "--json")
    assert status == 0, text
    return json.loads(text)


@pytest.fixture
def demo_db(db_path, demo_today) -> str:
    """A demo database made for a fixed day, so local times and offsets are known (May: +02:00)."""
    store = Store.open(db_path)
    create_demo(store, today=demo_today)
    store.close()
    return str(db_path)


def property_id(db: str, city: str) -> int:
    return next(p["id"] for p in run_json("--db", db, "property", "list") if p["city"] == city)


def test_init_demo_then_work_list_json(tmp_path, capsys):
    db = str(tmp_path / "demo.sqlite")

    status, text = run("--db", db, "init", "--demo")

    assert status == 0
    assert text.startswith(f"demo database ready at {db}: 2 properties, ")
    work = run_json("--db", db, "work", "list")
    assert len(work) == 3
    assert all({"id", "title", "status", "window_start", "timezone"} <= item.keys() for item in work)
    assert len({item["id"] for item in work}) == 3 and all(isinstance(item["id"], int) for item in work)
    assert [item["window_start"] for item in work] == sorted(item["window_start"] for item in work)
    assert {item["timezone"] for item in work} == {"Europe/Paris", "America/Toronto"}
    assert capsys.readouterr().err == ""


def test_init_without_db_uses_the_per_user_data_folder(isolated_home):
    status, text = run("init")

    expected = AppPaths.default().database
    assert expected.is_relative_to(isolated_home), "tests must never reach the real profile"
    assert (status, text) == (0, f"database ready at {expected}\n")
    assert expected.is_file()


def test_basedir_keeps_the_database_under_that_folder(tmp_path, isolated_home):
    status, text = run("--basedir", str(tmp_path / "office"), "init")

    expected = tmp_path / "office" / "data" / "maintdesk.sqlite"
    assert (status, text) == (0, f"database ready at {expected}\n")
    assert expected.is_file()
    assert not (isolated_home / ".local" / "share" / "MaintDesk").exists()


def test_property_list_and_show(demo_db):
    properties = run_json("--db", demo_db, "property", "list")
    assert {(p["name"], p["city"], p["timezone"], p["unit_count"]) for p in properties} == {
        ("Résidence Les Tilleuls", "Paris", "Europe/Paris", 24),
        ("Maple Court Apartments", "Toronto", "America/Toronto", 30),
    }

    paris = run_json("--db", demo_db, "property", "show", str(property_id(demo_db, "Paris")))
    assert paris["name"] == "Résidence Les Tilleuls" and paris["jurisdiction"] == "FR"
    assert len(paris["units"]) == paris["unit_count"] == 24
    assert [u["label"] for u in paris["units"]][:5] == ["1A", "1B", "1C", "1D", "2A"]
    assert set(paris["units"][0]) == {"id", "label", "floor", "notes"}


def test_tenant_list_for_one_property(demo_db):
    toronto = property_id(demo_db, "Toronto")
    everyone = run_json("--db", demo_db, "tenant", "list")
    tenants = run_json("--db", demo_db, "tenant", "list", "--property", str(toronto))

    assert tenants and all(t["property_id"] == toronto for t in tenants)
    assert all(t["property_name"] == "Maple Court Apartments" for t in tenants)
    assert len(tenants) == sum(1 for t in everyone if t["property_id"] == toronto) < len(everyone)
    assert {"id", "name", "email", "phone", "language", "channel", "unit_label"} <= tenants[0].keys()


def test_work_show_gives_local_times_with_the_property_offset(demo_db):
    radiators = next(w for w in run_json("--db", demo_db, "work", "list") if w["slot_count"])

    work = run_json("--db", demo_db, "work", "show", str(radiators["id"]))

    day = work["window_start_local"][:10]  # a few days after the demo's day, in May
    assert work["timezone"] == "Europe/Paris"
    assert work["window_start_local"] == f"{day}T08:30:00+02:00"
    assert work["window_start"] == f"{day}T06:30:00Z"
    assert len(work["slots"]) == work["affected_unit_count"] == 24
    first = work["slots"][0]
    assert (first["unit"], first["start"], first["start_local"], first["end_local"]) == (
        "1A", f"{day}T06:30:00Z", f"{day}T08:30:00+02:00", f"{day}T09:05:00+02:00")
    paris = ZoneInfo("Europe/Paris")
    for slot in work["slots"]:
        start_local = datetime.fromisoformat(slot["start_local"])
        start_utc = datetime.fromisoformat(slot["start"].replace("Z", "+00:00"))
        assert start_local == start_utc and start_local.utcoffset() == start_utc.astimezone(paris).utcoffset()
    assert work["actions"][0] == {"en": "Clear one metre in front of every radiator.",
                                  "fr": "Dégagez un espace d'un mètre devant chaque radiateur."}


PROPERTY_KEYS = {"id", "name", "address_line1", "address_line2", "postal_code", "city", "region", "country",
                 "jurisdiction", "timezone", "manager_name", "manager_phone", "manager_email", "unit_count",
                 "tenant_count"}
TENANT_KEYS = {"id", "unit_id", "name", "salutation", "email", "phone", "language", "channel", "mailing_address",
               "active", "large_print", "access_notes", "unit_label", "property_id", "property_name"}
WORK_LIST_KEYS = {"id", "property_id", "property_name", "title", "category", "status", "emergency", "scope",
                  "timezone", "window_start", "window_end", "window_start_local", "window_end_local",
                  "affected_unit_count", "slot_count", "action_count"}
WORK_SHOW_KEYS = WORK_LIST_KEYS | {"description", "reason", "impact", "alternatives", "access_conditions",
                                   "updates_info", "contractor", "contact_name", "contact_phone", "contact_email",
                                   "internal_notes", "all_units", "affected_units", "slots", "actions", "created_at"}


def test_json_output_has_every_key_documented_in_docs_cli_md(demo_db):
    """docs/cli.md promises these keys to scripts; new keys may be added, none may go."""
    paris = property_id(demo_db, "Paris")
    assert all(PROPERTY_KEYS <= p.keys() for p in run_json("--db", demo_db, "property", "list"))
    assert PROPERTY_KEYS | {"units"} <= run_json("--db", demo_db, "property", "show", str(paris)).keys()
    assert all(TENANT_KEYS <= t.keys() for t in run_json("--db", demo_db, "tenant", "list"))
    works = run_json("--db", demo_db, "work", "list")
    assert all(WORK_LIST_KEYS <= w.keys() for w in works)
    for work in works:
        shown = run_json("--db", demo_db, "work", "show", str(work["id"]))
        assert WORK_SHOW_KEYS <= shown.keys()
        assert all(set(slot) == {"unit", "start", "end", "start_local", "end_local"} for slot in shown["slots"])
    assert run_json("--db", demo_db, "work", "list", "--property", str(paris)) == [
        w for w in works if w["property_id"] == paris]


def test_work_show_as_text_numbers_the_actions(demo_db):
    day = run_json("--db", demo_db, "work", "show", "1")["window_start_local"][:10]

    status, text = run("--db", demo_db, "work", "show", "1")

    assert status == 0
    assert text.splitlines()[0] == "#1 Annual radiator servicing  [scheduled]"
    assert f"  slot     1A: {day} 08:30 – 09:05" in text.splitlines()
    assert "  1. Clear one metre in front of every radiator." in text.splitlines()
    assert "  4. Do not bleed the radiators yourself in the days before." in text.splitlines()


def test_data_export_and_import_through_the_command_line(demo_db, tmp_path):
    exported = tmp_path / "all.json"
    assert run("--db", demo_db, "data", "export", str(exported)) == (0, f"wrote {exported}\n")

    copy_db = str(tmp_path / "copy.sqlite")
    status, text = run("--db", copy_db, "data", "import", str(exported))

    assert status == 0 and text.startswith(f"imported {exported}: 2 properties, 54 units")
    assert run_json("--db", copy_db, "work", "list") == run_json("--db", demo_db, "work", "list")


def _bad_json(tmp_path: Path) -> str:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "maintdesk-data",\n "properties": [}\n', encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["work", "show", "99"], "maintdesk: error: no work order with id 99"),
        (["property", "show", "99"], "maintdesk: error: no property with id 99"),
        (["tenant", "list", "--property", "99"], "maintdesk: error: no property with id 99"),
        (["data", "import", "BAD_JSON"], "is not valid JSON: Expecting value at line 2, column 17"),
        (["init", "--demo"], "already holds records; choose a new file with --db to make a demo"),
        (["work", "show"], "maintdesk work show: error: the following arguments are required: id"),
        (["work", "show", "first"], "maintdesk work show: error: argument id: invalid int value: 'first'"),
        (["work"], "maintdesk work: error: the following arguments are required: ACTION"),
        (["frobnicate"], "maintdesk: error: argument COMMAND: invalid choice: 'frobnicate'"),
    ],
    ids=["unknown-work", "unknown-property", "unknown-tenant-property", "bad-json", "demo-on-non-empty",
         "missing-argument", "bad-argument", "missing-action", "unknown-command"],
)
def test_bad_input_exits_2_with_one_line(demo_db, tmp_path, capsys, args, reason):
    args = [_bad_json(tmp_path) if a == "BAD_JSON" else a for a in args]
    capsys.readouterr()

    status, text = run("--db", demo_db, *args)

    err = capsys.readouterr().err
    assert status == 2
    assert text == ""
    assert len(err.strip().splitlines()) == 1, err
    assert reason in err


def _mark_as_newer(db: str, version: int) -> None:
    if db.startswith("postgresql://"):
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute("UPDATE schema_version SET version = %s", (version,))
        return
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


def test_a_database_from_a_newer_maintdesk_exits_1(demo_db, capsys):
    _mark_as_newer(demo_db, 99)

    status, text = run("--db", demo_db, "work", "list", "--json")

    err = capsys.readouterr().err
    assert (status, text) == (1, "")
    shown = str(database_location(demo_db))  # a server's address is shown without its password
    assert err.startswith("maintdesk: error: ") and f"{shown} was written by a newer MaintDesk (schema 99" in err
    assert "update MaintDesk" in err and len(err.strip().splitlines()) == 1


def test_a_missing_database_exits_1_and_says_how_to_create_one(tmp_path, capsys):
    missing = tmp_path / "none.sqlite"
    status, _ = run("--db", str(missing), "work", "list")
    assert status == 1
    assert f"create one with `maintdesk --db {missing} init`" in capsys.readouterr().err
    assert not missing.exists()


def test_python_dash_m_maintdesk_runs_the_command_line(demo_db):
    env = {**os.environ, "PYTHONUTF8": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "maintdesk", "--db", demo_db, "work", "list", "--json"],
        capture_output=True, cwd=ROOT, env=env, timeout=60,
    )

    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    work = json.loads(result.stdout.decode("utf-8"))
    assert len(work) == 3
    assert {w["property_name"] for w in work} == {"Résidence Les Tilleuls", "Maple Court Apartments"}


def test_an_error_that_echoes_a_line_break_stays_on_one_line(tmp_path, capsys):
    typed = str(tmp_path / "new\nfolder" / "x.sqlite")  # pasted with its line break
    status = main(["--db", typed, "work", "list"], out=io.StringIO())
    err = capsys.readouterr().err
    assert status != 0 and len(err.strip().splitlines()) == 1, err
    assert "new\\nfolder" in err
