"""SMS in the communication plan and in `dispatch`: the emergency and the reminders go by SMS to the
tenants who agreed, a failed SMS falls back to the tenant's next channel, quiet hours hold a
reminder, and the law's checks never count an SMS as a notice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from maintdesk.channels.sms_provider import TwilioProvider
from maintdesk.notices.due import DueReport, iter_issue_due, plan_lines, plan_due
from maintdesk.planning.communication import due, plan_work_order
from maintdesk.records.models import Tenant
from maintdesk.timeutil import from_local
from mail_testing import PARIS, make_work
from sms_testing import ACCOUNT, SENDER, TOKEN, fake_provider

MORNING = from_local(datetime(2026, 3, 25, 10, 0), PARIS)   # the day before the first visits
NIGHT = from_local(datetime(2026, 3, 25, 22, 0), PARIS)


def tenant(i: int, unit) -> Tenant:
    """On paper, with an email address and a mobile; 0 and 1 agreed to SMS, 2 did not."""
    consent = date(2026, 2, 1) if i < 2 else None
    return Tenant(unit_id=unit.id, name=f"Tenant {i}", email=f"t{i}@example.org", phone=f"+3361200000{i}",
                  channel="print", language="fr", sms_consent_on=consent, sms_consent_how="signed form" if consent else "")


def dispatch(store, paths, tmp_path, provider, at, keys=None) -> DueReport:
    report = None
    for event in iter_issue_due(store, paths.database, paths, tmp_path / "print", None, at, keys=keys, sms=provider):
        report = event
    assert isinstance(report, DueReport)
    return report


def test_reminders_go_by_sms_to_those_who_agreed_and_a_failed_sms_falls_back_to_email(store, paths, tmp_path):
    work, tenants = make_work(store, 3, tenant=tenant)
    reminder = [(m.tenant_id, m.channel) for m in plan_work_order(store, work, MORNING) if m.kind == "reminder"]
    assert sorted(reminder) == sorted([(t.id, "print") for t in tenants] + [(tenants[0].id, "sms"), (tenants[1].id, "sms")])
    finals = [(m.tenant_id, m.channel) for m in plan_work_order(store, work, MORNING) if m.kind == "final-reminder"]
    assert sorted(finals) == [(tenants[0].id, "sms"), (tenants[1].id, "sms")]
    assert any(g.channel == "sms" and g.kind == "reminder" for g in due(store, MORNING))
    with fake_provider() as fake:
        fake.refuse[tenants[1].phone] = (21614, "'To' number is not a valid mobile number")
        provider = TwilioProvider(fake.base_url, ACCOUNT, TOKEN, SENDER, timeout=5)
        lines = plan_lines(plan_due(store, paths, MORNING, {(work.id, "reminder", "sms")}), email_possible=False)
        assert lines == ["2 SMS to send: 1 segment each (GSM-7)."]
        report = dispatch(store, paths, tmp_path, provider, MORNING, keys={(work.id, "reminder", "sms")})
        assert report.texted == [{"work_order_id": work.id, "kind": "reminder", "channel": "sms", "count": 2,
                                  "sent": 1, "failed": 1, "unknown": 0, "held": 0, "note": ""}]
        assert report.lines() == [f"work order {work.id}: 1 reminder SMS sent, 1 failed"]
        # The failed SMS falls back to email (the tenant has an address), once; the SMS is not tried again.
        after = [(m.tenant_id, m.channel, m.issued_at) for m in plan_work_order(store, work, MORNING)
                 if m.kind == "reminder" and m.tenant_id == tenants[1].id]
        assert sorted(after, key=str) == sorted([(tenants[1].id, "print", None), (tenants[1].id, "email", None)], key=str)
        again = dispatch(store, paths, tmp_path, provider, MORNING, keys={(work.id, "reminder", "sms")})
        assert again.nothing
        assert len(fake.messages) == 1
    # An SMS is no notice for the law: the checks still want the initial notice on paper.
    assert all(m.issued_at is None for m in plan_work_order(store, work, MORNING) if m.kind == "initial")


def test_quiet_hours_hold_a_reminder_until_the_morning_and_a_later_dispatch_sends_it(store, paths, tmp_path):
    work, tenants = make_work(store, 2, tenant=tenant)
    with fake_provider() as fake:
        provider = TwilioProvider(fake.base_url, ACCOUNT, TOKEN, SENDER, timeout=5)
        report = dispatch(store, paths, tmp_path, provider, NIGHT, keys={(work.id, "reminder", "sms")})
        assert report.texted[0]["held"] == 2 and report.texted[0]["note"].startswith("quiet hours until 2026-03-26T07:00")
        assert fake.messages == []
        morning = from_local(datetime(2026, 3, 26, 8, 1), PARIS)
        dispatch(store, paths, tmp_path, provider, morning, keys=set())
        assert sorted(m["to"] for m in fake.messages) == [tenants[0].phone, tenants[1].phone]


def test_without_a_provider_the_sms_wait_with_the_reason(store, paths, tmp_path):
    work, _ = make_work(store, 2, tenant=tenant)
    report = None
    for report in iter_issue_due(store, paths.database, paths, tmp_path / "print", None, MORNING,
                                 keys={(work.id, "reminder", "sms")}, why_no_sms="no SMS provider is set up (Settings)"):
        pass
    assert report.waiting_for_sms == [{"work_order_id": work.id, "kind": "reminder", "channel": "sms", "count": 2,
                                       "reason": "no SMS provider is set up (Settings)"}]


def test_the_command_line_sends_by_sms_and_says_who_gets_none(store, db_path, paths, monkeypatch):
    import io

    from maintdesk.channels import sms_settings
    from maintdesk.cli.app import main

    work, tenants = make_work(store, 3, tenant=tenant)
    base = ["--db", str(db_path), "--basedir", str(paths.data_dir.parent)]
    assert main([*base, "sms", "send", str(work.id), "--kind", "emergency"], out=io.StringIO()) == 2  # planned work
    store.save_work_order(replace(work, emergency=True))
    with fake_provider() as fake:
        sms_settings.save(paths, sms_settings.SmsSettings(ACCOUNT, SENDER, base_url=fake.base_url))
        monkeypatch.setenv(sms_settings.TOKEN_VARIABLE, TOKEN)
        out = io.StringIO()
        assert main([*base, "sms", "send", str(work.id), "--kind", "emergency"], out=out) == 0
        assert out.getvalue().splitlines() == ["2 sent", f"tenant {tenants[2].id}: no SMS (no consent to SMS recorded)"]
        out = io.StringIO()
        assert main([*base, "sms", "status"], out=out) == 0
        assert out.getvalue().strip() == "2 delivered, 0 failed, 0 not known yet"
        assert main([*base, "sms", "test", "01 43 55 12 34"], out=io.StringIO()) == 2  # a landline: bad input
    assert len(fake.messages) == 2
