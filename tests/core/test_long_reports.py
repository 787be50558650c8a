"""MaintDesk's own long reports: the proof of notice in parts, a 1,000-unit building's export."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from pypdf import PdfReader

from bench.big_building import NOTICES, UNITS, fill_building
from maintdesk.archive import export as records_export
from maintdesk.archive import proof_of_notice


def report_pages(zip_path: Path, tmp_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        [name] = [n for n in archive.namelist() if n.startswith("proof-of-notice/")]
        (tmp_path / "report.pdf").write_bytes(archive.read(name))
    return [page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages]


def assert_one_report(pages: list[str], notice_ids: list[int]) -> None:
    """Every notice listed once and in order, the heading and the closing words once, and each
    page numbered "N / total" in one sequence."""
    text = "\n".join(pages)
    listed = [int(n) for n in re.findall(r"^#(\d+) ·", text, re.MULTILINE)]
    assert listed == notice_ids
    assert text.count("Proof of notice — Work order") == 1
    assert text.count("The recipients, subjects, channels and times above are those archived") == 1
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"\b{number} / {len(pages)}\b", page), f"page {number} is not numbered {number} / {len(pages)}"


def test_a_long_proof_of_notice_is_laid_out_in_parts_and_reads_as_one(store, paths, tmp_path, monkeypatch):
    monkeypatch.setattr("bench.big_building.UNITS", 20)
    monkeypatch.setattr("bench.big_building.NOTICES", 30)
    monkeypatch.setattr(proof_of_notice, "PART_SIZE", 7)   # five parts, the last one short
    fill_building(store, paths, tmp_path)
    out = tmp_path / "records.zip"
    result = records_export.export_records(store, paths.database, paths, out, now=datetime(2026, 6, 2, tzinfo=timezone.utc))
    assert (result.notices, result.problems) == (30, [])
    pages = report_pages(out, tmp_path)
    assert len(pages) >= 5  # each part begins a page
    assert_one_report(pages, [n.id for n in store.list_notices()])
    assert not list(tmp_path.glob("**/*-part*.pdf")) and not list(tmp_path.glob("**/*-frame.pdf"))


def test_the_records_export_of_a_1000_unit_building_with_2000_notices(store, paths, tmp_path):
    fill_building(store, paths, tmp_path)
    out = tmp_path / "records.zip"
    result = records_export.export_records(store, paths.database, paths, out)
    assert (result.notices, result.pdfs, result.problems) == (NOTICES, NOTICES, [])
    with zipfile.ZipFile(out) as archive:
        assert len([n for n in archive.namelist() if n.startswith("notices/")]) == NOTICES
        index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"), newline="")))
    pages = report_pages(out, tmp_path)
    assert len(pages) > 250
    assert_one_report(pages, [n.id for n in store.list_notices()])
    assert len(index) == NOTICES and len({row["unit"] for row in index}) == UNITS
