"""The command line: `maintdesk [--db PATH] COMMAND …` (also `python -m maintdesk`).

Exit status: 0 on success, 2 on bad input (one line naming the field or row), 1 on other failures.
The JSON printed by `--json` is documented in docs/cli.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from maintdesk import __version__, interchange, views
from maintdesk.demo import create_demo
from maintdesk.errors import InvalidInput, UserFacingError
from maintdesk.models import LANGUAGES, NOTICE_KINDS, pick_text
from maintdesk.paths import AppPaths
from maintdesk.store import Store

Handler = Callable[[argparse.Namespace, "Context"], int]


class Context:
    """What a command needs: where the database is, and how to print."""

    def __init__(self, args: argparse.Namespace, out: Any):
        self.paths = AppPaths.under(Path(args.basedir)) if args.basedir else AppPaths.default()
        self.db_path = Path(args.db) if args.db else self.paths.database
        self.out = out
        self._store: Store | None = None

    def store(self, *, create: bool = False) -> Store:
        if self._store is None:
            self._store = Store.open(self.db_path, create=create)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def print_json(self, value: Any) -> None:
        json.dump(value, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def print_table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
        for n, row in enumerate(cells):
            self.print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
            if n == 0:
                self.print("  ".join("-" * w for w in widths))


# Commands -----------------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store(create=True)
    if args.demo:
        if not store.is_empty():
            raise InvalidInput(f"{ctx.db_path} already holds records; choose a new file with --db to make a demo")
        counts = create_demo(store)
        ctx.print(f"demo database ready at {ctx.db_path}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    else:
        ctx.print(f"database ready at {ctx.db_path}")
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


def cmd_work_list(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    properties = {p.id: p for p in store.list_properties()}
    if args.property is not None:
        store.get_property(args.property)
    items = [
        views.work_summary_view(w, properties[w.property_id], len(store.affected_units(w)))
        for w in store.list_work_orders(args.property)
    ]
    if args.json:
        ctx.print_json(items)
    else:
        ctx.print_table(
            ("ID", "PROPERTY", "TITLE", "STATUS", "START (LOCAL)", "END (LOCAL)", "UNITS", "SLOTS"),
            [(w["id"], w["property_name"], pick_text(w["title"], "en")[:48] + (" (emergency)" if w["emergency"] else ""),
              w["status"], w["window_start_local"][:16].replace("T", " "),
              w["window_end_local"][:16].replace("T", " ") + " " + w["timezone"],
              w["affected_unit_count"], w["slot_count"]) for w in items],
        )
    return 0


def cmd_work_show(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    work = store.get_work_order(args.id)
    prop = store.get_property(work.property_id)
    view = views.work_detail_view(work, prop, store.affected_units(work))
    if args.json:
        ctx.print_json(view)
        return 0
    language = "fr" if "fr" in work.title and "en" not in work.title else "en"
    ctx.print(f"#{work.id} {pick_text(work.title, language)}  [{work.status}{', emergency' if work.emergency else ''}]")
    ctx.print(f"{prop.name}: {view['window_start_local']} → {view['window_end_local']} ({prop.timezone})")
    for key in ("description", "reason", "impact", "alternatives", "access_conditions", "updates_info"):
        if view[key]:
            ctx.print(f"{key}: {pick_text(view[key], language)}")
    ctx.print(f"affected units ({len(view['affected_units'])}): {', '.join(view['affected_units'])}")
    for slot in view["slots"]:
        ctx.print(f"  slot {slot['unit']:>6}: {slot['start_local'][:16].replace('T', ' ')} – {slot['end_local'][11:16]}")
    for number, action in enumerate(view["actions"], start=1):
        ctx.print(f"  {number}. {pick_text(action, language)}")
    return 0


def cmd_notices_render(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk import issuing, pdf
    from maintdesk.cli_mail import message_from
    from maintdesk.progress import ProgressBar

    request = issuing.BatchRequest(
        work_order_id=args.work_id, kind=args.kind, out_dir=Path(args.out), language=args.lang,
        tenant_ids=frozenset(args.tenant) if args.tenant else None, message=message_from(args),
    )
    bar = ProgressBar("rendering letters")
    batch = None
    try:
        for event in issuing.iter_issue_print_batch(ctx.store(), ctx.db_path, ctx.paths, request):
            if isinstance(event, pdf.Progress):
                bar.update(event.done, event.total)
            else:
                batch = event
    finally:
        bar.close()
    assert batch is not None
    ctx.print(f"{len(batch.notices)} letters in {args.out} (batch {batch.batch_id})")
    if batch.merged_path:
        ctx.print(f"print file: {batch.merged_path} ({batch.merged_pages} pages)")
    for path in batch.files:
        ctx.print(f"  {path}")
    return 0


def cmd_work_sheet(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk import crew_sheet

    out = crew_sheet.write_crew_sheet(ctx.store(), ctx.paths, args.id, Path(args.out))
    ctx.print(f"crew sheet: {out.path} ({out.pages} pages)")
    return 0


# Parser -------------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for any bad input
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="maintdesk", description="Plan maintenance work and issue tenant notices.")
    parser.add_argument("--version", action="version", version=f"maintdesk {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the database file (default: the per-user data folder)")
    parser.add_argument("--basedir", metavar="DIR", help="keep all data, settings and logs under DIR")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    init = commands.add_parser("init", help="create the database (with --demo: fill it with demo records)")
    init.add_argument("--demo", action="store_true", help="add a demo organization, two buildings and work orders")
    init.set_defaults(handler=cmd_init)

    data = commands.add_parser("data", help="export or import the whole database as JSON")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="ACTION", parser_class=_Parser)
    export = data_commands.add_parser("export", help="write the whole database to a JSON file")
    export.add_argument("file", metavar="FILE.json")
    export.set_defaults(handler=cmd_data_export)
    load = data_commands.add_parser("import", help="load a JSON file into an empty database (all or nothing)")
    load.add_argument("file", metavar="FILE.json")
    load.set_defaults(handler=cmd_data_import)

    prop = commands.add_parser("property", help="list or show properties")
    prop_commands = prop.add_subparsers(dest="property_command", required=True, metavar="ACTION", parser_class=_Parser)
    p_list = prop_commands.add_parser("list", help="list the properties")
    p_list.set_defaults(handler=cmd_property_list)
    p_show = prop_commands.add_parser("show", help="show one property and its units")
    p_show.add_argument("id", type=int)
    p_show.set_defaults(handler=cmd_property_show)

    tenant = commands.add_parser("tenant", help="list tenants")
    tenant_commands = tenant.add_subparsers(dest="tenant_command", required=True, metavar="ACTION", parser_class=_Parser)
    t_list = tenant_commands.add_parser("list", help="list tenants, of all properties or of one")
    t_list.add_argument("--property", type=int, metavar="ID")
    t_list.set_defaults(handler=cmd_tenant_list)

    work = commands.add_parser("work", help="list or show work orders")
    work_commands = work.add_subparsers(dest="work_command", required=True, metavar="ACTION", parser_class=_Parser)
    w_list = work_commands.add_parser("list", help="list work orders by start")
    w_list.add_argument("--property", type=int, metavar="ID")
    w_list.set_defaults(handler=cmd_work_list)
    w_show = work_commands.add_parser("show", help="show one work order with its slots and actions")
    w_show.add_argument("id", type=int)
    w_show.set_defaults(handler=cmd_work_show)

    w_sheet = work_commands.add_parser("sheet", help="print the crew sheet: visits in slot order, access notes")
    w_sheet.add_argument("id", type=int)
    w_sheet.add_argument("--out", required=True, metavar="FILE.pdf")
    w_sheet.set_defaults(handler=cmd_work_sheet)

    notices = commands.add_parser("notices", help="render the notices of a work order")
    notice_commands = notices.add_subparsers(dest="notices_command", required=True, metavar="ACTION",
                                             parser_class=_Parser)
    render = notice_commands.add_parser("render", help="write one PDF per tenant and one print file; archive them")
    render.add_argument("work_id", type=int, metavar="WORK_ID")
    render.add_argument("--kind", required=True, choices=NOTICE_KINDS)
    render.add_argument("--out", required=True, metavar="DIR")
    render.add_argument("--lang", choices=LANGUAGES, help="one language for all (default: each tenant's own)")
    render.add_argument("--tenant", type=int, action="append", metavar="ID", help="only this tenant (repeatable)")
    render.set_defaults(handler=cmd_notices_render)

    from maintdesk import cli_work  # visit slots, checks, the communication plan (issue 4)
    cli_work.register(commands, work_commands, _Parser)
    from maintdesk import cli_mail  # email, .eml export and the outbox (issue 5)
    cli_mail.add_message_options(render)
    cli_mail.register(commands, notice_commands, _Parser)

    from maintdesk import cli_records  # tenant import and records export (issue 7)
    cli_records.register(commands, _Parser)

    for sub in (p_list, p_show, t_list, w_list, w_show):
        sub.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    return parser


def main(argv: Sequence[str] | None = None, out: Any = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    ctx = Context(args, out or sys.stdout)
    try:
        return args.handler(args, ctx)
    except UserFacingError as exc:
        print(f"maintdesk: error: {exc.summary}", file=sys.stderr)
        if exc.detail:
            print(exc.detail, file=sys.stderr)
        return exc.exit_status
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug: say so in one line, keep the traceback for a report
        print(f"maintdesk: internal error: {exc!r} (please report it; details follow)", file=sys.stderr)
        traceback.print_exc()
        return 1
    finally:
        ctx.close()
