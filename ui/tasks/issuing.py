"""The notices' long work as GUI tasks: drafts to read, issuing, everything due, corrections.

Each worker opens its own connection to the window's database (a SQLite file or an office's
server) and runs the core (maintdesk.notices); the letters and the archive go beside the file, or
into this computer's data folder for a server. The GUI only receives what the core yields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maintdesk.letters import issuing
from maintdesk.letters.issuing import DraftBatch
from maintdesk.mail.outbox import EmailOutcome
from maintdesk.notices import corrections, due
from maintdesk.notices.issue import Delivery, IssueRequest, iter_issue
from maintdesk.notices.plan import IssuePlan, plan_issue
from maintdesk.paths import AppPaths
from maintdesk.records.location import Location, files_place
from maintdesk.records.store import Store
from ui.tasks.runner import Task


@dataclass(frozen=True)
class DraftRequest:
    work_order_id: int
    kind: str
    language: str | None
    message: dict[str, str]
    tenant_id: int | None       # whose draft to show; None: the first recipient
    out_dir: Path
    every_tenant: bool = False  # every recipient's draft (rendered in the background after the first)


@dataclass(frozen=True)
class DraftPreview:
    """What issuing would do (the plan), and one tenant's draft letter and email (None: no draft yet)."""

    plan: IssuePlan
    draft: DraftBatch | None
    why_no_draft: str = ""
    may_not_issue: str = ""  # the desk's role on an office server may not issue: why


def _with_store(database: Location, run: Callable[[Store], Iterator[Any]]) -> Callable[[], Iterator[Any]]:
    def work() -> Iterator[Any]:
        store = Store.open(database, create=False)  # the worker's own connection
        try:
            yield from run(store)
        finally:
            store.close()
    return work


def preview_task(database: Location, paths: AppPaths, request: DraftRequest) -> Task:
    def run(store: Store) -> Iterator[Any]:
        plan = plan_issue(store, paths, request.work_order_id, request.kind, request.language)
        refused = store.may_not_issue
        people = plan.letters + plan.emails
        if not people:
            yield DraftPreview(plan, None, "Nobody to write to: the affected units have no active tenant.", refused)
            return
        if request.kind == "update" and not request.message:
            yield DraftPreview(plan, None, "Write the update (in English, French or both) to see the draft.", refused)
            return
        chosen = {t.id for _, t, _ in people}
        tenant_id = request.tenant_id if request.tenant_id in chosen else people[0][1].id
        batch = issuing.BatchRequest(work_order_id=request.work_order_id, kind=request.kind, out_dir=request.out_dir,
                                     language=request.language, message=request.message,
                                     tenant_ids=frozenset(chosen if request.every_tenant else {tenant_id}))
        for event in issuing.iter_render_drafts(store, paths, batch):
            yield DraftPreview(plan, event, may_not_issue=refused) if isinstance(event, DraftBatch) else event

    return Task(_with_store(database, run), lambda event: isinstance(event, DraftPreview))


def issue_task(database: Location, paths: AppPaths, request: IssueRequest, delivery: Delivery,
               new_status: str | None = None) -> Task:
    """Sets the work order's status first if asked (the confirmation offers it), then prints for the
    tenants on paper, emails (or saves .eml files for) the others, and archives all."""

    def run(store: Store) -> Iterator[Any]:
        if new_status is not None and store.get_work_order(request.work_order_id).status != new_status:
            store.set_work_status(request.work_order_id, new_status)
        yield from iter_issue(store, files_place(database, paths.database), paths, request, delivery)

    return Task(_with_store(database, run), lambda event: isinstance(event, EmailOutcome))


def due_task(database: Location, paths: AppPaths, folder: Path, delivery: Delivery | None, why_no_email: str,
             keys: set[due.GroupKey] | None = None, sms: Any = None, why_no_sms: str = "") -> Task:
    """Everything due (or the groups of `keys`): printed, emailed, sent by SMS, or held back with the reason."""

    def run(store: Store) -> Iterator[Any]:
        yield from due.iter_issue_due(store, files_place(database, paths.database), paths, folder, delivery, why_no_email=why_no_email, keys=keys,
                                      sms=sms, why_no_sms=why_no_sms)

    return Task(_with_store(database, run), lambda event: isinstance(event, due.DueReport))


@dataclass(frozen=True)
class Corrected:
    outcomes: list[EmailOutcome]


def correct_task(database: Location, paths: AppPaths, notice_ids: list[int], reason: str, by: str, print_dir: Path,
                 delivery: Delivery) -> Task:
    def run(store: Store) -> Iterator[Any]:
        outcomes = []
        for event in corrections.iter_correct(store, files_place(database, paths.database), paths, notice_ids, reason, by, print_dir, delivery):
            if isinstance(event, EmailOutcome):
                outcomes.append(event)
            else:
                yield event
        yield Corrected(outcomes)

    return Task(_with_store(database, run), lambda event: isinstance(event, Corrected))
