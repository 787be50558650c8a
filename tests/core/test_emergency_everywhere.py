"""The demo's emergency work order, checked under every jurisdiction MaintDesk has rules for: none of
those laws asks advance notice of urgent work, so the check passes (a warning may remain, e.g. France's
Saturday, but no error), and the law's words on emergencies are shown as information."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from maintdesk.planning.checks import check_work_order
from maintdesk.planning.rules import load_all
from maintdesk.timeutil import UTC

AT = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def emergency_of(store):
    return next(w for w in store.list_work_orders() if w.emergency)


@pytest.mark.parametrize("code", sorted(set(load_all()) - {"default"}))
def test_an_emergency_checks_ok_wherever_the_law_asks_no_notice(demo, paths, code):
    work = emergency_of(demo)
    prop = demo.get_property(work.property_id)
    demo.save_property(replace(prop, jurisdiction=code))
    report = check_work_order(demo, paths, work.id, AT)
    errors = [f.code for f in report.findings if f.severity == "error" and not f.overridden]
    assert errors == [], errors
    assert report.view()["ok"]
    assert not [f for f in report.findings if f.code.startswith("content/")], "content is not asked of an emergency"
    if load_all()[code].emergency:
        assert any(f.code == f"{code}/emergency" and f.severity == "info" for f in report.findings)


def test_chicago_asks_the_notice_within_two_days_after_an_emergency_entry(demo, paths):
    work = emergency_of(demo)
    demo.save_property(replace(demo.get_property(work.property_id), jurisdiction="US-IL-CHI"))
    report = check_work_order(demo, paths, work.id, AT)
    after = next(f for f in report.findings if f.code == "US-IL-CHI/emergency/after")
    assert after.severity == "info" and "within 2 days" in after.message and after.fix.startswith("issue the emergency")
    late = check_work_order(demo, paths, work.id, work.window_start + timedelta(days=3))  # nobody told yet
    overdue = next(f for f in late.findings if f.code == "US-IL-CHI/emergency/after")
    assert overdue.severity == "warning"
