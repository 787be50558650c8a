"""One writer of the office test (test_office_writers.py), run as a process of its own.

    python office_writer.py cli DB SECONDS NAME   # command-line writes, in a loop
    python office_writer.py gui DB SECONDS NAME   # the tenant dialog's save, in a loop (offscreen)
    python office_writer.py store DB SECONDS NAME # a transaction that reads, thinks, then writes

Prints how many writes it made, one line of JSON; exits 1 at the first write that fails.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time


def cli_writes(db: str, seconds: float, name: str) -> int:
    from maintdesk.cli.app import main

    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        for args in (["work", "override", "2", f"LOAD/{name}/{done}", "--reason", "load test", "--by", name],
                     ["work", "terms", "2", "--vacate-days", str(done % 5)]):
            err = io.StringIO()
            sys.stderr, saved = err, sys.stderr
            try:
                status = main(["--db", db, *args], out=io.StringIO())
            finally:
                sys.stderr = saved
            if status != 0:
                print(f"{name}: {' '.join(args)} failed ({status}): {err.getvalue().strip()}", file=sys.stderr)
                sys.exit(1)
        done += 1
    return done


def gui_writes(db: str, seconds: float, name: str) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from maintdesk.records.store import Store
    from ui.dialogs.tenant import TenantDialog

    app = QApplication([])
    store = Store.open(db, create=False)
    unit = store.list_units(1)[0]
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        dialog = TenantDialog(store, property_id=1)
        dialog.fields["unit_id"].setCurrentIndex(dialog.fields["unit_id"].findData(unit.id))
        dialog.fields["name"].setText(f"{name} tenant {done}")
        if not dialog.save():
            print(f"{name}: save {done} failed: {dialog.top_message.text()}", file=sys.stderr)
            sys.exit(1)
        dialog.deleteLater()
        app.processEvents()
        done += 1
    store.close()
    return done


def store_writes(db: str, seconds: float, name: str) -> int:
    """As a dialog saves a work order with its terms: read, decide, write, in one transaction."""
    from dataclasses import replace

    from maintdesk.errors import UserFacingError
    from maintdesk.records.store import Store
    from maintdesk.records.terms import FindingOverride

    store = Store.open(db, create=False)
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with store.transaction():
                terms = store.get_work_terms(2)
                time.sleep(0.002)  # the time a save takes to decide what to write
                store.save_work_terms(replace(terms, vacate_days=done % 5))
                store.add_finding_override(FindingOverride(2, f"LOAD/{name}/{done}", "load test", name))
        except (UserFacingError, Exception) as exc:
            print(f"{name}: transaction {done} failed: {exc}", file=sys.stderr)
            sys.exit(1)
        done += 1
        time.sleep(0.01)  # the next save comes a moment later, as in a program
    store.close()
    return done


WRITERS = {"cli": cli_writes, "gui": gui_writes, "store": store_writes}

if __name__ == "__main__":
    mode, db, seconds, name = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    count = WRITERS[mode](db, seconds, name)
    print(json.dumps({"name": name, "writes": count}))
