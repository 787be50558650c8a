"""A long email batch is a pipeline (maintdesk.mail.pipeline): its first parts are sent while its
later letters are still rendered. Stopped halfway — the program killed, the server gone — and run
again, it sends every tenant's message exactly once.
"""

from __future__ import annotations

import io


from mail_testing import (
    Recorder, free_port, killed_at, make_work, send, send_until_the_server_stops, settings_for, smtp_server,
)
from maintdesk.cli.app import main
from maintdesk.mail import outbox
from maintdesk.mail.pipeline import PIPELINE_FROM
from maintdesk.mail.settings import save

TENANTS = PIPELINE_FROM + 16


def test_messages_leave_while_later_letters_are_rendered(store, paths):
    work, tenants = make_work(store, TENANTS)
    handler, port = Recorder(), free_port()
    events = outbox.iter_email_batch(store, paths.database, paths, outbox.EmailRequest(work.id, "initial"),
                                     settings_for(port))
    with smtp_server(handler, port):
        rendering_after_first_message = 0
        outcome = None
        for event in events:
            if isinstance(event, outbox.Progress) and event.stage == "rendering" and handler.messages:
                rendering_after_first_message += 1
            outcome = event
    assert rendering_after_first_message > 0, "the first messages reached the server before the last letters were made"
    assert len(outcome.report.sent) == TENANTS and handler.connections == 1
    assert sorted(handler.recipients()) == sorted(t.email for t in tenants), "each tenant exactly once"
    assert {n.state for n in store.find_notices(work_order_id=work.id)} == {"sent"}


def test_a_process_killed_mid_pipeline_resumes_without_sending_anything_twice(store, db_path, paths, tmp_path):
    work, tenants = make_work(store, TENANTS)
    save(paths, settings_for(25))
    handler = Recorder()
    with smtp_server(handler) as server:
        killed_at(10, tmp_path / "base", work.id, server, handler, db_path)
        states = [n.state for n in store.find_notices(work_order_id=work.id)]
        assert states.count("sent") == 9 and states.count("unknown") == 1
        assert len(states) < TENANTS or "queued" in states, "the kill came before the end of the batch"

        assert main(["--basedir", str(tmp_path / "base"), "--db", str(db_path), "notices", "email", str(work.id),
                     "--kind", "initial", "--smtp", f"127.0.0.1:{server.port}"], out=io.StringIO()) == 0
    assert sorted(handler.recipients()) == sorted(t.email for t in tenants), "the server sees each tenant once"
    final = [n.state for n in store.find_notices(work_order_id=work.id)]
    assert len(final) == TENANTS and final.count("unknown") == 1 and final.count("sent") == TENANTS - 1


def test_a_server_gone_mid_pipeline_leaves_the_rest_queued_and_the_same_command_sends_it(store, paths):
    work, tenants = make_work(store, TENANTS)
    port = free_port()
    handler = Recorder()
    asked: list[str] = []

    def twenty_first(address: str) -> bool:  # parts may finish out of order: the 21st message, whoever it is for
        asked.append(address)
        return len(asked) == 21

    report = send_until_the_server_stops(store, paths, work.id, port, handler, twenty_first).report
    assert len(report.sent) == 20 and len(report.queued) == TENANTS - 20
    states = {n.recipient_email: n.state for n in store.find_notices(work_order_id=work.id)}
    assert len(states) == TENANTS and list(states.values()).count("sent") == 20 and states[asked[20]] == "queued"
    assert sorted(report.queued) == sorted(n.id for n in store.find_notices(work_order_id=work.id, states=("queued",)))

    handler.drop_at_rcpt = None
    with smtp_server(handler, port):
        again = send(store, paths, work.id, port)
    assert len(again.resumed) == TENANTS - 20 and again.batch_id is None
    assert sorted(handler.recipients()) == sorted(t.email for t in tenants), "the server sees each tenant once"
    assert {n.state for n in store.find_notices(work_order_id=work.id)} == {"sent"}
