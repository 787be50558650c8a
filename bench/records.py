"""The records: the demo database, and a database of 50,000 generated tenants."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from bench.timing import Figure, measure
from maintdesk.records import interchange
from maintdesk.records.db import open_database
from maintdesk.records.demo import create_demo
from maintdesk.records.models import Property, Tenant, Unit
from maintdesk.records.store import Store

TENANTS = 50_000


def _fill(store: Store, count: int) -> None:
    """Generated tenants over 500 buildings of 100 units, one tenant per unit."""
    with store.transaction():
        for b in range(count // 100):
            prop = store.save_property(Property(
                name=f"Building {b:03d}", address_line1=f"{b + 1} rue de la Paix", city="Lyon",
                country="FR", jurisdiction="FR", timezone="Europe/Paris",
            ))
            units = [store.save_unit(Unit(prop.id, f"{floor}{door:02d}", floor))
                     for floor in range(1, 11) for door in range(1, 11)]
            store.add_tenants(
                Tenant(unit_id=u.id, name=f"Tenant {b:03d}-{u.label} Lefèvre", language="fr" if i % 3 else "en",
                       email=f"t{b}.{u.label}@example.org", phone=f"06 12 {b % 90 + 10:02d} {i:02d} 00",
                       channel=("email", "print", "both")[i % 3])
                for i, u in enumerate(units)
            )


def run(folder: Path) -> list[Figure]:
    figures = []
    demo_path = folder / "demo.sqlite"

    def make_demo() -> None:
        demo_path.unlink(missing_ok=True)
        store = Store.open(demo_path)
        create_demo(store)
        store.close()

    figures.append(measure("create the demo database (2 buildings, 49 tenants, 3 work orders)", make_demo))
    figures.append(measure("open the demo database (integrity check included)",
                           lambda: open_database(demo_path).close(), repeat=10))

    big_path = folder / "tenants50k.sqlite"
    store = Store.open(big_path)
    figures.append(measure(f"generate {TENANTS:,} tenants (validated, one transaction)",
                           lambda: _fill(store, TENANTS), repeat=1, unit="s"))
    store.close()
    figures.append(measure(f"open the database of {TENANTS:,} tenants (integrity check included)",
                           lambda: open_database(big_path).close(), repeat=5))
    store = Store.open(big_path)
    rows: list = []
    figures.append(measure(f"list {TENANTS:,} tenants with unit and property (Store.list_tenants)",
                           lambda: rows.append(store.list_tenants()), repeat=5))
    assert len(rows[-1]) == TENANTS
    export_path = folder / "export.json"
    figures.append(measure(f"data export of {TENANTS:,} tenants to JSON",
                           lambda: interchange.export_to_file(store, export_path), repeat=3, unit="s"))
    store.close()

    def import_once() -> None:
        target = folder / "import.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        fresh = Store.open(target)
        interchange.import_from_file(fresh, export_path)
        fresh.close()

    figures.append(measure(f"data import of {TENANTS:,} tenants from JSON (validated, all or nothing)",
                           import_once, repeat=1, unit="s"))
    command = [sys.executable, "-m", "maintdesk", "--db", str(big_path), "tenant", "list", "--json"]
    figures.append(measure(f"`maintdesk tenant list --json` of {TENANTS:,} tenants (whole process)",
                           lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL),
                           repeat=3, unit="s"))
    return figures


def temporary_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="maintdesk-bench-")
