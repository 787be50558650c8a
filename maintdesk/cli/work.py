"""Command line: work orders, their visit slots, checks, terms and agreements (docs/cli.md).

    work list [--property ID] [--json]
    work show ID [--json]
    work sheet ID --out FILE.pdf [--lang de]
    work status ID scheduled|in-progress|completed|cancelled|postponed [--by 7d | --start START --end END] [--json]
    work check ID [--at DATETIME] [--json]
    work slots ID [--auto [--duration 45m] [--buffer 15m] [--hours 08:00-18:00] [--break 12:00-13:00 …]
                  [--no-breaks] [--order floor|floor-desc|unit] | --set UNIT START END | --remove UNIT]
                  [--dry-run] [--json]
    work terms ID [--nature …] [--vacate-days N] [--print-delivery hand|mail|registered]
                  [--tenants-agreed yes|no] [--json]
    work override ID CODE --reason TEXT [--by NAME]
    work agree ID UNIT --note TEXT [--by NAME] [--withdraw]
"""

from __future__ import annotations

import argparse
import re
from dataclasses import asdict, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from maintdesk.cli.context import Context, Parser, parse_at, user_name
from maintdesk.errors import InvalidInput, NotFound
from maintdesk.i18n import english
from maintdesk.planning.findings import DISCLAIMER
from maintdesk.records import views
from maintdesk.records.agreements import EntryAgreement
from maintdesk.records.models import LANGUAGES, pick_text
from maintdesk.records.terms import NATURES, PRINT_DELIVERIES, SLOT_ORDERS, FindingOverride, parse_period
from maintdesk.timeutil import from_text, local, to_text


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


def cmd_work_sheet(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.letters import crew_sheet

    out = crew_sheet.write_crew_sheet(ctx.store(), ctx.paths, args.id, Path(args.out), args.lang)
    ctx.print(f"crew sheet: {out.path} ({out.pages} pages)")
    return 0


def cmd_work_check(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.planning.checks import check_work_order
    from maintdesk.planning.rules.provenance import provenance_lines
    from maintdesk.planning.scheduling import local_text

    report = check_work_order(ctx.store(), ctx.paths, args.id, parse_at(args.at))
    view = report.view()
    if args.json:
        ctx.print_json(view)
        return 0
    rules, tally = view["rules"], view["counts"]
    ctx.print(f"Work order {args.id}: checked {local_text(report.checked_at, report.timezone)}")
    fallback = " (no rule for this jurisdiction: good practice only)" if rules["fallback"] else ""
    ctx.print(f"Rules: {rules['name']} — {rules['citation']}{fallback}")
    for line in provenance_lines(rules):
        ctx.print(f"  {line}")
    ctx.print(", ".join(english(n, f"{{n}} {k}", f"{{n}} {k}s") for k, n in tally.items()) + " open")
    for f in view["findings"]:
        ctx.print()
        ctx.print(f"{f['severity'].upper():8}{f['code']}{'  [overridden]' if f['overridden'] else ''}")
        ctx.print(f"        {f['message']}")
        if f["rule"] or f["citation"]:
            ctx.print(f"        rule: {f['rule']} — {f['citation']}")
        if f["fix"]:
            ctx.print(f"        fix: {f['fix']}")
        if f["units"]:
            ctx.print(f"        units: {', '.join(f['units'])}")
        if f["overridden"]:
            o = f["overridden"]
            ctx.print(f"        overridden by {o['by']} at {o['at']}: {o['reason']}")
    ctx.print()
    ctx.print(DISCLAIMER)
    return 0


def cmd_work_slots(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.planning import scheduling
    from maintdesk.planning.communication import auto_slots

    store = ctx.store()
    work = store.get_work_order(args.id)
    prop = store.get_property(work.property_id)
    terms, notes = store.get_work_terms(work.id), []
    units = store.affected_units(work)
    flags = None
    if args.set or args.remove:
        work, flags = _edit_slot(args, store, work, units, terms, prop.timezone)
        if args.dry_run:
            notes.append("dry run: nothing was saved")
    elif args.auto:
        terms = _slot_terms(args, terms)
        slots, notes = auto_slots(store, work, terms, parse_at(args.at))
        if args.dry_run:
            work = replace(work, slots=slots)
            notes.append("dry run: nothing was saved")
        else:
            work = store.save_slots(work.id, slots, terms)
            terms = store.get_work_terms(work.id)
    labels = {u.id: u.label for u in units}
    if flags is None:
        flags = scheduling.slot_flags(work, units, terms, prop.timezone)
    changed = bool(args.auto or args.set or args.remove)
    view = {
        "work_order_id": work.id, "timezone": prop.timezone, "saved": changed and not args.dry_run,
        "rules": {k: v for k, v in asdict(terms).items() if k not in ("work_order_id", "updated_at")},
        "notes": notes,
        "slots": [{"unit": labels.get(s.unit_id, str(s.unit_id)), "unit_id": s.unit_id, "start": to_text(s.start),
                   "end": to_text(s.end), "start_local": local(s.start, prop.timezone).isoformat(),
                   "end_local": local(s.end, prop.timezone).isoformat()}
                  for s in sorted(work.slots, key=lambda s: s.start)],
        "flags": [f.view() for f in flags],
    }
    if args.json:
        ctx.print_json(view)
        return 0
    for note in notes:
        ctx.print(note)
    ctx.print_table(("UNIT", "SLOT", "TIME ZONE"), [
        (s["unit"], scheduling.span_text(from_text(s["start"]), from_text(s["end"]), prop.timezone), prop.timezone)
        for s in view["slots"]])
    for f in flags:
        ctx.print(f"{f.severity}: {f.message} Fix: {f.fix}.")
    return 0


def _edit_slot(args: argparse.Namespace, store: Any, work: Any, units: list[Any], terms: Any,
               zone_name: str) -> tuple[Any, list[Any]]:
    """--set UNIT START END or --remove UNIT: the work order as it is afterwards, and its slot warnings.
    START without a date is on the window's first day; END without a date is on START's day."""
    from maintdesk.planning import slot_edit

    label = args.set[0] if args.set else args.remove
    unit = slot_edit.find_unit(units, label)
    if args.set:
        first_day = local(work.window_start, zone_name).date()
        start_wall = slot_edit.parse_wall(args.set[1], "start", first_day)
        end_wall = slot_edit.parse_wall(args.set[2], "end", start_wall.date())
        start = slot_edit.wall_to_utc(start_wall, zone_name, "start")
        end = slot_edit.wall_to_utc(end_wall, zone_name, "end")
        slots = slot_edit.set_slot(work, units, unit.id, start, end, zone_name)
    else:
        slots = slot_edit.remove_slot(work, units, unit.id)
    work = replace(work, slots=slots) if args.dry_run else store.save_slots(work.id, slots)
    return work, slot_edit.slot_warnings(store, work, terms, unit.id if args.set else None)


def _slot_terms(args: argparse.Namespace, terms: Any) -> Any:
    from maintdesk.planning.scheduling import parse_minutes

    changes: dict[str, Any] = {}
    if args.duration:
        changes["slot_minutes"] = parse_minutes(args.duration)
    if args.buffer is not None:
        changes["buffer_minutes"] = parse_minutes(args.buffer)
    if args.hours:
        try:
            parse_period(args.hours)
        except ValueError as exc:
            raise InvalidInput(f"hours: {exc}") from None
        changes["day_start"], changes["day_end"] = (part.strip() for part in args.hours.replace("–", "-").split("-"))
    if args.no_breaks:
        changes["breaks"] = []
    elif args.breaks:
        changes["breaks"] = args.breaks
    if args.order:
        changes["slot_order"] = args.order
    return replace(terms, **changes)


def cmd_work_terms(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    terms = store.get_work_terms(args.id)
    changes = {k: v for k, v in (("nature", args.nature), ("vacate_days", args.vacate_days),
                                 ("print_delivery", args.print_delivery)) if v is not None}
    if args.tenants_agreed is not None:
        changes["tenants_agreed"] = args.tenants_agreed == "yes"
    if changes:
        terms = store.save_work_terms(replace(terms, **changes))
    view = {k: v for k, v in asdict(terms).items() if k not in ("slot_minutes", "buffer_minutes", "day_start",
                                                                  "day_end", "breaks", "slot_order")}
    view["updated_at"] = to_text(terms.updated_at) if terms.updated_at else None
    agreements = _agreements_view(store, args.id)
    if args.json:
        ctx.print_json({**view, "entry_agreements": agreements})
        return 0
    for key, value in view.items():
        ctx.print(f"{key:>16}: {value}")
    ctx.print(f"{'entry agreements':>16}:{'' if agreements else ' none'}")
    for a in agreements:
        ctx.print(f"{a['unit']:>16}: {a['note']} (recorded by {a['recorded_by']} at {a['recorded_at']})")
        if not a["in_force"]:
            ctx.print(f"{'':>16}  withdrawn by {a['withdrawn_by']} at {a['withdrawn_at']}: {a['withdrawn_note']}")
    return 0


def _agreements_view(store: Any, work_order_id: int) -> list[dict[str, Any]]:
    work = store.get_work_order(work_order_id)
    labels = {u.id: u.label for u in store.list_units(work.property_id)}
    return [{"id": a.id, "unit": labels[a.unit_id], "unit_id": a.unit_id, "note": a.note,
             "recorded_by": a.recorded_by, "recorded_at": to_text(a.recorded_at), "in_force": a.in_force,
             "withdrawn_at": to_text(a.withdrawn_at) if a.withdrawn_at else None, "withdrawn_by": a.withdrawn_by,
             "withdrawn_note": a.withdrawn_note} for a in store.list_entry_agreements(work_order_id)]


def cmd_work_agree(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.planning.slot_edit import find_unit

    store = ctx.store()
    work = store.get_work_order(args.id)
    by = args.by or user_name()
    if args.withdraw:  # the unit may have left the work since it agreed
        unit = find_unit(store.list_units(work.property_id), args.unit)
        store.withdraw_entry_agreement(work.id, unit.id, by, args.note)
        ctx.print(f"unit {unit.label} of work order {work.id}: agreement withdrawn by {by} ({args.note.strip()}); "
                  "the law's days and hours of entry apply to its visit again")
        return 0
    unit = find_unit(store.affected_units(work), args.unit)
    agreement = store.add_entry_agreement(EntryAgreement(work.id, unit.id, args.note, by))
    ctx.print(f"unit {unit.label} of work order {work.id}: written agreement recorded by {agreement.recorded_by} "
              f"({agreement.note}); `work check {work.id}` allows its visit outside the lawful days or hours "
              "where the law lets the tenant agree")
    return 0


def cmd_work_override(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    if args.withdraw:
        in_force = [o for o in store.list_finding_overrides(args.id) if o.code == args.code.strip() and o.in_force]
        if not in_force:
            raise NotFound(f"Finding {args.code} of work order {args.id} is not accepted; there is nothing to withdraw.")
        for override in in_force:
            store.withdraw_finding_override(override.id, args.by or user_name(), args.reason)
        ctx.print(f"finding {args.code} of work order {args.id}: acceptance withdrawn by {args.by or user_name()} "
                  f"({args.reason.strip()}); it counts again")
        return 0
    override = store.add_finding_override(FindingOverride(args.id, args.code, args.reason, args.by or user_name()))
    ctx.print(f"finding {override.code} of work order {args.id} accepted by {override.decided_by}: {override.reason}")
    return 0


STATUS_WORDS = {"scheduled": "scheduled", "in-progress": "in_progress", "completed": "completed",
                "postponed": "postponed", "cancelled": "cancelled"}
OFFERED = {"postponed": "postponed", "cancelled": "cancelled", "completed": "completed", "in_progress": "update"}


def cmd_work_status(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.planning.slot_edit import parse_wall, wall_to_utc

    store = ctx.store()
    work = store.get_work_order(args.id)
    status = STATUS_WORDS[args.status]
    if status == "postponed":
        if args.by:
            if args.start or args.end:
                raise InvalidInput("by: give either --by or --start and --end")
            shift = _shift(args.by)
            start, end = work.window_start + shift, work.window_end + shift
        elif args.start and args.end:
            zone_name = store.get_property(work.property_id).timezone
            start_wall = parse_wall(args.start, "start", local(work.window_start, zone_name).date())
            start = wall_to_utc(start_wall, zone_name, "start")
            end = wall_to_utc(parse_wall(args.end, "end", start_wall.date()), zone_name, "end")
        else:
            raise InvalidInput("start: a postponement needs the new window: --by 7d (everything a week later), or "
                               "--start and --end on the property's clock, e.g. --start '2026-12-15 08:30' "
                               "--end '2026-12-16 17:30'")
        if (start, end) == (work.window_start, work.window_end):
            raise InvalidInput("start: the new window is the old one; give the new dates of the work")
        work = store.postpone_work_order(work.id, start, end)
    elif args.start or args.end or args.by:
        raise InvalidInput("start: --start, --end and --by go with `postponed` only")
    elif work.status == "completed" and status != "completed":
        raise InvalidInput(f"status: work order {work.id} is completed; it cannot become {args.status} again")
    else:
        work = store.set_work_status(work.id, status)
    if args.json:
        ctx.print_json(views.work_summary_view(work, store.get_property(work.property_id), len(store.affected_units(work))))
        return 0
    ctx.print(f"work order {work.id} is now {args.status}"
              + (f" ({to_text(work.window_start)} – {to_text(work.window_end)})" if status == "postponed" else ""))
    if status in OFFERED:
        kind = OFFERED[status]
        ctx.print(f"tell the tenants: `maintdesk notices email {work.id} --kind {kind}` (or `notices render`)")
    return 0


def _shift(text: str) -> timedelta:
    """'7d', '2h', '1d12h', '90m': how far a postponement moves the work."""
    match = re.fullmatch(r"\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*", text)
    if not match or not any(match.groups()):
        raise InvalidInput(f'by: "{text}" is not a delay such as 7d, 2h or 1d12h')
    days, hours, minutes = (int(x or 0) for x in match.groups())
    shift = timedelta(days=days, hours=hours, minutes=minutes)
    if not shift:
        raise InvalidInput("by: a postponement moves the work by more than nothing")
    return shift


def register(commands: Any) -> None:
    """`work list|show|sheet|check|slots|terms|override|agree`."""
    work = commands.add_parser("work", help="list, show and check work orders; their slots, terms and agreements")
    work_commands = work.add_subparsers(dest="work_command", required=True, metavar="ACTION", parser_class=Parser)
    w_list = work_commands.add_parser("list", help="list work orders by start")
    w_list.add_argument("--property", type=int, metavar="ID")
    w_list.set_defaults(handler=cmd_work_list)
    w_show = work_commands.add_parser("show", help="show one work order with its slots and actions")
    w_show.add_argument("id", type=int)
    w_show.set_defaults(handler=cmd_work_show)
    w_sheet = work_commands.add_parser("sheet", help="print the crew sheet: visits in slot order, access notes")
    w_sheet.add_argument("id", type=int)
    w_sheet.add_argument("--out", required=True, metavar="FILE.pdf")
    w_sheet.add_argument("--lang", choices=LANGUAGES,
                         help="the sheet's language (default: the work order's choice, else the building's)")
    w_sheet.set_defaults(handler=cmd_work_sheet)
    w_status = work_commands.add_parser("status", help="set the work's status; postponing takes the new window")
    w_status.add_argument("id", type=int)
    w_status.add_argument("status", choices=tuple(STATUS_WORDS))
    w_status.add_argument("--start", metavar="START", help="postponed: the new start, on the property's clock")
    w_status.add_argument("--end", metavar="END", help="postponed: the new end (a bare time: the start's day)")
    w_status.add_argument("--by", metavar="DELAY", help="postponed: move the window and every slot by DELAY, e.g. 7d")
    w_status.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    w_status.set_defaults(handler=cmd_work_status)

    check = work_commands.add_parser("check", help="check slots, notice law and the notice's content")
    check.add_argument("id", type=int)
    check.add_argument("--at", metavar="DATETIME", help="check as of this moment (default: now)")
    check.set_defaults(handler=cmd_work_check)

    slots = work_commands.add_parser("slots", help="show the visit slots, spread them (--auto) or set one by hand")
    slots.add_argument("id", type=int)
    how = slots.add_mutually_exclusive_group()
    how.add_argument("--auto", action="store_true", help="spread one slot per affected unit over the window")
    how.add_argument("--set", nargs=3, metavar=("UNIT", "START", "END"),
                     help="set or move one unit's slot; times on the property's clock, e.g. '2026-12-01 14:00' "
                          "or 14:00 (START: the window's first day; END: START's day)")
    how.add_argument("--remove", metavar="UNIT", help="remove one unit's slot")
    slots.add_argument("--duration", metavar="45m", help="length of a visit (default: the last used, else 45m)")
    slots.add_argument("--buffer", metavar="15m", help="time between visits (default: the last used, else 15m)")
    slots.add_argument("--hours", metavar="08:00-18:00", help="working hours of each day")
    slots.add_argument("--break", dest="breaks", action="append", metavar="12:00-13:00", help="a break (repeatable)")
    slots.add_argument("--no-breaks", action="store_true", help="work without a break")
    slots.add_argument("--order", choices=SLOT_ORDERS, help="visit order (default: floor)")
    slots.add_argument("--dry-run", action="store_true",
                       help="show the slots without saving them (--auto, --set, --remove)")
    slots.add_argument("--at", metavar="DATETIME", help="place no visit before this moment (default: now)")
    slots.set_defaults(handler=cmd_work_slots)

    terms = work_commands.add_parser("terms", help="show or set what the checks need to know about the work")
    terms.add_argument("id", type=int)
    terms.add_argument("--nature", choices=NATURES)
    terms.add_argument("--vacate-days", type=int, metavar="N", help="days tenants must leave their home")
    terms.add_argument("--print-delivery", choices=PRINT_DELIVERIES, help="how printed notices reach tenants")
    terms.add_argument("--tenants-agreed", choices=("yes", "no"),
                       help="every tenant agreed in writing to visits outside the lawful days or hours "
                            "(one unit: work agree)")
    terms.set_defaults(handler=cmd_work_terms)

    override = work_commands.add_parser("override", help="accept a finding of `work check` (or withdraw that), with a reason")
    override.add_argument("id", type=int)
    override.add_argument("code", help="the finding's code, as `work check` prints it")
    override.add_argument("--reason", required=True)
    override.add_argument("--by", help="who decides (default: the computer's user name)")
    override.add_argument("--withdraw", action="store_true",
                          help="withdraw the acceptance instead (the finding counts again); --reason says why")
    override.set_defaults(handler=cmd_work_override)

    agree = work_commands.add_parser(
        "agree", help="record a unit's written agreement to visits outside the lawful days or hours (or withdraw it)")
    agree.add_argument("id", type=int)
    agree.add_argument("unit", help="the unit's label, e.g. 2B")
    agree.add_argument("--note", required=True,
                       help='where the agreement is written, e.g. "signed letter of 3 May"; with --withdraw, why')
    agree.add_argument("--by", help="who records it (default: the computer's user name)")
    agree.add_argument("--withdraw", action="store_true",
                       help="the tenant took the agreement back: the law's days and hours apply again")
    agree.set_defaults(handler=cmd_work_agree)

    for sub in (w_list, w_show, check, slots, terms):
        sub.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
