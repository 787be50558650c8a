"""The permit to issue: a work order's checks with no open error, recorded with what is issued."""

from __future__ import annotations

from datetime import datetime

from maintdesk.errors import InvalidInput
from maintdesk.i18n import english
from maintdesk.paths import AppPaths
from maintdesk.planning.checks import CheckReport, check_work_order
from maintdesk.records.models import IssueCheck
from maintdesk.records.store import Store


def open_errors(report: CheckReport) -> list:
    return [f for f in report.findings if f.severity == "error" and f.overridden is None]


def blocking_reason(report: CheckReport) -> str | None:
    """One sentence: the open errors that stop issuing and how to clear them; None when there are none."""
    errors = open_errors(report)
    if not errors:
        return None
    first, wo = errors[0], report.work_order_id
    fix = f"{first.fix}, " if first.fix else ""
    return (f"work order {wo} has " + english(len(errors), "{n} open error", "{n} open errors")
            + f" in its checks (first: {first.code}: {first.message.rstrip('.')}); {fix}or accept it with a reason "
            f"(`maintdesk work override {wo} {first.code} --reason …`)")


def check_before_issue(store: Store, paths: AppPaths, work_order_id: int, at: datetime | None = None) -> IssueCheck:
    """The checks of the work order now; raises InvalidInput naming the first open error, if any.
    The IssueCheck returned goes with the batch (its batch_id is filled in when it is issued)."""
    report = check_work_order(store, paths, work_order_id, at)
    why = blocking_reason(report)
    if why is not None:
        raise InvalidInput(f"{why}; nothing was issued")
    return IssueCheck("", work_order_id, report.checked_at, True, report.view())
