"""Issuing a notice on every channel in one step: letters for the tenants on paper, emails (sent
through the office's server, or saved as .eml files) for the tenants on email.

The order is the same for every caller (GUI, command line, `due`): the kind must fit the work
order's state, the checks must have no open error (their state is recorded with the batch), then
the letters and emails are rendered, archived and sent. Nothing is archived when any of the first
steps refuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from maintdesk.errors import InvalidInput
from maintdesk.i18n import english
from maintdesk.letters import issuing, pdf
from maintdesk.letters.gates import require_issuable
from maintdesk.mail import outbox
from maintdesk.mail.outbox import EmailOutcome, EmailRequest, SendReport
from maintdesk.mail.settings import SmtpSettings
from maintdesk.mail.smtp import SmtpSession
from maintdesk.notices.permit import check_before_issue
from maintdesk.notices.plan import every_channel
from maintdesk.paths import AppPaths
from maintdesk.planning.communication import law_wants_paper
from maintdesk.records.models import IssueCheck
from maintdesk.records.store import Store
from maintdesk.timeutil import utc_now


@dataclass(frozen=True)
class IssueRequest:
    work_order_id: int
    kind: str
    print_dir: Path                             # where the letters for paper go
    language: str | None = None                 # None: each tenant's own language
    tenant_ids: frozenset[int] | None = None    # None: every active tenant of the affected units
    message: dict[str, str] = field(default_factory=dict, hash=False)  # an update's text
    again: bool = False                         # also tenants who already have this notice
    corrects: dict[int, int] = field(default_factory=dict, hash=False)  # tenant id → the notice corrected


@dataclass(frozen=True)
class Delivery:
    """How the emails leave: through an SMTP server, or as .eml files in a folder; neither: not at all."""

    settings: SmtpSettings | None = None
    password: str | None = None
    eml_dir: Path | None = None
    session: SmtpSession | None = None  # an open session to reuse (the command line keeps a typed password)

    @property
    def possible(self) -> bool:
        return self.settings is not None or self.eml_dir is not None


def permit(store: Store, paths: AppPaths, request: IssueRequest, at: datetime | None = None) -> IssueCheck:
    """The kind fits the work order's state and its checks have no open error; else InvalidInput."""
    at = at or utc_now()
    work = store.get_work_order(request.work_order_id)
    require_issuable(work, request.kind, at)
    # A template that cannot be filled in is named with its line first, before the checks that would report it.
    languages = {request.language or t.language for _, t in issuing.recipients(store, work, request.tenant_ids)}
    issuing.check_templates(issuing.templates_for(paths), request.kind, languages, work.scope)
    return check_before_issue(store, paths, request.work_order_id, at)


def email_request(store: Store, request: IssueRequest, check: IssueCheck) -> EmailRequest:
    work = store.get_work_order(request.work_order_id)
    return EmailRequest(
        work_order_id=work.id, kind=request.kind, language=request.language, tenant_ids=request.tenant_ids,
        again=request.again, print_dir=request.print_dir, message=request.message,
        paper_for_all=law_wants_paper(store, work), every_channel=every_channel(work, request.kind), check=check,
        corrects=request.corrects)


def iter_issue(store: Store, db_path: Path, paths: AppPaths, request: IssueRequest, delivery: Delivery,
               at: datetime | None = None) -> Iterator[pdf.Progress | outbox.Progress | EmailOutcome]:
    """Prints for the tenants on paper and emails the others (or saves their emails as .eml files).

    Without a way to send email, the tenants on email are refused with a sentence that says what
    to do, unless nobody of the batch is on email."""
    check = permit(store, paths, request, at)
    emails = email_request(store, request, check)
    if delivery.settings is not None:
        yield from outbox.iter_email_batch(store, db_path, paths, emails, delivery.settings, delivery.password, now=at,
                                           session=delivery.session)
    elif delivery.eml_dir is not None:
        yield from outbox.iter_export_eml(store, db_path, paths, emails, delivery.eml_dir, now=at)
    else:
        yield from letters_only(store, db_path, paths, request, emails, check, at)


def iter_issue_letters(store: Store, db_path: Path, paths: AppPaths, request: IssueRequest,
                       at: datetime | None = None) -> Iterator[pdf.Progress | EmailOutcome]:
    """Only the letters: for the tenants on paper (and, where the law wants it, every tenant).
    The outcome's `waiting` says how many tenants on email get nothing from this."""
    check = permit(store, paths, request, at)
    yield from letters_only(store, db_path, paths, request, email_request(store, request, check), check, at,
                            refuse_emails=False)


def letters_only(store: Store, db_path: Path, paths: AppPaths, request: IssueRequest, emails: EmailRequest,
                 check: IssueCheck, at: datetime | None, refuse_emails: bool = True
                 ) -> Iterator[pdf.Progress | EmailOutcome]:
    """The letters of an issue whose check was made (`check`); the tenants on email are refused
    (`refuse_emails`) or listed as waiting."""
    plan = outbox.plan_recipients(store, emails)
    if refuse_emails and plan.email:
        raise InvalidInput(english(len(plan.email), "{n} tenant gets this notice by email", "{n} tenants get this "
                                   "notice by email") + ": set up the email server (Settings, or --smtp HOST:PORT), "
                           "or save the emails as .eml files; nothing was issued")
    if not plan.paper:
        raise InvalidInput(f"no tenant of work order {request.work_order_id} gets a new {request.kind} letter: those "
                           "on paper already have it (--again prints it again) and the others are on email "
                           "(`maintdesk notices email`); nothing was issued")
    batch = issuing.BatchRequest(work_order_id=request.work_order_id, kind=request.kind, out_dir=request.print_dir,
                                 language=request.language, tenant_ids=frozenset(t.id for t in plan.paper),
                                 message=request.message, check=check,
                                 corrects={t.id: request.corrects[t.id] for t in plan.paper if t.id in request.corrects})
    printed = None
    for event in issuing.iter_issue_print_batch(store, db_path, paths, batch, at):
        if isinstance(event, pdf.Progress):
            yield event
        else:
            printed = event
    yield EmailOutcome(None, SendReport(), [], plan.already, plan.paper, printed, waiting=plan.email)
