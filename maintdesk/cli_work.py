"""Command-line handlers for visit slots, checks and the communication plan (docs/cli.md).

    work check ID [--at DATETIME] [--json]
    work slots ID [--auto [--duration 45m] [--buffer 15m] [--hours 08:00-18:00] [--break 12:00-13:00 …]
                  [--no-breaks] [--order floor|floor-desc|unit] | --set UNIT START END | --remove UNIT]
                  [--dry-run] [--json]
    work terms ID [--nature …] [--vacate-days N] [--print-delivery hand|mail|registered]
                  [--tenants-agreed yes|no] [--json]
    work override ID CODE --reason TEXT [--by NAME]
    work agree ID UNIT --note TEXT [--by NAME] [--withdraw]
    due [--at DATETIME] [--json]
    dispatch [--at DATETIME] [--json]
"""

from __future__ import annotations

import argparse
import getpass
from dataclasses import asdict, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from maintdesk.agreements import EntryAgreement
from maintdesk.errors import InvalidInput, NotFound, UserFacingError
from maintdesk.findings import DISCLAIMER
from maintdesk.terms import NATURES, PRINT_DELIVERIES, SLOT_ORDERS, FindingOverride, parse_period
from maintdesk.timeutil import UTC, from_text, local, to_text, utc_now

if TYPE_CHECKING:
    from maintdesk.cli import Context


def parse_at(text: str | None) -> datetime:
    """ISO 8601 with an offset or Z; without one, the computer's own time zone."""
    if not text:
        return utc_now()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise InvalidInput(f'at: "{text}" is not a date-time such as 2026-05-12T09:00+02:00') from None
    return (moment if moment.tzinfo else moment.astimezone()).astimezone(UTC)


def cmd_work_check(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.checks import check_work_order
    from maintdesk.scheduling import local_text

    report = check_work_order(ctx.store(), ctx.paths, args.id, parse_at(args.at))
    view = report.view()
    if args.json:
        ctx.print_json(view)
        return 0
    rules, tally = view["rules"], view["counts"]
    ctx.print(f"Work order {args.id}: checked {local_text(report.checked_at, report.timezone)}")
    fallback = " (no rule for this jurisdiction: good practice only)" if rules["fallback"] else ""
    ctx.print(f"Rules: {rules['name']} — {rules['citation']}, checked {rules['checked']}{fallback}")
    ctx.print(", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in tally.items()) + " open")
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
    from maintdesk import scheduling
    from maintdesk.plan import auto_slots

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
    from maintdesk import slot_edit

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
    from maintdesk.scheduling import parse_minutes

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
    from maintdesk.slot_edit import find_unit

    store = ctx.store()
    work = store.get_work_order(args.id)
    by = args.by or _user()
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
            store.withdraw_finding_override(override.id, args.by or _user(), args.reason)
        ctx.print(f"finding {args.code} of work order {args.id}: acceptance withdrawn by {args.by or _user()} "
                  f"({args.reason.strip()}); it counts again")
        return 0
    override = store.add_finding_override(FindingOverride(args.id, args.code, args.reason, args.by or _user()))
    ctx.print(f"finding {override.code} of work order {args.id} accepted by {override.decided_by}: {override.reason}")
    return 0


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment
        return "unknown user"


def cmd_due(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.plan import due

    at = parse_at(args.at)
    groups = due(ctx.store(), at)
    if args.json:
        ctx.print_json([{"id": f"{g.work_order_id}/{g.kind}/{g.channel}", **g.view()} for g in groups])
        return 0
    if not groups:
        ctx.print(f"nothing is due at {to_text(at)}")
        return 0
    ctx.print_table(("WORK", "KIND", "CHANNEL", "TENANTS", "SEND BY (UTC)", "STATE"), [
        (f"{g.work_order_id} {g.title[:40]}", g.kind, g.channel, len(g.tenants), to_text(g.send_by),
         "late" if g.late else ("due by email" if g.channel == "email" else "due")) for g in groups])
    return 0


def _dispatch_mail(ctx: Context) -> tuple[Any, str | None, str]:
    """The saved SMTP server and its password without asking anyone, or (None, None, why not)."""
    from maintdesk import mail_settings

    try:
        settings = mail_settings.load(ctx.paths)
        if settings is None:
            return None, None, "no email server is set up (Settings, or `notices email --smtp HOST:PORT`)"
        return settings, mail_settings.password_for(settings), ""
    except UserFacingError as exc:
        return None, None, exc.summary


def cmd_dispatch(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk import issuing, outbox
    from maintdesk.plan import due

    at = parse_at(args.at)
    store = ctx.store()
    folder = ctx.db_path.parent / "print" / utc_now().strftime("%Y%m%d-%H%M%S")
    printed, emailed, waiting, unwritten = [], [], [], []
    settings, password, why_not = None, None, ""
    for group in due(store, at):
        tenant_ids = frozenset(m.tenant_id for m in group.tenants)
        if group.needs_text:  # a progress update says what the manager writes; nothing to invent here
            unwritten.append({"work_order_id": group.work_order_id, "kind": group.kind, "channel": group.channel,
                              "count": len(group.tenants)})
            continue
        if group.channel == "email":
            if settings is None and not why_not:
                settings, password, why_not = _dispatch_mail(ctx)
            if settings is None:
                waiting.append({"work_order_id": group.work_order_id, "kind": group.kind, "count": len(group.tenants),
                                "reason": why_not})
                continue
            request = outbox.EmailRequest(work_order_id=group.work_order_id, kind=group.kind, tenant_ids=tenant_ids)
            try:
                outcome = outbox.run(outbox.iter_email_batch(store, ctx.db_path, ctx.paths, request, settings, password))
            except UserFacingError as exc:
                waiting.append({"work_order_id": group.work_order_id, "kind": group.kind,
                                "count": len(group.tenants), "reason": exc.summary})
                continue
            report = outcome.report
            emailed.append({"work_order_id": group.work_order_id, "kind": group.kind, "sent": len(report.sent),
                            "failed": len(report.failed), "unknown": len(report.unknown)})
            continue
        batch = issuing.issue_print_batch(store, ctx.db_path, ctx.paths, issuing.BatchRequest(
            work_order_id=group.work_order_id, kind=group.kind, out_dir=folder, tenant_ids=tenant_ids))
        printed.append({"work_order_id": group.work_order_id, "kind": group.kind, "count": len(batch.notices),
                        "batch_id": batch.batch_id, "print_file": str(batch.merged_path or ""),
                        "notice_ids": [n.id for n in batch.notices]})
    if args.json:
        ctx.print_json({"at": to_text(at), "folder": str(folder) if printed else None, "printed": printed,
                        "emailed": emailed, "waiting_for_email": waiting, "waiting_for_text": unwritten})
        return 0
    if not printed and not emailed and not waiting and not unwritten:
        ctx.print(f"nothing is due at {to_text(at)}")
    for item in printed:
        ctx.print(f"work order {item['work_order_id']}: {item['count']} {item['kind']} letters issued; "
                  f"print file {item['print_file']}")
    for item in emailed:
        problems = "".join(f", {item[k]} {k}" for k in ("failed", "unknown") if item[k])
        ctx.print(f"work order {item['work_order_id']}: {item['sent']} {item['kind']} emails sent{problems}")
    for item in waiting:
        ctx.print(f"work order {item['work_order_id']}: {item['count']} {item['kind']} emails waiting for email: "
                  f"{item['reason']}")
    for item in unwritten:
        what = "emails" if item["channel"] == "email" else "letters"
        command = "email" if item["channel"] == "email" else "render"
        ctx.print(f"work order {item['work_order_id']}: {item['count']} {item['kind']} {what} wait for the update "
                  f"text; write it with `maintdesk notices {command} {item['work_order_id']} --kind update "
                  f"--message TEXT …`")
    return 0


def register(commands: Any, work_commands: Any, parser_class: type) -> None:
    """Add this module's commands to `maintdesk` (commands) and `maintdesk work` (work_commands)."""
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

    due_cmd = commands.add_parser("due", help="list the messages due at a moment (default: now)")
    due_cmd.add_argument("--at", metavar="DATETIME")
    due_cmd.set_defaults(handler=cmd_due)
    dispatch = commands.add_parser("dispatch", help="issue the letters that are due to a print batch")
    dispatch.add_argument("--at", metavar="DATETIME")
    dispatch.set_defaults(handler=cmd_dispatch)
    for sub in (check, slots, terms, due_cmd, dispatch):
        sub.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
