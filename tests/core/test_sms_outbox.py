"""The SMS outbox against the fake provider on loopback: once per opted-in tenant across a crash and
a retry, a provider that is down or refuses a number, a text too long, quiet hours, delivery status."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from maintdesk.channels import sms_outbox
from maintdesk.channels.sms_outbox import SmsInterrupted, SmsReport, SmsRequest, iter_sms_batch, iter_sms_retry
from maintdesk.channels.sms_provider import TwilioProvider
from maintdesk.channels.sms_status import StatusReport, iter_refresh_status
from maintdesk.errors import InvalidInput
from maintdesk.records.models import Tenant
from maintdesk.timeutil import from_local
from mail_testing import PARIS, make_work
from sms_testing import ACCOUNT, SENDER, TOKEN, fake_provider

MOBILES = ["+33612000001", "+33612000002", "+33612000003", "+33143551234", "+33612000005"]
NIGHT = from_local(datetime(2026, 3, 25, 23, 30), PARIS)
DAY = from_local(datetime(2026, 3, 25, 10, 0), PARIS)


def sms_tenant(i: int, unit) -> Tenant:
    """Tenants 0-3 agreed to SMS (3 has a landline); 4 did not."""
    consent = date(2026, 1, 10) if i < 4 else None
    return Tenant(unit_id=unit.id, name=f"Tenant {i}", email=f"t{i}@example.org", phone=MOBILES[i],
                  language=("en", "fr", "de", "es", "en")[i], channel="email", sms_consent_on=consent,
                  sms_consent_how="signed form" if consent else "")


def result(events):
    outcome = None
    for event in events:
        if isinstance(event, (SmsReport, StatusReport)):
            outcome = event
    return outcome


@pytest.fixture
def emergency(store):
    work, tenants = make_work(store, 5, tenant=sms_tenant)
    return store.save_work_order(replace(work, emergency=True)), tenants


def provider_for(fake) -> TwilioProvider:
    return TwilioProvider(fake.base_url, ACCOUNT, TOKEN, SENDER, timeout=5)


def test_an_emergency_reaches_each_opted_in_tenant_once_across_a_crash_and_a_retry(store, emergency):
    work, _ = emergency
    with fake_provider() as fake:
        provider = provider_for(fake)
        fake.drop_after_accepting = 1  # the provider takes the first SMS, its answer is lost
        events = iter_sms_batch(store, SmsRequest(work.id, "emergency"), provider, now=NIGHT)
        for event in events:  # the program dies after the second SMS
            if getattr(event, "done", 0) == 2:
                break
        events.close()
        states = sorted(n.state for n in store.find_notices(channels=("sms",)))
        assert states == ["queued", "sent", "unknown"]
        report = result(iter_sms_retry(store, provider, now=NIGHT))
        assert len(report.found) == 1 and len(report.sent) == 2  # found at the provider, then the last one
        assert result(iter_sms_retry(store, provider, now=NIGHT)).sent == []
        again = result(iter_sms_batch(store, SmsRequest(work.id, "emergency"), provider, now=NIGHT))
        assert again.sent == [] and len(again.already) == 3
        for number in MOBILES[:3]:
            assert len(fake.bodies_to(number)) == 1, number
        assert fake.bodies_to(MOBILES[3]) == [] and fake.bodies_to(MOBILES[4]) == []
    skipped = dict(again.skipped)
    assert "not a mobile number" in skipped[_tenant_id(store, MOBILES[3])]
    assert skipped[_tenant_id(store, MOBILES[4])] == "no consent to SMS recorded"
    texts = {n.language: n.body_text for n in store.find_notices(channels=("sms",))}
    assert texts["en"].startswith("Gestion Lumière URGENT: Radiator servicing")
    assert "Entretien des radiateurs" in texts["fr"] and "DRINGEND" in texts["de"]


def _tenant_id(store, phone: str) -> int:
    return next(row.tenant.id for row in store.list_tenants() if row.tenant.phone == phone)


def test_a_provider_that_is_down_keeps_the_sms_queued_and_a_retry_sends_each_once(store, emergency):
    work, _ = emergency
    with fake_provider() as fake:
        fake.errors_before_accepting = 1
        with pytest.raises(SmsInterrupted, match="answered 500") as stopped:
            result(iter_sms_batch(store, SmsRequest(work.id, "emergency"), provider_for(fake), now=NIGHT))
        assert len(stopped.value.report.queued) == 3 and "still queued" in stopped.value.detail
        assert {n.state for n in store.find_notices(channels=("sms",))} == {"queued"}
        assert len(result(iter_sms_retry(store, provider_for(fake), now=NIGHT)).sent) == 3
        assert sorted(m["to"] for m in fake.messages) == MOBILES[:3]


def test_a_refused_number_fails_with_the_providers_words_and_the_others_go(store, emergency):
    work, _ = emergency
    with fake_provider() as fake:
        fake.refuse[MOBILES[1]] = (21610, "Attempt to send to unsubscribed recipient")
        report = result(iter_sms_batch(store, SmsRequest(work.id, "emergency"), provider_for(fake), now=NIGHT))
    assert len(report.sent) == 2 and len(report.failed) == 1
    failed = store.get_notice(report.failed[0])
    assert failed.state == "failed" and failed.error == "refused by the provider: 21610 Attempt to send to unsubscribed recipient"


def test_a_text_too_long_is_refused_before_anything_is_recorded_or_sent(store, emergency):
    work, _ = emergency
    store.save_work_order(replace(work, title={"en": "Very long title " * 20, "fr": "Titre très long " * 20}))
    with fake_provider() as fake:
        with pytest.raises(InvalidInput, match="SMS to Tenant 0 is too long: .* at most 2"):
            result(iter_sms_batch(store, SmsRequest(work.id, "emergency"), provider_for(fake), now=NIGHT))
        assert fake.messages == []
    assert store.find_notices(channels=("sms",)) == []


def test_quiet_hours_hold_a_reminder_but_not_an_emergency(store):
    work, _ = make_work(store, 3, tenant=sms_tenant)
    with fake_provider() as fake:
        held = result(iter_sms_batch(store, SmsRequest(work.id, "reminder"), provider_for(fake), now=NIGHT))
        assert len(held.held) == 3 and fake.messages == []
        assert held.quiet_until == from_local(datetime(2026, 3, 26, 8, 0), PARIS)
        assert store.get_notice(held.held[0]).error.startswith("waiting for the end of the quiet hours of "
                                                               "Résidence Les Acacias at 08:00")
        morning = from_local(datetime(2026, 3, 26, 8, 5), PARIS)
        assert len(result(iter_sms_retry(store, provider_for(fake), now=morning)).sent) == 3
    prop = store.get_property(work.property_id)
    assert sms_outbox.quiet_until(prop, DAY) is None
    assert sms_outbox.quiet_until(replace(prop, quiet_start="", quiet_end=""), NIGHT) is None
    with pytest.raises(InvalidInput, match="not sent by SMS"):
        sms_outbox.plan_sms(store, SmsRequest(work.id, "initial"))


def test_delivery_status_is_fetched_and_an_undelivered_sms_fails_with_the_reason(store, emergency):
    work, _ = emergency
    with fake_provider() as fake:
        fake.final[MOBILES[2]] = ("undelivered", 30003, "Unreachable destination handset")
        fake.final[MOBILES[1]] = ("sent", None, "")
        result(iter_sms_batch(store, SmsRequest(work.id, "emergency"), provider_for(fake), now=NIGHT))
        status = result(iter_refresh_status(store, provider_for(fake)))
    assert (len(status.delivered), len(status.failed), len(status.pending)) == (1, 1, 1)
    failed = store.get_notice(status.failed[0])
    assert failed.error == "not delivered: undelivered: 30003 Unreachable destination handset"
    assert store.get_notice(status.delivered[0]).delivered_at is not None
