"""The progress update: the manager's text in real letters and emails, its checks, the plan, the CLI."""

from __future__ import annotations

import email
import io
import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from maintdesk.letters import issuing, pdf
from maintdesk.cli.app import main
from maintdesk.errors import InvalidInput
from maintdesk.letters.context import MAX_MESSAGE_CHARS, notice_context
from maintdesk.letters.samples import sample_facts
from maintdesk.letters.templates import template_name
from maintdesk.records.models import Notice, Property, Tenant, Unit, WorkOrder
from maintdesk.planning.communication import UPDATE_INTERVAL, due, plan_work_order
from maintdesk.records.store import Store

UTC = timezone.utc
MESSAGE = {"en": "The <b>new pump</b> & its valves arrived; fitting starts at noon.",
           "fr": "La <b>nouvelle pompe</b> & ses vannes sont arrivées ; la pose commence à midi."}


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


# The letter -------------------------------------------------------------------------------------

def test_the_update_letter_fits_one_page_with_the_longest_text_in_both_languages_and_papers(paths, tmp_path):
    templates = issuing.templates_for(paths)
    jobs, texts = [], {}
    for paper in ("A4", "Letter"):
        for language in ("en", "fr"):
            facts = sample_facts(language, "update", "units", paper)
            words = "Les techniciens remplacent la pompe, " if language == "fr" else "The fitters replace the pump, "
            longest = (words * MAX_MESSAGE_CHARS)[:MAX_MESSAGE_CHARS - 4] + " end"
            facts = replace(facts, message={language: longest})
            notice = templates.render(template_name("update", language, "units"), notice_context(facts))
            name = f"{paper}-{language}.pdf"
            jobs.append(pdf.LetterJob(notice.letter_html, name))
            texts[name] = (notice.subject, longest)
    result = pdf.render_batch(jobs, tmp_path, resource_roots=[paths.templates_dir, paths.assets_dir],
                              base_url=paths.templates_dir, stylesheets=[issuing.stylesheet_for(paths)],
                              merged_name=None)
    assert [(letter.filename, letter.pages) for letter in result.letters] == [(job.filename, 1) for job in jobs]
    for letter in result.letters:
        subject, longest = texts[letter.filename]
        text = pdf_text(letter.path)
        assert " ".join(longest.split()[-6:]) in text
        assert " ".join(subject.split(" (")[0].split()) in text   # pdf_text makes every space one space


def test_a_batch_prints_the_text_as_typed_in_each_tenants_language(demo, paths, tmp_path):
    work = demo.get_work_order(3)
    batch = issuing.issue_print_batch(demo, paths.database, paths, issuing.BatchRequest(
        3, "update", tmp_path / "out", message=MESSAGE))
    assert len(batch.notices) == 3 and {n.kind for n in batch.notices} == {"update"}
    assert {n.language for n in batch.notices} == {"fr"}
    for notice, path in zip(batch.notices, batch.files):
        text = pdf_text(path)
        assert MESSAGE["fr"] in text  # markup and ampersand print as typed
        assert "Point sur les travaux : " + work.title["fr"] in text
        assert "Travaux en cours" in text.replace("TRAVAUX EN COURS", "Travaux en cours")
        assert "&lt;b&gt;nouvelle pompe&lt;/b&gt; &amp; ses vannes" in notice.body_html
        assert "<b>nouvelle pompe</b>" not in notice.body_html
    assert [n.kind for n in demo.list_notices(3)] == ["update"] * 3


def test_a_letter_in_a_language_without_text_gets_the_other_one(demo, paths, tmp_path):
    batch = issuing.issue_print_batch(demo, paths.database, paths, issuing.BatchRequest(
        3, "update", tmp_path / "out", message={"en": "Still working on it: the riser is open."}))
    assert {n.language for n in batch.notices} == {"fr"}
    assert "Still working on it: the riser is open." in pdf_text(batch.files[0])


def test_the_email_of_an_update_carries_the_text(db_path, demo, paths, tmp_path):
    status, text = cli("--db", str(db_path), "notices", "email", "3", "--kind", "update",
                       "--message", MESSAGE["en"], "--message-fr", MESSAGE["fr"], "--eml-dir", str(tmp_path / "eml"),
                       "--print-dir", str(tmp_path / "print"))
    assert status == 0, text
    files = sorted((tmp_path / "eml").glob("*.eml"))
    assert files
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["Subject"].startswith("Point sur les travaux\u00a0: ")   # French: a no-break space
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert MESSAGE["fr"] in " ".join(plain.split())
    assert "&lt;b&gt;nouvelle pompe&lt;/b&gt;" in html
    # Every update is a new one: a second is written even though the tenants have the first.
    status, text = cli("--db", str(db_path), "notices", "email", "3", "--kind", "update",
                       "--message", "Second update.", "--eml-dir", str(tmp_path / "eml2"),
                       "--print-dir", str(tmp_path / "print2"))
    assert status == 0, text
    assert len(list((tmp_path / "eml2").glob("*.eml"))) == len(files)


@pytest.mark.parametrize("message", [None, {}, {"en": "  ", "fr": "\n"}])
def test_an_update_without_text_is_refused_and_nothing_is_issued(demo, paths, tmp_path, message):
    request = issuing.BatchRequest(3, "update", tmp_path / "out", message=message)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=r"^message: an update notice needs the update text"):
        issuing.issue_print_batch(demo, paths.database, paths, request)
    assert demo.list_notices(3) == []


def test_a_text_too_long_for_one_page_is_refused_with_its_length(demo, paths, tmp_path):
    request = issuing.BatchRequest(3, "update", tmp_path / "out", message={"fr": "x" * (MAX_MESSAGE_CHARS + 1)})
    with pytest.raises(InvalidInput, match=rf"message \(fr\): the update text has {MAX_MESSAGE_CHARS + 1} characters"):
        issuing.issue_print_batch(demo, paths.database, paths, request)


def test_other_kinds_ignore_a_message(paths):
    facts = replace(sample_facts("en", "completed"), message={"en": "not for this kind"})
    assert notice_context(facts)["message"] == ""
    assert notice_context(sample_facts("en", "update"))["message"].startswith("The new pump arrived")


# The plan ---------------------------------------------------------------------------------------

@pytest.fixture
def building(db_path):
    store = Store.open(db_path)
    prop = store.save_property(Property(name="Oak House", address_line1="1 Oak Street", city="Fresno", country="US",
                                        region="CA", timezone="America/Los_Angeles", jurisdiction="US-CA",
                                        manager_name="Sam Diaz", manager_email="sam@example.org"))
    unit = store.save_unit(Unit(prop.id, "1A", 1))
    ann = store.save_tenant(Tenant(unit.id, "Ann", channel="both", email="ann@example.org"))
    yield store, prop, ann
    store.close()


START = datetime(2026, 5, 12, 15, 0, tzinfo=UTC)


def told(store, work, tenant, kind, at, channel="print"):
    [number] = store.reserve_notice_numbers(1)
    store.add_notices([Notice(id=number, work_order_id=work.id, tenant_id=tenant.id, kind=kind, language="en",
                              channel=channel, recipient_name=tenant.name, subject="s", created_at=at,
                              recipient_email=tenant.email if channel == "email" else "",
                              state="sent" if channel == "email" else "generated", sent_at=at if channel == "email" else None)])


def updates(store, work, at):
    return sorted((m.channel, m.due_at) for m in plan_work_order(store, work, at) if m.kind == "update")


def test_long_work_in_progress_gets_an_update_a_day_after_the_last_word(building):
    store, prop, ann = building
    work = store.save_work_order(WorkOrder(prop.id, {"en": "Roof repair"}, START, START + timedelta(days=4),
                                           status="in_progress", created_at=START - timedelta(days=10)))
    told(store, work, ann, "initial", START - timedelta(days=5), "print")
    told(store, work, ann, "initial", START - timedelta(days=5, hours=-1), "email")
    assert UPDATE_INTERVAL == timedelta(hours=24)
    at = START + timedelta(hours=2)
    assert updates(store, work, at) == [("email", START + timedelta(hours=24)), ("print", START + timedelta(hours=24))]
    assert [g for g in due(store, at) if g.kind == "update"] == []
    at = START + timedelta(hours=24)
    assert {(g.kind, g.channel, g.needs_text) for g in due(store, at) if g.kind == "update"} == {
        ("update", "print", True), ("update", "email", True)}
    told(store, work, ann, "update", START + timedelta(hours=3), "print")
    told(store, work, ann, "update", START + timedelta(hours=3), "email")
    assert updates(store, work, START + timedelta(hours=4)) == [("email", START + timedelta(hours=27)),
                                                                ("print", START + timedelta(hours=27))]
    assert [g for g in due(store, START + timedelta(hours=26)) if g.kind == "update"] == []
    assert len([g for g in due(store, START + timedelta(hours=27)) if g.kind == "update"]) == 2
    # None planned after the window's end, none once the work is completed.
    told(store, work, ann, "update", START + timedelta(days=3, hours=1), "print")
    told(store, work, ann, "update", START + timedelta(days=3, hours=1), "email")
    assert updates(store, work, START + timedelta(days=3, hours=2)) == []
    assert updates(store, store.save_work_order(replace(work, status="completed")), START + timedelta(days=2)) == []


def test_short_planned_work_and_untold_tenants_get_no_update(building):
    store, prop, ann = building
    short = store.save_work_order(WorkOrder(prop.id, {"en": "Boiler service"}, START, START + timedelta(hours=9),
                                            status="in_progress", created_at=START - timedelta(days=10)))
    told(store, short, ann, "initial", START - timedelta(days=5))
    assert updates(store, short, START + timedelta(hours=8)) == []
    long_untold = store.save_work_order(WorkOrder(prop.id, {"en": "Facade"}, START, START + timedelta(days=5),
                                                  status="in_progress", created_at=START - timedelta(days=10)))
    assert updates(store, long_untold, START + timedelta(days=2)) == []
    scheduled = store.save_work_order(WorkOrder(prop.id, {"en": "Lift"}, START, START + timedelta(days=5),
                                                status="scheduled", created_at=START - timedelta(days=10)))
    told(store, scheduled, ann, "initial", START - timedelta(days=5))
    assert updates(store, scheduled, START + timedelta(days=2)) == []


def test_emergency_work_in_progress_gets_updates_on_every_channel(building):
    store, prop, ann = building
    store.save_tenant(replace(ann, channel="email"))
    work = store.save_work_order(WorkOrder(prop.id, {"en": "Leak"}, START, START + timedelta(hours=20),
                                           status="in_progress", emergency=True, created_at=START))
    told(store, work, ann, "emergency", START, "email")
    assert updates(store, work, START + timedelta(hours=1)) == []  # the window ends before a day has passed
    longer = store.save_work_order(replace(work, window_end=START + timedelta(hours=40)))
    assert updates(store, longer, START + timedelta(hours=1)) == [("email", START + timedelta(hours=24)),
                                                                  ("print", START + timedelta(hours=24))]


def test_due_json_marks_the_update_as_waiting_for_its_text(db_path, demo, paths):
    status, text = cli("--db", str(db_path), "due", "--at", "2026-03-02T09:00Z", "--json")
    assert status == 0
    assert all(item["waiting_for_text"] is False for item in json.loads(text))
    issuing.issue_print_batch(demo, paths.database, paths, issuing.BatchRequest(
        3, "emergency", paths.data_dir / "out"), now=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    status, text = cli("--db", str(db_path), "due", "--at", "2026-03-03T09:00Z", "--json")
    items = [i for i in json.loads(text) if i["kind"] == "update"]
    assert sorted((i["id"], i["count"], i["waiting_for_text"]) for i in items) == [
        ("3/update/email", 3, True), ("3/update/print", 3, True)]


def test_dispatch_issues_nothing_for_an_update_and_says_it_waits_for_its_text(db_path, demo, paths):
    issuing.issue_print_batch(demo, paths.database, paths, issuing.BatchRequest(
        3, "emergency", paths.data_dir / "out"), now=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    before = len(demo.list_notices())
    status, text = cli("--db", str(db_path), "dispatch", "--at", "2026-03-03T09:00Z", "--json")
    assert status == 0
    report = json.loads(text)
    assert sorted((i["work_order_id"], i["kind"], i["channel"], i["count"]) for i in report["waiting_for_text"]) == [
        (3, "update", "email", 3), (3, "update", "print", 3)]
    assert not [i for i in report["printed"] if i["kind"] == "update"]
    assert len([n for n in demo.list_notices() if n.kind == "update"]) == 0 and len(demo.list_notices()) >= before
    status, text = cli("--db", str(db_path), "dispatch", "--at", "2026-03-03T09:00Z")
    assert status == 0
    assert "3 update letters wait for the update text; write it with `maintdesk notices render 3 --kind update" in text


# The command line -------------------------------------------------------------------------------

def test_cli_renders_update_letters_from_the_typed_text(db_path, demo, paths, tmp_path):
    out = tmp_path / "letters"
    status, text = cli("--db", str(db_path), "notices", "render", "3", "--kind", "update", "--out", str(out),
                       "--message", "Pump ordered.", "--message-fr", "Pompe commandée, <i>livrée</i> demain.")
    assert status == 0, text
    assert text.startswith("3 letters in ")
    letters = sorted(p for p in out.glob("*.pdf") if not p.name.endswith("-all.pdf"))
    assert len(letters) == 3
    assert "Pompe commandée, <i>livrée</i> demain." in pdf_text(letters[0])
    status, text = cli("--db", str(db_path), "notices", "render", "3", "--kind", "update", "--out",
                       str(out), "--lang", "en", "--message", "Pump ordered.", "--message-fr", "Pompe commandée.")
    assert status == 0, text
    assert all("Pump ordered." in pdf_text(p) for p in letters)  # the same files, now in English


def test_cli_refuses_an_update_without_text_and_a_text_for_another_kind(db_path, demo, paths, tmp_path, capsys):
    status, _ = cli("--db", str(db_path), "notices", "render", "3", "--kind", "update",
                    "--out", str(tmp_path / "o"))
    assert status == 2
    assert "message: an update notice needs the update text" in capsys.readouterr().err
    status, _ = cli("--db", str(db_path), "notices", "render", "3", "--kind", "emergency",
                    "--out", str(tmp_path / "o"), "--message", "typed for nothing")
    assert status == 2
    assert "message: only an update notice carries an update text" in capsys.readouterr().err
    status, _ = cli("--db", str(db_path), "notices", "email", "3", "--kind", "update",
                    "--eml-dir", str(tmp_path / "e"))
    assert status == 2
    assert "message: an update notice needs the update text" in capsys.readouterr().err
    assert demo.list_notices(3) == []
