"""The proof of notice shows each tenant's outcome per channel: an email accepted, bounced or replied
to, an SMS delivered or failed, a letter printed; in the report's language."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

from pypdf import PdfReader

from maintdesk.archive.channel_outcomes import outcome
from maintdesk.archive.export import export_records
from maintdesk.channels.sms_outbox import SmsRequest, iter_sms_batch
from maintdesk.channels.sms_provider import TwilioProvider
from maintdesk.channels.sms_status import iter_refresh_status
from maintdesk.mail.inbox import record
from maintdesk.records.models import Notice, Tenant
from mail_testing import Recorder, make_work, send, smtp_server, tenant_email
from sms_testing import ACCOUNT, SENDER, TOKEN, fake_provider

DSN = Path(__file__).resolve().parents[1] / "fixtures" / "dsn"
NOW = datetime(2026, 3, 25, 9, tzinfo=timezone.utc)


def fixture(name: str, **values: str) -> bytes:
    text = (DSN / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text.encode("utf-8")


def tenant(i: int, unit) -> Tenant:
    return Tenant(unit_id=unit.id, name=f"Tenant {i}", email=tenant_email(i), phone=f"+3361200000{i}", channel="email",
                  language="fr", sms_consent_on=date(2026, 2, 1), sms_consent_how="signed form")


def test_each_tenants_outcome_per_channel_is_in_the_proof(store, paths, tmp_path):
    work, tenants = make_work(store, 3, tenant=tenant)
    with smtp_server(Recorder()) as server:
        send(store, paths, work.id, server.port)
    emails = {n.tenant_id: n for n in store.find_notices(channels=("email",))}
    record(store, fixture("postfix-user-unknown.eml", recipient=tenant_email(0), message_id=emails[tenants[0].id].message_id))
    record(store, fixture("tenant-reply.eml", sender=tenant_email(1), n="1", message_id=emails[tenants[1].id].message_id))
    with fake_provider() as fake:
        fake.final[tenants[2].phone] = ("undelivered", 30003, "Unreachable destination handset")
        provider = TwilioProvider(fake.base_url, ACCOUNT, TOKEN, SENDER, timeout=5)
        list(iter_sms_batch(store, SmsRequest(work.id, "reminder"), provider, now=NOW))
        list(iter_refresh_status(store, provider))
    export_records(store, paths.database, paths, tmp_path / "records.zip", now=NOW)
    with zipfile.ZipFile(tmp_path / "records.zip") as archive:
        [name] = [n for n in archive.namelist() if n.startswith("proof-of-notice/wo")]
        archive.extract(name, tmp_path)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / name).pages)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Résultat par locataire et par canal" in text  # the Paris office writes French
    assert "Avis initial : rejeté (retour)" in text and "accepté par le serveur, réponse reçue" in text
    assert "Rappel : remis" in text and "Rappel : échec" in text
    assert "je ne peux pas être là jeudi matin" in text and "Téléphone : +33612000002" in text


def test_outcome_codes_for_each_channel_and_state():
    letter = Notice(1, "initial", "en", "print", "A", "s", state="delivered", delivery_method="hand")
    assert outcome(letter) == ["handed"]
    assert outcome(Notice(1, "initial", "en", "print", "A", "s", state="printed")) == ["printed"]
    assert outcome(Notice(1, "initial", "en", "email", "A", "s", state="failed")) == ["failed"]
    assert outcome(Notice(1, "reminder", "en", "sms", "A", "s", state="sent")) == ["accepted"]
    assert outcome(Notice(1, "reminder", "en", "sms", "A", "s", state="queued")) == ["pending"]
