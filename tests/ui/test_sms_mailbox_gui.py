"""SMS and the office mailbox in the window: Settings (the SMS provider with its token in the keyring,
the segment count shown before a test SMS, the mailbox, quiet hours), the Outbox's SMS rows, and
Today's "replies to read"."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import keyring
import pytest

from maintdesk.channels import sms_settings
from maintdesk.channels.sms_outbox import SmsRequest, iter_sms_batch
from maintdesk.channels.sms_provider import TwilioProvider
from maintdesk.mail import mailbox
from maintdesk.mail.inbox import record
from maintdesk.records.models import Notice
from tests.core.mail_testing import InMemoryKeyring
from tests.core.sms_testing import ACCOUNT, SENDER, TOKEN, fake_provider
from ui.main_window import MainWindow

REPLY = (Path(__file__).resolve().parents[1] / "fixtures" / "dsn" / "tenant-reply.eml").read_text(encoding="utf-8")
NIGHT = datetime(2026, 3, 1, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def memory_keyring():
    previous, backend = keyring.get_keyring(), InMemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def window_on(qtbot, store, paths, page: str):
    window = MainWindow(store, paths, paths.database)
    qtbot.addWidget(window)
    window.show_page(page)
    return window, window.pages[page]


def test_the_sms_provider_is_saved_with_its_token_in_the_keyring_and_a_test_sms_reaches_it(
        qtbot, demo_store, app_paths, memory_keyring):
    _, page = window_on(qtbot, demo_store, app_paths, "Settings")
    box = page.sms_box
    assert box.segments.text() == "1 segment, GSM-7, 87 of 160 characters"
    box.test_language.setCurrentIndex(box.test_language.findData("fr"))
    assert box.segments.text().startswith("1 segment, ")
    with fake_provider() as fake:
        box.base_url.setText(fake.base_url)
        box.account.setText(ACCOUNT)
        box.token.setText(TOKEN)
        box.sender.setText(SENDER)
        box.test_to.setText("06 12 34 56 78")
        box.test_to.setText("+33612345678")
        box.send_test()
        qtbot.waitUntil(lambda: box.task is None, timeout=10000)
        assert box.status.text().startswith("The provider took the test SMS to +33612345678 (SM")
        assert [m["to"] for m in fake.messages] == ["+33612345678"]
        assert fake.messages[0]["body"].startswith("Horizon Property Management : message de test")
        box.test_to.setText("+33143551234")  # a landline
        box.send_test()
        qtbot.waitUntil(lambda: box.task is None, timeout=10000)
        assert box.status.text() == "+33143551234 is not a mobile number: it cannot receive an SMS"
        assert len(fake.messages) == 1
    saved = sms_settings.load(app_paths)
    assert saved.account == ACCOUNT and TOKEN not in sms_settings.settings_file(app_paths).read_text()
    assert memory_keyring.passwords[(sms_settings.KEYRING_SERVICE, saved.keyring_user)] == TOKEN


def test_the_mailbox_and_quiet_hours_are_saved_and_a_bad_value_is_one_sentence(qtbot, demo_store, app_paths,
                                                                               memory_keyring):
    _, page = window_on(qtbot, demo_store, app_paths, "Settings")
    box = page.mailbox_box
    box.host.setText("imap.example.org")
    box.security.setCurrentIndex(box.security.findData("none"))
    box.username.setText("office@example.org")
    assert box.save() is None
    assert box.status.text().startswith("IMAP security: the password would cross the network unencrypted")
    box.security.setCurrentIndex(box.security.findData("ssl"))
    box.password.setText("secret")
    assert box.save() is not None and mailbox.load(app_paths).host == "imap.example.org"
    assert mailbox.password_for(mailbox.load(app_paths)) == "secret"
    quiet = page.quiet_box
    quiet.building.setCurrentIndex(0)
    quiet.start.setTime(quiet.start.time().fromString("22:30", "HH:mm"))
    assert quiet.save()
    prop = demo_store.get_property(quiet.building.currentData())
    assert (prop.quiet_start, prop.quiet_end) == ("22:30", "08:00")
    quiet.enabled.setChecked(False)
    assert quiet.save() and demo_store.get_property(prop.id).quiet_start == ""


def opted_in(store) -> list:
    """Two Paris tenants agree to SMS; returns them."""
    chosen = []
    for row in store.list_tenants():
        tenant = row.tenant
        if row.property_name == "Résidence Les Tilleuls" and tenant.phone and len(chosen) < 2:
            chosen.append(store.save_tenant(tenant.__class__(**{**tenant.__dict__, "phone": f"+3361200000{len(chosen)}",
                                                                "sms_consent_on": date(2026, 1, 5),
                                                                "sms_consent_how": "signed form"})))
    return chosen


def test_the_outbox_lists_sms_rows_with_their_number_and_why_one_failed(qtbot, demo_store, app_paths):
    tenants = opted_in(demo_store)
    work = next(w for w in demo_store.list_work_orders() if w.property_id == 1 and not w.emergency)
    with fake_provider() as fake:
        fake.refuse[tenants[1].phone] = (21610, "Attempt to send to unsubscribed recipient")
        list(iter_sms_batch(demo_store, SmsRequest(work.id, "reminder"), TwilioProvider(fake.base_url, ACCOUNT, TOKEN, SENDER),
                            now=datetime(2026, 3, 1, 10, tzinfo=timezone.utc)))
    _, page = window_on(qtbot, demo_store, app_paths, "Outbox & records")
    page.channel_filter.setCurrentIndex(page.channel_filter.findData("sms"))
    rows = [[page.model.index(r, c).data() for c in (3, 4, 6)] for r in range(page.model.rowCount())]
    assert sorted(rows) == sorted([
        [f"{tenants[0].name} (+33612000000)", "sms", "sent"],
        [f"{tenants[1].name} (+33612000001)", "sms",
         "failed: refused by the provider: 21610 Attempt to send to unsubscribed recipient"]])


def test_today_says_how_many_replies_wait_and_shows_them(qtbot, demo_store, app_paths):
    _, page = window_on(qtbot, demo_store, app_paths, "Today")
    assert page.replies_button.isHidden()
    work = demo_store.list_work_orders()[0]
    tenant = demo_store.list_tenants()[0].tenant
    notices = demo_store.add_notices([Notice(work.id, "initial", "en", "email", tenant.name, "Boiler service",
                                             tenant_id=tenant.id, recipient_email=tenant.email, state="sent",
                                             message_id=f"<n{i}@example.org>") for i in range(3)])
    for i, notice in enumerate(notices):
        text = REPLY.replace("{sender}", tenant.email).replace("{n}", str(i)).replace("{message_id}", notice.message_id)
        record(demo_store, text.encode("utf-8"))
    page.refresh()
    assert not page.replies_button.isHidden() and page.replies_button.text() == "3 replies to read"
    dialog = page.show_replies()
    qtbot.addWidget(dialog)
    assert dialog.count.text() == "3 replies to read"
    assert "je ne peux pas être là jeudi matin" in dialog.text.toPlainText()
    dialog.mark_selected()
    assert dialog.model.rowCount() == 2
    dialog.close()
    page.refresh()
    assert page.replies_button.text() == "2 replies to read"


def test_the_tenant_form_records_the_consent_to_sms_and_clears_the_paper_flag(qtbot, demo_store):
    from PySide6.QtCore import QDate

    from ui.dialogs.tenant import TenantDialog

    row = next(r for r in demo_store.list_tenants() if r.tenant.phone)
    demo_store.flag_for_paper(row.tenant.id, "email to x@example.org bounced: 5.1.1 user unknown")
    dialog = TenantDialog(demo_store, demo_store.get_tenant(row.tenant.id))
    qtbot.addWidget(dialog)
    assert not dialog.fields["sms_consent_on"].isEnabled()
    assert dialog.fields["paper_flag"].text().startswith("Gets paper: email to x@example.org bounced")
    dialog.fields["sms_consent"].setChecked(True)
    dialog.fields["sms_consent_on"].setDate(QDate(2026, 2, 3))
    assert not dialog.save()
    assert dialog.message("sms_consent_how") == ("Given how is required with a consent to SMS: say how it was "
                                                 "given, e.g. signed form")
    dialog.fields["sms_consent_how"].setText("signed form")
    dialog.fields["paper_flag"].setChecked(False)
    assert dialog.save()
    saved = demo_store.get_tenant(row.tenant.id)
    assert (saved.sms_consent_on, saved.sms_consent_how, saved.paper_reason) == (date(2026, 2, 3), "signed form", "")
    assert saved.wants_sms


def test_read_mailbox_on_today_brings_a_reply_from_the_imap_server(qtbot, demo_store, app_paths, monkeypatch):
    from tests.core.imap_testing import dovecot

    window, page = window_on(qtbot, demo_store, app_paths, "Today")
    work = demo_store.list_work_orders()[0]
    tenant = demo_store.list_tenants()[0].tenant
    [notice] = demo_store.add_notices([Notice(work.id, "initial", "en", "email", tenant.name, "Boiler service",
                                              tenant_id=tenant.id, recipient_email=tenant.email, state="sent",
                                              message_id="<today-1@example.org>")])
    with dovecot() as server:
        server.append(REPLY.replace("{sender}", tenant.email).replace("{n}", "1")
                      .replace("{message_id}", notice.message_id).replace("\n", "\r\n").encode("utf-8"))
        mailbox.save(app_paths, mailbox.ImapSettings(server.host, server.user, server.port, security="none"))
        monkeypatch.setenv(mailbox.PASSWORD_VARIABLE, server.password)
        page.read_mailbox()
        qtbot.waitUntil(lambda: page.task is None, timeout=15000)
    assert window.statusBar().currentMessage() == "Mailbox: 1 reply to read"
    assert not page.replies_button.isHidden() and page.replies_button.text() == "1 reply to read"
