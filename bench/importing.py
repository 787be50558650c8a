"""Tenant import: a 10,000-row CSV (French Excel: Windows-1252, semicolons) previewed and committed.

Run alone: `python -m bench.importing` (prints the table); `run(folder)` gives the figures.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.timing import Figure, measure
from maintdesk.imports import tenants as importing
from maintdesk.imports.files import read_table
from maintdesk.records.models import Property
from maintdesk.records.store import Store

ROWS = 10_000
HEADER = ["Logement", "Étage", "Nom", "Prénom", "Courriel", "Téléphone", "Langue", "Canal", "Remarques"]


def write_file(path: Path, rows: int = ROWS) -> Path:
    """`rows` tenants, one per unit, 100 units a staircase, with accents, phones and emails."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    for i in range(rows):
        writer.writerow([f"B{i // 100:03d}-{i % 100:02d}", str(i % 100 // 10), f"Lefèvre-{i}", "Zoé",
                         f"zoe.lefevre{i}@example.org", f"06 12 {i // 100 % 90 + 10:02d} {i % 100:02d} 00",
                         ("fr", "en", "Français")[i % 3], ("courriel", "papier", "les deux")[i % 3],
                         "Clé chez la gardienne" if i % 7 == 0 else ""])
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def _fresh(path: Path) -> tuple[Store, int]:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = Store.open(path)
    prop = store.save_property(Property(name="Grand Ensemble", address_line1="1 avenue Jean Jaurès", city="Lyon",
                                        country="FR", timezone="Europe/Paris", jurisdiction="FR"))
    return store, prop.id


def run(folder: Path) -> list[Figure]:
    source = write_file(folder / "tenants10k.csv")
    database = folder / "import10k.sqlite"
    options = importing.ImportOptions(create_units=True)
    figures = [measure(f"read a {ROWS:,}-row CSV (cp1252, ';', detected)", lambda: read_table(source), repeat=5)]
    table = read_table(source)
    reports: list = []

    def preview_only() -> None:
        store, prop_id = _fresh(database)
        reports.append(importing.preview(store, prop_id, table, None, options))
        store.close()

    figures.append(measure(f"preview {ROWS:,} new tenants (every row validated, {ROWS:,} new units)",
                           preview_only, repeat=3, unit="s"))
    state: dict = {}

    def setup() -> None:
        if "store" in state:
            state["store"].close()
        state["store"], prop_id = _fresh(database)
        state["prop"] = prop_id

    def preview_and_commit() -> None:
        store = state["store"]
        report = importing.preview(store, state["prop"], read_table(source), None, options)
        importing.commit(store, report)

    figures.append(measure(f"import {ROWS:,} new tenants: read + preview + commit (one transaction)",
                           preview_and_commit, repeat=3, unit="s", setup=setup))
    store = state["store"]

    def reimport() -> None:
        report = importing.preview(store, state["prop"], read_table(source), None, options)
        assert report.counts["unchanged"] == ROWS, report.counts
        importing.commit(store, report)

    figures.append(measure(f"re-import the same {ROWS:,} rows (all matched, unchanged)", reimport, repeat=3, unit="s"))
    store.close()
    setup()
    state["store"].close()
    command = [sys.executable, "-m", "maintdesk", "--db", str(database), "import", "tenants", str(source),
               "--property", str(state["prop"]), "--create-units"]

    def cli() -> None:
        setup()
        state["store"].close()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    figures.append(measure(f"`maintdesk import tenants` of {ROWS:,} rows (whole process, new database)",
                           cli, repeat=2, unit="s"))
    figures.append(_xlsx(folder))
    return figures


def _xlsx(folder: Path) -> Figure:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Locataires")
    with open(folder / "tenants10k.csv", encoding="cp1252", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            sheet.append(row)
    book.save(folder / "tenants10k.xlsx")
    return measure(f"read a {ROWS:,}-row XLSX (openpyxl, read-only)", lambda: read_table(folder / "tenants10k.xlsx"),
                   repeat=3)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="maintdesk-bench-") as tmp:
        for figure in run(Path(tmp)):
            print(" | ".join(figure.cells()))
