"""Bounces and replies read from a real IMAP server (Dovecot on loopback, started by the test):
a bounce turns the notice failed and its tenant to paper, a reply waits on Today, an unreadable
report is kept with its reason, a refused login is one sentence, and nothing is read twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from maintdesk.mail import mailbox
from maintdesk.mail.inbox import InboxReport, iter_read_mailbox, replies_to_read
from maintdesk.mail.mailbox import ImapSettings, MailboxUnavailable
from maintdesk.planning.communication import plan_work_order
from maintdesk.records.store import Store
from imap_testing import dovecot
from mail_testing import Recorder, make_work, send, smtp_server, tenant_email

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "dsn"


def message(name: str, **values: str) -> bytes:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def read(store: Store, server) -> InboxReport:
    settings = ImapSettings(server.host, server.user, server.port, security="none", timeout=10)
    report = None
    for event in iter_read_mailbox(store, settings, server.password):
        if isinstance(event, InboxReport):
            report = event
    assert report is not None
    return report


@pytest.fixture
def emailed(store, paths):
    work, tenants = make_work(store, 3)
    with smtp_server(Recorder()) as server:
        send(store, paths, work.id, server.port)
    notices = {n.tenant_id: n for n in store.find_notices(work_order_id=work.id, channels=("email",))}
    assert {n.state for n in notices.values()} == {"sent"}
    return store, work, tenants, notices


def test_a_bounce_turns_the_notice_failed_and_the_tenant_to_paper_and_a_reply_waits_on_today(emailed):
    store, work, tenants, notices = emailed
    bounced, replying = tenants[0], tenants[1]
    with dovecot() as server:
        server.append(message("postfix-user-unknown.eml", recipient=tenant_email(0),
                              message_id=notices[bounced.id].message_id))
        server.append(message("tenant-reply.eml", sender=tenant_email(1), n="1",
                              message_id=notices[replying.id].message_id))
        server.append(message("out-of-office.eml", sender=tenant_email(2), n="2",
                              message_id=notices[tenants[2].id].message_id))
        server.append(message("exim-delayed.eml", recipient=tenant_email(2), message_id=notices[tenants[2].id].message_id))
        report = read(store, server)
        assert report.bounced == [notices[bounced.id].id] and report.flagged == [bounced.id]
        assert len(report.replies) == 1 and len(report.automatic) == 1 and report.delayed == [notices[tenants[2].id].id]
        assert report.lines() == ["1 notice bounced", "1 tenant now gets paper", "1 reply to read", "1 delivery delayed"]
        assert read(store, server).read == 0  # each message is read once
    failed = store.get_notice(notices[bounced.id].id)
    assert failed.state == "failed"
    assert failed.error.startswith(f"bounced ({tenant_email(0)}): 5.1.1 550 5.1.1 <{tenant_email(0)}>: Recipient "
                                   "address rejected: User unknown")
    flagged = store.get_tenant(bounced.id)
    assert flagged.paper_reason.startswith(f"email to {tenant_email(0)} bounced") and flagged.wants_print
    assert not flagged.wants_email
    # The plan now prints the initial notice for that tenant: the email no longer counts as given.
    due_letters = [m for m in plan_work_order(store, work) if m.tenant_id == bounced.id and m.kind == "initial"]
    assert [(m.channel, m.issued_at) for m in due_letters] == [("print", None)]
    waiting = replies_to_read(store)
    assert len(waiting) == 1 and waiting[0].notice_id == notices[replying.id].id
    assert waiting[0].tenant_id == replying.id and "je ne peux pas être là jeudi matin" in waiting[0].body_text
    store.mark_inbound_read([waiting[0].id])
    assert replies_to_read(store) == []


def test_a_malformed_report_is_kept_with_its_reason_and_changes_nothing(emailed):
    store, _, _, notices = emailed
    with dovecot() as server:
        server.append(message("broken-report.eml"))
        report = read(store, server)
    assert report.malformed and "names no recipient" in report.malformed[0][1]
    assert report.lines() == ["a delivery report could not be read (a delivery report that names no recipient "
                              "(no Final-Recipient or Action)); it is kept in the mailbox"]
    assert {store.get_notice(n.id).state for n in notices.values()} == {"sent"}
    kept = store.list_inbound(("malformed",))
    assert len(kept) == 1 and kept[0].sender == "MAILER-DAEMON@broken.example.net"


def test_a_refused_login_and_an_unreachable_server_are_one_sentence_each(store):
    with dovecot() as server:
        wrong = ImapSettings(server.host, server.user, server.port, security="none", timeout=10)
        with pytest.raises(MailboxUnavailable, match="refused the login of office@example.org .* check the user name"):
            list(iter_read_mailbox(store, wrong, "not-the-password"))
        elsewhere = ImapSettings(server.host, server.user, server.port, security="none", folder="Bounces", timeout=10)
        with pytest.raises(MailboxUnavailable, match='the mailbox office@example.org has no folder "Bounces"'):
            list(iter_read_mailbox(store, elsewhere, server.password))
        port = server.port
    with pytest.raises(MailboxUnavailable, match=f"cannot reach the mail server 127.0.0.1:{port}"):
        list(iter_read_mailbox(store, ImapSettings("127.0.0.1", "x", port, security="none", timeout=5), "pw"))
    with pytest.raises(Exception, match="unencrypted"):
        mailbox.check(ImapSettings("imap.example.org", "x", 143, security="none"))
