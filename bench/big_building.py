"""A 1,000-unit building with 2,000 issued notices, and the records export of it.

Run alone: `python -m bench.big_building`. The notices are real archive entries (each with its own
PDF file in the archive, a copy of one real letter, so the export re-hashes 2,000 files); the
proof-of-notice report lists all 2,000 (about 300 pages).
"""

from __future__ import annotations

import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.timing import Figure
from maintdesk.archive import export as records_export
from maintdesk.letters import issuing
from maintdesk.paths import AppPaths
from maintdesk.records.models import Notice, Property, Tenant, Unit, WorkOrder
from maintdesk.records.store import Store

UNITS = 1000
NOTICES = 2000


def make_building(folder: Path) -> tuple[AppPaths, Store]:
    """The building in a new SQLite file under `folder`: its paths and its open store."""
    paths = AppPaths.under(folder / "big").ensure()
    store = Store.open(paths.database)
    fill_building(store, paths, folder)
    return paths, store


def fill_building(store: Store, paths: AppPaths, folder: Path) -> None:
    """The building and its notices in `store` (a SQLite file or an office's server), the PDFs in
    the archive beside `paths.database`, the one real letter's print files under `folder`."""
    prop = store.save_property(Property("Tour Horizon", "1 King St W", "Toronto", "CA", "America/Toronto",
                                        postal_code="M5H 1A1", region="ON", manager_name="Sam Lee"))
    units = store.add_units(prop.id, [Unit(prop.id, f"{floor}{letter:02d}") for floor in range(1, 51)
                                      for letter in range(1, 21)])
    store.add_tenants(Tenant(u.id, f"Tenant {u.label}", language="fr" if i % 3 == 0 else "en")
                      for i, u in enumerate(units))
    start = datetime(2026, 6, 1, 13, tzinfo=timezone.utc)
    work = store.save_work_order(WorkOrder(prop.id, {"en": "Fire alarm inspection", "fr": "Inspection des alarmes"},
                                           start, start + timedelta(days=4), status="scheduled",
                                           description={"en": "Every alarm is tested.", "fr": "Chaque alarme."}))
    one = issuing.issue_print_batch(store, paths.database, paths, issuing.BatchRequest(
        work.id, "initial", folder / "letters", tenant_ids=frozenset({store.list_tenants(prop.id)[0].tenant.id})),
        now=start - timedelta(days=10))
    model = one.notices[0]
    archive = issuing.archive_dir(paths.database)
    source = archive / model.pdf_path
    rows = store.list_tenants(prop.id)
    notices = []
    for n in range(NOTICES - 1):
        row = rows[(n + 1) % len(rows)]
        kind = "initial" if n < UNITS - 1 else "reminder"
        pdf_path = str(Path(model.pdf_path).with_name(f"copy-{n:05d}.pdf"))
        shutil.copyfile(source, archive / pdf_path)
        notices.append(Notice(work.id, kind, row.tenant.language, "print", row.tenant.name, model.subject,
                              tenant_id=row.tenant.id, unit_id=row.tenant.unit_id, recipient_address=model.recipient_address,
                              pdf_path=pdf_path, pdf_sha256=model.pdf_sha256, created_at=model.created_at,
                              batch_id=model.batch_id, property_name=prop.name, unit_label=row.unit_label))
    store.add_notices(notices)


def run(folder: Path) -> list[Figure]:
    paths, store = make_building(folder)
    figures = []
    for name in ("records.zip", "records.csv"):
        started = time.perf_counter()
        result = records_export.export_records(store, paths.database, paths, folder / name)
        seconds = time.perf_counter() - started
        figures.append(Figure(f"records export to {name.split('.')[1].upper()}, {UNITS:,}-unit building, "
                              f"{result.notices:,} notices", seconds, seconds, "s",
                              "one run; target 20 s on 2 cores" if name.endswith("zip") else "one run"))
    store.close()
    return figures


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for figure in run(Path(tmp)):
            print(figure)
