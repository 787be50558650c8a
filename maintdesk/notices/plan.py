"""What issuing a notice will do, before anything is done: who gets a letter, who an email, in which
language, whether the checks allow it. The GUI shows it as the confirmation; `issue` follows it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from maintdesk.errors import UserFacingError
from maintdesk.i18n import english
from maintdesk.letters.gates import refusal
from maintdesk.letters.issuing import recipients
from maintdesk.mail.message import sender_of
from maintdesk.paths import AppPaths
from maintdesk.planning.checks import check_work_order
from maintdesk.planning.communication import law_wants_paper
from maintdesk.notices.permit import blocking_reason
from maintdesk.records.models import Tenant, Unit, WorkOrder
from maintdesk.records.store import Store
from maintdesk.timeutil import utc_now

LANGUAGE_WORDS = {"en": "English", "fr": "French"}


@dataclass
class IssuePlan:
    work: WorkOrder
    kind: str
    refusal: str | None          # the kind does not fit the work order's state (letters.gates)
    blocked: str | None          # an open error of the checks
    paper_for_all: bool          # the law wants this notice on paper
    letters: list[tuple[Unit, Tenant, str]] = field(default_factory=list)   # (unit, tenant, language) on paper
    emails: list[tuple[Unit, Tenant, str]] = field(default_factory=list)    # … by email
    email_problem: str | None = None   # the emails cannot be made (no address to send from)

    @property
    def allowed(self) -> bool:
        return self.refusal is None and self.blocked is None and self.email_problem is None

    def by_language(self, items: list[tuple[Unit, Tenant, str]]) -> str:
        counted = Counter(language for _, _, language in items)
        return ", ".join(f"{n} {LANGUAGE_WORDS.get(lang, lang)}" for lang, n in sorted(counted.items()))

    def lines(self, show_refusal: bool = True) -> list[str]:
        """The confirmation, in sentences."""
        lines = []
        if self.letters:
            why = (" (urgent: every channel)" if every_channel(self.work, self.kind)
                   else " (the law of the place wants this notice on paper)" if self.paper_for_all else "")
            lines.append(english(len(self.letters), "{n} letter to print", "{n} letters to print")
                         + f": {self.by_language(self.letters)}{why}.")
        if self.emails:
            lines.append(english(len(self.emails), "{n} email to send", "{n} emails to send")
                         + f": {self.by_language(self.emails)}.")
        if not self.letters and not self.emails:
            lines.append("Nobody to write to.")
        if self.email_problem:
            lines.append(f"The emails cannot be made: {self.email_problem}.")
        lines.append("Checks: " + (self.blocked or "no open error") + ".")
        if self.refusal and show_refusal:
            lines.append(f"This notice cannot be issued now: {self.refusal}.")
        return lines


def plan_issue(store: Store, paths: AppPaths, work_order_id: int, kind: str, language: str | None = None,
               tenant_ids: frozenset[int] | None = None, at: datetime | None = None) -> IssuePlan:
    at = at or utc_now()
    work = store.get_work_order(work_order_id)
    paper = law_wants_paper(store, work)
    plan = IssuePlan(work, kind, refusal(work, kind, at), blocking_reason(check_work_order(store, paths, work.id, at)),
                     paper)
    every = every_channel(work, kind)
    for unit, tenant in recipients(store, work, tenant_ids):
        chosen = language or tenant.language
        if tenant.wants_print or paper or every:
            plan.letters.append((unit, tenant, chosen))
        if tenant.wants_email or (every and tenant.email):
            plan.emails.append((unit, tenant, chosen))
    if plan.emails:
        try:
            sender_of(store.sender_of(store.get_property(work.property_id)))
        except UserFacingError as exc:
            plan.email_problem = exc.summary
    return plan


def every_channel(work: WorkOrder, kind: str) -> bool:
    """Urgent work: the emergency notice goes at once on every channel a tenant has."""
    return work.emergency and kind == "emergency"
