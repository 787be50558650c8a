"""Command line: `import tenants` (maintdesk.importing) and `records export` (maintdesk.records).

Registered by maintdesk.cli.build_parser; the JSON keys are documented in docs/cli.md.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from maintdesk import importing, records
from maintdesk.errors import InvalidInput
from maintdesk.import_files import read_table
from maintdesk.import_mapping import FIELDS, guess_mapping, parse_choices, with_choices
from maintdesk.models import CHANNELS, LANGUAGES
from maintdesk.pdf import Progress
from maintdesk.progress import ProgressBar

SHOWN = 50  # problems and warnings printed before "… and N more"


def register(commands: Any, parser_class: type) -> None:
    imp = commands.add_parser("import", help="import tenants from a spreadsheet (CSV or XLSX)")
    imp_commands = imp.add_subparsers(dest="import_command", required=True, metavar="WHAT", parser_class=parser_class)
    tenants = imp_commands.add_parser("tenants", help="import or update tenants from CSV/XLSX, all rows or none")
    tenants.add_argument("file", metavar="FILE", help="a .csv (comma, semicolon or tab) or .xlsx file")
    tenants.add_argument("--property", type=int, required=True, metavar="ID", help="the property the tenants live in")
    tenants.add_argument("--dry-run", action="store_true", help="show what would be imported; save nothing")
    tenants.add_argument("--create-units", action="store_true", help="create the units the property lacks")
    tenants.add_argument("--skip-invalid", action="store_true", help="import the valid rows, leave the others")
    tenants.add_argument("--encoding", metavar="ENC", help="the CSV's encoding (default: BOM, else UTF-8, else cp1252)")
    tenants.add_argument("--delimiter", metavar="D", help="the CSV's delimiter: , ; or tab (default: detected)")
    tenants.add_argument("--sheet", metavar="NAME", help="the XLSX sheet (default: the first)")
    tenants.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                         help=f"take FIELD from COLUMN (header or letter); FIELD= ignores it. "
                              f"Fields: {', '.join(FIELDS)}")
    tenants.add_argument("--language", choices=LANGUAGES,
                         help="for new tenants without a language (default: the organization's)")
    tenants.add_argument("--channel", choices=CHANNELS, default="print",
                         help="for new tenants without a channel (default: print)")
    tenants.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    tenants.set_defaults(handler=cmd_import_tenants)

    rec = commands.add_parser("records", help="export the issued notices for owners and auditors")
    rec_commands = rec.add_subparsers(dest="records_command", required=True, metavar="ACTION",
                                      parser_class=parser_class)
    export = rec_commands.add_parser("export", help="write the PDFs as issued, an index and proof-of-notice reports")
    export.add_argument("--out", required=True, metavar="FILE.zip|FILE.csv")
    export.add_argument("--property", type=int, metavar="ID")
    export.add_argument("--from", dest="date_from", metavar="DATE",
                        help="issued on or after (YYYY-MM-DD, in the building's time zone)")
    export.add_argument("--to", dest="date_to", metavar="DATE", help="issued on or before (YYYY-MM-DD)")
    export.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    export.set_defaults(handler=cmd_records_export)


def _run(events: Any, label: str) -> Any:
    bar = ProgressBar(label)
    result = None
    try:
        for event in events:
            if isinstance(event, Progress):
                bar.update(event.done, event.total)
            else:
                result = event
    finally:
        bar.close()
    return result


def cmd_import_tenants(args: argparse.Namespace, ctx: Any) -> int:
    store = ctx.store()
    table = read_table(Path(args.file), encoding=args.encoding, delimiter=args.delimiter, sheet=args.sheet)
    mapping = with_choices(guess_mapping(table.headers), table.headers, parse_choices(args.map))
    options = importing.ImportOptions(args.create_units, args.language, args.channel)
    report = _run(importing.iter_preview(store, args.property, table, mapping, options), "checking rows")
    saved = False
    if not args.dry_run and not report.file_problems and (report.ok or args.skip_invalid):
        _run(importing.iter_commit(store, report, skip_invalid=args.skip_invalid), "importing")
        saved = True
    if args.json:
        ctx.print_json(dict(report.view(), dry_run=args.dry_run, saved=saved))
    else:
        _print_report(ctx, report, saved)
    if report.file_problems:
        raise InvalidInput(f"{table.source}: {report.file_problems[0]}; nothing was imported")
    if report.problems and not args.skip_invalid:
        rows = len({p.row for p in report.problems})
        what = "nothing was imported" if not args.dry_run else "a dry run: nothing was saved"
        raise InvalidInput(f"{rows} row{'s' if rows != 1 else ''} of {table.source} have problems "
                           f"(first: {report.problems[0]}); {what}. Correct them, or import the valid rows "
                           "with --skip-invalid")
    return 0


def _print_report(ctx: Any, report: importing.ImportReport, saved: bool) -> None:
    table = report.table
    ctx.print(f"{table.source}: {table.describe()}; header on row {table.header_row}; {len(table.rows)} rows; "
              f"shape: {report.mapping.shape}")
    ctx.print("columns: " + "; ".join(f"{f} ← {' / '.join(repr(h) for h in hs)}"
                                      for f, hs in report.mapping.headers(table.headers).items()))
    unused = report.mapping.unused(table.headers)
    if unused:
        ctx.print("not used: " + ", ".join(repr(h) for h in unused))
    for note in report.notes:
        ctx.print(f"note: {note}")
    for label, items in (("problem", report.problems), ("warning", report.warnings)):
        for item in items[:SHOWN]:
            ctx.print(f"{label}: {item}")
        if len(items) > SHOWN:
            ctx.print(f"{label}: … and {len(items) - SHOWN} more (see --json)")
    counts = ", ".join(f"{n} {k}" for k, n in report.counts.items())
    verb = "imported" if saved else "would import"
    units = f"; new units: {', '.join(report.new_units)}" if report.new_units else ""
    ctx.print(f"{verb} into {report.property_name}: {counts}{units}")


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f'{option} "{text}" is not a date such as 2026-03-31') from None


def cmd_records_export(args: argparse.Namespace, ctx: Any) -> int:
    flt = records.RecordFilter(args.property, _date(args.date_from, "--from"), _date(args.date_to, "--to"))
    result = _run(records.iter_export(ctx.store(), ctx.db_path, ctx.paths, Path(args.out), flt), "exporting records")
    for problem in result.problems:
        print(f"maintdesk: warning: {problem}", file=sys.stderr)
    if args.json:
        ctx.print_json(result.view())
        return 0
    what = f"{result.notices} notices of {result.work_orders} work orders"
    if result.format == "zip":
        what += f", {result.pdfs} PDFs, {len(result.reports)} proof-of-notice reports"
    ctx.print(f"wrote {result.path}: {what}")
    if result.manifest_sha256:
        ctx.print(f"SHA-256 of MANIFEST.sha256: {result.manifest_sha256}")
    return 0
