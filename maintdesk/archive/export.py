"""Records for owners, auditors and courts: which tenant was told what, when and how.

`records export` writes either `index.csv` alone (one row per issued notice) or a ZIP with
- `notices/…`: every archived PDF exactly as issued (the bytes in the archive beside the database),
- `index.csv`: the same rows as the CSV export,
- `proof-of-notice/wo<ID>-….pdf`: per work order, who was told what, when and how, with the law
  check run as at the first notice (maintdesk.archive.proof_of_notice),
- `README.txt`, and `MANIFEST.sha256` (sha256sum format) with the SHA-256 of every other file.
Issued notices are never edited: what the index says of the recipient, subject and channel is
what was archived, even if the tenant or the template changed later. Each archived PDF is hashed
again and compared with the SHA-256 recorded at issue; a missing or altered file is reported
(`pdf_status`), never silently replaced.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from maintdesk.letters import pdf
from maintdesk.errors import InvalidInput
from maintdesk.letters.issuing import archive_dir
from maintdesk.records.location import Location, files_place
from maintdesk.records.models import Notice, NoticeVoid
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from maintdesk.timeutil import local, to_text, utc_now

INDEX_COLUMNS = (
    "notice_id", "work_order_id", "work_order_title", "property_id", "property_name", "unit", "tenant_id",
    "recipient_name", "recipient_email", "kind", "language", "channel", "state", "subject",
    "created_at", "sent_at", "delivered_at", "timezone", "created_at_local", "sent_at_local", "delivered_at_local",
    "delivery_method", "delivered_by", "message_id", "error", "batch_id", "pdf_file", "pdf_sha256", "pdf_status",
    "corrects_notice_id", "voided_at", "voided_by", "void_reason",
)
README = """MaintDesk records export / Export des registres MaintDesk

index.csv          one row per issued notice (UTF-8, comma-separated); times in UTC and in the
                   building's time zone / une ligne par avis émis ; heures en UTC et locales
notices/           each notice's PDF exactly as it was issued / le PDF de chaque avis tel qu'émis
proof-of-notice/   per work order: who was told what, when and how / par intervention : qui a été
                   informé de quoi, quand et comment
MANIFEST.sha256    the SHA-256 of every file; check with `sha256sum -c MANIFEST.sha256`
                   / l'empreinte SHA-256 de chaque fichier

pdf_status: ok = the PDF's SHA-256 equals the one recorded at issue; missing = the archived file is
gone; altered = it differs from what was issued; none = the notice has no PDF (e.g. email only).
"""


@dataclass(frozen=True)
class RecordFilter:
    property_id: int | None = None
    date_from: date | None = None  # inclusive, the day the notice was issued in the building's time zone
    date_to: date | None = None


@dataclass
class NoticeRecord:
    notice: Notice
    property_id: int
    property_name: str
    timezone: str
    unit: str
    work_title: str
    pdf_file: str = ""  # the path inside the ZIP ("" without a PDF)
    pdf_status: str = "none"  # ok, missing, altered or none
    source: Path | None = None  # the archived file
    void: NoticeVoid | None = None  # the notice was declared void (it stays as issued)

    def row(self) -> dict[str, str]:
        n = self.notice
        times = {name: getattr(n, name) for name in ("created_at", "sent_at", "delivered_at")}
        row: dict[str, Any] = {
            "notice_id": n.id, "work_order_id": n.work_order_id, "work_order_title": self.work_title,
            "property_id": self.property_id, "property_name": self.property_name, "unit": self.unit,
            "tenant_id": n.tenant_id if n.tenant_id is not None else "", "recipient_name": n.recipient_name,
            "recipient_email": n.recipient_email, "kind": n.kind, "language": n.language, "channel": n.channel,
            "state": n.state, "subject": n.subject, "timezone": self.timezone, "delivery_method": n.delivery_method,
            "delivered_by": n.delivered_by, "message_id": n.message_id, "error": n.error, "batch_id": n.batch_id,
            "pdf_file": self.pdf_file, "pdf_sha256": n.pdf_sha256, "pdf_status": self.pdf_status,
            "corrects_notice_id": n.corrects_notice_id if n.corrects_notice_id is not None else "",
            "voided_at": to_text(self.void.voided_at) if self.void and self.void.voided_at else "",
            "voided_by": self.void.voided_by if self.void else "", "void_reason": self.void.reason if self.void else "",
        }
        for name, moment in times.items():
            row[name] = to_text(moment) if moment else ""
            row[f"{name}_local"] = local(moment, self.timezone).isoformat() if moment else ""
        return {column: str(row[column]) for column in INDEX_COLUMNS}


@dataclass
class ExportResult:
    path: Path
    format: str  # "zip" or "csv"
    notices: int
    work_orders: int
    pdfs: int = 0
    reports: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    manifest_sha256: str = ""

    def view(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, "notices": self.notices, "work_orders": self.work_orders,
                "pdfs": self.pdfs, "reports": list(self.reports), "problems": list(self.problems),
                "manifest_sha256": self.manifest_sha256}


def select_records(store: Store, db_path: Path, flt: RecordFilter = RecordFilter()) -> list[NoticeRecord]:
    """The issued notices the filter keeps, in issue order, each with its archived PDF checked."""
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise InvalidInput(f"--from {flt.date_from} is after --to {flt.date_to}")
    properties = {p.id: p for p in store.list_properties()}
    if flt.property_id is not None and flt.property_id not in properties:
        store.get_property(flt.property_id)  # raises NotFound naming it
    works: dict[int, Any] = {}
    units: dict[int, dict[int, str]] = {}
    records = []
    voids = store.voids()
    for notice in store.list_notices():
        work = works.get(notice.work_order_id) or works.setdefault(notice.work_order_id,
                                                                   store.get_work_order(notice.work_order_id))
        prop = properties[work.property_id]
        if flt.property_id is not None and prop.id != flt.property_id:
            continue
        day = local(notice.created_at, prop.timezone).date() if notice.created_at else None
        if day is not None and ((flt.date_from and day < flt.date_from) or (flt.date_to and day > flt.date_to)):
            continue
        labels = units.get(prop.id) or units.setdefault(prop.id, {u.id: u.label for u in store.list_units(prop.id)})
        title = work.title.get(notice.language) or next(iter(work.title.values()), "")
        record = NoticeRecord(notice, prop.id, notice.property_name or prop.name, prop.timezone,
                              notice.unit_label or labels.get(notice.unit_id, ""), title, void=voids.get(notice.id))
        _check_pdf(record, archive_dir(Path(db_path)))
        records.append(record)
    return records


def _check_pdf(record: NoticeRecord, archive: Path) -> None:
    relative = record.notice.pdf_path
    if not relative:
        return
    inside = PurePosixPath(relative.replace("\\", "/"))
    if inside.is_absolute() or ".." in inside.parts:
        record.pdf_status = "missing"  # never follow a path out of the archive
        return
    source = archive / inside
    if not source.is_file():
        record.pdf_status = "missing"
        return
    record.source, record.pdf_file = source, str(PurePosixPath("notices") / inside)
    record.pdf_status = "ok" if _sha256(source.read_bytes()) == record.notice.pdf_sha256 else "altered"


def problems_of(records: list[NoticeRecord]) -> list[str]:
    words = {"missing": "is missing from the archive",
             "altered": "differs from the PDF issued (its SHA-256 does not match the one recorded)"}
    return [f"notice {r.notice.id}: the archived PDF {r.notice.pdf_path or '(no path)'} {words[r.pdf_status]}"
            for r in records if r.pdf_status in words]


def index_csv(records: list[NoticeRecord]) -> bytes:
    """index.csv: UTF-8 with a byte-order mark (so Excel shows accents), comma-separated."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=INDEX_COLUMNS)
    writer.writeheader()
    writer.writerows(r.row() for r in records)
    return buffer.getvalue().encode("utf-8-sig")


def iter_export(store: Store, db_path: Path, paths: AppPaths, out: Path, flt: RecordFilter = RecordFilter(),
                now: datetime | None = None, language: str | None = None) -> Iterator[pdf.Progress | ExportResult]:
    """Write the export to `out` (.zip or .csv); yields Progress, then the ExportResult. The proofs of
    notice are in `language`, else each in its building's (proof_of_notice.report_language)."""
    out = Path(out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("zip", "csv"):
        raise InvalidInput(f"--out {out.name}: the file must end in .zip (PDFs, index and reports) "
                           "or .csv (index only)")
    records = select_records(store, db_path, flt)
    work_ids = sorted({r.notice.work_order_id for r in records})
    result = ExportResult(out, kind, len(records), len(work_ids), problems=problems_of(records))
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "csv":
        _replace(out, index_csv(records))
        yield pdf.Progress(1, 1)
        yield result
        return
    from maintdesk.archive.proof_of_notice import render_reports

    with tempfile.TemporaryDirectory(prefix="maintdesk-records-") as tmp:
        reports: dict[str, Path] = {}
        total = len(work_ids) + len(records)
        for event in render_reports(store, paths, records, Path(tmp), now or utc_now(), language):
            if isinstance(event, pdf.Progress):  # the reports count as one step per work order
                yield pdf.Progress(event.done * len(work_ids) // max(1, event.total), total)
            else:
                reports = event
        part = out.with_name(out.name + ".part")
        try:
            manifest: dict[str, str] = {}
            with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as archive:
                for done, record in enumerate(records, start=1):
                    if record.source is not None:
                        stamp = local(record.notice.created_at, record.timezone) if record.notice.created_at else None
                        _add(archive, manifest, record.pdf_file, record.source.read_bytes(), stamp, zipfile.ZIP_STORED)
                        result.pdfs += 1
                    yield pdf.Progress(len(work_ids) + done, total)
                for name, path in reports.items():
                    _add(archive, manifest, name, path.read_bytes(), None, zipfile.ZIP_STORED)
                result.reports = list(reports)
                _add(archive, manifest, "index.csv", index_csv(records))
                _add(archive, manifest, "README.txt", README.encode("utf-8"))
                lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(manifest.items()))
                archive.writestr("MANIFEST.sha256", lines)
                result.manifest_sha256 = _sha256(lines.encode("utf-8"))
            os.replace(part, out)
        finally:
            part.unlink(missing_ok=True)
    yield result


def export_records(store: Store, db_path: Path, paths: AppPaths, out: Path, flt: RecordFilter = RecordFilter(),
                   now: datetime | None = None, language: str | None = None) -> ExportResult:
    result = None
    for event in iter_export(store, db_path, paths, out, flt, now, language):
        if isinstance(event, ExportResult):
            result = event
    assert result is not None
    return result


def export_task(database: Location, paths: AppPaths, out: Path, flt: RecordFilter = RecordFilter()) -> Iterator[Any]:
    """For a worker thread: the export on a connection of its own (a SQLite file or an office's server)."""
    store = Store.open(database, create=False)
    try:
        yield from iter_export(store, files_place(database, paths.database), paths, out, flt)
    finally:
        store.close()


def _add(archive: zipfile.ZipFile, manifest: dict[str, str], name: str, data: bytes, stamp: datetime | None = None,
         compress: int = zipfile.ZIP_DEFLATED) -> None:
    moment = stamp or datetime.now()
    info = zipfile.ZipInfo(name, date_time=(max(moment.year, 1980), *moment.timetuple()[1:6]))
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
    manifest[name] = _sha256(data)


def _replace(target: Path, data: bytes) -> None:
    part = target.with_name(target.name + ".part")
    part.write_bytes(data)
    os.replace(part, target)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
