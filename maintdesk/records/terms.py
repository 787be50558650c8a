"""What the checks and the slot planner need to know about a work order beyond the work order.

`WorkTerms`: the legal nature of the work (an inspection, a repair, major works, a modernisation,
showing the unit to a buyer or tenant),
how long tenants must leave their home, how printed notices reach them (by hand, by post, by
registered letter), whether the tenants agreed to work on days the law excludes, and the rules the
visit slots were spread with. `FindingOverride`: a manager's decision to accept a finding of the
checks, with the reason, who decided and when. Both are stored by `Store` (schema 4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, time

from maintdesk.errors import Problem, ValidationError
from maintdesk.records.models import WorkOrder

NATURES = ("auto", "inspection", "repair", "maintenance", "major", "modernisation", "showing")
PRINT_DELIVERIES = ("hand", "mail", "registered")
SLOT_ORDERS = ("floor", "floor-desc", "unit")
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


@dataclass
class WorkTerms:
    work_order_id: int
    nature: str = "auto"  # auto: an inspection when the category says so, else a repair
    vacate_days: int = 0  # how many days tenants must leave their home (0: they can stay)
    print_delivery: str = "hand"  # how printed notices reach tenants
    tenants_agreed: bool = False  # the tenants agreed in writing to visits outside the lawful days or hours
    slot_minutes: int = 45
    buffer_minutes: int = 15
    day_start: str = "08:00"
    day_end: str = "18:00"
    breaks: list[str] = field(default_factory=lambda: ["12:00-13:00"])
    slot_order: str = "floor"
    slot_rules_saved: bool = False  # the slot rules above were chosen for this work (not the defaults)
    updated_at: datetime | None = None


@dataclass
class FindingOverride:
    work_order_id: int
    code: str
    reason: str
    decided_by: str
    decided_at: datetime | None = None
    id: int | None = None
    withdrawn_at: datetime | None = None   # the acceptance was withdrawn: the finding counts again
    withdrawn_by: str = ""
    withdrawn_reason: str = ""

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


def effective_nature(terms: WorkTerms, work: WorkOrder) -> str:
    if terms.nature != "auto":
        return terms.nature
    return "inspection" if work.category == "inspection" else "repair"


def parse_clock(text: str) -> time:
    """'08:30' → time(8, 30); '24:00' is the end of the day (23:59:59)."""
    match = _CLOCK.match(text.strip())
    if not match or (match.group(1) == "24" and match.group(2) != "00"):
        raise ValueError(f'"{text}" is not a time of day such as 08:30')
    hour, minute = int(match.group(1)), int(match.group(2))
    return time(23, 59, 59) if hour == 24 else time(hour, minute)


def parse_period(text: str) -> tuple[time, time]:
    """'12:00-13:00' → (12:00, 13:00); the end must be after the start."""
    parts = text.replace("–", "-").split("-")
    if len(parts) != 2:
        raise ValueError(f'"{text}" is not a period of the day such as 12:00-13:00')
    start, end = parse_clock(parts[0]), parse_clock(parts[1])
    if end <= start:
        raise ValueError(f'"{text}": the end must be after the start')
    return start, end


def clean_terms(terms: WorkTerms) -> WorkTerms:
    problems: list[Problem] = []

    def one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
        if value not in allowed:
            problems.append(Problem(name, f'"{value}" is not one of {", ".join(allowed)}'))

    one_of("nature", terms.nature, NATURES)
    one_of("print_delivery", terms.print_delivery, PRINT_DELIVERIES)
    one_of("slot_order", terms.slot_order, SLOT_ORDERS)
    if terms.vacate_days < 0:
        problems.append(Problem("vacate_days", "cannot be negative"))
    if terms.slot_minutes <= 0:
        problems.append(Problem("slot_minutes", "must be at least one minute"))
    if terms.buffer_minutes < 0:
        problems.append(Problem("buffer_minutes", "cannot be negative"))
    try:
        parse_period(f"{terms.day_start}-{terms.day_end}")
    except ValueError as exc:
        problems.append(Problem("day_start", f"working hours {exc}"))
    breaks = [b.strip() for b in terms.breaks if b.strip()]
    for index, period in enumerate(breaks):
        try:
            parse_period(period)
        except ValueError as exc:
            problems.append(Problem(f"breaks[{index}]", str(exc)))
    if problems:
        raise ValidationError(problems)
    return replace(terms, breaks=breaks)


def clean_override(override: FindingOverride) -> FindingOverride:
    problems = [
        Problem(name, "is required: say " + what)
        for name, what in (("code", "which finding (its code)"), ("reason", "why the finding is accepted"),
                           ("decided_by", "who decided"))
        if not getattr(override, name).strip()
    ]
    if override.withdrawn_at is not None:
        problems += [
            Problem(name, "is required: say " + what)
            for name, what in (("withdrawn_by", "who withdraws the acceptance"),
                               ("withdrawn_reason", "why the finding is no longer accepted"))
            if not getattr(override, name).strip()
        ]
    if problems:
        raise ValidationError(problems)
    return replace(override, code=override.code.strip(), reason=override.reason.strip(),
                   decided_by=override.decided_by.strip(), withdrawn_by=override.withdrawn_by.strip(),
                   withdrawn_reason=override.withdrawn_reason.strip())
