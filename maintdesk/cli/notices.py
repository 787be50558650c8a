"""Command line: a work order's notices on paper, and what the communication plan says is due.

    notices render WORK_ID --kind KIND --out DIR [--lang LANG] [--tenant ID …] [--message TEXT …]
    due [--at DATETIME] [--json]
    dispatch [--at DATETIME] [--json]

`notices email` and the outbox are in maintdesk.cli.mail; the JSON keys are in docs/cli.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from maintdesk.cli.context import Context, Parser, parse_at
from maintdesk.cli.mail import add_message_options, message_from
from maintdesk.errors import UserFacingError
from maintdesk.records.models import LANGUAGES, NOTICE_KINDS
from maintdesk.timeutil import to_text, utc_now


def register(commands: Any) -> Any:
    """`notices render`, `due`, `dispatch`; returns the `notices` group for `notices email`."""
    notices = commands.add_parser("notices", help="render the notices of a work order")
    notice_commands = notices.add_subparsers(dest="notices_command", required=True, metavar="ACTION",
                                             parser_class=Parser)
    render = notice_commands.add_parser("render", help="write one PDF per tenant and one print file; archive them")
    render.add_argument("work_id", type=int, metavar="WORK_ID")
    render.add_argument("--kind", required=True, choices=NOTICE_KINDS)
    render.add_argument("--out", required=True, metavar="DIR")
    render.add_argument("--lang", choices=LANGUAGES, help="one language for all (default: each tenant's own)")
    render.add_argument("--tenant", type=int, action="append", metavar="ID", help="only this tenant (repeatable)")
    render.set_defaults(handler=cmd_notices_render)
    add_message_options(render)

    due_cmd = commands.add_parser("due", help="list the messages due at a moment (default: now)")
    due_cmd.add_argument("--at", metavar="DATETIME")
    due_cmd.set_defaults(handler=cmd_due)
    dispatch = commands.add_parser("dispatch", help="issue the letters that are due to a print batch")
    dispatch.add_argument("--at", metavar="DATETIME")
    dispatch.set_defaults(handler=cmd_dispatch)
    for sub in (due_cmd, dispatch):
        sub.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    return notice_commands


def cmd_notices_render(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.letters import issuing, pdf
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


def cmd_due(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.planning.communication import due

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
    from maintdesk.mail import settings as mail_settings

    try:
        settings = mail_settings.load(ctx.paths)
        if settings is None:
            return None, None, "no email server is set up (Settings, or `notices email --smtp HOST:PORT`)"
        return settings, mail_settings.password_for(settings), ""
    except UserFacingError as exc:
        return None, None, exc.summary


def cmd_dispatch(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.letters import issuing
    from maintdesk.mail import outbox
    from maintdesk.planning.communication import due

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
