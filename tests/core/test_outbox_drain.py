"""Several senders drain one outbox at once and no message goes out twice (issue 17): two real
sender processes against a real SMTP server on loopback, on PostgreSQL (`FOR UPDATE SKIP
LOCKED`) and on SQLite (compare-and-set)."""

from __future__ import annotations

from collections import Counter

import mail_testing as mt
from maintdesk.letters import issuing
from maintdesk.mail import batch, drain, outbox
from pg_testing import run_desks

QUEUED = 30


def _sender(where: str, store_path: str, port: int, name: str, results) -> None:
    from pathlib import Path

    from maintdesk.records.store import Store

    store = Store.open(where)
    try:
        report = outbox.run(drain.iter_drain(store, Path(store_path), mt.settings_for(port)))
        results.put((name, (report.sent, report.elsewhere)))
    finally:
        store.close()


def test_two_senders_drain_the_outbox_and_each_message_arrives_once(store, db_path, paths):
    work, tenants = mt.make_work(store, QUEUED)
    prepared = batch.prepare(store, paths.database, paths,
                             issuing.BatchRequest(work.id, "initial", paths.database.parent), channel="email")
    assert len(prepared.notices) == QUEUED and {n.state for n in prepared.notices} == {"queued"}

    recorder = mt.Recorder()
    with mt.smtp_server(recorder) as server:
        reports = run_desks(_sender, str(db_path), str(paths.database), server.port, names=("sender-a", "sender-b"))

    received = Counter(recorder.recipients())
    assert received == Counter({mt.tenant_email(i): 1 for i in range(QUEUED)}), "each message received once"
    sent = reports["sender-a"][0] + reports["sender-b"][0]
    assert sorted(sent) == sorted(n.id for n in prepared.notices)
    assert {n.state for n in store.list_notices(work.id)} == {"sent"}
    message_ids = [m.message()["Message-ID"] for m in recorder.messages]
    assert len(set(message_ids)) == QUEUED


def test_a_sender_takes_each_queued_notice_once(store, paths):
    work, _ = mt.make_work(store, 4)
    prepared = batch.prepare(store, paths.database, paths,
                             issuing.BatchRequest(work.id, "initial", paths.database.parent), channel="email")
    first = store.take_queued(("email",), 3, note="taken")
    second = store.take_queued(("email",), 3, note="taken")
    assert [n.id for n in first + second] == sorted(n.id for n in prepared.notices)
    assert store.take_queued(("email",), 3) == []
    assert {n.state for n in first + second} == {"unknown"} and first[0].error == "taken"


def test_outbox_drain_on_the_command_line(store, db_path, paths):
    import io

    from maintdesk.cli.app import main
    from maintdesk.mail.settings import save

    from pathlib import Path

    work, _ = mt.make_work(store, 3)
    here = db_path if isinstance(db_path, Path) else paths.database  # where the command line keeps the letters
    batch.prepare(store, here, paths, issuing.BatchRequest(work.id, "initial", here.parent), channel="email")
    recorder = mt.Recorder()
    base = ["--basedir", str(paths.database.parent.parent), "--db", str(db_path)]
    with mt.smtp_server(recorder) as server:
        save(paths, mt.settings_for(server.port))
        out = io.StringIO()
        assert main(base + ["outbox", "drain"], out=out) == 0, out.getvalue()
        assert "3 sent, 0 failed" in out.getvalue()
        out = io.StringIO()
        assert main(base + ["outbox", "drain"], out=out) == 0
        assert "nothing to send" in out.getvalue()
    assert sorted(recorder.recipients()) == [mt.tenant_email(i) for i in range(3)]


def test_a_sender_takes_only_the_emails_whose_messages_it_has(store, paths, tmp_path):
    work, _ = mt.make_work(store, 2)
    batch.prepare(store, paths.database, paths, issuing.BatchRequest(work.id, "initial", paths.database.parent),
                  channel="email")
    elsewhere = tmp_path / "another-desk" / "maintdesk.sqlite"  # a desk with a data folder of its own
    assert drain.readable_batches(store, elsewhere) == []
    recorder = mt.Recorder()
    with mt.smtp_server(recorder) as server:
        report = outbox.run(drain.iter_drain(store, elsewhere, mt.settings_for(server.port)))
        assert report.sent == [] and {n.state for n in store.list_notices(work.id)} == {"queued"}
        report = outbox.run(drain.iter_drain(store, paths.database, mt.settings_for(server.port)))
    assert len(report.sent) == 2 and len(recorder.messages) == 2
