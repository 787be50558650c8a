"""How notice periods are counted (maintdesk.planning.rules.counting): each convention at its boundary."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from maintdesk.planning.rules import Duration
from maintdesk.planning.rules.counting import Clock, Counting
from maintdesk.timeutil import UTC, zone

BERLIN, SEATTLE = "Europe/Berlin", "America/Los_Angeles"
GERMAN = Counting(days="whole", service_day="excluded", entry_day="excluded")


def at(zone_name: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone(zone_name)).astimezone(UTC)


def allows(clock: Clock, received: datetime, period: str, entry: datetime) -> bool:
    return clock.entry_from(received, Duration.parse(period)) <= entry


def test_bgb_187_188_three_months_received_1_april_allow_works_from_2_july_not_1_july():
    clock = Clock(GERMAN, BERLIN)
    received = at(BERLIN, 2027, 4, 1, 7, 0)
    assert not allows(clock, received, "3mo", at(BERLIN, 2027, 7, 1, 8, 0))
    assert allows(clock, received, "3mo", at(BERLIN, 2027, 7, 2, 0, 0))
    # the latest receipt for works on 1 July is the whole of 31 March
    latest = clock.receive_by(at(BERLIN, 2027, 7, 1, 8, 0), Duration.parse("3mo"))
    assert latest.astimezone(zone(BERLIN)).date() == date(2027, 3, 31)
    assert allows(clock, latest, "3mo", at(BERLIN, 2027, 7, 1, 8, 0))


def test_a_month_without_the_same_day_ends_on_its_last_day():
    clock = Clock(GERMAN, BERLIN)  # received 30 November: one month ends at the end of 30 December → works 31st
    received = at(BERLIN, 2026, 11, 30, 12, 0)
    assert not allows(clock, received, "1mo", at(BERLIN, 2026, 12, 30, 23, 0))
    assert allows(clock, received, "1mo", at(BERLIN, 2026, 12, 31, 0, 0))
    received = at(BERLIN, 2027, 1, 31, 12, 0)  # 31 January + 1 month: the end of 28 February → works 1 March
    assert not allows(clock, received, "1mo", at(BERLIN, 2027, 2, 28, 12, 0))
    assert allows(clock, received, "1mo", at(BERLIN, 2027, 3, 1, 0, 0))


@pytest.mark.parametrize("service, entry, first_day", [
    ("excluded", "counted", 3),   # received Monday 1st, 2 days = Tue, Wed: entry on Wednesday
    ("excluded", "excluded", 4),  # clear days: Thursday
    ("counted", "counted", 2),    # the day of receipt is day 1: Tuesday
])
def test_whole_days_with_the_day_of_service_and_the_day_of_entry(service, entry, first_day):
    clock = Clock(Counting(days="whole", service_day=service, entry_day=entry), "Australia/Sydney")
    received = at("Australia/Sydney", 2027, 2, 1, 23, 0)  # a Monday, late in the evening
    assert allows(clock, received, "2d", at("Australia/Sydney", 2027, 2, first_day, 0, 0))
    assert not allows(clock, received, "2d", at("Australia/Sydney", 2027, 2, first_day - 1, 23, 59))


def test_business_days_skip_weekends_and_the_public_holidays_of_the_place():
    holiday = {date(2027, 4, 5)}  # Easter Monday
    clock = Clock(Counting(days="business"), "Europe/Paris", lambda day: day in holiday)
    received = at("Europe/Paris", 2027, 4, 1, 10, 0)  # Thursday: Fri 2 (1), Mon 5 holiday, Tue 6 (2)
    assert not allows(clock, received, "2d", at("Europe/Paris", 2027, 4, 5, 23, 0))
    assert allows(clock, received, "2d", at("Europe/Paris", 2027, 4, 6, 8, 0))


def test_business_day_deemed_receipt_by_post():
    clock = Clock(Counting(), "Australia/Sydney", lambda day: False)
    sent = at("Australia/Sydney", 2027, 2, 5, 16, 0)  # Friday; 2 business days: Mon 8, Tue 9
    received = clock.received(sent, Duration.parse("2bd"))
    assert received == at("Australia/Sydney", 2027, 2, 9, 16, 0)
    # posted on the Sunday, it is deemed received on the same Tuesday: the latest day to post
    latest = clock.send_by(received, Duration.parse("2bd"))
    assert latest == at("Australia/Sydney", 2027, 2, 7, 16, 0)
    assert clock.received(latest, Duration.parse("2bd")) == received
    assert clock.received(at("Australia/Sydney", 2027, 2, 8, 16, 0), Duration.parse("2bd")) > received


def test_two_days_as_48_hours_across_the_spring_clock_change():
    wall, hours = Clock(Counting(), SEATTLE), Clock(Counting(min_hours=True), SEATTLE)
    received = at(SEATTLE, 2027, 3, 12, 10, 0)  # Friday 10:00 PST; Sunday 14 March the clocks go forward
    entry = at(SEATTLE, 2027, 3, 14, 10, 0)  # Sunday 10:00 PDT: 2 wall-clock days, 47 real hours
    assert allows(wall, received, "2d", entry)
    assert not allows(hours, received, "2d", entry)
    assert allows(hours, received, "2d", at(SEATTLE, 2027, 3, 14, 11, 0))  # 48 real hours
    assert hours.receive_by(entry, Duration.parse("2d")) == at(SEATTLE, 2027, 3, 12, 9, 0)


def test_two_days_as_48_hours_across_the_autumn_clock_change():
    hours = Clock(Counting(min_hours=True), SEATTLE)
    received = at(SEATTLE, 2026, 10, 30, 10, 0)  # Friday PDT; Sunday 1 November the clocks go back
    assert not allows(hours, received, "2d", at(SEATTLE, 2026, 11, 1, 9, 0))  # 48 real hours, 1 wall hour short
    assert allows(hours, received, "2d", at(SEATTLE, 2026, 11, 1, 10, 0))  # 49 real hours, 2 wall-clock days


def test_hours_are_real_hours_in_every_mode():
    for counting in (Counting(), GERMAN, Counting(days="business")):
        clock = Clock(counting, "Europe/London")
        received = at("Europe/London", 2027, 3, 27, 10, 0)  # Saturday GMT; Sunday 28 March is BST
        assert clock.entry_from(received, Duration.parse("24h")) == at("Europe/London", 2027, 3, 28, 11, 0)


def test_counting_rejects_unknown_values():
    with pytest.raises(ValueError):
        Counting.parse({"days": "lunar"})
    with pytest.raises(ValueError):
        Counting.parse({"days": "whole", "service": "excluded"})
    assert "not counted" in GERMAN.words() and "ended before" in GERMAN.words()
