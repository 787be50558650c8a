"""Visit slots: one per affected unit, inside the work window, in the property's time zone.

`spread` places the units one after the other (in floor or unit order) within the working hours of
each local day, skipping breaks and the days a caller excludes (the law's weekends and holidays),
with a buffer between visits. Working hours are wall-clock times of each day, so a window that
crosses a daylight-saving change keeps its 08:00 start on both sides; durations are real time, so
a visit over the night of the change lasts what it says. Nothing is stored here: the caller saves
all the slots at once, or none when they do not fit.

`slot_flags` reports overlapping slots, slots outside the window or the working hours, and units
left without a slot. Dates in messages read like "Tue 12 May 2026 09:00 (Europe/Paris)".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from maintdesk.errors import InvalidInput
from maintdesk.i18n import english
from maintdesk.planning.findings import Finding, labels
from maintdesk.planning.wording import Phrase, day_of, phrase, say, span
from maintdesk.planning.wording import moment as moment_phrase
from maintdesk.records.models import Slot, Unit, WorkOrder
from maintdesk.records.terms import WorkTerms, parse_period
from maintdesk.timeutil import UTC, zone

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DURATION = re.compile(r"^(?:(\d+)h)?\s*(?:(\d+)(?:m|min)?)?$")

ExcludedDay = Callable[[date], "str | None"]  # a reason when no visit may take place that day


class SlotsDoNotFit(InvalidInput):
    """The units do not all fit in the window with these rules; nothing was placed."""


def day_text(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def local_text(moment: datetime, zone_name: str, *, with_zone: bool = True) -> str:
    """'Tue 12 May 2026 09:00 (Europe/Paris)': the same words whatever the letter's language."""
    wall = moment.astimezone(zone(zone_name))
    text = f"{day_text(wall.date())} {wall:%H:%M}"
    return f"{text} ({zone_name})" if with_zone else text


def span_text(start: datetime, end: datetime, zone_name: str) -> str:
    """'Tue 12 May 2026 09:00–09:45' (the end's date only when it differs)."""
    a, b = start.astimezone(zone(zone_name)), end.astimezone(zone(zone_name))
    tail = f"{b:%H:%M}" if a.date() == b.date() else local_text(end, zone_name, with_zone=False)
    return f"{local_text(start, zone_name, with_zone=False)}–{tail}"


def span_words(start: datetime, end: datetime, zone_name: str) -> Phrase:
    """`span_text` in every language of the findings."""
    return span(start, end, zone_name, lambda: span_text(start, end, zone_name))


def moment_words(moment: datetime, zone_name: str) -> Phrase:
    """`local_text` in every language of the findings."""
    return moment_phrase(moment, zone_name, lambda: local_text(moment, zone_name))


def day_words(day: date) -> Phrase:
    """`day_text` in every language of the findings."""
    return day_of(day, lambda: day_text(day))


def parse_minutes(text: str) -> int:
    """'45m', '45', '1h', '1h30m', '1h 30min' → minutes."""
    match = _DURATION.match(text.strip().lower())
    if not text.strip() or not match or not any(match.groups()):
        raise InvalidInput(f'"{text}" is not a duration such as 45m, 1h or 1h30m')
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def wall_to_utc(day: date, clock: time, zone_name: str) -> datetime:
    """A wall-clock time of a local day, as UTC. A time skipped by a spring-forward change is read
    with the offset before the change (02:30 becomes 03:30 summer time); a repeated one is the first."""
    return datetime.combine(day, clock, tzinfo=zone(zone_name)).astimezone(UTC)


def order_units(units: list[Unit], order: str) -> list[Unit]:
    def natural(label: str) -> list[object]:
        return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", label)]

    def floor(unit: Unit) -> int:
        return unit.floor if unit.floor is not None else 10**6

    if order == "unit":
        return sorted(units, key=lambda u: natural(u.label))
    if order == "floor-desc":
        return sorted(units, key=lambda u: (-u.floor if u.floor is not None else 10**6, natural(u.label)))
    return sorted(units, key=lambda u: (floor(u), natural(u.label)))


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime


def working_segments(day: date, terms: WorkTerms, zone_name: str) -> list[Segment]:
    """The working hours of one local day, minus the breaks, as UTC periods."""
    day_start, day_end = parse_period(f"{terms.day_start}-{terms.day_end}")
    pieces = [(day_start, day_end)]
    for break_start, break_end in sorted(parse_period(b) for b in terms.breaks):
        cut = []
        for a, b in pieces:
            if break_end <= a or break_start >= b:
                cut.append((a, b))
                continue
            if a < break_start:
                cut.append((a, break_start))
            if break_end < b:
                cut.append((break_end, b))
        pieces = cut
    return [Segment(wall_to_utc(day, a, zone_name), wall_to_utc(day, b, zone_name)) for a, b in pieces]


def spread(work: WorkOrder, units: list[Unit], terms: WorkTerms, zone_name: str,
           excluded_day: ExcludedDay | None = None, not_before: datetime | None = None) -> list[Slot]:
    """One slot per unit, in order, inside the window (and not before `not_before`, e.g. now);
    SlotsDoNotFit when they do not all fit."""
    ordered = order_units(units, terms.slot_order)
    duration, buffer = timedelta(minutes=terms.slot_minutes), timedelta(minutes=terms.buffer_minutes)
    tz = zone(zone_name)
    slots: list[Slot] = []
    skipped: list[str] = []
    day, last_day = work.window_start.astimezone(tz).date(), work.window_end.astimezone(tz).date()
    last_end: datetime | None = None
    first_start = max(work.window_start, not_before) if not_before else work.window_start
    while day <= last_day and len(slots) < len(ordered):
        reason = excluded_day(day) if excluded_day else None
        if reason:
            skipped.append(f"{day_text(day)} ({reason})")
        else:
            for segment in working_segments(day, terms, zone_name):
                cursor = max(segment.start, first_start)
                if last_end is not None:
                    cursor = max(cursor, last_end + buffer)
                end = min(segment.end, work.window_end)
                while cursor + duration <= end and len(slots) < len(ordered):
                    slots.append(Slot(ordered[len(slots)].id, cursor, cursor + duration))
                    last_end = cursor + duration
                    cursor = last_end + buffer
        day += timedelta(days=1)
    if len(slots) < len(ordered):
        if not_before and not_before > work.window_start:
            skipped.insert(0, f"nothing before {local_text(not_before, zone_name, with_zone=False)}")
        left = [u.label for u in ordered[len(slots):]]
        breaks = f", breaks {', '.join(terms.breaks)}" if terms.breaks else ""
        skipped_text = f"; skipped: {', '.join(skipped)}" if skipped else ""
        raise SlotsDoNotFit(
            english(len(left), "{n} unit", "{n} units") + f" of {len(ordered)} "
            + english(len(left), "does", "do") + " not fit: the window "
            f"{span_text(work.window_start, work.window_end, zone_name)} ({zone_name}) has room for "
            f"{english(len(slots), '{n} visit', '{n} visits')} of {terms.slot_minutes} min with {terms.buffer_minutes} min between "
            f"them (working hours {terms.day_start}–{terms.day_end}{breaks}{skipped_text}); lengthen the window, "
            f"shorten the visits or the buffer, or choose fewer units. Nothing was saved.",
            f"units left without a slot: {labels(left, 40)}",
        )
    return slots


def slot_flags(work: WorkOrder, units: list[Unit], terms: WorkTerms, zone_name: str) -> list[Finding]:
    """Overlaps, slots outside the window or the working hours, units without a slot."""
    label = {u.id: u.label for u in units}
    slots = sorted(work.slots, key=lambda s: (s.start, s.unit_id))
    name = lambda s: label.get(s.unit_id, f"unit {s.unit_id}")  # noqa: E731
    findings: list[Finding] = []
    strangers = [s for s in slots if s.unit_id not in label]
    if strangers:
        findings.append(Finding.worded(
            "slots/not-affected", "slots", "error",
            say(phrase("slots/not-affected", n=len(strangers)), phrase("slots/not-affected.fix")),
            units=[name(s) for s in strangers]))
    outside = [s for s in slots if s.start < work.window_start or s.end > work.window_end]
    if outside:
        first = outside[0]
        findings.append(Finding.worded(
            "slots/outside-window", "slots", "error",
            say(phrase("slots/outside-window", n=len(outside), zone=zone_name, unit=name(first),
                       window=span_words(work.window_start, work.window_end, zone_name),
                       span=span_words(first.start, first.end, zone_name)),
                phrase("slots/outside-window.fix")),
            units=[name(s) for s in outside]))
    pairs = [(a, b) for i, a in enumerate(slots) for b in slots[i + 1:] if b.start < a.end]
    if pairs:
        a, b = pairs[0]
        findings.append(Finding.worded(
            "slots/overlap", "slots", "warning",
            say(phrase("slots/overlap", n=len(pairs), a=name(a), b=name(b), zone=zone_name,
                       span_a=span_words(a.start, a.end, zone_name), span_b=span_words(b.start, b.end, zone_name)),
                phrase("slots/overlap.fix")),
            units=sorted({name(s) for pair in pairs for s in pair})))
    # Working hours are the manager's own (saved with `work slots --auto`): no defaults are imposed.
    off_hours = [s for s in slots if terms.slot_rules_saved and not within_working_hours(s, terms, zone_name)]
    if off_hours:
        first = off_hours[0]
        findings.append(Finding.worded(
            "slots/outside-hours", "slots", "warning",
            say(phrase("slots/outside-hours", n=len(off_hours), start=terms.day_start, end=terms.day_end,
                       brk=phrase("slots/in-break") if terms.breaks else "", unit=name(first),
                       span=span_words(first.start, first.end, zone_name)),
                phrase("slots/outside-hours.fix")),
            units=[name(s) for s in off_hours]))
    if work.scope == "units":
        missing = [u.label for u in units if u.id not in {s.unit_id for s in slots}]
        if missing:
            findings.append(Finding.worded(
                "slots/missing", "slots", "info" if not slots else "warning",
                say(phrase("slots/missing", n=len(missing)), phrase("slots/missing.fix")), units=missing))
    return findings


def within_working_hours(slot: Slot, terms: WorkTerms, zone_name: str) -> bool:
    day = slot.start.astimezone(zone(zone_name)).date()
    return any(seg.start <= slot.start and slot.end <= seg.end for seg in working_segments(day, terms, zone_name))
