"""The message, the invite, the SMTP connection and where the password comes from."""

from __future__ import annotations

import email
import email.policy
import io
import json
import shutil
import socket
import ssl
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import keyring
import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backends import fail

from mail_testing import InMemoryKeyring, Recorder, free_port, make_work, smtp_server
from maintdesk.mail import settings as mail_settings
from maintdesk.cli.app import main
from maintdesk.errors import InvalidInput
from maintdesk.mail.message import (
    Attachment, Invite, MailAddressError, build_message, invite_ics, mail_address, message_bytes, new_message_id,
    one_line, sender_of,
)
from maintdesk.mail.settings import SmtpSettings
from maintdesk.records.models import SenderProfile
from maintdesk.paths import AppPaths
from maintdesk.mail.smtp import SmtpSession, SmtpUnavailable, _connection_problem
from maintdesk.timeutil import from_local

PROFILE = SenderProfile(label="Paris office", name="Gestion Lumière", email="office@example.org",
                        email_from="notices@example.org", signer_name="Camille", reply_to="office@example.org")
SENDER = sender_of(PROFILE)
NOW = datetime(2026, 3, 1, 9, 0).astimezone()


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test here uses a keyring in memory; the real one is never touched."""
    previous = keyring.get_keyring()
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def invite(start: datetime, end: datetime, zone: str = "Europe/Paris", cancel: bool = False, sequence: int = 0) -> Invite:
    return Invite(uid="maintdesk-wo7-tenant3@example.org", sequence=sequence, cancel=cancel, start=start, end=end,
                  timezone=zone, summary="Radiator servicing", location="Apt 3, 1 rue X, Paris", description="Hello",
                  organizer=SENDER.address, attendee=mail_address("to", "zoe@example.org", "Zoé"), stamp=NOW)


def message(**changes):
    values = dict(sender=SENDER, to=mail_address("to", "zoe@example.org", "Zoé Lefèvre"), subject="Visite, mar. 31 mars",
                  text="Bonjour", html="<p>Bonjour</p>", sent_at=NOW, message_id=new_message_id(SENDER),
                  attachments=(Attachment("lettre.pdf", b"%PDF-1.7 fake"),),
                  invite=invite(from_local(datetime(2026, 3, 31, 9), "Europe/Paris"),
                                from_local(datetime(2026, 3, 31, 10), "Europe/Paris")))
    values.update(changes)
    return email.message_from_bytes(message_bytes(build_message(**values)), policy=email.policy.default)


def test_a_message_has_text_and_html_and_the_invite_as_alternatives_then_the_pdf():
    parsed = message()
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, pdf = parsed.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html", "text/calendar"]
    assert alternative.get_payload()[2].get_param("method") == "REQUEST"
    assert pdf.get_filename() == "lettre.pdf" and pdf.get_content() == b"%PDF-1.7 fake"
    assert parsed["From"].addresses[0].display_name == "Camille (Gestion Lumière)"
    assert parsed["Reply-To"].addresses[0].addr_spec == "office@example.org"
    assert parsed["Message-ID"].endswith("@example.org>") and parsed["Date"].datetime == NOW
    assert parsed["Subject"] == "Visite, mar. 31 mars"


def test_long_non_ascii_subjects_come_back_exactly():
    for subject in ("Planned maintenance in your home: Radiator servicing, Thu 26 Mar, 09:00–09:30",
                    "Intervention prévue dans votre logement : Entretien annuel des radiateurs, mar. 1 déc., 08:30–09:05",
                    "Réparation urgente " * 9):
        assert message(subject=subject)["Subject"] == " ".join(subject.split())


def test_header_injection_is_text_or_refused():
    assert one_line("Hello\r\nBcc: spy@evil.example\n\tX") == "Hello Bcc: spy@evil.example X"
    parsed = message(subject="Hi\r\nBcc: spy@evil.example", to=mail_address("to", "zoe@example.org", "Zoé\r\nBcc: a@b.c"))
    assert "Bcc" not in parsed and parsed["Subject"] == "Hi Bcc: spy@evil.example"
    assert parsed["To"].addresses[0].display_name == "Zoé Bcc: a@b.c"
    for bad in ("zoe@example.org\r\nBcc: spy@evil.example", "zoe@example.org\nX: y", "not an address", ""):
        with pytest.raises(MailAddressError):
            mail_address("tenant email", bad)
    with pytest.raises(MailAddressError, match="X: reply-to"):
        sender_of(SenderProfile(label="X", email="a@example.org", reply_to="b@example.org\r\nBcc: c@example.org"))
    with pytest.raises(InvalidInput, match="no email address to send from"):
        sender_of(SenderProfile(label="X"))


def test_internationalized_addresses_need_smtputf8_only_for_a_non_ascii_mailbox():
    idn = mail_address("to", "lea@exämple.de", "Léa")
    assert idn.addr == "lea@xn--exmple-cua.de" and not idn.needs_smtputf8
    local = mail_address("to", "zoé@example.org", "Zoé")
    assert local.needs_smtputf8
    data = message_bytes(build_message(sender=SENDER, to=local, subject="s", text="t", html="<p>h</p>", sent_at=NOW,
                                       message_id=new_message_id(SENDER)), smtputf8=True)
    for enabled, status in ((False, "failed"), (True, "sent")):
        handler = Recorder()
        with smtp_server(handler, enable_SMTPUTF8=enabled) as server:
            with SmtpSession(SmtpSettings("127.0.0.1", server.port, "none")) as session:
                delivery = session.send(SENDER.address.addr, local.addr, data, smtputf8=True)
        assert delivery.status == status
        assert handler.recipients() == (["zoé@example.org"] if enabled else [])
    assert "SMTPUTF8" in delivery.reply or delivery.status == "sent"


def test_the_invite_has_a_narrow_vtimezone_and_cancels_the_same_uid():
    start = from_local(datetime(2026, 3, 31, 9), "Europe/Paris")
    text = invite_ics(invite(start, start + timedelta(hours=1))).decode()
    assert "DTSTART;TZID=Europe/Paris:20260331T090000" in text and "DTEND;TZID=Europe/Paris:20260331T100000" in text
    assert "1970" not in text and "2038" not in text, "not icalendar's 1970-2038 RDATE list"
    cancel = icalendar.Calendar.from_ical(invite_ics(invite(start, start + timedelta(hours=1), cancel=True, sequence=2)))
    event = cancel.walk("VEVENT")[0]
    assert str(cancel["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 2
    assert str(event["UID"]) == "maintdesk-wo7-tenant3@example.org"


PARSE_SCRIPT = """
import json, sys, vobject, ics
out = []
for text in json.loads(sys.stdin.read()):
    event = vobject.readOne(text).vevent
    out.append([event.dtstart.value.isoformat(), next(iter(ics.Calendar(text).events)).begin.isoformat()])
print(json.dumps(out))
"""


def test_other_parsers_read_invites_in_several_zones_at_the_right_hour():
    cases = [("Europe/Paris", datetime(2026, 3, 31, 9)), ("Europe/Paris", datetime(2026, 1, 15, 9)),
             ("America/Toronto", datetime(2026, 3, 9, 9)), ("America/Toronto", datetime(2026, 11, 2, 9)),
             ("Australia/Sydney", datetime(2026, 4, 6, 9)), ("Asia/Kolkata", datetime(2026, 7, 1, 9))]
    texts, expected = [], []
    for zone, wall in cases:
        start = from_local(wall, zone)
        texts.append(invite_ics(invite(start, start + timedelta(hours=1), zone)).decode())
        expected.append(wall.replace(tzinfo=ZoneInfo(zone)).isoformat())
    done = subprocess.run([sys.executable, "-c", PARSE_SCRIPT], input=json.dumps(texts), capture_output=True,
                          text=True, check=True, timeout=60)
    assert json.loads(done.stdout) == [[e, e] for e in expected]


CLOCK_CHANGE_SCRIPT = """
import json, sys, vobject, ics
from datetime import timezone
out = []
for text in json.loads(sys.stdin.read()):
    event = vobject.readOne(text).vevent
    other = next(iter(ics.Calendar(text).events))
    utc = lambda moment: moment.astimezone(timezone.utc).isoformat()
    out.append([utc(event.dtstart.value), utc(event.dtend.value), utc(other.begin), utc(other.end)])
print(json.dumps(out))
"""

CLOCK_CHANGES = [  # zone, start and end as instants: both sides of the repeated hour, across the skipped one
    ("Europe/Paris", "2026-10-25T00:30:00+00:00", "2026-10-25T01:15:00+00:00"),  # 02:30 CEST, 02:15 CET
    ("Europe/Paris", "2026-10-25T01:30:00+00:00", "2026-10-25T02:30:00+00:00"),  # 02:30 CET, the second one
    ("Europe/Paris", "2026-03-29T00:30:00+00:00", "2026-03-29T01:30:00+00:00"),  # 01:30 CET to 03:30 CEST
    ("America/Los_Angeles", "2026-11-01T08:30:00+00:00", "2026-11-01T09:15:00+00:00"),  # 01:30 PDT, 01:15 PST
    ("America/Los_Angeles", "2026-11-01T09:30:00+00:00", "2026-11-01T10:30:00+00:00"),  # 01:30 PST, the second
    ("America/Los_Angeles", "2026-03-08T09:30:00+00:00", "2026-03-08T10:30:00+00:00"),  # 01:30 PST to 03:30 PDT
]


def test_invites_at_the_clock_changes_are_read_at_the_right_instant_by_two_other_parsers():
    texts = []
    for zone, start, end in CLOCK_CHANGES:
        text = invite_ics(invite(datetime.fromisoformat(start), datetime.fromisoformat(end), zone)).decode()
        texts.append(text)
        if "-10-25T" in start or "-11-01T" in start:
            assert "DTSTART:" in text and "Z\r\n" in text.split("DTSTART:")[1][:20], "a repeated hour: in UTC"
        else:
            assert f"DTSTART;TZID={zone}:" in text, "an ordinary hour: in the property's zone"
    done = subprocess.run([sys.executable, "-c", CLOCK_CHANGE_SCRIPT], input=json.dumps(texts), capture_output=True,
                          text=True, check=True, timeout=60)
    for (zone, start, end), (v_start, v_end, i_start, i_end) in zip(CLOCK_CHANGES, json.loads(done.stdout)):
        assert (v_start, v_end) == (i_start, i_end) == (start, end), zone
        assert v_end > v_start


def test_an_invite_that_ends_before_it_starts_is_refused():
    start = from_local(datetime(2026, 3, 31, 9), "Europe/Paris")
    with pytest.raises(InvalidInput, match="ends .* before it starts"):
        invite_ics(invite(start, start - timedelta(minutes=30)))


# Settings and passwords -------------------------------------------------------------------------

def test_settings_are_kept_as_json_without_the_password(tmp_path, memory_keyring, monkeypatch):
    paths = AppPaths.under(tmp_path)
    settings = mail_settings.parse_server("smtp.example.org:587", "starttls", "bob")
    mail_settings.save(paths, settings)
    assert mail_settings.load(paths) == settings
    assert mail_settings.remember_password(settings, "s3cret!")
    assert "s3cret" not in mail_settings.settings_file(paths).read_text()
    assert memory_keyring.passwords == {("MaintDesk SMTP", "bob@smtp.example.org:587"): "s3cret!"}
    monkeypatch.setenv("MAINTDESK_SMTP_PASSWORD", "from-env")
    assert mail_settings.password_for(settings) == "s3cret!", "the keyring comes first"
    mail_settings.forget_password(settings)
    assert mail_settings.password_for(settings) == "from-env"
    monkeypatch.delenv("MAINTDESK_SMTP_PASSWORD")
    assert mail_settings.password_for(settings, lambda question: "typed") == "typed"
    with pytest.raises(InvalidInput, match="no password for bob at smtp.example.org:587"):
        mail_settings.password_for(settings)
    assert mail_settings.password_for(mail_settings.parse_server("relay.example.org:25", "none")) is None


def test_without_a_keyring_nothing_is_stored_and_the_environment_is_used(tmp_path, monkeypatch):
    keyring.set_keyring(fail.Keyring())
    settings = mail_settings.parse_server("smtp.example.org", "ssl", "bob")
    assert settings.port == 465 and not mail_settings.keyring_available()
    assert not mail_settings.remember_password(settings, "s3cret!")
    monkeypatch.setenv("MAINTDESK_SMTP_PASSWORD", "from-env")
    assert mail_settings.password_for(settings) == "from-env"


def test_settings_that_would_leak_a_password_or_make_no_sense_are_refused():
    with pytest.raises(InvalidInput, match="unencrypted"):
        mail_settings.parse_server("smtp.example.org:25", "none", "bob")
    assert mail_settings.parse_server("localhost:1025", "none", "bob").username == "bob"
    with pytest.raises(InvalidInput, match="HOST:PORT"):
        mail_settings.parse_server("smtp.example.org:abc")
    with pytest.raises(InvalidInput, match="port"):
        mail_settings.parse_server("smtp.example.org:70000")


# The connection ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def tls_server(certificate, handler: Recorder, implicit: bool = False):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)

    def authenticator(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"bob", b"s3cret!")
        return AuthResult(success=ok, handled=False)

    if implicit:
        # aiosmtpd only counts STARTTLS as TLS for AUTH; this connection is TLS from the start
        return smtp_server(handler, ssl_context=context, authenticator=authenticator, auth_require_tls=False)
    return smtp_server(handler, tls_context=context, require_starttls=True, authenticator=authenticator)


def test_starttls_and_login_and_what_goes_wrong_in_one_sentence(certificate):
    handler = Recorder()
    with tls_server(certificate, handler) as server:
        good = SmtpSettings("127.0.0.1", server.port, "starttls", "bob", ca_file=str(certificate[0]), timeout=5)
        with SmtpSession(good, "s3cret!") as session:
            assert session.send("notices@example.org", "zoe@example.org", b"Subject: x\r\n\r\nhi\r\n").status == "sent"
            assert session.logged_in
        with pytest.raises(SmtpUnavailable, match=rf"^127.0.0.1:{server.port} refused the login of bob: 535"):
            SmtpSession(good, "wrong").open()
        with pytest.raises(SmtpUnavailable, match="certificate is not trusted"):
            SmtpSession(SmtpSettings("127.0.0.1", server.port, "starttls", "bob", timeout=5), "s3cret!").open()
        with pytest.raises(SmtpUnavailable, match="cannot connect securely"):
            SmtpSession(SmtpSettings("127.0.0.1", server.port, "ssl", ca_file=str(certificate[0]), timeout=5)).open()
    assert len(handler.messages) == 1
    with tls_server(certificate, handler, implicit=True) as server:
        with SmtpSession(SmtpSettings("127.0.0.1", server.port, "ssl", "bob", ca_file=str(certificate[0])), "s3cret!") as s:
            assert s.send("notices@example.org", "zoe@example.org", b"Subject: y\r\n\r\nhi\r\n").status == "sent"
    with smtp_server(Recorder()) as server:
        with pytest.raises(SmtpUnavailable, match=f"127.0.0.1:{server.port} does not offer STARTTLS"):
            SmtpSession(SmtpSettings("127.0.0.1", server.port, "starttls")).open()
    port = free_port()
    with pytest.raises(SmtpUnavailable) as refused:
        SmtpSession(SmtpSettings("127.0.0.1", port, "none")).open()
    assert refused.value.summary == f"cannot reach 127.0.0.1:{port}: connection refused"
    assert _connection_problem(socket.gaierror(-2, "Name or service not known"), "smtp.example.org:587", 30)[0] == \
        "cannot reach smtp.example.org:587: the host name is unknown (check the spelling and the network)"


def test_the_cli_logs_in_with_the_password_from_the_keyring_and_stores_it_nowhere_else(
        certificate, memory_keyring, store, db_path, paths, state_of, capsys):
    work, tenants = make_work(store, 2)
    handler = Recorder()
    with tls_server(certificate, handler) as server:
        settings = SmtpSettings("127.0.0.1", server.port, "starttls", "bob")
        memory_keyring.set_password("MaintDesk SMTP", settings.keyring_user, "s3cret!")
        out = io.StringIO()
        code = main(["--basedir", str(paths.data_dir.parent), "--db", str(db_path), "notices", "email", str(work.id),
                     "--kind", "initial", "--smtp", f"127.0.0.1:{server.port}", "--starttls", "--user", "bob",
                     "--ca-file", str(certificate[0])], out=out)
    assert code == 0, capsys.readouterr().err
    assert sorted(handler.recipients()) == sorted(t.email for t in tenants)
    saved = json.loads(mail_settings.settings_file(paths).read_text())
    assert saved["username"] == "bob" and saved["security"] == "starttls" and "password" not in saved
    for path in paths.data_dir.rglob("*"):
        if path.is_file():
            assert b"s3cret!" not in path.read_bytes(), f"{path} holds the password"
    assert not [row for row in state_of(store) if "s3cret!" in row], "the database holds the password"


def test_a_connection_that_died_while_idle_is_opened_again():
    port = free_port()
    handler = Recorder()
    settings = SmtpSettings("127.0.0.1", port, "none", backoff=0.01)
    with SmtpSession(settings) as session:
        with smtp_server(handler, port):
            session.open()
        with smtp_server(handler, port):  # the first server went away while letters were rendered
            session.refresh()
            assert session.send("a@example.org", "b@example.org", b"Subject: x\r\n\r\n.hi\r\n").status == "sent"
    assert session.connections == 2 and handler.connections == 2
    assert handler.messages[0].data.endswith(b".hi\r\n"), "a line starting with a dot arrives unchanged"
