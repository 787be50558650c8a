"""Which notice a work order may be sent, given its state: a kind that does not fit is refused.

Every issued notice is a legal record, so a letter that says the wrong thing must not be issued at
all: "works completed" for work that starts next week, "urgent repair under way" for planned work,
"postponed" to a date that did not change. `refusal` says why a kind cannot be issued now and what
to do instead (None when it can); `require_issuable` raises it as bad input. Drafts are exempt:
reading a letter before its time is harmless.
"""

from __future__ import annotations

from datetime import datetime

from maintdesk.errors import InvalidInput
from maintdesk.records.models import WorkOrder

LIVE = ("scheduled", "in_progress", "postponed")   # work that is planned, under way, or moved
PLANNED = ("scheduled", "in_progress")             # work whose plan stands


def refusal(work: WorkOrder, kind: str, at: datetime) -> str | None:
    """Why `kind` cannot be issued for `work` at `at`, with the fix; None when it can."""
    status, wo = work.status, f"work order {work.id}"
    if status == "draft" and kind != "cancelled":
        return (f"{wo} is a draft: nothing is issued for it yet; set it to scheduled first "
                f"(`maintdesk work status {work.id} scheduled`)")
    if kind == "completed" and status != "completed":
        return (f"a completion notice is only for work marked completed, and {wo} is {_words(status)}; "
                f"mark it completed first (`maintdesk work status {work.id} completed`)")
    if kind == "cancelled":
        if status == "completed":
            return f"{wo} is completed: it can no longer be cancelled"
        if status != "cancelled":
            return (f"a cancellation notice is only for work marked cancelled, and {wo} is {_words(status)}; "
                    f"mark it cancelled first (`maintdesk work status {work.id} cancelled`)")
        return None
    if status in ("completed", "cancelled") and kind != "completed":
        return f"{wo} is {status}: only its {'completion' if status == 'completed' else 'cancellation'} notice can be issued"
    if kind == "postponed":
        if status != "postponed" or work.previous_window is None:
            return (f"a postponement notice needs the new dates: postpone {wo} first "
                    f"(`maintdesk work status {work.id} postponed --start … --end …`)")
        if work.previous_window == (work.window_start, work.window_end):
            return f"{wo} was postponed to the same dates: give it new dates before telling the tenants"
        return None
    if kind == "emergency" and not work.emergency:
        return (f"an emergency notice is only for work marked as an emergency, and {wo} is planned work; "
                "issue its initial notice instead")
    if kind in ("reminder", "final-reminder") and status == "in_progress":
        return f"a reminder is only sent before the work starts, and {wo} is marked in progress"
    if kind in ("reminder", "final-reminder") and at >= work.window_start:
        return f"a reminder is only sent before the work starts, and {wo} started on {work.window_start:%Y-%m-%d %H:%M} UTC"
    if kind == "update" and status not in PLANNED:
        return f"a progress update is for work planned or under way, and {wo} is {_words(status)}"
    return None


def require_issuable(work: WorkOrder, kind: str, at: datetime) -> None:
    why = refusal(work, kind, at)
    if why is not None:
        raise InvalidInput(f"kind: {why}; nothing was issued")


def _words(status: str) -> str:
    return status.replace("_", " ")
