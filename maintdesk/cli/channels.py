"""The command line for SMS and the office mailbox: `sms send|retry|status|test`, `mailbox read|replies`
(see docs/cli.md). The provider comes from the SMS settings (Settings, or sms.json), its token from
the system keyring or $MAINTDESK_SMS_TOKEN; the mailbox likewise (mailbox.json, the keyring or
$MAINTDESK_IMAP_PASSWORD)."""

from __future__ import annotations

import argparse
from typing import Any

from maintdesk.channels import sms_settings
from maintdesk.channels.sms_outbox import (
    SmsReport,
    SmsRequest,
    iter_sms_batch,
    iter_sms_retry,
)
from maintdesk.channels.sms_status import StatusReport, iter_refresh_status
from maintdesk.channels.sms_text import SMS_KINDS
from maintdesk.channels.trial_sms import send_test_sms
from maintdesk.cli.context import Context, Parser, run_with_bar
from maintdesk.errors import InvalidInput
from maintdesk.letters.gates import refusal
from maintdesk.mail import mailbox
from maintdesk.mail.inbox import InboxReport, iter_read_mailbox, replies_to_read
from maintdesk.timeutil import utc_now


def register(commands: Any) -> None:
    sms = commands.add_parser("sms", help="notices by SMS through the provider set up in Settings")
    sub = sms.add_subparsers(dest="sms_command", required=True, parser_class=Parser)
    send = sub.add_parser("send", help="send a work order's emergency notice or reminder by SMS")
    send.add_argument("work_id", type=int, metavar="WORK_ID")
    send.add_argument("--kind", required=True, choices=SMS_KINDS)
    send.add_argument("--tenant", type=int, action="append", metavar="ID", help="only this tenant (repeatable)")
    send.set_defaults(handler=cmd_sms_send)
    retry = sub.add_parser("retry", help="send the queued SMS; ask the provider about those left unknown")
    retry.add_argument("--notice", type=int, action="append", metavar="ID", help="exactly this notice (repeatable)")
    retry.set_defaults(handler=cmd_sms_retry)
    sub.add_parser("status", help="ask the provider what became of the SMS sent").set_defaults(handler=cmd_sms_status)
    test = sub.add_parser("test", help="send a test SMS to a number")
    test.add_argument("number", metavar="NUMBER")
    test.add_argument("--lang", default="en", choices=("en", "fr", "de", "es"))
    test.set_defaults(handler=cmd_sms_test)
    box = commands.add_parser("mailbox", help="bounces and replies in the office mailbox (IMAP)")
    sub = box.add_subparsers(dest="mailbox_command", required=True, parser_class=Parser)
    sub.add_parser("read", help="read the new messages: bounces, replies").set_defaults(handler=cmd_mailbox_read)
    sub.add_parser("replies", help="the tenants' replies not read yet").set_defaults(handler=cmd_mailbox_replies)
    for parser in (send, retry):
        parser.add_argument("--json", action="store_true")


def provider(ctx: Context):
    settings = sms_settings.load(ctx.paths)
    if settings is None:
        raise InvalidInput("no SMS provider is set up: enter it in Settings (account SID, sender, token)")
    return sms_settings.provider_for(settings)


def _report(ctx: Context, report: SmsReport, as_json: bool) -> int:
    view = {k: getattr(report, k) for k in ("sent", "failed", "unknown", "queued", "held", "found", "already")}
    view["skipped"] = [{"tenant_id": t, "reason": why} for t, why in report.skipped]
    if as_json:
        ctx.print_json(view)
        return 0
    ctx.print(", ".join(f"{len(view[k])} {k}" for k in ("sent", "failed", "unknown", "held") if view[k]) or "nothing sent")
    for tenant_id, why in report.skipped:
        ctx.print(f"tenant {tenant_id}: no SMS ({why})")
    return 0


def cmd_sms_send(args: argparse.Namespace, ctx: Context) -> int:
    held = refusal(ctx.store().get_work_order(args.work_id), args.kind, utc_now())
    if held:  # the same gate as letters and emails: the work order's state must allow the kind
        raise InvalidInput(held)
    request = SmsRequest(args.work_id, args.kind, frozenset(args.tenant) if args.tenant else None)
    report = run_with_bar(iter_sms_batch(ctx.store(), request, provider(ctx)), "sending SMS")
    return _report(ctx, report, args.json)


def cmd_sms_retry(args: argparse.Namespace, ctx: Context) -> int:
    report = run_with_bar(iter_sms_retry(ctx.store(), provider(ctx), args.notice), "sending SMS")
    return _report(ctx, report, args.json)


def cmd_sms_status(args: argparse.Namespace, ctx: Context) -> int:
    report: StatusReport = run_with_bar(iter_refresh_status(ctx.store(), provider(ctx)), "asking the provider")
    ctx.print(f"{len(report.delivered)} delivered, {len(report.failed)} failed, {len(report.pending)} not known yet")
    return 0


def cmd_sms_test(args: argparse.Namespace, ctx: Context) -> int:
    org = ctx.store().get_organization().name or "MaintDesk"
    ctx.print(send_test_sms(provider(ctx), args.number, org=org, language=args.lang))
    return 0


def cmd_mailbox_read(args: argparse.Namespace, ctx: Context) -> int:
    settings = mailbox.load(ctx.paths)
    if settings is None:
        raise InvalidInput("no mailbox is set up: enter the office's IMAP mailbox in Settings")
    report: InboxReport = run_with_bar(iter_read_mailbox(ctx.store(), settings, mailbox.password_for(settings)),
                                       "reading the mailbox")
    for line in report.lines():
        ctx.print(line)
    return 0


def cmd_mailbox_replies(args: argparse.Namespace, ctx: Context) -> int:
    for reply in replies_to_read(ctx.store()):
        ctx.print(f"{reply.id}\tnotice {reply.notice_id}\t{reply.sender}\t{reply.subject}")
    return 0

