"""Records export: the ZIP read back against the database and the archive; the index; immutability."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from maintdesk.archive import export as records_export
from maintdesk.cli.app import main
from maintdesk.records.demo import create_demo
from maintdesk.errors import InvalidInput, NotFound
from maintdesk.letters.issuing import BatchRequest, archive_dir, issue_print_batch
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from maintdesk.timeutil import to_text

UTC = timezone.utc


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Issued:
    paths: AppPaths
    store: Store
    location: Path | str  # the SQLite file, or the server database's URL

    @property
    def db(self) -> Path:
        """Where the archive of issued PDFs is: beside the SQLite file, or beside the data folder's
        default file for a server."""
        return self.paths.database


def issue_demo(store: Store, paths: AppPaths) -> None:
    """The demo with printed notices of three work orders, on four days; the PDFs archived under `paths`."""
    create_demo(store, today=date(2026, 3, 2))
    paris, toronto = (store.list_tenants(p.id) for p in sorted(store.list_properties(), key=lambda p: p.id))
    batches = [
        (1, "initial", frozenset(r.tenant.id for r in paris[:6]), datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        (1, "reminder", frozenset(r.tenant.id for r in paris[:3]), datetime(2026, 3, 8, 9, 0, tzinfo=UTC)),
        (2, "initial", frozenset(r.tenant.id for r in toronto[:4]), datetime(2026, 3, 3, 15, 0, tzinfo=UTC)),
        (3, "emergency", None, datetime(2026, 3, 2, 7, 30, tzinfo=UTC)),
    ]
    out = paths.data_dir.parent / "out"
    for work_id, kind, tenants, now in batches:
        issue_print_batch(store, paths.database, paths,
                          BatchRequest(work_id, kind, out / f"{work_id}-{kind}", tenant_ids=tenants), now=now)


@pytest.fixture(scope="module")
def issued_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The issued demo in a SQLite file, with its archive (made once): the base folder."""
    base = tmp_path_factory.mktemp("records")
    paths = AppPaths.under(base).ensure()
    store = Store.open(paths.database)
    try:
        issue_demo(store, paths)
    finally:
        store.close()
    return base


@pytest.fixture(scope="module")
def issued_postgresql(tmp_path_factory: pytest.TempPathFactory, postgres_server) -> Iterator[tuple[Path, str]]:
    """The issued demo in a server database that each test copies (made once): the base folder
    with the archive, and the database's name."""
    base = tmp_path_factory.mktemp("records-pg")
    paths = AppPaths.under(base).ensure()
    name = "maintdesk_records_issued"
    postgres_server.admin(f"CREATE DATABASE {name} TEMPLATE maintdesk_template")
    store = Store.open(postgres_server.url(name))
    try:
        issue_demo(store, paths)
    finally:
        store.close()  # a template database must have no one connected
    yield base, name
    postgres_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_COPIES = itertools.count(1)


@pytest.fixture
def env(backend: str, tmp_path: Path, open_store, request: pytest.FixtureRequest) -> Iterator[Issued]:
    """A copy of the issued demo (the database and the archive) of this test's own."""
    base = tmp_path / "copy"
    if backend == "postgresql":
        issued, template = request.getfixturevalue("issued_postgresql")
        server = request.getfixturevalue("postgres_server")
        name = f"maintdesk_records_{next(_COPIES)}"
        server.admin(f"CREATE DATABASE {name} TEMPLATE {template}")
        location: Path | str = server.url(name)
    else:
        issued, server = request.getfixturevalue("issued_sqlite"), None
        location = AppPaths.under(base).database
    shutil.copytree(issued, base)
    paths = AppPaths.under(base)
    env = Issued(paths, open_store(location), location)
    yield env
    if server is not None:
        env.store.close()
        server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def manifest_of(archive: zipfile.ZipFile) -> dict[str, str]:
    lines = archive.read("MANIFEST.sha256").decode("utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def index_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_zip_read_back_matches_the_manifest_the_archive_and_the_database(env: Issued, tmp_path: Path):
    out = tmp_path / "records.zip"
    result = records_export.export_records(env.store, env.db, env.paths, out, now=datetime(2026, 3, 10, tzinfo=UTC))
    notices = env.store.list_notices()
    assert (result.notices, result.pdfs, result.work_orders, result.problems) == (len(notices), len(notices), 3, [])
    with zipfile.ZipFile(out) as archive:
        manifest = manifest_of(archive)
        assert set(manifest) == set(archive.namelist()) - {"MANIFEST.sha256"}
        for name, digest in manifest.items():
            assert sha256(archive.read(name)) == digest, name
        assert sorted(n for n in manifest if n.startswith("notices/")) == sorted(f"notices/{n.pdf_path}" for n in notices)
        for notice in notices:
            data = archive.read(f"notices/{notice.pdf_path}")
            assert sha256(data) == notice.pdf_sha256 == manifest[f"notices/{notice.pdf_path}"]
            assert data == (archive_dir(env.db) / notice.pdf_path).read_bytes()

        index = index_of(archive.read("index.csv"))
        assert [int(row["notice_id"]) for row in index] == [n.id for n in notices]
        assert list(index[0]) == list(records_export.INDEX_COLUMNS)
        units = {u.id: u.label for p in env.store.list_properties() for u in env.store.list_units(p.id)}
        for row, notice in zip(index, notices):
            assert row["work_order_id"] == str(notice.work_order_id) and row["tenant_id"] == str(notice.tenant_id)
            assert (row["recipient_name"], row["recipient_email"], row["subject"]) == (
                notice.recipient_name, notice.recipient_email, notice.subject)
            assert (row["kind"], row["language"], row["channel"], row["state"]) == (
                notice.kind, notice.language, notice.channel, notice.state)
            assert row["created_at"] == to_text(notice.created_at) and row["sent_at"] == ""
            assert (row["pdf_sha256"], row["pdf_status"], row["pdf_file"]) == (
                notice.pdf_sha256, "ok", f"notices/{notice.pdf_path}")
            assert row["unit"] == units[notice.unit_id]
        assert index[0]["created_at_local"].endswith("+01:00")  # Paris in winter

        reports = sorted(n for n in manifest if n.startswith("proof-of-notice/"))
        assert reports == result.reports == ["proof-of-notice/wo1-residence-les-tilleuls.pdf",
                                             "proof-of-notice/wo2-maple-court-apartments.pdf",
                                             "proof-of-notice/wo3-residence-les-tilleuls.pdf"]
        for name in reports:
            work_id = int(name.split("/wo")[1].split("-")[0])
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read(name))).pages)
            # each building's report in its office's language: Paris French, Toronto English
            heading = "Law check at the time of the first notice" if "maple" in name else \
                "Contrôle juridique au moment du premier avis"
            assert heading in text
            for notice in (n for n in notices if n.work_order_id == work_id):
                assert f"#{notice.id} " in text and notice.recipient_name in text
                assert notice.pdf_sha256 in text.replace("\n", "")


def test_issued_notices_are_exported_as_archived_even_after_the_tenant_changed(env: Issued, tmp_path: Path):
    first = env.store.list_notices()[0]
    tenant = env.store.get_tenant(first.tenant_id)
    env.store.save_tenant(replace(tenant, name="Someone Renamed", email="renamed@example.org"))
    records_export.export_records(env.store, env.db, env.paths, tmp_path / "after.zip")
    with zipfile.ZipFile(tmp_path / "after.zip") as archive:
        row = index_of(archive.read("index.csv"))[0]
        report = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
            archive.read(f"proof-of-notice/wo{first.work_order_id}-residence-les-tilleuls.pdf"))).pages)
        pdf_data = archive.read(f"notices/{first.pdf_path}")
    assert (row["recipient_name"], row["recipient_email"]) == (first.recipient_name, first.recipient_email)
    assert first.recipient_name in report and "Someone Renamed" not in report
    assert sha256(pdf_data) == first.pdf_sha256


def test_the_index_names_the_building_and_the_unit_as_they_were_when_the_notice_was_issued(env: Issued,
                                                                                            tmp_path: Path):
    first = env.store.list_notices()[0]
    assert (first.property_name, first.unit_label) == ("Résidence Les Tilleuls", env.store.get_unit(first.unit_id).label)
    prop = env.store.get_property(1)
    env.store.save_property(replace(prop, name="Les Tilleuls (renamed)"))
    unit = env.store.get_unit(first.unit_id)
    env.store.save_unit(replace(unit, label=f"{unit.label}-bis"))
    records_export.export_records(env.store, env.db, env.paths, tmp_path / "after.csv")
    [row] = [r for r in index_of((tmp_path / "after.csv").read_bytes()) if int(r["notice_id"]) == first.id]
    assert (row["property_name"], row["unit"]) == ("Résidence Les Tilleuls", first.unit_label)


def test_a_missing_or_altered_pdf_is_reported_not_hidden(env: Issued, tmp_path: Path):
    altered, missing = env.store.list_notices()[:2]
    (archive_dir(env.db) / altered.pdf_path).write_bytes(b"%PDF-1.7 not what was issued")
    (archive_dir(env.db) / missing.pdf_path).unlink()
    result = records_export.export_records(env.store, env.db, env.paths, tmp_path / "r.csv")
    assert result.problems == [
        f"notice {altered.id}: the archived PDF {altered.pdf_path} differs from the PDF issued "
        "(its SHA-256 does not match the one recorded)",
        f"notice {missing.id}: the archived PDF {missing.pdf_path} is missing from the archive",
    ]
    rows = index_of((tmp_path / "r.csv").read_bytes())
    assert [(r["pdf_status"], r["pdf_file"]) for r in rows[:2]] == [
        ("altered", f"notices/{altered.pdf_path}"), ("missing", "")]
    assert rows[0]["pdf_sha256"] == altered.pdf_sha256  # the fingerprint recorded at issue, never recomputed


def test_filters_by_property_and_day(env: Issued, tmp_path: Path):
    def ids(**given) -> list[int]:
        flt = records_export.RecordFilter(**given)
        return [r.notice.id for r in records_export.select_records(env.store, env.db, flt)]

    notices = env.store.list_notices()
    assert ids() == [n.id for n in notices]
    assert ids(property_id=2) == [n.id for n in notices if n.work_order_id == 2]
    assert ids(date_from=date(2026, 3, 5)) == [n.id for n in notices if n.kind == "reminder"]
    assert ids(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2)) == [
        n.id for n in notices if n.work_order_id in (1, 3) and n.kind != "reminder"]
    with pytest.raises(InvalidInput, match="after"):
        ids(date_from=date(2026, 3, 9), date_to=date(2026, 3, 1))
    with pytest.raises(NotFound):
        ids(property_id=99)
    with pytest.raises(InvalidInput, match=r"\.zip .* or \.csv"):
        records_export.export_records(env.store, env.db, env.paths, tmp_path / "r.pdf")
    empty = records_export.export_records(env.store, env.db, env.paths, tmp_path / "none.zip",
                                   records_export.RecordFilter(date_from=date(2027, 1, 1)))
    assert (empty.notices, empty.reports) == (0, [])
    with zipfile.ZipFile(tmp_path / "none.zip") as archive:
        assert sorted(archive.namelist()) == ["MANIFEST.sha256", "README.txt", "index.csv"]


def test_cli_records_export(env: Issued, tmp_path: Path, capsys):
    args = ["--basedir", str(env.paths.data_dir.parent), "--db", str(env.location), "records", "export"]
    assert main(args + ["--out", str(tmp_path / "r.csv"), "--property", "2", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["format"] == "csv" and printed["notices"] == 4 and printed["problems"] == []
    assert main(args + ["--out", str(tmp_path / "r.zip"), "--from", "2026-03-08"]) == 0
    assert "wrote" in capsys.readouterr().out
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        assert len(index_of(archive.read("index.csv"))) == 3
    assert main(args + ["--out", str(tmp_path / "r.zip"), "--from", "2026-13-01"]) == 2
    assert '--from "2026-13-01" is not a date' in capsys.readouterr().err


def test_export_task_for_a_worker_thread(env: Issued, tmp_path: Path):
    events = list(records_export.export_task(env.location, env.paths, tmp_path / "r.csv", records_export.RecordFilter(property_id=2)))
    assert all(hasattr(e, "done") for e in events[:-1])
    assert isinstance(events[-1], records_export.ExportResult) and events[-1].notices == 4
