"""Command line: a work order's notices on paper, and what the communication plan says is due.

    notices render WORK_ID --kind KIND --out DIR [--lang LANG] [--tenant ID …] [--message TEXT …] [--draft]
    notices void NOTICE_ID … --reason TEXT [--by NAME]
    notices correct NOTICE_ID … --reason TEXT --out DIR [--eml-dir DIR] [--by NAME]
    notices poster WORK_ID --out FILE.pdf [--paper A4|Letter|A3|Tabloid] [--lang LANG …]
    due [--at DATETIME] [--json]
    dispatch [--at DATETIME] [--json]

`notices email` and the outbox are in maintdesk.cli.mail; the JSON keys are in docs/cli.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from maintdesk.cli.context import Context, Parser, parse_at, run_with_bar, user_name
from maintdesk.cli.mail import add_message_options, mark_completed, message_from
from maintdesk.i18n import english
from maintdesk.letters.poster import PAPERS as POSTER_PAPERS
from maintdesk.errors import InvalidInput, UserFacingError
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
    render.add_argument("--draft", action="store_true",
                        help="drafts: marked DRAFT on every page, for any tenant and kind; nothing is issued or archived")
    render.add_argument("--again", action="store_true", help="also tenants who already have this letter")
    render.set_defaults(handler=cmd_notices_render)
    add_message_options(render)

    void = notice_commands.add_parser("void", help="declare issued notices void (they stay in the archive)")
    void.add_argument("notice", type=int, nargs="+", metavar="NOTICE_ID")
    void.add_argument("--reason", required=True, help="why they are void")
    void.add_argument("--by", help="who voids them (default: the computer's user name)")
    void.set_defaults(handler=cmd_notices_void)
    correct = notice_commands.add_parser(
        "correct", help="issue corrections of notices to the same tenants, then void the notices corrected")
    correct.add_argument("notice", type=int, nargs="+", metavar="NOTICE_ID")
    correct.add_argument("--reason", required=True, help="why they are corrected")
    correct.add_argument("--by", help="who corrects them (default: the computer's user name)")
    correct.add_argument("--out", required=True, metavar="DIR", help="where the corrected letters go")
    correct.add_argument("--eml-dir", metavar="DIR", help="write corrected emails as .eml files instead of sending "
                                                          "them through the saved server")
    correct.set_defaults(handler=cmd_notices_correct)
    poster = notice_commands.add_parser(
        "poster", help="a one-page lobby poster of building-wide work, in the building's languages side by side")
    poster.add_argument("work_id", type=int, metavar="WORK_ID")
    poster.add_argument("--out", required=True, metavar="FILE.pdf")
    poster.add_argument("--paper", choices=POSTER_PAPERS, help="default: the paper of the building's sender")
    poster.add_argument("--lang", choices=LANGUAGES, action="append",
                        help="a language of the poster, in order (repeatable; default: the languages the "
                             "building's tenants read, the most read first)")
    poster.set_defaults(handler=cmd_notices_poster)

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
    from maintdesk.letters import issuing
    from maintdesk.notices.issue import IssueRequest, iter_issue_letters

    tenants = frozenset(args.tenant) if args.tenant else None
    if args.draft:
        request = issuing.BatchRequest(work_order_id=args.work_id, kind=args.kind, out_dir=Path(args.out),
                                       language=args.lang, tenant_ids=tenants, message=message_from(args))
        drafts = run_with_bar(issuing.iter_render_drafts(ctx.store(), ctx.paths, request), "rendering drafts")
        ctx.print(f"{len(drafts.files)} drafts in {args.out}: marked DRAFT, nothing issued or archived")
        if drafts.merged_path:
            ctx.print(f"all drafts: {drafts.merged_path} ({drafts.merged_pages} pages)")
        return 0
    mark_completed(args, ctx)
    request = IssueRequest(work_order_id=args.work_id, kind=args.kind, print_dir=Path(args.out), language=args.lang,
                           tenant_ids=tenants, message=message_from(args), again=args.again or args.kind == "update")
    outcome = run_with_bar(iter_issue_letters(ctx.store(), ctx.db_path, ctx.paths, request), "rendering letters")
    batch = outcome.printed
    assert batch is not None
    ctx.print(f"{len(batch.notices)} letters in {args.out} (batch {batch.batch_id})")
    if batch.merged_path:
        ctx.print(f"print file: {batch.merged_path} ({batch.merged_pages} pages)")
    for path in batch.files:
        ctx.print(f"  {path}")
    on_paper = {t.id for t in outcome.paper}
    email_only = [t for t in outcome.waiting if t.id not in on_paper]
    if email_only:
        ctx.print(english(len(email_only), "{n} tenant gets this notice by email only:",
                          "{n} tenants get this notice by email only:")
                  + f" `maintdesk notices email {args.work_id} --kind {args.kind}` sends theirs")
    return 0


def cmd_notices_poster(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.letters.poster import write_poster

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise InvalidInput(f"--out: a poster is a PDF file: give a name ending in .pdf, not {out.name!r}")
    ctx.print(write_poster(ctx.store(), ctx.paths, args.work_id, out, args.paper, args.lang).summary)
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


def _dispatch_sms(ctx: Context) -> tuple[Any, str]:
    """The saved SMS provider with its token, or (None, why not)."""
    from maintdesk.channels import sms_settings

    try:
        settings = sms_settings.load(ctx.paths)
        if settings is None:
            return None, "no SMS provider is set up (Settings)"
        return sms_settings.provider_for(settings), ""
    except UserFacingError as exc:
        return None, exc.summary


def cmd_dispatch(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.notices.due import iter_issue_due
    from maintdesk.notices.issue import Delivery

    at = parse_at(args.at)
    folder = ctx.db_path.parent / "print" / utc_now().strftime("%Y%m%d-%H%M%S")
    settings, password, why_not = _dispatch_mail(ctx)
    delivery = Delivery(settings, password) if settings is not None else None
    sms, why_no_sms = _dispatch_sms(ctx)
    report = run_with_bar(iter_issue_due(ctx.store(), ctx.db_path, ctx.paths, folder, delivery, at, why_not,
                                         sms=sms, why_no_sms=why_no_sms), "issuing what is due")
    if args.json:
        ctx.print_json(report.view())
        return 2 if report.blocked else 0
    if report.nothing:
        ctx.print(f"nothing is due at {to_text(at)}")
    for line in report.lines(lambda item: f"with `maintdesk notices {'email' if item['channel'] == 'email' else 'render'} "
                                          f"{item['work_order_id']} --kind update --message TEXT …`"):
        ctx.print(line)
    return 2 if report.blocked else 0


def cmd_notices_void(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.notices.corrections import void_notices

    voids = void_notices(ctx.store(), args.notice, args.reason, args.by or user_name())
    for void in voids:
        ctx.print(f"notice {void.notice_id} voided by {void.voided_by}: {void.reason} (it stays in the archive as issued)")
    return 0


def cmd_notices_correct(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.mail import settings as mail_settings
    from maintdesk.mail.outbox import EmailOutcome
    from maintdesk.notices.corrections import iter_correct
    from maintdesk.notices.issue import Delivery

    if args.eml_dir:
        delivery = Delivery(eml_dir=Path(args.eml_dir))
    else:
        settings = mail_settings.load(ctx.paths)
        delivery = Delivery(settings, mail_settings.password_for(settings)) if settings is not None else Delivery()
    issued = []
    for event in iter_correct(ctx.store(), ctx.db_path, ctx.paths, args.notice, args.reason, args.by or user_name(),
                              Path(args.out), delivery):
        if isinstance(event, EmailOutcome):
            issued.append(event)
    for outcome in issued:
        if outcome.printed:
            ctx.print(f"{len(outcome.printed.notices)} corrected letters in {args.out} (batch {outcome.printed.batch_id})")
        if outcome.report.sent or outcome.eml_files:
            ctx.print(f"{len(outcome.report.sent) or len(outcome.eml_files)} corrected emails "
                      + ("sent" if outcome.report.sent else f"written to {args.eml_dir}"))
    ctx.print(english(len(set(args.notice)), "{n} notice voided and corrected", "{n} notices voided and corrected"))
    return 0
