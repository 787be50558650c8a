"""Email batches against a real SMTP server on loopback (aiosmtpd): what arrives, and what the outbox says.

The server, the letters, the PDFs and the database are all real; only the network is loopback.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from mail_testing import (
    Recorder, free_port, killed_at, make_work, parts, send, send_until_the_server_stops, settings_for, smtp_server,
    squeezed, tenant_email,
)
from maintdesk.mail import outbox
from maintdesk.cli.app import main
from maintdesk.errors import InvalidInput
from maintdesk.mail.settings import save
from maintdesk.timeutil import zone

ROOT = Path(__file__).resolve().parents[2]


def test_a_batch_of_200_reaches_the_server_complete(store, paths, tmp_path):
    work, tenants = make_work(store, 200)
    handler = Recorder()
    with smtp_server(handler) as server:
        outcome = send(store, paths, work.id, server.port)
    assert len(outcome.report.sent) == 200 and not outcome.report.failed and not outcome.paper
    assert handler.connections == 1, "one connection for the whole batch"
    assert sorted(handler.recipients()) == sorted(t.email for t in tenants), "each tenant exactly once"

    notices = {n.recipient_email: n for n in store.find_notices(work_order_id=work.id)}
    assert {n.state for n in notices.values()} == {"sent"} and all(n.sent_at for n in notices.values())
    assert all("250 2.0.0 Ok: queued as Q" in n.delivered_by for n in notices.values())
    slots = {s.unit_id: s for s in work.slots}
    paris = zone("Europe/Paris")
    invites, expected = tmp_path / "invites", {}
    invites.mkdir()
    by_email = {t.email: t for t in tenants}
    messages = [(received.message(), by_email[received.rcpt_tos[0]]) for received in handler.messages]
    for message, tenant in messages:
        slot = slots[tenant.unit_id]
        (invites / f"{tenant.id}.ics").write_text(parts(message)["text/calendar"].get_content(), encoding="utf-8")
        expected[f"{tenant.id}.ics"] = [slot.start.astimezone(paris).isoformat(), slot.end.astimezone(paris).isoformat()]
    other_parsers = start_other_parsers(invites)  # runs while the PDFs are read below

    for message, tenant in messages:
        notice = notices[tenant.email]
        assert message["To"].addresses[0].addr_spec == tenant.email
        assert message["To"].addresses[0].display_name == tenant.name
        assert message["From"].addresses[0].addr_spec == "notices@example.org"
        assert message["Reply-To"].addresses[0].addr_spec == "office@example.org"
        assert message["Subject"] == notice.subject and message["Message-ID"] == notice.message_id
        found = parts(message)
        assert notice.subject in found["text/html"].get_content()
        assert "WO-" in found["text/plain"].get_content() and "<p" not in found["text/plain"].get_content()
        pdf = found["application/pdf"]
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
        assert squeezed(tenant.name) in squeezed(text), "the PDF is this tenant's letter"
        calendar = found["text/calendar"]
        assert calendar.get_param("method") == "REQUEST"
        event = icalendar.Calendar.from_ical(calendar.get_content()).walk("VEVENT")[0]
        slot = slots[tenant.unit_id]
        start, end = event["DTSTART"], event["DTEND"]
        assert start.params["TZID"] == end.params["TZID"] == "Europe/Paris"
        assert start.dt == slot.start and end.dt == slot.end
        assert str(event["UID"]) == f"maintdesk-wo{work.id}-tenant{tenant.id}@example.org"
    stdout, stderr = other_parsers.communicate(timeout=120)
    assert other_parsers.returncode == 0, stderr
    assert json.loads(stdout) == expected, "ics and vobject read every invite at the slot's time, DST included"


CHECK_SCRIPT = """
import json, sys
from pathlib import Path
import ics, vobject
result = {}
for path in sorted(Path(sys.argv[1]).glob("*.ics")):
    text = path.read_text(encoding="utf-8")
    by_vobject = vobject.readOne(text).vevent
    by_ics = next(iter(ics.Calendar(text).events))
    pair = [by_vobject.dtstart.value.isoformat(), by_vobject.dtend.value.isoformat()]
    other = [by_ics.begin.isoformat(), by_ics.end.isoformat()]
    result[path.name] = pair if pair == other else {"vobject": pair, "ics": other}
print(json.dumps(result))
"""


def start_other_parsers(folder: Path) -> subprocess.Popen:
    """vobject caches time zones process-wide: a fresh process, so an earlier file cannot hide a bug."""
    return subprocess.Popen([sys.executable, "-c", CHECK_SCRIPT, str(folder)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_refused_and_delayed_recipients_end_in_the_right_states(store, paths):
    work, tenants = make_work(store, 8)
    handler = Recorder(
        reject={tenant_email(1): "550 5.1.1 <tenant001@example.org>: Recipient address rejected: User unknown",
                tenant_email(2): "553 5.7.1 Relaying denied"},
        delay={tenant_email(3): 1, tenant_email(4): 2, tenant_email(5): 99},
    )
    with smtp_server(handler) as server:
        outcome = send(store, paths, work.id, server.port)
    states = {n.recipient_email: n for n in store.find_notices(work_order_id=work.id)}
    assert {e: n.state for e, n in states.items()} == {
        tenant_email(i): "failed" if i in (1, 2, 5) else "sent" for i in range(8)}
    assert "550 5.1.1" in states[tenant_email(1)].error and "User unknown" in states[tenant_email(1)].error
    assert "553 5.7.1 Relaying denied" in states[tenant_email(2)].error
    assert "gave up after 4 attempts" in states[tenant_email(5)].error and "451" in states[tenant_email(5)].error
    assert sorted(handler.recipients()) == sorted(tenant_email(i) for i in (0, 3, 4, 6, 7)), "delayed ones once"
    assert len(outcome.report.sent) == 5 and len(outcome.report.failed) == 3
    assert handler.connections == 1, "refusals do not cost a connection"

    handler.delay.clear()  # the greylisting is over: a retry sends the failed ones; the refused stay failed
    with smtp_server(handler) as server:
        report = outbox.run(outbox.iter_retry(store, paths.database, settings_for(server.port)))
    assert report.sent == [states[tenant_email(5)].id]
    assert sorted(report.failed) == sorted(states[tenant_email(i)].id for i in (1, 2))
    assert sorted(handler.recipients()) == sorted(tenant_email(i) for i in (0, 3, 4, 5, 6, 7))


def test_a_server_that_goes_away_mid_batch_resumes_with_exactly_the_rest(store, paths):
    work, tenants = make_work(store, 10)
    port = free_port()
    handler = Recorder()
    interrupted = send_until_the_server_stops(store, paths, work.id, port, handler,
                                              lambda address: address == tenant_email(4))
    assert interrupted.summary == f"cannot reach 127.0.0.1:{port}: connection refused"
    assert len(interrupted.report.sent) == 4 and len(interrupted.report.queued) == 6
    states = {n.recipient_email: n.state for n in store.find_notices(work_order_id=work.id)}
    assert states == {tenant_email(i): "sent" if i < 4 else "queued" for i in range(10)}

    handler.drop_at_rcpt = None
    with smtp_server(handler, port):
        again = send(store, paths, work.id, port)  # the same command again resumes the batch
    assert len(again.resumed) == 6 and len(again.already) == 4 and again.batch_id is None
    assert sorted(handler.recipients()) == sorted(t.email for t in tenants), "the server sees each tenant once"
    assert {n.state for n in store.find_notices(work_order_id=work.id)} == {"sent"}


def test_a_connection_lost_after_the_message_was_handed_over_is_unknown_and_not_resent(store, paths, capsys):
    work, tenants = make_work(store, 6)
    handler = Recorder(drop_after_data=lambda received: received.rcpt_tos == [tenant_email(2)])
    with smtp_server(handler) as server:
        outcome = send(store, paths, work.id, server.port)
        states = {n.recipient_email: n for n in store.find_notices(work_order_id=work.id)}
        unknown = states[tenant_email(2)]
        assert outcome.report.unknown == [unknown.id] and len(outcome.report.sent) == 5
        assert unknown.state == "unknown" and "after the message was handed over" in unknown.error
        assert handler.connections == 2, "the batch went on over a new connection"

        assert outbox.run(outbox.iter_retry(store, paths.database, settings_for(server.port))).sent == []
        assert sorted(handler.recipients()) == sorted(t.email for t in tenants)
        handler.drop_after_data = None  # a person checked: the tenant did not get it; send it on purpose
        report = outbox.run(outbox.iter_retry(store, paths.database, settings_for(server.port), None, [unknown.id]))
        assert report.sent == [unknown.id] and handler.recipients().count(tenant_email(2)) == 2
        with pytest.raises(InvalidInput, match="not sent twice"):
            outbox.run(outbox.iter_retry(store, paths.database, settings_for(server.port), None, [unknown.id]))


def test_a_process_killed_mid_batch_resumes_without_sending_anything_twice(store, db_path, paths, tmp_path):
    work, tenants = make_work(store, 12)
    save(paths, settings_for(25))  # small backoff; host and port come from --smtp
    handler = Recorder()
    with smtp_server(handler) as server:
        killed_at(5, tmp_path / "base", work.id, server, handler, db_path)
        states = [n.state for n in store.find_notices(work_order_id=work.id)]
        assert states == ["sent"] * 4 + ["unknown"] + ["queued"] * 7

        out = io.StringIO()
        assert main(["--basedir", str(tmp_path / "base"), "--db", str(db_path), "notices", "email", str(work.id),
                     "--kind", "initial", "--smtp", f"127.0.0.1:{server.port}"], out=out) == 0
    assert "7 queued notices of an earlier run were sent" in out.getvalue()
    assert sorted(handler.recipients()) == sorted(t.email for t in tenants), "the server sees each tenant once"
    assert [n.state for n in store.find_notices(work_order_id=work.id)] == ["sent"] * 4 + ["unknown"] + ["sent"] * 7
    out = io.StringIO()
    assert main(["--basedir", str(tmp_path / "base"), "--db", str(db_path), "outbox", "list", "--state", "unknown",
                 "--json"], out=out) == 0
    listed = json.loads(out.getvalue())
    assert [item["recipient_email"] for item in listed] == [tenant_email(4)]
    assert "no answer from the server was recorded" in listed[0]["error"]


