"""Findings propose fixes that pass the same rule, every warning has a fix, a day that is both a
weekend day and a holiday is named as both, and a lease's longer notice is applied."""

from __future__ import annotations

from datetime import date, timedelta

from maintdesk.records.models import Property
from test_law_audit import TUESDAY, at, law, make, severity


def test_france_1_may_2027_is_named_a_saturday_and_a_public_holiday(store):
    found = law(store, make(store, "FR", date(2027, 5, 1)), at("FR", date(2027, 4, 20), 9))
    message = found["FR/off-days/days"].message
    assert "Saturday" in message and "public holiday: Labor Day" in message
    assert "Mon 3 May 2027" in found["FR/off-days/days"].fix


def test_an_issued_short_warning_proposes_a_date_that_gives_good_practice_notice(store):
    entry = at("US-CA", TUESDAY, 10)  # 30 h after the notice by hand: lawful (24 h), short of 72 h
    found = law(store, make(store, "US-CA", issued=("print", entry - timedelta(hours=30))), entry - timedelta(hours=1))
    warning = found["US-CA/notice/issued-short"]
    assert warning.severity == "warning" and warning.fix
    # 72 h after the notice (Mon 04:00) is Thu 04:00; California's business hours move it to 08:00
    assert "move their visits to Thu 14 May 2026 08:00 (America/Los_Angeles) or later" in warning.fix, warning.fix


def test_a_late_fix_in_california_moves_to_a_weekday_within_business_hours(store):
    saturday = TUESDAY + timedelta(days=4)
    entry = at("US-CA", saturday, 9)
    found = law(store, make(store, "US-CA", saturday, 9), entry - timedelta(hours=2))
    fix = found["US-CA/notice/too-late"].fix
    assert "Mon 18 May 2026 08:00" in fix, fix


def test_a_lease_asking_more_than_the_law_is_applied_as_a_warning(store):
    entry = at("US-CA", TUESDAY, 10)
    work_id = make(store, "US-CA", issued=("print", entry - timedelta(hours=30)))
    prop = next(p for p in store.list_properties() if p.jurisdiction == "US-CA")
    store.save_property(Property(**{**prop.__dict__, "lease_notice": "48h"}))
    found = law(store, work_id, entry - timedelta(hours=1))
    lease = found["lease/lease/issued-late"]
    assert lease.severity == "warning" and "48 h the lease asks for" in lease.message
    assert severity(found, "US-CA/notice/issued-short") == "warning"  # the law itself is kept
