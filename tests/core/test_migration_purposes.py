"""Schema 12: a work order's nature may be `showing`; the rebuilt work_order_terms keeps every row."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from maintdesk.records.db import open_database
from maintdesk.records.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def terms_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT work_order_id, nature, vacate_days, print_delivery, tenants_agreed, slot_minutes, "
                            "buffer_minutes, day_start, day_end, breaks, slot_order, slot_rules_saved, updated_at "
                            "FROM work_order_terms ORDER BY work_order_id").fetchall()
    conn.close()
    return rows


def test_schema_11_keeps_its_terms_and_accepts_showing_after_the_upgrade(tmp_path):
    path = tmp_path / "v11.sqlite"
    shutil.copyfile(FIXTURES / "schema_v11.sqlite", path)
    before = terms_rows(path)
    assert before and before[0][1] == "repair"
    db = open_database(path, backups_dir=tmp_path / "backups")
    store = Store(db)
    try:
        assert terms_rows(path) == before
        assert not db.execute("PRAGMA foreign_key_check").fetchall()
        work_id = before[0][0]
        terms = store.get_work_terms(work_id)
        store.save_work_terms(replace(terms, nature="showing"))
        assert store.get_work_terms(work_id).nature == "showing"
        with pytest.raises(Exception):  # the CHECK still refuses what is not a nature
            db.execute("UPDATE work_order_terms SET nature = 'party' WHERE work_order_id = ?", (work_id,))
        # the rebuilt table still refers to its work order and goes with it
        [fk] = db.execute("PRAGMA foreign_key_list(work_order_terms)").fetchall()
        assert (fk[2], fk[6]) == ("work_orders", "CASCADE")
    finally:
        db.close()
