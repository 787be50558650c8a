"""The communication plan: which message goes to whom and when, what is due, and dispatching it."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from maintdesk.cli.app import main
from maintdesk.records.models import Notice, Property, SenderProfile, Slot, Tenant, Unit, WorkOrder
from maintdesk.planning.communication import due, plan_work_order
from maintdesk.records.terms import WorkTerms

UTC = timezone.utc
LA = "America/Los_Angeles"


def la(day: int, hour: int, minute: int = 0, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo(LA)).astimezone(UTC)


@pytest.fixture
def oak(store):
    """Oak House, California: Ann (print) in 1A at 10:00, Bea (email) and Cal (both) in 2A at 11:00, Tue 12 May."""
    prop = store.save_property(Property(name="Oak House", address_line1="1 Oak Street", city="Fresno", country="US",
                                        region="CA", timezone=LA, jurisdiction="US-CA", manager_name="Sam Diaz",
                                        manager_email="sam@example.org"))
    one, two = store.save_unit(Unit(prop.id, "1A", 1)), store.save_unit(Unit(prop.id, "2A", 2))
    people = {
        "Ann": store.save_tenant(Tenant(one.id, "Ann", channel="print", email="ann@example.org")),
        "Bea": store.save_tenant(Tenant(two.id, "Bea", channel="email", email="bea@example.org")),
        "Cal": store.save_tenant(Tenant(two.id, "Cal", channel="both", email="cal@example.org")),
    }
    work = store.save_work_order(WorkOrder(
        prop.id, {"en": "Boiler repair"}, la(12, 8), la(12, 17), status="scheduled", created_at=la(20, 9, month=4),
        description={"en": "Repair."}, reason={"en": "Leak."}, impact={"en": "No hot water."},
        slots=[Slot(one.id, la(12, 10), la(12, 10, 45)), Slot(two.id, la(12, 11), la(12, 11, 45))]))
    return store, work, people


def plan_table(store, work, at):
    return {(m.kind, m.channel, m.tenant_name): (m.due_at, m.send_by) for m in plan_work_order(store, work, at)}


def test_the_plan_of_a_scheduled_work_order(oak):
    store, work, _ = oak
    plan = plan_table(store, work, la(25, 9, month=4))
    created = la(20, 9, month=4)
    assert plan == {
        ("initial", "print", "Ann"): (created, la(9, 10)),  # 72 h of good practice beats California's 24 h
        ("initial", "email", "Bea"): (created, la(9, 11)),
        # California wants written notice (email is not one of its methods): a letter for Bea too.
        ("initial", "print", "Bea"): (created, la(9, 11)),
        ("initial", "print", "Cal"): (created, la(9, 11)),
        ("initial", "email", "Cal"): (created, la(9, 11)),
        ("reminder", "print", "Ann"): (la(11, 10), la(11, 22)),
        ("reminder", "email", "Bea"): (la(11, 11), la(11, 23)),
        ("reminder", "print", "Cal"): (la(11, 11), la(11, 23)),
        ("reminder", "email", "Cal"): (la(11, 11), la(11, 23)),
        ("final-reminder", "email", "Bea"): (la(12, 10), la(12, 10, 45)),  # email only: not for Ann
        ("final-reminder", "email", "Cal"): (la(12, 10), la(12, 10, 45)),
    }


def test_a_mailed_letter_must_leave_six_days_ahead_in_california(oak):
    store, work, _ = oak
    store.save_work_terms(WorkTerms(work.id, print_delivery="mail"))
    plan = plan_table(store, work, la(25, 9, month=4))
    assert plan[("initial", "print", "Ann")][1] == la(6, 10)
    assert plan[("initial", "email", "Bea")][1] == la(9, 11)  # email is not slowed down by the post


def summary(groups) -> list[tuple[str, str, int, bool]]:
    return [(g.kind, g.channel, len(g.tenants), g.late) for g in groups]


@pytest.mark.parametrize("at, expected", [
    (la(19, 9, month=4), []),  # before the work order existed
    (la(25, 9, month=4), [("initial", "print", 3, False), ("initial", "email", 2, False)]),
    (la(11, 11), [("initial", "print", 3, True), ("initial", "email", 2, True),
                  ("reminder", "print", 2, False), ("reminder", "email", 2, False)]),
    (la(12, 10, 20), [("initial", "print", 2, True), ("initial", "email", 2, True), ("reminder", "print", 1, True),
                      ("reminder", "email", 2, True), ("final-reminder", "email", 2, False)]),  # 1A has started
    (la(12, 12), []),  # every visit has started: nothing left to announce
])
def test_what_is_due_at_a_moment(oak, at, expected):
    store, _, _ = oak
    assert sorted(summary(due(store, at))) == sorted(expected)


def test_an_issued_notice_is_no_longer_due_but_a_failed_one_is(oak):
    store, work, people = oak
    ann = people["Ann"]
    store.add_notice(Notice(work.id, "initial", "en", "print", "Ann", "Boiler repair", tenant_id=ann.id,
                            unit_id=ann.unit_id, created_at=la(26, 9, month=4)))
    store.add_notice(Notice(work.id, "initial", "en", "email", "Bea", "Boiler repair", tenant_id=people["Bea"].id,
                            unit_id=people["Bea"].unit_id, created_at=la(26, 9, month=4), state="failed"))
    groups = {(g.kind, g.channel): g for g in due(store, la(27, 9, month=4))}
    assert [m.tenant_name for m in groups[("initial", "print")].tenants] == ["Bea", "Cal"]
    assert [m.tenant_name for m in groups[("initial", "email")].tenants] == ["Bea", "Cal"]


def test_emergency_work_is_announced_at_once_on_every_channel(oak):
    store, work, _ = oak
    store.save_work_order(replace(store.get_work_order(work.id), emergency=True, status="in_progress"))
    groups = {(g.kind, g.channel): g for g in due(store, la(25, 9, month=4))}
    assert set(groups) == {("emergency", "print"), ("emergency", "email")}
    assert sorted(m.tenant_name for m in groups[("emergency", "print")].tenants) == ["Ann", "Bea", "Cal"]
    assert sorted(m.tenant_name for m in groups[("emergency", "email")].tenants) == ["Ann", "Bea", "Cal"]
    assert all(g.late for g in groups.values())  # "at once" was an hour after the work order was made


@pytest.mark.parametrize("status, told, expected", [
    ("postponed", ["Ann"], [("postponed", "print", ["Ann"]), ("initial", "print", ["Bea", "Cal"]),
                            ("initial", "email", ["Bea", "Cal"])]),
    ("cancelled", ["Ann"], [("cancelled", "print", ["Ann"])]),
    ("cancelled", [], []),
    ("completed", ["Bea"], [("completed", "email", ["Bea"])]),
    ("completed", [], [("completed", "print", ["Ann", "Cal"]), ("completed", "email", ["Bea", "Cal"])]),
    ("draft", [], []),
])
def test_the_messages_that_follow_a_change_of_status(oak, status, told, expected):
    store, work, people = oak
    for name in told:
        tenant = people[name]
        store.add_notice(Notice(work.id, "initial", "en", "print" if tenant.channel == "print" else "email", name,
                                "Boiler repair", tenant_id=tenant.id, unit_id=tenant.unit_id,
                                created_at=la(26, 9, month=4)))
    store.set_work_status(work.id, status)
    groups = due(store, la(28, 9, month=4))
    assert sorted((g.kind, g.channel, sorted(m.tenant_name for m in g.tenants)) for g in groups) == sorted(expected)


# Through the command line ----------------------------------------------------------------------

def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_due_json(oak, db_path):
    status, text = cli("--db", str(db_path), "due", "--at", "2026-04-25T09:00-07:00", "--json")
    assert status == 0
    items = json.loads(text)
    assert [(i["id"], i["count"], i["waiting_for_email"]) for i in items] == [
        ("1/initial/print", 3, False), ("1/initial/email", 2, True)]
    assert set(items[0]) == {"id", "work_order_id", "property_name", "title", "kind", "channel", "due_at", "send_by",
                             "late", "count", "waiting_for_email", "waiting_for_text", "tenants"}
    assert items[0]["send_by"] == "2026-05-09T17:00:00Z" and items[0]["title"] == "Boiler repair"
    assert items[0]["tenants"] == [{"id": 1, "name": "Ann", "unit": "1A"}, {"id": 2, "name": "Bea", "unit": "2A"},
                                   {"id": 3, "name": "Cal", "unit": "2A"}]  # Bea too: California wants paper


def test_dispatch_prints_what_is_due_and_leaves_email_waiting(oak, db_path, paths):
    store, work, _ = oak
    status, text = cli("--db", str(db_path), "--basedir", str(paths.data_dir.parent), "dispatch", "--at",
                       "2026-04-25T09:00-07:00")
    assert status == 0, text
    assert "work order 1: 3 initial letters issued; print file " in text
    assert "work order 1: 2 initial emails wait for email" in text
    printed = [n for n in store.list_notices(work.id) if n.channel == "print"]
    assert sorted(n.recipient_name for n in printed) == ["Ann", "Bea", "Cal"] and all(n.kind == "initial" for n in printed)
    print_file = Path(re.search(r"print file (\S+-all\.pdf)", text).group(1))
    assert print_file.is_file() and print_file.parent.parent == paths.data_dir / "print"
    status, text = cli("--db", str(db_path), "due", "--at", "2026-04-25T09:00-07:00", "--json")
    assert [i["id"] for i in json.loads(text)] == ["1/initial/email"]
    status, text = cli("--db", str(db_path), "dispatch", "--at", "2026-04-25T09:00-07:00")
    assert "printed" not in text and "letters issued" not in text


def test_nothing_due_says_so(db_path, store):
    status, text = cli("--db", str(db_path), "due", "--at", "2026-04-25T09:00Z")
    assert (status, text) == (0, "nothing is due at 2026-04-25T09:00:00Z\n")


def test_dispatch_sends_the_emails_that_are_due_through_the_saved_server(oak, db_path, loopback_smtp):
    from maintdesk.mail import settings as mail_settings
    from maintdesk.paths import AppPaths

    store, work, _ = oak
    server, port = loopback_smtp
    store.save_sender(SenderProfile(label="Fresno office", email_from="notices@example.org"))  # the first: every building's
    mail_settings.save(AppPaths.default(), mail_settings.SmtpSettings(host="127.0.0.1", port=port, security="none"))
    status, text = cli("--db", str(db_path), "dispatch", "--at", "2026-04-25T09:00-07:00")
    assert status == 0, text
    assert "work order 1: 2 initial emails sent" in text
    assert "waiting" not in text
    emailed = [n for n in store.list_notices(work.id) if n.channel == "email"]
    assert sorted(server.received) == sorted(n.recipient_email for n in emailed) and len(server.received) == 2
    assert {n.state for n in emailed} == {"sent"}
    status, text = cli("--db", str(db_path), "due", "--at", "2026-04-25T09:00-07:00")
    assert "email" not in text
