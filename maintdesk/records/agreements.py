"""A tenant's written agreement to a visit on days or at hours the law excludes, per unit.

Some entry rules give way when the tenant agrees (France: no works on Saturdays, Sundays or public
holidays "without the tenant's express agreement"). One tenant may agree while the neighbour does
not, so the agreement is recorded per work order and unit, with a note of where it is written
(e.g. "signed letter of 3 May"), who recorded it and when. It is kept as recorded and can be
withdrawn once, with who, when and why. Stored by `Store` (schema 7); the rules engine reads it
through `Visit.agreed` (maintdesk.planning.rules.facts).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from maintdesk.errors import Problem, ValidationError


@dataclass
class EntryAgreement:
    work_order_id: int
    unit_id: int
    note: str  # where the agreement is written, e.g. "signed letter of 3 May"
    recorded_by: str
    recorded_at: datetime | None = None
    id: int | None = None
    withdrawn_at: datetime | None = None  # the tenant took the agreement back: the law's limits apply again
    withdrawn_by: str = ""
    withdrawn_note: str = ""

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


def clean_agreement(agreement: EntryAgreement) -> EntryAgreement:
    required = [("note", "where the agreement is written, e.g. signed letter of 3 May"),
                ("recorded_by", "who records the agreement")]
    if agreement.withdrawn_at is not None:
        required += [("withdrawn_by", "who records the withdrawal"),
                     ("withdrawn_note", "why or how the agreement was withdrawn")]
    problems = [Problem(name, "is required: say " + what) for name, what in required
                if not getattr(agreement, name).strip()]
    if problems:
        raise ValidationError(problems)
    return replace(agreement, note=agreement.note.strip(), recorded_by=agreement.recorded_by.strip(),
                   withdrawn_by=agreement.withdrawn_by.strip(), withdrawn_note=agreement.withdrawn_note.strip())
