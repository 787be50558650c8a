"""People and what they may do, enforced by the office's PostgreSQL server (issue 17):
`admin init-server` and `admin add-person`; a clerk cannot issue even by calling the database
directly; who issued, voided or accepted is the session's role; one sentence for a missing right."""

from __future__ import annotations

import io
import itertools
import psycopg
import pytest

from maintdesk.cli.app import main
from maintdesk.errors import DatabaseError
from maintdesk.records.agreements import EntryAgreement
from maintdesk.records.models import Notice, Tenant
from maintdesk.records.terms import FindingOverride
from maintdesk.records.store import Store
from pg_testing import small_work_order

_NUMBERS = itertools.count(1)
PEOPLE = {"alice": "clerk", "bob": "manager", "olga": "owner-viewer"}


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


@pytest.fixture
def office(postgres_server, monkeypatch, tmp_path):
    """A database set up by `admin init-server`, with alice (clerk), bob (manager), olga (owner-viewer)."""
    name = f"office_{next(_NUMBERS)}"
    status, text = cli("--basedir", str(tmp_path), "admin", "init-server", postgres_server.url(name))
    assert status == 0 and "is ready" in text
    for person, role in PEOPLE.items():
        monkeypatch.setenv("MAINTDESK_NEW_PASSWORD", f"pw-{person}")
        status, text = cli("--basedir", str(tmp_path), "--db", postgres_server.url(name), "admin", "add-person",
                           person, "--role", role)
        assert status == 0, text
    yield name, lambda person: postgres_server.url(name, user=person, password=f"pw-{person}")
    postgres_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _notice(work_order_id: int, **fields) -> Notice:
    return Notice(work_order_id=work_order_id, kind="initial", language="en", channel="print",
                  recipient_name="Ada", subject="Boiler", state="generated", batch_id="b1", **fields)


def test_a_clerk_cannot_issue_even_by_calling_the_database_directly(office):
    _, url = office
    clerk = Store.open(url("alice"))
    try:
        work_order_id = small_work_order(clerk)  # records: a clerk's work
    finally:
        clerk.close()
    with psycopg.connect(url("alice"), autocommit=True) as conn:
        for statement in (
            "INSERT INTO notices (work_order_id, kind, language, channel, recipient_name, subject, created_at) "
            f"VALUES ({work_order_id}, 'initial', 'en', 'print', 'Ada', 'Boiler', '2026-05-01T08:00:00Z')",
            "INSERT INTO notice_numbers (id, reserved_at) VALUES (1, '2026-05-01T08:00:00Z')",
            "INSERT INTO issue_checks (batch_id, work_order_id, checked_at, ok, report) "
            f"VALUES ('x', {work_order_id}, '2026-05-01T08:00:00Z', 1, '{{}}')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM notices").fetchone()[0] == 0


def test_who_issued_and_voided_is_the_session_s_role(office):
    _, url = office
    manager = Store.open(url("bob"))
    try:
        work_order_id = small_work_order(manager)
        (notice,) = manager.add_notices([_notice(work_order_id, issued_by="alice")])  # a name typed: not kept
        assert manager.get_notice(notice.id).issued_by == "bob"
        void = manager.void_notice(notice.id, "wrong time", by="someone else")
        assert manager.get_void(notice.id).voided_by == "bob" and void.notice_id == notice.id
    finally:
        manager.close()


def test_who_accepted_recorded_and_withdrew_is_the_session_s_role(office):
    _, url = office
    manager, clerk = Store.open(url("bob")), Store.open(url("alice"))
    try:
        work_order_id = small_work_order(manager)
        unit_id = manager.list_units(1)[0].id
        accepted = manager.add_finding_override(FindingOverride(work_order_id, "timing/too-late", "tenant asked for it",
                                                                decided_by="alice"))
        assert accepted.decided_by == "bob"
        withdrawn = manager.withdraw_finding_override(accepted.id, "alice", "the tenant changed their mind")
        assert (withdrawn.withdrawn_by, withdrawn.withdrawn_reason) == ("bob", "the tenant changed their mind")
        agreed = clerk.add_entry_agreement(EntryAgreement(work_order_id, unit_id, "signed form", recorded_by="bob"))
        assert agreed.recorded_by == "alice"
        taken_back = clerk.withdraw_entry_agreement(work_order_id, unit_id, "bob", "phoned to cancel")
        assert taken_back.withdrawn_by == "alice"
        kept = {(a.recorded_by, a.withdrawn_by) for a in manager.list_entry_agreements(work_order_id)}
        assert kept == {("alice", "alice")}
        assert [(o.decided_by, o.withdrawn_by) for o in manager.list_finding_overrides(work_order_id)] == [("bob", "bob")]
    finally:
        manager.close()
        clerk.close()


def test_a_missing_right_is_one_sentence(office, tmp_path, capsys):
    _, url = office
    clerk = Store.open(url("alice"))
    viewer = Store.open(url("olga"))
    try:
        work_order_id = small_work_order(clerk)
        with pytest.raises(DatabaseError) as refused:
            clerk.add_notices([_notice(work_order_id)])
        assert refused.value.summary == "Your role clerk may not issue notices; ask a manager"
        with pytest.raises(DatabaseError) as refused:
            clerk.reserve_notice_numbers(2)
        assert refused.value.summary == "Your role clerk may not issue notices; ask a manager"
        with pytest.raises(DatabaseError) as refused:
            viewer.save_tenant(Tenant(unit_id=clerk.list_units(1)[0].id, name="Bo"))
        assert refused.value.summary == "Your role owner-viewer may not change the records; ask a clerk or a manager"
        assert [w.id for w in viewer.list_work_orders()] == [work_order_id]  # reading is every role's right
    finally:
        clerk.close()
        viewer.close()
    status, _ = cli("--basedir", str(tmp_path), "--db", url("alice"), "notices", "render", str(work_order_id),
                    "--kind", "initial", "--out", str(tmp_path / "letters"))
    err = capsys.readouterr().err
    assert status == 1 and err == "maintdesk: error: Your role clerk may not issue notices; ask a manager\n"


def test_init_server_again_is_harmless_and_a_stranger_may_not_connect(office, postgres_server, tmp_path):
    name, url = office
    assert cli("--basedir", str(tmp_path), "admin", "init-server", postgres_server.url(name))[0] == 0
    postgres_server.admin("DO $$ BEGIN CREATE ROLE eve LOGIN PASSWORD 'pw-eve'; "
                          "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    with pytest.raises(DatabaseError) as refused:
        Store.open(url("eve"))
    assert refused.value.summary.startswith("your database role may not open the office database postgresql://eve:***@")
