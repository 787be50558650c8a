"""Issuing you can trust: drafts, gates by kind and state, checks that block, channels honoured,
voids and corrections, all through the command line on a demo database made today."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from maintdesk.cli.app import main
from maintdesk.records.store import Store


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@dataclass
class Desk:
    """The test's database (a SQLite file or a server's URL) and the data folder the commands use."""

    db: str
    basedir: str

    def cli(self, *args: str) -> tuple[int, str]:
        return cli("--basedir", self.basedir, "--db", self.db, *args)


@pytest.fixture
def demo(db_path, paths) -> Desk:
    """The demo made today by `init --demo` in the test's database."""
    desk = Desk(str(db_path), str(paths.data_dir.parent))
    assert desk.cli("init", "--demo")[0] == 0
    return desk


def notices(desk: Desk) -> list:
    store = Store.open(desk.db)
    try:
        return store.list_notices()
    finally:
        store.close()


def refused(desk: Desk, capsys, *args: str) -> str:
    """Runs a command that must be refused: exit 2, one line, nothing archived; returns the line."""
    before = len(notices(desk))
    status, _ = desk.cli(*args)
    err = capsys.readouterr().err
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("maintdesk: error: ")
    assert len(notices(desk)) == before, "nothing archived"
    return err.strip()


# Drafts ----------------------------------------------------------------------------------------

def test_drafts_are_marked_on_every_page_and_never_archived_or_numbered(demo, tmp_path):
    status, text = demo.cli("notices", "render", "1", "--kind", "completed", "--out", str(tmp_path / "d"),
                            "--draft")  # any kind: the work is not completed, but reading the letter is harmless
    assert status == 0 and "nothing issued or archived" in text
    drafts = sorted((tmp_path / "d").glob("draft-*.pdf"))
    merged = [p for p in drafts if p.name.endswith("-all.pdf")]
    letters = [p for p in drafts if p not in merged]
    assert len(letters) == 22 and len(merged) == 1
    for page in PdfReader(merged[0]).pages:
        assert "PROJET" in page.extract_text() or "DRAFT" in page.extract_text()
    assert "WO-1/PROJET" in pdf_text(letters[0]) or "WO-1/DRAFT" in pdf_text(letters[0])
    assert notices(demo) == []
    # No number was used up: the first notice issued is still number 1.
    assert demo.cli("notices", "render", "1", "--kind", "initial", "--out", str(tmp_path / "l"))[0] == 0
    assert min(n.id for n in notices(demo)) == 1
    status, text = demo.cli("records", "export", "--out", str(tmp_path / "r.csv"), "--json")
    assert json.loads(text)["notices"] == len(notices(demo)), "drafts are not in the records"


# Gates by kind and state ----------------------------------------------------------------------

def test_a_kind_that_does_not_fit_the_state_is_refused_with_the_fix(demo, tmp_path, capsys):
    out = str(tmp_path / "o")
    line = refused(demo, capsys, "notices", "render", "1", "--kind", "completed", "--out", out)
    assert "only for work marked completed" in line and "maintdesk work status 1 completed" in line
    line = refused(demo, capsys, "notices", "render", "1", "--kind", "emergency", "--out", out)
    assert "only for work marked as an emergency" in line
    line = refused(demo, capsys, "notices", "render", "1", "--kind", "postponed", "--out", out)
    assert "postpone work order 1 first" in line
    line = refused(demo, capsys, "notices", "render", "1", "--kind", "cancelled", "--out", out)
    assert "mark it cancelled first" in line
    line = refused(demo, capsys, "notices", "email", "1", "--kind", "completed", "--eml-dir", out)
    assert "only for work marked completed" in line
    # The emergency in progress (work order 3) started this morning: no reminder now.
    line = refused(demo, capsys, "notices", "render", "3", "--kind", "reminder", "--out", out)
    assert "only sent before the work starts" in line


def test_a_completion_notice_with_mark_completed_and_a_cancellation_after_cancelling(demo, tmp_path):
    status, text = demo.cli("notices", "render", "2", "--kind", "completed", "--mark-completed",
                            "--out", str(tmp_path / "done"))
    assert status == 0 and "work order 2 marked completed" in text
    assert {n.kind for n in notices(demo)} == {"completed"}
    status, text = demo.cli("work", "status", "1", "cancelled")
    assert status == 0 and "--kind cancelled" in text
    assert demo.cli("notices", "render", "1", "--kind", "cancelled", "--out", str(tmp_path / "c"))[0] == 0


def test_a_postponement_needs_new_dates_and_the_letter_states_both(demo, tmp_path, capsys):
    line = refused(demo, capsys, "work", "status", "1", "postponed")
    assert "--by 7d" in line
    line = refused(demo, capsys, "work", "status", "1", "postponed", "--by", "0d")
    assert "more than nothing" in line
    status, _ = demo.cli("work", "status", "1", "postponed", "--by", "7d", "--json")
    assert status == 0
    status, text = demo.cli("notices", "render", "1", "--kind", "postponed", "--out", str(tmp_path / "p"),
                            "--tenant", "1")
    assert status == 0, text
    [letter] = [p for p in (tmp_path / "p").glob("*.pdf") if not p.name.endswith("-all.pdf")]
    text = pdf_text(letter)
    assert "reportée" in text or "reporté" in text or "Postponed" in text
    assert text.count("déc.") + text.count("décembre") + text.count("Dec") >= 2, "the old and the new dates"


def test_a_draft_work_order_issues_nothing(demo, tmp_path, capsys):
    assert demo.cli("work", "status", "2", "scheduled")[0] == 0
    store = Store.open(demo.db)
    store.set_work_status(2, "draft")
    store.close()
    line = refused(demo, capsys, "notices", "render", "2", "--kind", "initial", "--out", str(tmp_path / "o"))
    assert "is a draft" in line


# Checks gate issuing --------------------------------------------------------------------------

def test_an_open_error_blocks_issuing_until_it_is_accepted_and_the_check_is_kept(demo, tmp_path, capsys):
    assert demo.cli("work", "terms", "1", "--print-delivery", "mail")[0] == 0  # France wants hand or registered
    line = refused(demo, capsys, "notices", "render", "1", "--kind", "initial", "--out", str(tmp_path / "o"))
    assert "1 open error" in line and "FR/notification/method" in line
    assert "maintdesk work override 1 FR/notification/method --reason" in line
    line = refused(demo, capsys, "notices", "email", "1", "--kind", "initial", "--eml-dir", str(tmp_path / "e"))
    assert "FR/notification/method" in line
    status, text = demo.cli("dispatch", "--json")
    assert status == 2
    report = json.loads(text)
    assert [p for p in report["printed"] if p["work_order_id"] == 1] == []
    assert {b["work_order_id"] for b in report["blocked"]} == {1}, "the other work orders go out"
    assert all("FR/notification/method" in b["reason"] for b in report["blocked"])
    assert demo.cli("work", "override", "1", "FR/notification/method", "--reason",
                    "The lease allows notices by post", "--by", "Camille")[0] == 0
    assert demo.cli("notices", "render", "1", "--kind", "initial", "--out", str(tmp_path / "o"))[0] == 0
    store = Store.open(demo.db)
    try:
        [check] = store.issue_checks(1)
        batch = {n.batch_id for n in store.list_notices(1)}
    finally:
        store.close()
    assert check.batch_id in batch and check.ok
    [accepted] = [f for f in check.report["findings"] if f["code"] == "FR/notification/method"]
    assert accepted["overridden"]["reason"] == "The lease allows notices by post"
    # The proof of notice prints the check as it stood then, even after the terms change back.
    assert demo.cli("work", "terms", "1", "--print-delivery", "hand")[0] == 0
    assert demo.cli("records", "export", "--out", str(tmp_path / "r.zip"))[0] == 0
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        name = next(n for n in archive.namelist() if n.startswith("proof-of-notice/wo1-"))
        (tmp_path / "proof.pdf").write_bytes(archive.read(name))
    proof = pdf_text(tmp_path / "proof.pdf")
    assert "enregistré avec lui" in proof and "The lease allows notices by post" in proof


# Channels honoured ----------------------------------------------------------------------------

def test_letters_go_to_tenants_on_paper_and_where_the_law_wants_paper_to_everyone(demo, tmp_path):
    # Toronto (Ontario accepts email): letters only for those who chose paper.
    status, text = demo.cli("notices", "render", "2", "--kind", "initial", "--out", str(tmp_path / "t"))
    assert status == 0
    store = Store.open(demo.db)
    try:
        rows = {r.tenant.id: r.tenant for r in store.list_tenants(2) if r.tenant.active}
        printed = {n.tenant_id for n in store.list_notices(2)}
    finally:
        store.close()
    assert printed == {i for i, t in rows.items() if t.wants_print}
    assert "get this notice by email only" in text
    # Paris (France wants a written notification): a letter for every tenant, email readers too.
    assert demo.cli("notices", "render", "1", "--kind", "initial", "--out", str(tmp_path / "p"))[0] == 0
    assert len([n for n in notices(demo) if n.work_order_id == 1]) == 22


# Void and correct -----------------------------------------------------------------------------

def test_a_notice_is_voided_once_and_corrected_and_both_are_in_the_records(demo, tmp_path, capsys):
    assert demo.cli("notices", "render", "1", "--kind", "initial", "--out", str(tmp_path / "l"))[0] == 0
    first, second = sorted(notices(demo), key=lambda n: n.id)[:2]
    status, text = demo.cli("notices", "void", str(first.id), "--reason", "Sent to the wrong flat",
                            "--by", "Camille")
    assert status == 0 and "stays in the archive as issued" in text
    line = refused(demo, capsys, "notices", "void", str(first.id), "--reason", "again")
    assert "voided once" in line
    refused(demo, capsys, "notices", "void", str(second.id), "--reason", "  ")
    status, text = demo.cli("notices", "correct", str(second.id), "--reason", "Wrong time in the slot box",
                            "--by", "Camille", "--out", str(tmp_path / "c"))
    assert status == 0, text
    [correction] = [n for n in notices(demo) if n.corrects_notice_id == second.id]
    assert correction.tenant_id == second.tenant_id and correction.kind == second.kind
    letter = next(p for p in (tmp_path / "c").glob("*.pdf") if not p.name.endswith("-all.pdf"))
    assert f"WO-1/N-{second.id}" in pdf_text(letter) and "rectifie" in pdf_text(letter)
    assert correction.subject.startswith("Rectificatif")
    assert demo.cli("records", "export", "--out", str(tmp_path / "r.csv"))[0] == 0
    rows = {int(r["notice_id"]): r for r in csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig")))}
    assert rows[first.id]["void_reason"] == "Sent to the wrong flat" and rows[first.id]["voided_by"] == "Camille"
    assert rows[second.id]["void_reason"] == "Wrong time in the slot box"
    assert rows[correction.id]["corrects_notice_id"] == str(second.id) and rows[correction.id]["voided_at"] == ""
    assert demo.cli("records", "export", "--out", str(tmp_path / "r.zip"))[0] == 0
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        (tmp_path / "proof.pdf").write_bytes(archive.read("proof-of-notice/wo1-residence-les-tilleuls.pdf"))
    proof = pdf_text(tmp_path / "proof.pdf")
    assert "ANNULÉ" in proof and f"rectifie l'avis #{second.id}" in proof and "Sent to the wrong flat" in proof


def test_dispatch_prints_before_it_emails_so_the_law_s_letters_are_not_held_back(store, paths, tmp_path):
    """France wants the initial notice on paper: emails issued first would open "only by email"
    and hold back the very letters that close it. Everything due goes, emails included."""
    from datetime import date

    from mail_testing import Recorder, free_port, settings_for, smtp_server
    from maintdesk.mail import settings as mail_settings
    from maintdesk.notices.due import iter_issue_due
    from maintdesk.notices.issue import Delivery
    from maintdesk.records.demo import create_demo

    create_demo(store, today=date.today())
    handler, port = Recorder(), free_port()
    with smtp_server(handler, port):
        settings = settings_for(port)
        mail_settings.save(paths, settings)
        *_, report = iter_issue_due(store, paths.database, paths, tmp_path / "print", Delivery(settings))
    assert report.blocked == [] and report.waiting_for_email == []
    french = [item for item in report.printed + report.emailed if item["work_order_id"] == 1]
    assert {item["channel"] for item in french} == {"print", "email"}
    emailed = sum(item["sent"] for item in report.emailed)
    assert emailed == len(handler.messages) > 0
