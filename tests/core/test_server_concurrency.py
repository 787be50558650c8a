"""Several desks on one PostgreSQL database at once, as real processes: the outbox drained by two
senders takes every queued notice exactly once, and notice numbers reserved by two desks at
once never meet (issue 17)."""

from __future__ import annotations

from datetime import datetime, timezone

from maintdesk.records.models import Notice, Property, Unit, WorkOrder
from maintdesk.records.store import Store
from pg_testing import run_desks

UTC = timezone.utc
QUEUED = 80


def _drain(url: str, name: str, results) -> None:
    """One sender: takes the queued notices one by one, as the outbox does (compare-and-set)."""
    store = Store.open(url)
    try:
        taken = []
        for notice in store.find_notices(states=["queued"]):
            if store.move_notice(notice.id, ("queued",), "unknown", message_id=f"<{name}-{notice.id}@example.org>"):
                taken.append(notice.id)
        results.put((name, taken))
    finally:
        store.close()


def _reserve(url: str, name: str, results) -> None:
    store = Store.open(url)
    try:
        results.put((name, [n for _ in range(20) for n in store.reserve_notice_numbers(5)]))
    finally:
        store.close()


def test_two_senders_take_every_queued_notice_once(postgres_url):
    store = Store.open(postgres_url)
    try:
        prop = store.save_property(Property(name="A", address_line1="x", city="Paris", country="FR",
                                            timezone="Europe/Paris"))
        unit = store.save_unit(Unit(prop.id, "1A"))
        start = datetime(2026, 6, 2, 6, 30, tzinfo=UTC)
        work = store.save_work_order(WorkOrder(property_id=prop.id, title={"en": "Boiler"}, window_start=start,
                                               window_end=start.replace(hour=15)))
        store.add_notices(Notice(work_order_id=work.id, kind="initial", language="en", channel="email",
                                 recipient_name=f"Tenant {n}", recipient_email=f"t{n}@example.org", subject="Boiler",
                                 unit_id=unit.id, state="queued") for n in range(QUEUED))

        taken = run_desks(_drain, postgres_url)

        all_taken = taken["desk-a"] + taken["desk-b"]
        assert sorted(all_taken) == sorted(n.id for n in store.list_notices())
        assert len(set(all_taken)) == QUEUED
        for notice in store.list_notices():
            owner = "desk-a" if notice.id in taken["desk-a"] else "desk-b"
            assert notice.state == "unknown" and notice.message_id == f"<{owner}-{notice.id}@example.org>"
    finally:
        store.close()


def test_notice_numbers_reserved_by_two_desks_at_once_never_meet(postgres_url):
    numbers = run_desks(_reserve, postgres_url)
    a, b = numbers["desk-a"], numbers["desk-b"]
    assert len(a) == len(b) == 100
    assert not set(a) & set(b)
    assert sorted(a + b) == list(range(1, 201))
