"""The outbox: every email is a notice record before it is sent, and its state says what became of it.

    queued ──take──▶ unknown ──reply──▶ sent | failed | queued (a temporary refusal: tried again later)

A sender *takes* a notice by moving it from queued to unknown (a compare-and-set, so two senders
never take the same one) before it talks to the server, and records the reply after. If the
program dies in between, or the connection is lost after the message was handed over, the notice
stays `unknown`: the server may have the message, so it is shown as such and sent again only when
a person names it (`outbox retry --notice ID`). Everything else resumes by itself: running the same
`notices email` again, or `outbox retry`, sends only what is still queued (or failed).

Tenants without an email address, or who prefer print, get a printed letter (maintdesk.letters.issuing)
instead; "both" gets both.

Long work is a generator (STYLE.md pattern 8): it yields `Progress` and then its result, so the
GUI can run it on a worker with its own Store, and the command line can draw a progress bar.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from maintdesk.letters import issuing, pdf
from maintdesk.mail.batch import PreparedBatch, PreparedPart, Progress, iter_prepare, recipient
from maintdesk.errors import InvalidInput
from maintdesk.mail.message import sender_of
from maintdesk.mail.settings import SmtpSettings
from maintdesk.records.models import IssueCheck, Notice, Tenant
from maintdesk.paths import AppPaths
from maintdesk.mail.pipeline import PIPELINE_FROM, SenderThread
from maintdesk.mail.sending import Interrupted, Line, SendReport
from maintdesk.mail.smtp import SmtpSession, SmtpUnavailable
from maintdesk.records.store import Store
from maintdesk.timeutil import to_text

LIVE_STATES = ("queued", "sent", "unknown")   # the tenant has, or will have, this notice by email

__all__ = ["EmailRequest", "EmailOutcome", "SendReport", "BatchInterrupted", "Progress", "iter_email_batch",
           "iter_export_eml", "iter_retry", "iter_send", "plan_recipients", "run"]


@dataclass(frozen=True)
class EmailRequest:
    work_order_id: int
    kind: str
    language: str | None = None               # None: each tenant's own language
    tenant_ids: frozenset[int] | None = None  # None: every active tenant of the affected units
    again: bool = False                       # also those who already have this notice (e.g. a 2nd postponement)
    print_dir: Path | None = None             # where the letters for paper go; None: not issued, only listed
    message: dict[str, str] = field(default_factory=dict, hash=False)  # an update's text (issuing.BatchRequest)
    paper_for_all: bool = False               # the law wants this notice on paper: a letter for every tenant
    every_channel: bool = False               # urgent: a letter for every tenant, an email to every address
    check: IssueCheck | None = field(default=None, hash=False)  # the checks at issue (issuing.BatchRequest)
    corrects: dict[int, int] = field(default_factory=dict, hash=False)  # tenant id → the notice corrected


@dataclass
class EmailOutcome:
    batch_id: str | None                 # the new batch (None when only earlier notices were resumed)
    report: SendReport
    resumed: list[int]                   # queued notices of an earlier run, sent now
    already: list[Notice]                # tenants who already have this notice (sent, or outcome unknown)
    paper: list[Tenant]                  # tenants who get a printed letter
    printed: issuing.IssuedBatch | None  # their letters, when a print folder was given
    eml_files: list[Path] = field(default_factory=list)
    waiting: list[Tenant] = field(default_factory=list)  # tenants on email this issue did not write to


class BatchInterrupted(SmtpUnavailable):
    """The server could not be used any more; `report` says what was done, the rest stays queued."""

    def __init__(self, cause: SmtpUnavailable, report: SendReport):
        detail = (f"{len(report.sent)} sent, {len(report.failed)} failed, {len(report.unknown)} unknown; "
                  f"{len(report.queued)} still queued: `maintdesk outbox retry` sends them")
        super().__init__(cause.summary, cause.transient, detail)
        self.report = report
        self.outcome: EmailOutcome | None = None  # set by iter_email_batch: what was prepared and printed


@dataclass
class _Plan:
    email: list[Tenant]
    resume: list[Notice]
    already: list[Notice]
    paper: list[Tenant]
    replaced: dict[int, Notice]  # tenant id → their queued notice that a new one replaces (--again)


def _plan(store: Store, request: EmailRequest, dedupe: bool) -> _Plan:
    work = store.get_work_order(request.work_order_id)
    pairs = issuing.recipients(store, work, request.tenant_ids)
    if not pairs:
        raise InvalidInput(f"work order {work.id} has no active tenant in its affected units: nobody to write to")
    latest = store.latest_notice_ids(("email",))
    earlier = {n.tenant_id: n for n in store.find_notices(work_order_id=work.id, kind=request.kind, channels=("email",))
               if n.id in latest}
    printed = {n.tenant_id for n in store.find_notices(work_order_id=work.id, kind=request.kind, channels=("print",))
               if n.state != "failed"}
    plan = _Plan([], [], [], [], {})
    for _, tenant in pairs:
        previous = earlier.get(tenant.id) if dedupe else None
        if tenant.wants_email or (request.every_channel and tenant.email):
            if previous is not None and previous.state in LIVE_STATES and not request.again:
                (plan.resume if previous.state == "queued" else plan.already).append(previous)
            else:
                plan.email.append(tenant)
                if previous is not None and previous.state == "queued":
                    plan.replaced[tenant.id] = previous
        if (tenant.wants_print or request.paper_for_all or request.every_channel) and (request.again or tenant.id not in printed):
            plan.paper.append(tenant)
    for tenant in plan.email:
        recipient(tenant)  # an address that cannot be used stops the batch before anything is done
    return plan


def plan_recipients(store: Store, request: EmailRequest) -> _Plan:
    """Who gets an email and who a letter, leaving out those who already have this notice
    (unless `request.again`)."""
    return _plan(store, request, dedupe=True)


def _batch_request(request: EmailRequest, tenants: Iterable[Tenant], out_dir: Path) -> issuing.BatchRequest:
    return issuing.BatchRequest(work_order_id=request.work_order_id, kind=request.kind, out_dir=out_dir,
                                language=request.language, tenant_ids=frozenset(t.id for t in tenants),
                                message=request.message, check=request.check,
                                corrects={t.id: request.corrects[t.id] for t in tenants if t.id in request.corrects})


def _prepare_and_print(store: Store, store_path: Path, paths: AppPaths, request: EmailRequest, plan: _Plan,
                       channel: str, export_dir: Path | None, now: datetime | None, sender: SenderThread | None = None):
    """Yields Progress; returns (PreparedBatch or None, IssuedBatch or None). With `sender`, each
    part of the emails is handed to it as soon as it is recorded (maintdesk.mail.pipeline)."""
    prepared: PreparedBatch | None = None
    if plan.email:
        for event in iter_prepare(store, store_path, paths, _batch_request(request, plan.email, store_path.parent),
                                  channel=channel, export_dir=export_dir, now=now, parts=sender is not None):
            if isinstance(event, PreparedBatch):
                prepared = event
            elif isinstance(event, PreparedPart):
                _replace(store, plan, event.notices)
                sender.add(event.notices)
            else:
                yield event
        if sender is None:
            _replace(store, plan, prepared.notices)
    printed = None
    if plan.paper and request.print_dir is not None:
        for event in issuing.iter_issue_print_batch(store, store_path, paths,
                                                    _batch_request(request, plan.paper, request.print_dir), now):
            if isinstance(event, pdf.Progress):
                yield Progress("printing", event.done, event.total)
            else:
                printed = event
    return prepared, printed


def _replace(store: Store, plan: _Plan, notices: list[Notice]) -> None:
    """A tenant's queued notice of an earlier run is not sent once a new one replaces it (--again)."""
    for notice in notices:
        old = plan.replaced.get(notice.tenant_id)
        if old is not None:
            store.move_notice(old.id, ("queued",), "failed", error=f"not sent: replaced by notice {notice.id}")


def iter_email_batch(store: Store, store_path: Path, paths: AppPaths, request: EmailRequest, settings: SmtpSettings,
                     password: str | None = None, *, now: datetime | None = None,
                     session: SmtpSession | None = None) -> Iterator[Progress | EmailOutcome]:
    """Emails the notice to every tenant who wants email and does not have it yet; prints for the rest.

    Queued notices of an interrupted earlier run of the same work order and kind are sent with the
    new ones. Raises BatchInterrupted if the server cannot be used; what was not sent stays queued.
    """
    plan = _plan(store, request, dedupe=True)
    if not (plan.email or plan.resume or plan.paper):
        raise InvalidInput(f"every tenant already has the {request.kind} notice of work order {request.work_order_id} "
                           f"({len(plan.already)} by email, see `maintdesk outbox list`); use --again to send a new one")
    sender_of(store.sender_of(store.get_property(store.get_work_order(request.work_order_id).property_id)))  # no address: stop first
    session = session or SmtpSession(settings, password)
    with session:
        if plan.email or plan.resume:
            session.open()  # a wrong host, port or password is told before anything is rendered
        if len(plan.email) >= PIPELINE_FROM:
            yield (yield from _pipelined(store, store_path, paths, request, plan, session, now))
            return
        prepared, printed = yield from _prepare_and_print(store, store_path, paths, request, plan, "email", None, now)
        outcome = EmailOutcome(prepared.batch_id if prepared else None, SendReport(), [n.id for n in plan.resume],
                               plan.already, plan.paper, printed)
        to_send = plan.resume + (prepared.notices if prepared else [])
        if to_send:
            try:
                outcome.report = yield from _send(store, store_path, to_send, session, ("queued",))
            except BatchInterrupted as exc:
                exc.outcome = outcome
                raise
    yield outcome


def _pipelined(store: Store, store_path: Path, paths: AppPaths, request: EmailRequest, plan: _Plan,
               session: SmtpSession, now: datetime | None):
    """A long batch: each part sent while the next ones are rendered (maintdesk.mail.pipeline), then
    the letters for paper; yields Progress, returns the EmailOutcome."""
    sender = SenderThread(store.location, store_path, session)
    sender.start()
    try:
        if plan.resume:
            sender.add(plan.resume)
        prepared, printed = yield from _prepare_and_print(store, store_path, paths, request, plan, "email", None, now,
                                                          sender)
        outcome = EmailOutcome(prepared.batch_id if prepared else None, SendReport(), [n.id for n in plan.resume],
                               plan.already, plan.paper, printed)
        sender.finish()
        total = sender.added + len(sender.late)
        while sender.is_alive():
            yield Progress("sending", sender.done, total)
            sender.join(0.2)
    finally:
        if sender.is_alive():  # stopped by an error or by the caller: the rest stays queued
            sender.stop()
            sender.join()
    if sender.error is not None:
        raise sender.error
    outcome.report = sender.report
    yield Progress("sending", total, total)
    if sender.interrupted is not None:
        outcome.report.queued = outcome.report.queued + sender.left()
        interrupted = BatchInterrupted(sender.interrupted.cause, outcome.report)
        interrupted.outcome = outcome
        raise interrupted
    return outcome


def iter_export_eml(store: Store, store_path: Path, paths: AppPaths, request: EmailRequest, folder: Path, *,
                    now: datetime | None = None) -> Iterator[Progress | EmailOutcome]:
    """Writes the messages as .eml files into `folder`, one per tenant (notices recorded as generated)."""
    plan = _plan(store, request, dedupe=False)
    if plan.email:
        sender_of(store.sender_of(store.get_property(store.get_work_order(request.work_order_id).property_id)))
    prepared, printed = yield from _prepare_and_print(store, store_path, paths, request, plan, "eml", folder, now)
    yield EmailOutcome(prepared.batch_id if prepared else None, SendReport(), [], [], plan.paper, printed,
                       prepared.files if prepared else [])


def waiting_to_send(store: Store) -> list[Notice]:
    """The queued and failed email notices a retry sends (the newest per tenant, work order and kind)."""
    latest = store.latest_notice_ids(("email",))
    return [n for n in store.find_notices(channels=("email",), states=("queued", "failed")) if n.id in latest]


def iter_retry(store: Store, store_path: Path, settings: SmtpSettings, password: str | None = None,
               notice_ids: Iterable[int] | None = None, *, session: SmtpSession | None = None,
               ) -> Iterator[Progress | SendReport]:
    """Sends the queued and failed email notices again (only the newest per tenant, work order and kind).

    With `notice_ids`, exactly those — including notices whose outcome is unknown, which are never
    sent again otherwise. A notice already sent is refused.
    """
    if notice_ids is not None:
        wanted = sorted(set(notice_ids))
        notices = store.find_notices(ids=wanted, channels=("email",))
        found = {n.id for n in notices}
        if missing := [i for i in wanted if i not in found]:
            raise InvalidInput(f"notice {missing[0]} is not an email notice in the outbox")
        if done := [n for n in notices if n.state == "sent"]:
            raise InvalidInput(f"notice {done[0].id} was sent at {to_text(done[0].sent_at)}: it is not sent twice")
        states: tuple[str, ...] = ("queued", "failed", "unknown")
    else:
        notices = waiting_to_send(store)
        states = ("queued", "failed")
    if not notices:
        yield SendReport()
        return
    session = session or SmtpSession(settings, password)
    with session:
        report = yield from _send(store, store_path, notices, session, states)
    yield report


def iter_send(store: Store, store_path: Path, notices: list[Notice], session: SmtpSession,
              ) -> Iterator[Progress | SendReport]:
    """Sends queued notices over `session` (left open for the caller to close)."""
    report = yield from _send(store, store_path, notices, session, ("queued",))
    yield report


def _send(store: Store, store_path: Path, notices: list[Notice], session: SmtpSession, take_from: tuple[str, ...]):
    """Yields Progress("sending"); returns the SendReport. 4xx replies go to the back of the line."""
    line = Line(store, store_path, session, take_from)
    line.add(notices)
    total = len(notices)
    yield Progress("sending", 0, total)
    try:
        line.refresh()
        for done in line.send_all():
            yield Progress("sending", done, total)
    except Interrupted as exc:
        raise BatchInterrupted(exc.cause, line.report) from None
    return line.report


def run(events: Iterator, on_progress=None):
    """Drives one of the generators above to its result; `on_progress(Progress)` for each step."""
    result = None
    for event in events:
        if isinstance(event, Progress):
            if on_progress is not None:
                on_progress(event)
        else:
            result = event
    return result

