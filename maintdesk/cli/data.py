"""Command line: the database as a whole and what it holds (docs/cli.md).

    init [--demo]
    data export FILE.json | data import FILE.json
    property list | property show ID                (--json on each)
    tenant list [--property ID] [--json]
    tenant set ID … | property set ID …             (maintdesk.cli.places)
    import tenants FILE --property ID [--dry-run] [--create-units] [--skip-invalid] …
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from maintdesk.cli import places
from maintdesk.cli.context import Context, Parser, run_with_bar
from maintdesk.errors import InvalidInput
from maintdesk.i18n import english
from maintdesk.imports import tenants as importing
from maintdesk.imports.files import read_table
from maintdesk.imports.mapping import FIELDS, guess_mapping, parse_choices, with_choices
from maintdesk.records import interchange, views
from maintdesk.records.demo import create_demo
from maintdesk.records.models import CHANNELS, LANGUAGES

SHOWN = 50  # problems and warnings printed before "… and N more"


def register(commands: Any) -> None:
    """`init`, `data export|import`, `property list|show`, `tenant list`, `import tenants`."""
    init = commands.add_parser("init", help="create the database (with --demo: fill it with demo records)")
    init.add_argument("--demo", action="store_true", help="add a demo organization, two buildings and work orders")
    init.set_defaults(handler=cmd_init)

    data = commands.add_parser("data", help="export or import the whole database as JSON")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="ACTION", parser_class=Parser)
    export = data_commands.add_parser("export", help="write the whole database to a JSON file")
    export.add_argument("file", metavar="FILE.json")
    export.set_defaults(handler=cmd_data_export)
    load = data_commands.add_parser("import", help="load a JSON file into an empty database (all or nothing)")
    load.add_argument("file", metavar="FILE.json")
    load.set_defaults(handler=cmd_data_import)

    prop = commands.add_parser("property", help="list, show or set properties")
    prop_commands = prop.add_subparsers(dest="property_command", required=True, metavar="ACTION", parser_class=Parser)
    p_list = prop_commands.add_parser("list", help="list the properties")
    p_list.set_defaults(handler=cmd_property_list)
    p_show = prop_commands.add_parser("show", help="show one property and its units")
    p_show.add_argument("id", type=int)
    p_show.set_defaults(handler=cmd_property_show)

    tenant = commands.add_parser("tenant", help="list tenants; record their consent to email notices, their lease's notice")
    tenant_commands = tenant.add_subparsers(dest="tenant_command", required=True, metavar="ACTION", parser_class=Parser)
    t_list = tenant_commands.add_parser("list", help="list tenants, of all properties or of one")
    t_list.add_argument("--property", type=int, metavar="ID")
    t_list.set_defaults(handler=cmd_tenant_list)
    for sub in (p_list, p_show, t_list):
        sub.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    places.register(prop_commands, tenant_commands)

    imp = commands.add_parser("import", help="import tenants from a spreadsheet (CSV or XLSX)")
    imp_commands = imp.add_subparsers(dest="import_command", required=True, metavar="WHAT", parser_class=Parser)
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


def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store(create=True)
    if args.demo:
        if not store.is_empty():
            raise InvalidInput(f"{ctx.db_shown} already holds records; choose a new file with --db to make a demo")
        counts = create_demo(store)
        ctx.print(f"demo database ready at {ctx.db_shown}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    else:
        ctx.print(f"database ready at {ctx.db_shown}")
    return 0


def cmd_data_export(args: argparse.Namespace, ctx: Context) -> int:
    interchange.export_to_file(ctx.store(), Path(args.file))
    ctx.print(f"wrote {args.file}")
    return 0


def cmd_data_import(args: argparse.Namespace, ctx: Context) -> int:
    counts = interchange.import_from_file(ctx.store(create=True), Path(args.file))
    ctx.print(f"imported {args.file}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


def cmd_property_list(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    items = []
    for prop in store.list_properties():
        units = store.list_units(prop.id)
        items.append(views.property_view(prop, len(units), len(store.list_tenants(prop.id))))
    if args.json:
        ctx.print_json(items)
    else:
        ctx.print_table(
            ("ID", "NAME", "CITY", "COUNTRY", "JURISDICTION", "TIME ZONE", "UNITS", "TENANTS"),
            [(p["id"], p["name"], p["city"], p["country"], p["jurisdiction"], p["timezone"],
              p["unit_count"], p["tenant_count"]) for p in items],
        )
    return 0


def cmd_property_show(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    prop = store.get_property(args.id)
    units = store.list_units(prop.id)
    view = views.property_view(prop, len(units), len(store.list_tenants(prop.id)))
    sender = store.sender_of(prop)
    view["sender"] = f"{sender.label} ({sender.window_layout}, {sender.paper_size})" if sender.id else "none yet"
    view["units"] = [views.unit_view(u) for u in units]
    if args.json:
        ctx.print_json(view)
    else:
        for key, value in view.items():
            if key != "units":
                ctx.print(f"{key:>14}: {value}")
        ctx.print(f"{'units':>14}: " + ", ".join(u["label"] for u in view["units"]))
    return 0


def cmd_tenant_list(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    if args.property is not None:
        store.get_property(args.property)
    rows = store.list_tenants(args.property)
    if args.json:
        ctx.print_json([views.tenant_view(r) for r in rows])
    else:
        ctx.print_table(
            ("ID", "PROPERTY", "UNIT", "NAME", "LANG", "CHANNEL", "EMAIL", "PHONE"),
            [(r.tenant.id, r.property_name, r.unit_label, r.tenant.name, r.tenant.language,
              r.tenant.channel, r.tenant.email, r.tenant.phone) for r in rows],
        )
    return 0


def cmd_import_tenants(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    table = read_table(Path(args.file), encoding=args.encoding, delimiter=args.delimiter, sheet=args.sheet)
    mapping = with_choices(guess_mapping(table.headers), table.headers, parse_choices(args.map))
    options = importing.ImportOptions(args.create_units, args.language, args.channel)
    report = run_with_bar(importing.iter_preview(store, args.property, table, mapping, options), "checking rows")
    saved = False
    if not args.dry_run and not report.file_problems and (report.ok or args.skip_invalid):
        run_with_bar(importing.iter_commit(store, report, skip_invalid=args.skip_invalid), "importing")
        saved = True
    if args.json:
        ctx.print_json(dict(report.view(), dry_run=args.dry_run, saved=saved))
    else:
        _print_report(ctx, report, saved, args.dry_run)
    if report.file_problems:
        raise InvalidInput(f"{table.source}: {report.file_problems[0]}; nothing was imported")
    if report.problems and not args.skip_invalid:
        rows = len({p.row for p in report.problems})
        what = "nothing was imported" if not args.dry_run else "a dry run: nothing was saved"
        raise InvalidInput(english(rows, "{n} row", "{n} rows") + f" of {table.source} "
                           + english(rows, "has", "have") + " problems "
                           f"(first: {report.problems[0]}); {what}. Correct them, or import the valid rows "
                           "with --skip-invalid")
    return 0


def _print_report(ctx: Context, report: importing.ImportReport, saved: bool, dry_run: bool) -> None:
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
    units = f"; new units: {', '.join(report.new_units)}" if report.new_units else ""
    if saved:
        ctx.print(f"imported into {report.property_name}: {counts}{units}")
    elif dry_run:
        ctx.print(f"a dry run: would import into {report.property_name}: {counts}{units}; nothing was saved")
    else:
        ctx.print(f"nothing was imported into {report.property_name}: the file has problems (see above)")
