"""`work check`: completeness of the notice (MISSION.md's seven elements), required content, overrides."""

from __future__ import annotations

import io
import json
import sqlite3
from dataclasses import replace
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from maintdesk.planning.checks import check_work_order
from maintdesk.cli.app import main
from maintdesk.errors import ConflictError, NotFound, ValidationError
from maintdesk.planning.findings import DISCLAIMER
from maintdesk.records.models import ActionItem, Property, Slot, Tenant, Unit, WorkOrder
from maintdesk.paths import AppPaths
from maintdesk.records.terms import FindingOverride, WorkTerms

UTC = timezone.utc
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def local(zone: str, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def make_work(store, jurisdiction="US-CA", zone="America/Los_Angeles", country="US", languages=("en",),
              day=date(2026, 5, 12), terms=None, **changes) -> int:
    """A complete work order in one flat, with one tenant per language; `changes` edit the work order."""
    prop = store.save_property(Property(name="Oak House", address_line1="1 Oak Street", city="Town", country=country,
                                        timezone=zone, jurisdiction=jurisdiction, manager_name="Sam Diaz",
                                        manager_email="sam@example.org"))
    unit = store.save_unit(Unit(prop.id, "3B", 3))
    for language in languages:
        store.save_tenant(Tenant(unit.id, f"Tenant {language}", language=language))
    work = WorkOrder(
        prop.id, {"en": "Boiler repair", "fr": "Réparation de la chaudière"}, local(zone, day, 8), local(zone, day, 17),
        status="scheduled", category="heating",
        description={"en": "The boiler is repaired.", "fr": "La chaudière est réparée."},
        reason={"en": "It leaks.", "fr": "Elle fuit."}, impact={"en": "No hot water.", "fr": "Pas d'eau chaude."},
        alternatives={"en": "Showers in the gym.", "fr": "Douches au gymnase."},
        contact_name="Sam Diaz", contact_email="sam@example.org",
        slots=[Slot(unit.id, local(zone, day, 10), local(zone, day, 10, 45))],
        actions=[ActionItem({"en": "Clear the cupboard.", "fr": "Videz le placard."})],
    )
    saved = store.save_work_order(replace(work, **changes))
    if terms:
        store.save_work_terms(replace(WorkTerms(saved.id), **terms))
    return saved.id


def codes(report) -> dict[str, object]:
    return {f.code: f for f in report.findings}


def test_a_complete_notice_has_no_completeness_findings(store, paths):
    report = check_work_order(store, paths, make_work(store, languages=("en", "fr")), NOW)
    assert report.languages == ["en", "fr"]
    assert not [c for c in codes(report) if c.startswith(("completeness/", "content/"))]
    view = report.view()
    assert view["disclaimer"] == DISCLAIMER and "not legal advice" in view["disclaimer"]
    assert view["rules"]["id"] == "US-CA" and view["rules"]["encoded"] == "2026-11-26"
    assert view["rules"]["basis"] and view["rules"]["uncertain"] and "counted" in view["rules"]["counting"]


COMPLETENESS_CASES = {
    "no reason": ({"reason": {}, "description": {}}, ["completeness/reason", "content/US-CA/purpose"],
                  "why the work is done"),
    "no impact": ({"impact": {}}, ["completeness/impact"], "can and cannot do"),
    "vague wording": ({"description": {"en": "The boiler is repaired sometime next week."}}, ["completeness/vague"],
                      "'sometime'"),
    "no contact": ({"contact_email": "", "contact_name": ""}, [], ""),  # the property manager is the contact
    "alternatives left empty": ({"alternatives": {}}, [], ""),  # the template says plainly there are none
}


@pytest.mark.parametrize("name", list(COMPLETENESS_CASES))
def test_completeness(store, paths, name):
    changes, expected, text = COMPLETENESS_CASES[name]
    found = codes(check_work_order(store, paths, make_work(store, **changes), NOW))
    assert sorted(c for c in found if c.startswith(("completeness/", "content/"))) == sorted(expected)
    for code in expected:
        assert text in found[code].message or text in found[code].fix


def test_no_contact_at_all_is_flagged(store, paths):
    work_id = make_work(store, jurisdiction="US-WA", contact_email="", contact_name="")
    store.save_property(replace(store.get_property(1), manager_email="", manager_name=""))
    found = codes(check_work_order(store, paths, work_id, NOW))
    assert found["completeness/contact"].message.startswith("There is no contact phone or email")
    assert found["content/US-WA/phone"].severity == "error"
    assert "RCW 59.18.150(6)" in found["content/US-WA/phone"].citation


def write_user_template(paths: AppPaths, name: str, text: str) -> None:
    target = paths.user_templates_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def test_a_user_template_that_drops_the_time_zone_and_the_date_is_caught(store, paths):
    write_user_template(paths, "en/initial-unit.html.j2", (
        "{% extends layout %}{% block subject %}Work in your flat: {{ work.title }}{% endblock %}"
        "{% block body %}<p>We come at {{ slot.start.time }} until {{ slot.end.time }} on "
        "{{ slot.start.date }}. {{ work.impact }} {{ work.reason }} {{ work.alternatives }} "
        "Call {{ work.contact.email }}. We apologise and thank you.</p>{% endblock %}"))
    found = codes(check_work_order(store, paths, make_work(store), NOW))
    assert found["completeness/schedule"].message == "The letter does not name the time zone (English notice)."
    assert found["completeness/subject"].message.startswith("The subject does not name both the work and its date")
    # What the template still shows passes: the date, time and purpose California asks for.
    assert not [c for c in found if c.startswith("content/")] and "completeness/reason" not in found


def test_a_broken_user_template_is_an_error_not_a_crash(store, paths):
    write_user_template(paths, "en/initial-unit.html.j2", "{% extends layout %}{% block subject %}{{ nope }}{% endblock %}")
    found = codes(check_work_order(store, paths, make_work(store), NOW))
    assert found["completeness/template-en"].severity == "error"
    assert "en/initial-unit.html.j2" in found["completeness/template-en"].message


def test_washington_needs_the_earliest_and_latest_time_and_a_phone(store, paths):
    found = codes(check_work_order(store, paths, make_work(store, jurisdiction="US-WA", contact_phone="+12065550123"), NOW))
    assert "content/US-WA/time-window" not in found and "content/US-WA/phone" not in found


def test_quebec_major_works_with_an_evacuation_ask_for_a_manual_check(store, paths):
    work_id = make_work(store, jurisdiction="CA-QC", zone="America/Montreal", country="CA", languages=("fr",),
                        terms={"nature": "major", "vacate_days": 10})
    found = codes(check_work_order(store, paths, work_id, NOW))
    assert found["content/CA-QC/evacuation"].severity == "warning"
    assert "compensation" in found["content/CA-QC/evacuation"].message
    assert found["CA-QC/major-evacuation/too-late"].severity == "error"
    assert "content/CA-QC/nature" not in found and "content/CA-QC/duration" not in found


def test_a_window_across_daylight_saving_shows_both_offsets(store, paths):
    # Paris, Fri 23 – Mon 26 Oct 2026: summer time ends on Sunday. No slot: the letter gives the window.
    work_id = make_work(store, jurisdiction="FR", zone="Europe/Paris", country="FR", languages=("fr",),
                        day=date(2026, 10, 23), slots=[], window_end=local("Europe/Paris", date(2026, 10, 26), 12))
    found = codes(check_work_order(store, paths, work_id, NOW))
    assert "completeness/schedule" not in found
    assert "Sat 24 Oct 2026 (Saturday)" in found["FR/off-days/days"].message
    assert "Sun 25 Oct 2026 (Sunday)" in found["FR/off-days/days"].message


def test_an_override_keeps_the_finding_with_its_reason_and_stops_counting_it(store, paths):
    work_id = make_work(store, jurisdiction="FR", zone="Europe/Paris", country="FR", day=date(2026, 5, 16),
                        languages=("fr",))
    before = check_work_order(store, paths, work_id, NOW).view()
    assert before["ok"] is False and before["counts"]["error"] == 1
    accepted = store.add_finding_override(FindingOverride(
        work_id, "FR/off-days/days", "Mme X asked for Saturday in writing", "Camille", datetime(2026, 5, 2, 9, tzinfo=UTC)))
    after = check_work_order(store, paths, work_id, NOW).view()
    [finding] = [f for f in after["findings"] if f["code"] == "FR/off-days/days"]
    assert finding["overridden"] == {"id": accepted.id, "reason": "Mme X asked for Saturday in writing",
                                     "by": "Camille", "at": "2026-05-02T09:00:00Z"}
    assert after["ok"] is True and after["counts"]["error"] == 0


def test_a_withdrawn_acceptance_counts_the_finding_again_and_is_kept_as_recorded(store, paths):
    work_id = make_work(store, jurisdiction="FR", zone="Europe/Paris", country="FR", day=date(2026, 5, 16),
                        languages=("fr",))
    accepted = store.add_finding_override(FindingOverride(work_id, "FR/off-days/days", "Mme X agreed", "Camille"))
    with pytest.raises(ValidationError, match="withdrawn_reason"):
        store.withdraw_finding_override(accepted.id, "Camille", "  ")
    withdrawn = store.withdraw_finding_override(accepted.id, "Camille", "Mme X changed her mind",
                                                datetime(2026, 5, 4, 8, tzinfo=UTC))
    view = check_work_order(store, paths, work_id, NOW).view()
    assert view["ok"] is False and view["counts"]["error"] == 1
    assert [f["overridden"] for f in view["findings"] if f["code"] == "FR/off-days/days"] == [None]
    [kept] = store.list_finding_overrides(work_id)
    assert kept == withdrawn and (kept.reason, kept.withdrawn_by, kept.withdrawn_reason) == (
        "Mme X agreed", "Camille", "Mme X changed her mind") and not kept.in_force
    with pytest.raises(ConflictError, match="already withdrawn on 2026-05-04T08:00:00Z by Camille"):
        store.withdraw_finding_override(accepted.id, "Hélène", "again")
    with pytest.raises(NotFound, match="no accepted finding number 999"):
        store.withdraw_finding_override(999, "Camille", "typo")
    for edit in ("UPDATE finding_overrides SET reason = 'rewritten' WHERE id = ?",
                 "UPDATE finding_overrides SET withdrawn_reason = 'rewritten' WHERE id = ?"):
        with pytest.raises(sqlite3.IntegrityError, match="kept as recorded"):
            store.db.execute(edit, [accepted.id])
    # Accepting it again is a new record; the first one stays withdrawn.
    store.add_finding_override(FindingOverride(work_id, "FR/off-days/days", "Mme X agreed again, in writing", "Camille"))
    assert check_work_order(store, paths, work_id, NOW).view()["ok"] is True
    assert [o.in_force for o in store.list_finding_overrides(work_id)] == [False, True]


# Through the command line, on the demo database ------------------------------------------------

def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_demo_work_check_json_gives_sensible_findings(tmp_path):
    db = str(tmp_path / "demo.sqlite")
    assert cli("--db", db, "init", "--demo")[0] == 0

    status, text = cli("--db", db, "work", "check", "1", "--json")

    assert status == 0
    report = json.loads(text)
    assert {"work_order_id", "checked_at", "timezone", "jurisdiction", "rules", "disclaimer", "notice_kind",
            "languages", "counts", "ok", "findings"} <= report.keys()
    assert (report["jurisdiction"], report["timezone"], report["rules"]["fallback"]) == ("FR", "Europe/Paris", False)
    found = {f["code"]: f for f in report["findings"]}
    assert not [c for c in found if c.startswith(("completeness/", "content/"))]
    # The French statute wants the notice on paper: tenants who read email get a letter as well, so
    # every tenant is counted among those who get it by hand and no method error is left.
    assert "FR/notification/method" not in found and report["ok"] is True
    assert found["FR/notification/send-by-hand"]["message"].startswith("22 tenants get the first notice by hand")
    assert found["FR/notification/send-by-hand"]["fix"].startswith("send by ")
    assert all(set(f) == {"code", "check", "severity", "message", "rule", "citation", "fix", "units", "overridden",
                          "texts"} for f in report["findings"])
    assert all(f["texts"]["en"]["message"] == f["message"] and f["texts"]["en"]["fix"] == f["fix"]
               for f in report["findings"])


def post_the_letters(db: str) -> None:
    """Work order 1's letters go by post, which the French statute does not accept (an open error)."""
    assert cli("--db", db, "work", "terms", "1", "--print-delivery", "mail")[0] == 0


def test_work_check_as_text_ends_with_the_disclaimer(tmp_path):
    db = str(tmp_path / "demo.sqlite")
    cli("--db", db, "init", "--demo")
    post_the_letters(db)
    status, text = cli("--db", db, "work", "override", "1", "FR/notification/method", "--reason",
                       "The lease allows notices by post", "--by", "Camille")
    assert status == 0 and "accepted by Camille" in text
    status, text = cli("--db", db, "work", "check", "1")
    assert status == 0
    assert "ERROR   FR/notification/method  [overridden]" in text
    assert "overridden by Camille at " in text and "The lease allows notices by post" in text
    assert text.rstrip().endswith(DISCLAIMER)


def test_an_acceptance_is_withdrawn_from_the_command_line(tmp_path, capsys):
    db = str(tmp_path / "demo.sqlite")
    cli("--db", db, "init", "--demo")
    post_the_letters(db)
    status, _ = cli("--db", db, "work", "override", "1", "FR/notification/method", "--withdraw",
                    "--reason", "nothing accepted yet")
    assert status == 2 and "is not accepted; there is nothing to withdraw" in capsys.readouterr().err
    cli("--db", db, "work", "override", "1", "FR/notification/method", "--reason", "Lease allows post", "--by", "Camille")
    status, text = cli("--db", db, "work", "override", "1", "FR/notification/method", "--withdraw",
                       "--reason", "The owner wants registered letters", "--by", "Hélène")
    assert status == 0 and "acceptance withdrawn by Hélène" in text and "counts again" in text
    status, text = cli("--db", db, "work", "check", "1", "--json")
    [finding] = [f for f in json.loads(text)["findings"] if f["code"] == "FR/notification/method"]
    assert finding["overridden"] is None
    status, text = cli("--db", db, "work", "override", "1", "FR/notification/method", "--withdraw", "--reason", "x")
    assert status == 2


def test_a_user_template_of_another_kind_that_cannot_be_filled_in_is_reported(store, paths):
    write_user_template(paths, "en/reminder.html.j2", "{% extends layout %}{% block subject %}{{ 1 / 0 }}{% endblock %}")
    found = codes(check_work_order(store, paths, make_work(store), NOW))
    problem = found["completeness/template-en-reminder"]
    assert problem.severity == "error" and "en/reminder.html.j2" in problem.message
