"""Issuing everything that is due: what `dispatch` and Today's "Issue all due" do.

Each due group of the communication plan (a work order, a kind, a channel) goes out through the
same steps as a notice issued by hand: a kind the work order's state does not allow, or an open
error of its checks, holds the group back with the reason; emails go through the office's server
(or wait, saying why); SMS through the provider (or wait, saying why; outside emergencies they wait
for the end of the building's quiet hours); a progress update waits for the manager's text. One
group failing does not stop the others. Before the groups are worked out, the SMS already sent are
asked about (a failed one falls back to the tenant's next channel in the same run) and the queued
ones are sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from maintdesk.channels.sms_outbox import SmsReport, SmsRequest, iter_sms_batch, iter_sms_retry, segments_note
from maintdesk.channels.sms_provider import SmsProvider
from maintdesk.channels.sms_status import iter_refresh_status
from maintdesk.errors import UserFacingError
from maintdesk.i18n import english
from maintdesk.letters.gates import refusal
from maintdesk.letters import pdf
from maintdesk.mail import outbox
from maintdesk.mail.outbox import EmailOutcome
from maintdesk.notices.issue import Delivery, IssueRequest, email_request, letters_only, permit
from maintdesk.notices.permit import blocking_reason
from maintdesk.paths import AppPaths
from maintdesk.planning.checks import check_work_order
from maintdesk.planning.communication import DueGroup, due
from maintdesk.progress import Progress
from maintdesk.records.store import Store
from maintdesk.timeutil import to_text, utc_now


@dataclass
class DueReport:
    at: datetime
    folder: Path
    printed: list[dict[str, Any]] = field(default_factory=list)
    emailed: list[dict[str, Any]] = field(default_factory=list)
    waiting_for_email: list[dict[str, Any]] = field(default_factory=list)
    waiting_for_text: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[dict[str, Any]] = field(default_factory=list)
    texted: list[dict[str, Any]] = field(default_factory=list)
    waiting_for_sms: list[dict[str, Any]] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.printed or self.emailed or self.waiting_for_email or self.waiting_for_text or self.blocked
                    or self.texted or self.waiting_for_sms)

    def view(self) -> dict[str, Any]:
        return {"at": to_text(self.at), "folder": str(self.folder) if self.printed else None, "printed": self.printed,
                "emailed": self.emailed, "waiting_for_email": self.waiting_for_email,
                "waiting_for_text": self.waiting_for_text, "blocked": self.blocked, "texted": self.texted,
                "waiting_for_sms": self.waiting_for_sms}

    def lines(self, how_to_write: Callable[[dict[str, Any]], str] = lambda item: "in the work order's Notices"
              ) -> list[str]:
        """The summary, one sentence per group; `how_to_write` says where an update's text is written."""
        lines = []
        for item in self.printed:
            lines.append(f"work order {item['work_order_id']}: " + _count(item["count"], item["kind"], "letter")
                         + f" issued; print file {item['print_file']}")
        for item in self.emailed:
            problems = "".join(f", {item[k]} {k}" for k in ("failed", "unknown") if item[k])
            lines.append(f"work order {item['work_order_id']}: " + _count(item["sent"], item["kind"], "email")
                         + f" sent{problems}")
        for item in self.waiting_for_email:
            lines.append(f"work order {item['work_order_id']}: " + _count(item["count"], item["kind"], "email", "wait")
                         + f" for email: {item['reason']}")
        for item in self.texted:
            problems = "".join(f", {item[k]} {k}" for k in ("failed", "unknown", "held") if item[k])
            lines.append(f"work order {item['work_order_id']}: " + _count(item["sent"], item["kind"], "SMS")
                         + f" sent{problems}" + (f" ({item['note']})" if item.get("note") else ""))
        for item in self.waiting_for_sms:
            lines.append(f"work order {item['work_order_id']}: " + _count(item["count"], item["kind"], "SMS", "wait")
                         + f": {item['reason']}")
        for item in self.waiting_for_text:
            what = "email" if item["channel"] == "email" else "letter"
            lines.append(f"work order {item['work_order_id']}: " + _count(item["count"], item["kind"], what, "wait")
                         + f" for the update text; write it {how_to_write(item)}")
        for item in self.blocked:
            lines.append(f"work order {item['work_order_id']}: {item['kind']} ({item['channel']}) held back: "
                         f"{item['reason']}")
        return lines


def _count(n: int, kind: str, what: str, verb: str = "") -> str:
    if verb:
        return english(n, f"{{n}} {kind} {what} {verb}s", f"{{n}} {kind} {what}s {verb}")
    return english(n, f"{{n}} {kind} {what}", f"{{n}} {kind} {what}s")


GroupKey = tuple[int, str, str]  # work order, kind, channel


def group_key(group: DueGroup) -> GroupKey:
    return group.work_order_id, group.kind, group.channel


@dataclass(frozen=True)
class DueLine:
    group: DueGroup
    held: str | None   # why the group cannot go now (its text, its kind, its checks); None: it goes
    note: str = ""     # for SMS: how many segments the texts take, shown before sending


def plan_due(store: Store, paths: AppPaths, at: datetime | None = None,
             keys: set[GroupKey] | None = None) -> list[DueLine]:
    """What issuing everything due would do, group by group, before anything is done."""
    at = at or utc_now()
    lines = []
    for group in due(store, at):
        if keys is not None and group_key(group) not in keys:
            continue
        held = "the update's text is not written yet" if group.needs_text else None
        if held is None:
            held = refusal(store.get_work_order(group.work_order_id), group.kind, at)
        if held is None:
            held = blocking_reason(check_work_order(store, paths, group.work_order_id, at))
        note = ""
        if held is None and group.channel == "sms":
            try:
                note = segments_note(store, SmsRequest(group.work_order_id, group.kind,
                                                       frozenset(m.tenant_id for m in group.tenants)))
            except UserFacingError as exc:  # a text too long: held, with the count
                held = exc.summary
        lines.append(DueLine(group, held, note))
    return lines


def plan_lines(lines: list[DueLine], email_possible: bool) -> list[str]:
    """The confirmation of "issue all due", in sentences."""
    going = [line.group for line in lines if line.held is None]
    letters = sum(len(g.tenants) for g in going if g.channel == "print")
    emails = sum(len(g.tenants) for g in going if g.channel == "email")
    texts = sum(len(g.tenants) for g in going if g.channel == "sms")
    text = []
    if letters:
        text.append(english(letters, "{n} letter to print", "{n} letters to print") + ".")
    if emails:
        text.append(english(emails, "{n} email to send", "{n} emails to send")
                    + ("." if email_possible else ": no email server is set up, so they wait (Settings)."))
    if texts:
        notes = "; ".join(line.note for line in lines if line.held is None and line.note)
        text.append(english(texts, "{n} SMS to send", "{n} SMS to send") + (f": {notes}." if notes else "."))
    for line in lines:
        if line.held is not None:
            group = line.group
            text.append(f"Held back: work order {group.work_order_id}, {group.kind} ({group.channel}): {line.held}.")
    return text or ["Nothing is due."]


def _group(group: DueGroup, **more: Any) -> dict[str, Any]:
    return {"work_order_id": group.work_order_id, "kind": group.kind, "channel": group.channel,
            "count": len(group.tenants), **more}


def iter_issue_due(store: Store, db_path: Path, paths: AppPaths, folder: Path, delivery: Delivery | None,
                   at: datetime | None = None, why_no_email: str = "", keys: set[GroupKey] | None = None, *,
                   sms: SmsProvider | None = None, why_no_sms: str = "") -> Iterator[Progress | DueReport]:
    """Issues every due group (or those of `keys`); yields Progress(groups done, groups), the DueReport last."""
    at = at or utc_now()
    sms_note = _sms_catch_up(store, sms, at) if sms is not None else ""
    groups = [g for g in due(store, at) if keys is None or group_key(g) in keys]
    # Letters first: where the law wants paper, an email issued alone would open a check error
    # ("only by email") that holds back the very letters that close it.
    groups.sort(key=lambda group: group.channel != "print")
    report = DueReport(at, folder)
    yield Progress(0, len(groups))
    for number, group in enumerate(groups, start=1):
        if group.channel == "sms":
            _text_group(store, paths, group, sms, at, report, why_no_sms or sms_note or "no SMS provider is set up")
        else:
            _issue_group(store, db_path, paths, group, folder, delivery, at, report, why_no_email)
        yield Progress(number, len(groups))
    yield report


def _drain(events: Iterator[Any]) -> Any:
    last = None
    for last in events:
        pass
    return last


def _sms_catch_up(store: Store, sms: SmsProvider, at: datetime) -> str:
    """Asks what became of the SMS sent, sends the queued ones; '' or why the provider cannot be used."""
    try:
        _drain(iter_refresh_status(store, sms))
        _drain(iter_sms_retry(store, sms, now=at))
    except UserFacingError as exc:
        return exc.summary
    return ""


def _text_group(store: Store, paths: AppPaths, group: DueGroup, sms: SmsProvider | None, at: datetime,
                report: DueReport, why_not: str) -> None:
    request = IssueRequest(group.work_order_id, group.kind, Path(), tenant_ids=frozenset(m.tenant_id for m in group.tenants))
    try:
        permit(store, paths, request, at)
    except UserFacingError as exc:
        report.blocked.append(_group(group, reason=exc.summary))
        return
    if sms is None:
        report.waiting_for_sms.append(_group(group, reason=why_not))
        return
    try:
        sent: SmsReport = _drain(iter_sms_batch(store, SmsRequest(group.work_order_id, group.kind, request.tenant_ids),
                                                sms, now=at))
    except UserFacingError as exc:
        report.waiting_for_sms.append(_group(group, reason=exc.summary))
        return
    note = f"quiet hours until {to_text(sent.quiet_until)}" if sent.quiet_until else ""
    report.texted.append(_group(group, sent=len(sent.sent), failed=len(sent.failed), unknown=len(sent.unknown),
                                held=len(sent.held), note=note))


def _issue_group(store: Store, db_path: Path, paths: AppPaths, group: DueGroup, folder: Path,
                 delivery: Delivery | None, at: datetime, report: DueReport, why_no_email: str) -> None:
    if group.needs_text:  # a progress update says what the manager writes; nothing to invent here
        report.waiting_for_text.append(_group(group))
        return
    request = IssueRequest(group.work_order_id, group.kind, folder, tenant_ids=frozenset(m.tenant_id for m in group.tenants))
    try:
        check = permit(store, paths, request, at)
    except UserFacingError as exc:
        report.blocked.append(_group(group, reason=exc.summary))
        return
    try:
        if group.channel == "email":
            if delivery is None or delivery.settings is None:
                report.waiting_for_email.append(_group(group, reason=why_no_email or "no email server is set up"))
                return
            emails = replace(email_request(store, request, check), print_dir=None)
            outcome = outbox.run(outbox.iter_email_batch(store, db_path, paths, emails, delivery.settings,
                                                         delivery.password, now=at))
            sent = outcome.report
            report.emailed.append(_group(group, sent=len(sent.sent), failed=len(sent.failed), unknown=len(sent.unknown)))
            return
        printed = _last(letters_only(store, db_path, paths, request, email_request(store, request, check), check, at,
                                     refuse_emails=False))
    except UserFacingError as exc:
        target = report.waiting_for_email if group.channel == "email" else report.blocked
        target.append(_group(group, reason=exc.summary))
        return
    batch = printed.printed
    assert batch is not None
    report.printed.append(_group(group, count=len(batch.notices), batch_id=batch.batch_id,
                                 print_file=str(batch.merged_path or ""), notice_ids=[n.id for n in batch.notices]))


def _last(events: Iterator[pdf.Progress | EmailOutcome]) -> EmailOutcome:
    outcome = None
    for event in events:
        if isinstance(event, EmailOutcome):
            outcome = event
    assert outcome is not None
    return outcome
