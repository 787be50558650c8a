"""How a jurisdiction counts its notice periods: the `[counting]` table of a rules file.

A period runs from the moment the tenant is deemed to have the notice (sent + the method's
deemed-receipt time, `[transit]`) to the entry. Statutes count it in different ways:

- `wall`: days, weeks and months on the property's wall clock from the moment of receipt (a day
  stays a day across daylight saving); hours are real hours everywhere.
- `whole`: whole calendar days, the time of day ignored. `service_day = "excluded"` leaves the day
  of receipt out (BGB §187(1)); `entry_day = "excluded"` asks the period to have run out before the
  day of entry ("clear days"; BGB §188: a period ends at the end of its last day).
- `business`: whole days, counting Monday to Friday that are not public holidays at the property.
- `min_hours`: a period in days (or weeks) also needs as many times 24 real hours ("2 days" read as
  at least 48 hours).

A duration in `bd` is counted in business days whatever the mode. `Clock` applies all of this for
one property: the earliest entry a notice allows and the latest moment to send it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from maintdesk.timeutil import UTC, zone

DAYS = ("wall", "whole", "business")
SIDES = ("excluded", "counted")
_END_OF_DAY = time(23, 59)


@dataclass(frozen=True)
class Counting:
    days: str = "wall"
    service_day: str = "excluded"
    entry_day: str = "counted"
    min_hours: bool = False

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Counting:
        counting = cls(**{key: data[key] for key in ("days", "service_day", "entry_day", "min_hours") if key in data})
        if set(data) - {"days", "service_day", "entry_day", "min_hours"}:
            raise ValueError(f"unknown counting keys: {', '.join(sorted(set(data) - set(cls.__annotations__)))}")
        if counting.days not in DAYS or counting.service_day not in SIDES or counting.entry_day not in SIDES:
            raise ValueError(f"days must be one of {DAYS}; service_day and entry_day one of {SIDES}")
        if not isinstance(counting.min_hours, bool):
            raise ValueError("min_hours must be true or false")
        return counting

    def words(self) -> str:
        """How the periods are counted, in plain English (shown with the rule's provenance)."""
        if self.days == "wall":
            text = "days counted on the clock from the moment the notice is received"
        else:
            kind = "business days" if self.days == "business" else "whole calendar days"
            text = (f"{kind}; the day the notice is received is {'not ' if self.service_day == 'excluded' else ''}"
                    f"counted; the period must {'have ended before' if self.entry_day == 'excluded' else 'end by'} "
                    "the day of entry")
        return text + ("; a period in days also needs as many times 24 hours" if self.min_hours else "")


WALL = Counting()


@dataclass(frozen=True)
class Clock:
    """A rule's counting at one property: its time zone and its public holidays."""

    counting: Counting
    zone_name: str
    holiday: Callable[[date], bool] = lambda day: False

    def business(self, day: date) -> bool:
        return day.weekday() < 5 and not self.holiday(day)

    def received(self, sent: datetime, transit: Any) -> datetime:
        """When a notice sent at `sent` counts as received (`transit` is the method's Duration)."""
        if transit.unit != "bd":
            return transit.after(sent, self.zone_name)
        wall = self._local(sent)
        day, left = wall.date(), transit.amount
        while left:
            day += timedelta(days=1)
            left -= self.business(day)
        return self._at(day, wall.time())

    def entry_from(self, received: datetime, period: Any) -> datetime:
        """The earliest entry that a notice received at `received` allows under `period`."""
        if period.unit == "h":
            return received + timedelta(hours=period.amount)
        if self.counting.days == "wall" and period.unit != "bd":
            earliest = period.after(received, self.zone_name)
        else:
            last = self._last_day(self._local(received).date(), period)
            earliest = self._at(last + timedelta(days=self.counting.entry_day == "excluded"), time(0))
        if self.counting.min_hours and period.unit in ("d", "w"):
            earliest = max(earliest, received + timedelta(days=period.amount * (7 if period.unit == "w" else 1)))
        return earliest

    def receive_by(self, entry: datetime, period: Any) -> datetime:
        """The latest moment of receipt that still allows `entry` under `period`."""
        if period.unit == "h":
            return entry - timedelta(hours=period.amount)
        if self.counting.days == "wall" and period.unit != "bd":
            latest = period.before(entry, self.zone_name)
        else:
            day = self._local(entry).date()
            while self.entry_from(self._at(day, time(0)), period) > entry:
                day -= timedelta(days=1)
            latest = self._at(day, _END_OF_DAY)
        if self.counting.min_hours and period.unit in ("d", "w"):
            latest = min(latest, entry - timedelta(days=period.amount * (7 if period.unit == "w" else 1)))
        return latest

    def send_by(self, received_by: datetime, transit: Any) -> datetime:
        """The latest moment to send so that the notice counts as received by `received_by`."""
        if transit.unit != "bd":
            return transit.before(received_by, self.zone_name)
        day = self._local(received_by).date()
        clock = self._local(received_by).time()
        while self.received(self._at(day, clock), transit) > received_by:
            day -= timedelta(days=1)
        return self._at(day, clock)

    def _last_day(self, received: date, period: Any) -> date:
        """The last day the period counts, from the day of receipt."""
        counted = self.counting.service_day == "counted"
        if self.counting.days != "business" and period.unit != "bd":
            return _shift(received, period) - timedelta(days=counted)
        left = period.amount * (5 if period.unit == "w" else 1)
        day = received - timedelta(days=1) if counted else received
        while left:
            day += timedelta(days=1)
            left -= self.business(day)
        return day

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(zone(self.zone_name)).replace(tzinfo=None)

    def _at(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock).replace(tzinfo=zone(self.zone_name)).astimezone(UTC)


def _shift(day: date, period: Any) -> date:
    if period.unit in ("d", "w"):
        return day + timedelta(days=period.amount * (7 if period.unit == "w" else 1))
    months = day.year * 12 + day.month - 1 + period.amount
    year, month = divmod(months, 12)
    last = (date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last))
