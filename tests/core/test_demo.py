"""The demo database: realistic, varied, valid, and deterministic for a given day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from maintdesk.records import interchange
from maintdesk.records.demo import create_demo
from maintdesk.timeutil import local

# The radiator servicing: two days, a morning and an afternoon block of six 35-minute visits each.
SLOT_STARTS = ["08:30", "09:10", "09:50", "10:30", "11:10", "11:50",
               "13:30", "14:10", "14:50", "15:30", "16:10", "16:50"]


@pytest.fixture
def make_demo(open_store, tmp_path):
    def _make(today: date, name: str = "demo"):
        store = open_store(tmp_path / f"{name}-{today.isoformat()}.sqlite")
        create_demo(store, today=today)
        return store

    return _make


def by_city(store) -> dict:
    return {p.city: p for p in store.list_properties()}


def work_orders(store) -> dict:
    """The three demo work orders by their role."""
    works = store.list_work_orders()
    return {
        "slotted": next(w for w in works if w.slots),
        "building": next(w for w in works if w.scope == "building"),
        "emergency": next(w for w in works if w.emergency),
        "all": works,
    }


def test_a_paris_building_and_a_north_american_one(demo_store):
    properties = demo_store.list_properties()
    assert len(properties) >= 2
    paris = by_city(demo_store)["Paris"]
    assert (paris.country, paris.jurisdiction, paris.timezone) == ("FR", "FR", "Europe/Paris")
    assert 20 <= len(demo_store.list_units(paris.id)) <= 28
    french = [r for r in demo_store.list_tenants(paris.id) if r.tenant.language == "fr"]
    assert len(french) > len(demo_store.list_tenants(paris.id)) / 2

    american = [p for p in properties if p.country in ("US", "CA")]
    assert american and american[0].timezone.startswith("America/")
    assert 25 <= len(demo_store.list_units(american[0].id)) <= 36
    assert american[0].manager_phone.startswith("+1")


def test_tenants_are_varied_like_real_ones(demo_store):
    tenants = [row.tenant for row in demo_store.list_tenants()]
    names = [t.name for t in tenants]

    assert len(tenants) >= 40
    assert any(not name.isascii() for name in names), "accented names"
    assert any(len(name) > 35 for name in names), "a long name, to test letter layout"
    assert any(t.email == "" for t in tenants), "some without email"
    assert any(t.channel == "print" for t in tenants), "some prefer paper"
    assert any(t.channel == "both" for t in tenants)
    assert any(t.large_print for t in tenants), "at least one large-print letter"
    assert any(t.access_notes for t in tenants)
    assert {t.language for t in tenants} == {"en", "fr"}
    assert all(t.phone == "" or t.phone.startswith("+") for t in tenants), "phones stored as E.164"
    assert all(t.email for t in tenants if t.channel in ("email", "both"))


def test_three_work_orders_each_showing_a_different_case(demo_store):
    works = work_orders(demo_store)
    assert len(works["all"]) == 3

    slotted = works["slotted"]
    affected = demo_store.affected_units(slotted)
    assert sorted(s.unit_id for s in slotted.slots) == sorted(u.id for u in affected)
    assert all(slotted.window_start <= s.start < s.end <= slotted.window_end for s in slotted.slots)
    assert len(slotted.actions) >= 3
    assert all(set(a.text) == {"en", "fr"} for a in slotted.actions)
    assert slotted.actions[0].text["en"] == "Clear one metre in front of every radiator."

    building = works["building"]
    assert building.all_units and building.slots == [] and not building.emergency
    assert by_city(demo_store)["Toronto"].id == building.property_id

    emergency = works["emergency"]
    assert emergency.status == "in_progress" and not emergency.all_units
    assert [u.label for u in demo_store.affected_units(emergency)] == ["3B", "4B", "5B", "6B"]


@pytest.mark.parametrize("today", [date(2026, 5, 11), date(2026, 1, 12), date(2026, 3, 25)],
                         ids=["summer-time", "winter-time", "made-before-the-march-change"])
def test_every_slot_is_at_the_expected_wall_clock_time_in_paris(make_demo, today):
    store = make_demo(today)
    slotted = work_orders(store)["slotted"]
    first_day = local(slotted.window_start, "Europe/Paris").date()
    assert 5 <= (first_day - today).days <= 7, "about five days after the demo is made"

    expected = [
        (day.isoformat(), start,
         (datetime.strptime(start, "%H:%M") + timedelta(minutes=35)).strftime("%H:%M"))
        for day in (first_day, first_day + timedelta(days=1)) for start in SLOT_STARTS
    ]
    seen = [
        (local(s.start, "Europe/Paris").date().isoformat(), local(s.start, "Europe/Paris").strftime("%H:%M"),
         local(s.end, "Europe/Paris").strftime("%H:%M"))
        for s in slotted.slots
    ]
    assert seen == expected
    assert local(slotted.window_start, "Europe/Paris").strftime("%H:%M") == "08:30"
    assert local(slotted.window_end, "Europe/Paris").strftime("%Y-%m-%d %H:%M") == (
        f"{first_day + timedelta(days=1)} 17:30")


def test_dates_follow_the_day_the_demo_is_made(make_demo):
    early = work_orders(make_demo(date(2026, 5, 11)))  # two Mondays, two weeks apart
    late = work_orders(make_demo(date(2026, 5, 25)))

    for role in ("slotted", "building", "emergency"):
        assert late[role].window_start - early[role].window_start == timedelta(days=14), role
        assert late[role].window_end - early[role].window_end == timedelta(days=14), role
    assert [s.start + timedelta(days=14) for s in early["slotted"].slots] == [s.start for s in late["slotted"].slots]


def test_windows_are_near_the_day_the_demo_is_made(make_demo):
    today = date(2026, 5, 11)
    store = make_demo(today)
    zones = {p.id: p.timezone for p in store.list_properties()}
    works = work_orders(store)

    def local_day(work):
        return local(work.window_start, zones[work.property_id]).date()

    assert local_day(works["emergency"]) == today, "the emergency is happening today"
    assert today < local_day(works["slotted"]) <= today + timedelta(days=30)
    assert today < local_day(works["building"]) <= today + timedelta(days=30)
    assert local(works["building"].window_start, "America/Toronto").strftime("%H:%M") == "09:00"


def test_the_same_day_gives_the_same_demo(make_demo):
    def without_creation_times(store) -> dict:
        data = interchange.export_data(store)
        for prop in data["properties"]:
            for work in prop["work_orders"]:
                work.pop("created_at")
        return data

    first = without_creation_times(make_demo(date(2026, 5, 11), "first"))
    second = without_creation_times(make_demo(date(2026, 5, 11), "second"))
    assert first == second
