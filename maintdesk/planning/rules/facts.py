"""What the rules engine reads about a work order (built from the store by maintdesk.planning.communication)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from maintdesk.records.models import Property, WorkOrder
from maintdesk.records.terms import WorkTerms


@dataclass(frozen=True)
class Visit:
    unit_id: int | None
    unit: str  # label, or "building" for building-wide work
    start: datetime
    end: datetime
    from_slot: bool
    agreed: bool = False  # the unit's tenant agreed in writing to a visit outside the lawful days or hours


@dataclass(frozen=True)
class Recipient:
    tenant_id: int
    name: str
    unit_id: int
    unit: str
    methods: tuple[str, ...]  # how the notice will go: email, hand, mail, registered
    issued: tuple[tuple[str, datetime], ...]  # (method, sent) of notices already issued
    email_consent: bool = False  # the tenant's written consent to notices by email is recorded
    lease_notice: str = ""  # the lease's own notice period (the tenant's, else the property's), e.g. "48h"


@dataclass(frozen=True)
class WorkFacts:
    work: WorkOrder
    prop: Property
    terms: WorkTerms
    nature: str
    visits: tuple[Visit, ...]
    recipients: tuple[Recipient, ...]
    at: datetime

    def entry_of(self, unit_id: int) -> datetime:
        times = [v.start for v in self.visits if v.unit_id in (unit_id, None)]
        return min(times) if times else self.work.window_start
