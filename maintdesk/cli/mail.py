"""The command line for email: `notices email`, `outbox list`, `outbox retry` (see docs/cli.md)."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from maintdesk.cli.context import Context, Parser
from maintdesk.errors import InvalidInput, UserFacingError
from maintdesk.mail import outbox
from maintdesk.mail import settings as mail_settings
from maintdesk.mail.settings import SmtpSettings
from maintdesk.mail.smtp import SmtpSession
from maintdesk.progress import ProgressBar
from maintdesk.records.models import LANGUAGES, NOTICE_KINDS, NOTICE_STATES, Notice
from maintdesk.timeutil import to_text


def _server_options(parser: argparse.ArgumentParser, target: Any) -> None:
    target.add_argument("--smtp", metavar="HOST:PORT", help="the SMTP server (saved for `outbox retry`)")
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument("--starttls", dest="security", action="store_const", const="starttls",
                     help="upgrade the connection with STARTTLS (usually port 587)")
    tls.add_argument("--ssl", dest="security", action="store_const", const="ssl",
                     help="TLS from the start (usually port 465)")
    parser.add_argument("--user", metavar="U", help="log in as U; the password comes from the system keyring, "
                                                    f"${mail_settings.PASSWORD_VARIABLE}, or a prompt")
    parser.add_argument("--pace", type=float, metavar="SECONDS", help="at least this long between two messages")
    parser.add_argument("--ca-file", metavar="FILE", help="also trust the certificate authorities in FILE")


def add_message_options(parser: argparse.ArgumentParser) -> None:
    """What `notices render` and `notices email` share: the update text of `--kind update`
    (--message, --message-fr, --message-de, --message-es) and --mark-completed for a completion notice."""
    parser.add_argument("--message", metavar="TEXT", help="the update text (required for --kind update); "
                                                          "letters in another language use it too unless "
                                                          "their own --message-LANG is given")
    parser.add_argument("--message-fr", metavar="TEXT", help="the update text in French")
    parser.add_argument("--message-de", metavar="TEXT", help="the update text in German")
    parser.add_argument("--message-es", metavar="TEXT", help="the update text in Spanish")
    parser.add_argument("--mark-completed", action="store_true",
                        help="with --kind completed: mark the work completed and issue its completion notice")


def mark_completed(args: argparse.Namespace, ctx: Context) -> None:
    """--mark-completed: the work is marked completed first (only with --kind completed)."""
    if not getattr(args, "mark_completed", False):
        return
    if args.kind != "completed":
        raise InvalidInput("mark-completed: only with --kind completed")
    store = ctx.store()
    if store.get_work_order(args.work_id).status != "completed":
        store.set_work_status(args.work_id, "completed")
        ctx.print(f"work order {args.work_id} marked completed")


def message_from(args: argparse.Namespace) -> dict[str, str]:
    """The update text by language; typed for another kind, it is refused rather than silently dropped."""
    message = {lang: text for lang, text in (("en", args.message), ("fr", args.message_fr),
                                                        ("de", args.message_de), ("es", args.message_es))
               if text is not None}
    if args.kind != "update" and message:
        raise InvalidInput("message: only an update notice carries an update text; "
                           "use --kind update, or leave out --message and --message-LANG")
    return message


def register(commands: Any, notice_commands: Any) -> None:
    email = notice_commands.add_parser(
        "email", help="email the notices (letter as PDF, calendar invite), or write them as .eml files")
    email.add_argument("work_id", type=int, metavar="WORK_ID")
    email.add_argument("--kind", required=True, choices=NOTICE_KINDS)
    email.add_argument("--lang", choices=LANGUAGES, help="one language for all (default: each tenant's own)")
    email.add_argument("--tenant", type=int, action="append", metavar="ID", help="only this tenant (repeatable)")
    target = email.add_mutually_exclusive_group(required=True)
    _server_options(email, target)
    target.add_argument("--eml-dir", metavar="DIR", help="write one .eml file per tenant into DIR instead of sending")
    email.add_argument("--print-dir", metavar="DIR", help="where the letters for tenants on paper go "
                                                          "(default: print/wo<WORK_ID>-<KIND> beside the database)")
    email.add_argument("--again", action="store_true", help="also tenants who already have this notice "
                                                            "(always so for an update: each one is new)")
    add_message_options(email)
    email.set_defaults(handler=cmd_notices_email)

    box = commands.add_parser("outbox", help="the email notices and what became of them")
    box_commands = box.add_subparsers(dest="outbox_command", required=True, metavar="ACTION", parser_class=Parser)
    listing = box_commands.add_parser("list", help="list email notices with their state")
    listing.add_argument("--state", choices=NOTICE_STATES, help="only notices in this state")
    listing.add_argument("--work", type=int, metavar="ID", help="only notices of this work order")
    listing.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    listing.set_defaults(handler=cmd_outbox_list)
    retry = box_commands.add_parser("retry", help="send the queued and failed email notices again")
    retry.add_argument("--notice", type=int, action="append", metavar="ID",
                       help="only this notice (repeatable); the only way to resend one whose outcome is unknown")
    _server_options(retry, retry)
    retry.set_defaults(handler=cmd_outbox_retry)
    draining = box_commands.add_parser("drain", help="send queued email notices until none is left; several "
                                                     "senders may drain one office database at once")
    _server_options(draining, draining)
    draining.set_defaults(handler=cmd_outbox_drain)


# Server settings and password -----------------------------------------------------------------

def _settings(args: argparse.Namespace, ctx: Context) -> SmtpSettings:
    saved = mail_settings.load(ctx.paths)
    if not args.smtp:
        if saved is None:
            raise InvalidInput("no SMTP server is set up yet: pass --smtp HOST:PORT")
        return saved
    given = mail_settings.parse_server(args.smtp, args.security or "none", args.user or "")
    base = saved or given
    settings = replace(base, host=given.host, port=given.port, security=given.security, username=given.username,
                       pace=args.pace if args.pace is not None else base.pace,
                       ca_file=str(Path(args.ca_file).resolve()) if args.ca_file else base.ca_file)
    mail_settings.save(ctx.paths, settings)
    return settings


class _Password:
    def __init__(self, settings: SmtpSettings):
        self.typed = False
        self.value = mail_settings.password_for(settings, self.prompt if sys.stdin.isatty() else None)

    def prompt(self, question: str) -> str:
        self.typed = True
        return getpass.getpass(question)

    def keep_if_typed(self, session: SmtpSession, ctx: Context) -> None:
        if self.typed and self.value and session.logged_in:
            if mail_settings.remember_password(session.settings, self.value):
                ctx.print("the password was saved in the system keyring")


def _drive(events: Any) -> Any:
    """Runs an outbox generator with one progress bar per stage (rendering, printing, sending)."""
    labels = {"rendering": "rendering letters", "printing": "letters for paper", "sending": "sending"}
    current: dict[str, ProgressBar] = {}

    def show(progress: outbox.Progress) -> None:
        if progress.stage not in current:
            for bar in current.values():
                bar.close()
            current.clear()
            current[progress.stage] = ProgressBar(labels.get(progress.stage, progress.stage))
        current[progress.stage].update(progress.done, progress.total)

    try:
        return outbox.run(events, show)
    finally:
        for bar in current.values():
            bar.close()


# Commands -------------------------------------------------------------------------------------

def cmd_notices_email(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.notices.issue import Delivery, IssueRequest, iter_issue

    store = ctx.store()
    print_dir = Path(args.print_dir) if args.print_dir else ctx.db_path.parent / "print" / f"wo{args.work_id}-{args.kind}"
    mark_completed(args, ctx)
    request = IssueRequest(work_order_id=args.work_id, kind=args.kind, print_dir=print_dir, language=args.lang,
                           tenant_ids=frozenset(args.tenant) if args.tenant else None,
                           again=args.again or args.kind == "update", message=message_from(args))
    if args.eml_dir:
        result = _drive(iter_issue(store, ctx.db_path, ctx.paths, request, Delivery(eml_dir=Path(args.eml_dir))))
        ctx.print(f"{len(result.eml_files)} messages written to {args.eml_dir}"
                  + (f" (batch {result.batch_id})" if result.batch_id else ""))
        _print_paper(result, ctx)
        return 0
    settings = _settings(args, ctx)
    password = _Password(settings)
    session = SmtpSession(settings, password.value)
    try:
        result = _drive(iter_issue(store, ctx.db_path, ctx.paths, request,
                                   Delivery(settings, password.value, session=session)))
    except outbox.BatchInterrupted as exc:
        if exc.outcome is not None:
            _print_paper(exc.outcome, ctx)
        raise
    password.keep_if_typed(session, ctx)
    if result.resumed:
        ctx.print(f"{len(result.resumed)} queued notices of an earlier run were sent with this batch")
    if result.already:
        ctx.print(f"{len(result.already)} tenants already have this notice by email and were left out "
                  "(see `maintdesk outbox list`; --again sends a new one)")
    _print_report(result.report, ctx, result.batch_id)
    _print_paper(result, ctx)
    return 1 if result.report.failed or result.report.unknown else 0


def cmd_outbox_retry(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    if not args.notice and not outbox.waiting_to_send(store):
        ctx.print("nothing to send: no queued or failed email notice")
        return 0
    settings = _settings(args, ctx)
    password = _Password(settings)
    session = SmtpSession(settings, password.value)
    report = _drive(outbox.iter_retry(store, ctx.db_path, settings, password.value, args.notice, session=session))
    password.keep_if_typed(session, ctx)
    if not (report.sent or report.failed or report.unknown or report.elsewhere):
        ctx.print("nothing to send: no queued or failed email notice")
        return 0
    _print_report(report, ctx, None)
    return 1 if report.failed or report.unknown else 0


def cmd_outbox_drain(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.mail import drain

    store = ctx.store()
    if not store.find_notices(channels=("email",), states=("queued",)):
        ctx.print("nothing to send: no queued email notice")
        return 0
    settings = _settings(args, ctx)
    password = _Password(settings)
    session = SmtpSession(settings, password.value)
    try:
        report = _drive(drain.iter_drain(store, ctx.db_path, settings, password.value, session=session))
    except drain.DrainInterrupted as exc:
        _print_report(exc.report, ctx, None)
        raise UserFacingError(f"{exc.cause.summary}; what was not sent stays queued") from None
    password.keep_if_typed(session, ctx)
    _print_report(report, ctx, None)
    return 1 if report.failed or report.unknown else 0


def _print_report(report: outbox.SendReport, ctx: Context, batch_id: str | None) -> None:
    where = f"batch {batch_id}: " if batch_id else ""
    ctx.print(f"{where}{len(report.sent)} sent, {len(report.failed)} failed, {len(report.unknown)} outcome unknown"
              + (f", {len(report.elsewhere)} taken by another sender" if report.elsewhere else ""))
    trouble = ctx.store().find_notices(ids=report.failed + report.unknown)
    for notice in trouble:
        ctx.print(f"  notice {notice.id} {notice.state}: {notice.recipient_name} <{notice.recipient_email}>: {notice.error}")
    if report.unknown:
        ctx.print("  a message whose outcome is unknown may have reached the tenant: check before sending it again "
                  "with `maintdesk outbox retry --notice ID`")


def _print_paper(result: outbox.EmailOutcome, ctx: Context) -> None:
    if not result.paper:
        return
    names = ", ".join(t.name for t in result.paper[:5]) + (" …" if len(result.paper) > 5 else "")
    if result.printed is None:
        ctx.print(f"{len(result.paper)} tenants get a printed letter ({names}): nothing was rendered for them")
        return
    ctx.print(f"{len(result.paper)} tenants get a printed letter ({names}): batch {result.printed.batch_id}")
    if result.printed.merged_path:
        ctx.print(f"print file: {result.printed.merged_path} ({result.printed.merged_pages} pages)")


def notice_view(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.id, "work_order_id": notice.work_order_id, "kind": notice.kind, "channel": notice.channel,
        "tenant_id": notice.tenant_id, "recipient_name": notice.recipient_name,
        "recipient_email": notice.recipient_email, "subject": notice.subject, "language": notice.language,
        "state": notice.state, "created_at": to_text(notice.created_at) if notice.created_at else None,
        "sent_at": to_text(notice.sent_at) if notice.sent_at else None,
        "server_reply": notice.delivered_by if notice.state == "sent" else "",
        "error": notice.error if notice.state != "sent" else "", "message_id": notice.message_id,
        "batch_id": notice.batch_id,
    }


def cmd_outbox_list(args: argparse.Namespace, ctx: Context) -> int:
    notices = ctx.store().find_notices(channels=("email", "eml"), work_order_id=args.work,
                                       states=[args.state] if args.state else None)
    items = [notice_view(n) for n in notices]
    if args.json:
        ctx.print_json(items)
        return 0
    ctx.print_table(
        ("ID", "WORK", "KIND", "TO", "STATE", "SENT (UTC)", "DETAIL"),
        [(i["id"], i["work_order_id"], i["kind"], f"{i['recipient_name']} <{i['recipient_email']}>",
          i["state"] if i["channel"] == "email" else f"{i['state']} (.eml)",
          (i["sent_at"] or "")[:16].replace("T", " "), (i["server_reply"] or i["error"])[:70]) for i in items],
    )
    return 0
