"""Email batches over a real SMTP server on loopback: updates and cancellations, who gets paper,
header injection, and the command line (`notices email`, `outbox list`, `outbox retry`)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import timedelta

import icalendar
import pytest

from mail_testing import Recorder, free_port, make_work, parts, send, settings_for, smtp_server, tenant_email
from maintdesk.cli.app import main
from maintdesk.errors import InvalidInput
from maintdesk.mail.settings import save
from maintdesk.records.models import Tenant


def test_postponement_and_cancellation_update_and_cancel_the_same_event(store, paths):
    work, tenants = make_work(store, 2)
    handler = Recorder()
    with smtp_server(handler) as server:
        send(store, paths, work.id, server.port, "initial")
        moved = store.postpone_work_order(work.id, work.window_start + timedelta(days=14),
                                          work.window_end + timedelta(days=14))
        send(store, paths, work.id, server.port, "postponed")
        store.set_work_status(work.id, "cancelled")
        send(store, paths, work.id, server.port, "cancelled")
        done, _ = make_work(store, 1, name="Résidence des Tilleuls", tenant=lambda i, unit: Tenant(
            unit_id=unit.id, name="Done", email="done@example.org", channel="email", language="en"))
        store.set_work_status(done.id, "completed")
        send(store, paths, done.id, server.port, "completed")
    events: dict[str, list] = {}
    for received in handler.messages:
        calendar = parts(received.message()).get("text/calendar")
        events.setdefault(received.rcpt_tos[0], []).append(
            icalendar.Calendar.from_ical(calendar.get_content()) if calendar is not None else None)
    slots = {s.unit_id: s for s in moved.slots}
    for tenant in tenants:
        sequence = events[tenant.email]
        initial, postponed, cancelled = sequence[:3]
        uids = {str(cal.walk("VEVENT")[0]["UID"]) for cal in (initial, postponed, cancelled)}
        assert len(uids) == 1, "one event per work order and tenant"
        assert [str(cal["METHOD"]) for cal in (initial, postponed, cancelled)] == ["REQUEST", "REQUEST", "CANCEL"]
        numbers = [int(cal.walk("VEVENT")[0]["SEQUENCE"]) for cal in (initial, postponed, cancelled)]
        assert numbers == sorted(numbers) and len(set(numbers)) == 3, "each update has a higher SEQUENCE"
        update = postponed.walk("VEVENT")[0]
        assert update["DTSTART"].dt == slots[tenant.unit_id].start and update["DTEND"].dt == slots[tenant.unit_id].end
        assert str(cancelled.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert events["done@example.org"] == [None], "a completion notice carries no invite"


def test_tenants_without_email_or_preferring_print_get_a_letter_instead(store, paths, tmp_path):
    channels = ["email", "print", "both", "print"]

    def tenant(i: int, unit) -> Tenant:
        address = "" if i == 3 else tenant_email(i)
        return Tenant(unit_id=unit.id, name=f"Tenant {i}", email=address, channel=channels[i], language="en")

    work, tenants = make_work(store, 4, tenant=tenant)
    handler = Recorder()
    with smtp_server(handler) as server:
        outcome = send(store, paths, work.id, server.port, print_dir=tmp_path / "print")
    assert sorted(handler.recipients()) == [tenant_email(0), tenant_email(2)]
    assert [t.name for t in outcome.paper] == ["Tenant 1", "Tenant 2", "Tenant 3"]
    printed = outcome.printed
    assert printed is not None and [n.tenant_id for n in printed.notices] == [t.id for t in tenants[1:]]
    assert {n.channel for n in printed.notices} == {"print"} and printed.merged_path.is_file()


def test_header_injection_through_a_name_or_a_title_stays_text(store, paths):
    def tenant(i: int, unit) -> Tenant:
        return Tenant(unit_id=unit.id, name="Eve\r\nBcc: spy@evil.example" if i == 0 else f"Tenant {i}",
                      email=tenant_email(i), channel="email", language="en")

    work, tenants = make_work(store, 2, tenant=tenant)
    assert "\r\n" in store.get_tenant(tenants[0].id).name, "the store keeps the name as typed"
    store.save_work_order(replace(store.get_work_order(work.id), title={"en": "Boiler\r\nBcc: spy@evil.example\r\n"}))
    handler = Recorder()
    with smtp_server(handler) as server:
        send(store, paths, work.id, server.port)
    assert sorted(handler.recipients()) == [tenant_email(0), tenant_email(1)]
    for received in handler.messages:
        message = received.message()
        headers = received.data.split(b"\r\n\r\n", 1)[0]
        assert b"\r\nBcc:" not in headers and "Bcc" not in message
        assert len(message.get_all("To")) == 1 and "\n" not in str(message["Subject"])
    eve = next(m.message() for m in handler.messages if m.rcpt_tos == [tenant_email(0)])
    assert eve["To"].addresses[0].display_name == "Eve Bcc: spy@evil.example"

    store.db.execute("UPDATE tenants SET email = ? WHERE id = ?", ("a@example.org\r\nBcc: spy@evil.example", tenants[1].id))
    before = len(store.find_notices())
    with pytest.raises(InvalidInput, match="cannot contain a line break"):
        send(store, paths, work.id, 1, again=True)
    assert len(store.find_notices()) == before, "refused before anything was recorded"


def test_the_cli_writes_eml_files_and_says_when_the_server_cannot_be_reached(store, db_path, paths, tmp_path, capsys):
    work, tenants = make_work(store, 3)
    base = ["--basedir", str(tmp_path / "base"), "--db", str(db_path)]
    out = io.StringIO()
    assert main(base + ["notices", "email", str(work.id), "--kind", "update", "--message", "The work goes on.",
                        "--eml-dir", str(tmp_path / "eml")], out=out) == 0
    files = sorted((tmp_path / "eml").glob("*.eml"))
    assert len(files) == 3 and "3 messages written" in out.getvalue()
    assert {n.channel + "/" + n.state for n in store.find_notices()} == {"eml/generated"}

    port = free_port()
    save(paths, settings_for(port, attempts=2, backoff=5.0))  # a first connection is not retried: no waiting
    assert main(base + ["notices", "email", str(work.id), "--kind", "initial", "--smtp", f"127.0.0.1:{port}"],
                out=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [f"maintdesk: error: cannot reach 127.0.0.1:{port}: connection refused"]
    assert len(store.find_notices()) == 3, "told before anything was rendered or recorded"

    save(paths, settings_for(port, attempts=2))
    handler = Recorder(delay={tenant_email(1): 99})
    with smtp_server(handler, port):
        out = io.StringIO()
        assert main(base + ["notices", "email", str(work.id), "--kind", "initial", "--smtp", f"127.0.0.1:{port}"],
                    out=out) == 1
        assert "2 sent, 1 failed" in out.getvalue() and "gave up after 2 attempts: RCPT TO: 451 4.7.1" in out.getvalue()
        out = io.StringIO()
        assert main(base + ["outbox", "list", "--state", "failed"], out=out) == 0
        table = out.getvalue().splitlines()
        assert table[0].split() == ["ID", "WORK", "KIND", "TO", "STATE", "SENT", "(UTC)", "DETAIL"] and len(table) == 3
        assert tenant_email(1) in table[2] and "451 4.7.1" in table[2]
        handler.delay.clear()
        out = io.StringIO()
        assert main(base + ["outbox", "retry"], out=out) == 0  # with the server saved by `notices email`
        assert "1 sent, 0 failed" in out.getvalue()
    out = io.StringIO()
    assert main(base + ["outbox", "list", "--json"], out=out) == 0
    listed = json.loads(out.getvalue())
    assert [i["state"] for i in listed] == ["generated"] * 3 + ["sent"] * 3
    assert set(listed[0]) >= {"id", "work_order_id", "kind", "channel", "recipient_email", "state", "sent_at",
                              "server_reply", "error", "message_id", "batch_id"}
    assert listed[-1]["server_reply"].startswith(f"127.0.0.1:{port}: 250") and listed[-1]["error"] == ""
    assert sorted(handler.recipients()) == sorted(t.email for t in tenants)
