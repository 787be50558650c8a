"""Command line: `records export` (maintdesk.archive.export); the JSON keys are in docs/cli.md."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from maintdesk.archive import export as records_export
from maintdesk.cli.context import Context, Parser, run_with_bar
from maintdesk.errors import InvalidInput
from maintdesk.records.models import LANGUAGES


def register(commands: Any) -> None:
    rec = commands.add_parser("records", help="export the issued notices for owners and auditors")
    rec_commands = rec.add_subparsers(dest="records_command", required=True, metavar="ACTION",
                                      parser_class=Parser)
    export = rec_commands.add_parser("export", help="write the PDFs as issued, an index and proof-of-notice reports")
    export.add_argument("--out", required=True, metavar="FILE.zip|FILE.csv")
    export.add_argument("--property", type=int, metavar="ID")
    export.add_argument("--from", dest="date_from", metavar="DATE",
                        help="issued on or after (YYYY-MM-DD, in the building's time zone)")
    export.add_argument("--to", dest="date_to", metavar="DATE", help="issued on or before (YYYY-MM-DD)")
    export.add_argument("--lang", choices=LANGUAGES,
                        help="the proofs of notice in this language (default: each building's)")
    export.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    export.set_defaults(handler=cmd_records_export)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f'{option} "{text}" is not a date such as 2026-03-31') from None


def cmd_records_export(args: argparse.Namespace, ctx: Context) -> int:
    flt = records_export.RecordFilter(args.property, _date(args.date_from, "--from"), _date(args.date_to, "--to"))
    exporting = records_export.iter_export(ctx.store(), ctx.db_path, ctx.paths, Path(args.out), flt, language=args.lang)
    result = run_with_bar(exporting, "exporting records")
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
