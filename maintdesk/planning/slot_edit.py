"""One unit's visit slot set, moved or removed by hand (a tenant calls and asks for the afternoon).

Times come as wall-clock times in the property's time zone and are kept in UTC. A time the clocks
skip (a spring-forward night) is refused with the times on either side of the gap; a time the
clocks repeat (an autumn night) is the first of the two, like everywhere else in MaintDesk.
Nothing here saves: the caller hands the new list to `Store.save_slots` or keeps it in a form.
Problems are a ValidationError naming the field: `unit`, `start` or `end`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from maintdesk.planning import scheduling
from maintdesk.errors import Problem, ValidationError
from maintdesk.planning.findings import Finding, labels
from maintdesk.records.models import Slot, Unit, WorkOrder
from maintdesk.planning.communication import gather_facts
from maintdesk.planning.rules.engine import evaluate
from maintdesk.planning.rules.facts import Visit
from maintdesk.records.store import Store
from maintdesk.records.terms import WorkTerms
from maintdesk.timeutil import UTC, local, zone

_WALL = re.compile(r"^(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{1,2}):(\d{2})$")


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError([Problem(field, message)])


def parse_wall(text: str, field: str, day: date) -> datetime:
    """'2026-12-01 14:00' (or 2026-12-01T14:00), or '14:00' on `day`: a naive wall-clock time."""
    match = _WALL.match(text.strip())
    if not match:
        raise _refuse(field, f'"{text}" is not a time such as 14:00 or 2026-12-01 14:00')
    try:
        on = date.fromisoformat(match[1]) if match[1] else day
        clock = time(int(match[2]), int(match[3]))
    except ValueError:
        raise _refuse(field, f'"{text}" is not a real date and time; write it like 2026-12-01 14:00') from None
    return datetime.combine(on, clock)


def wall_to_utc(wall: datetime, zone_name: str, field: str) -> datetime:
    """A wall-clock time in the zone as UTC; a time that does not exist there (clocks go forward) is refused."""
    tz = zone(zone_name)
    moment = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    jump = moment.astimezone(tz).replace(tzinfo=None) - wall
    if jump:
        change = moment - jump
        while change.astimezone(tz).utcoffset() == (moment - jump).astimezone(tz).utcoffset():
            change += timedelta(minutes=1)
        after = change.astimezone(tz)
        raise _refuse(field, f"{wall:%H:%M} does not exist on {scheduling.day_text(wall.date())} in {zone_name}: "
                             f"the clocks go from {after - jump:%H:%M} straight to {after:%H:%M}; "
                             "choose another time")
    return moment


def find_unit(units: list[Unit], label: str) -> Unit:
    """The affected unit with this label (case does not matter)."""
    wanted = label.strip().casefold()
    for unit in units:
        if unit.label.casefold() == wanted:
            return unit
    names = labels([u.label for u in units], 12) or "none"
    raise _refuse("unit", f'"{label}" is not a unit this work affects; choose one of {names}')


def set_slot(work: WorkOrder, units: list[Unit], unit_id: int, start: datetime, end: datetime,
             zone_name: str) -> list[Slot]:
    """The work order's slots with the unit's slot set (or moved) to start–end (UTC); the others unchanged."""
    if unit_id not in {u.id for u in units}:
        raise _refuse("unit", f"unit {unit_id} is not among the units this work affects")
    if end <= start:
        raise _refuse("end", f"must be after the start ({local(start, zone_name):%H:%M} on "
                             f"{scheduling.day_text(local(start, zone_name).date())})")
    if start < work.window_start or end > work.window_end:
        field = "start" if start < work.window_start or start >= work.window_end else "end"
        raise _refuse(field, f"the visit {scheduling.span_text(start, end, zone_name)} lies outside the work window "
                             f"{scheduling.span_text(work.window_start, work.window_end, zone_name)} ({zone_name}); "
                             "move it inside the window or widen the window first")
    others = [s for s in work.slots if s.unit_id != unit_id]
    return sorted([*others, Slot(unit_id, start, end)], key=lambda s: (s.start, s.unit_id))


def remove_slot(work: WorkOrder, units: list[Unit], unit_id: int) -> list[Slot]:
    """The work order's slots without the unit's slot."""
    if not any(s.unit_id == unit_id for s in work.slots):
        label = next((u.label for u in units if u.id == unit_id), f"unit {unit_id}")
        raise _refuse("unit", f"{label} has no visit slot to remove")
    return [s for s in work.slots if s.unit_id != unit_id]


def slot_warnings(store: Store, work: WorkOrder, terms: WorkTerms, unit_id: int | None = None) -> list[Finding]:
    """What the slots' own check says (overlaps, window, saved working hours) and, for `unit_id`'s slot,
    the law's days and hours of entry. `work` may be unsaved, as a form holds it."""
    zone_name = store.get_property(work.property_id).timezone
    units = store.affected_units(work)
    findings = scheduling.slot_flags(work, units, terms, zone_name)
    slot = next((s for s in work.slots if s.unit_id == unit_id), None)
    if slot is not None:
        label = next((u.label for u in units if u.id == unit_id), f"unit {unit_id}")
        facts = gather_facts(store, replace(work, id=work.id or 0), terms=terms)
        # Only this visit: the other units' visits have findings of their own in `work check`.
        agreed = any(v.agreed for v in facts.visits if v.unit_id == unit_id)
        facts = replace(facts, visits=(Visit(unit_id, label, slot.start, slot.end, True, agreed),))
        findings += [f for f in evaluate(facts)
                     if f.check == "law" and f.code.endswith(("/hours", "/days", "/agreed"))]
    return findings
