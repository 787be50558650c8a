"""A tenant's written agreement to a visit outside the lawful days or hours, recorded per unit:
the store, the rules engine, the command line and the data interchange."""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import redirect_stderr
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from maintdesk.records import interchange
from maintdesk.records.agreements import EntryAgreement
from maintdesk.cli.app import main
from maintdesk.errors import ConflictError, NotFound, ValidationError
from maintdesk.records.models import Property, Slot, Unit, WorkOrder
from maintdesk.planning.communication import gather_facts
from maintdesk.planning.rules.engine import evaluate
from maintdesk.records.terms import WorkTerms


UTC = timezone.utc
SATURDAY = date(2026, 5, 16)
TUESDAY = date(2026, 5, 12)


def at(zone: str, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def two_unit_work(store, building, day: date, hours: tuple[tuple[int, int], tuple[int, int]], minutes: int = 45,
                  **work) -> WorkOrder:
    """Work on units 1A and 1B (of a building with more), one visit each on `day` at the given local times."""
    zone = building.prop.timezone
    slots = [Slot(building.unit_id(label), at(zone, day, h, m), at(zone, day, h, m) + timedelta(minutes=minutes))
             for label, (h, m) in zip(("1A", "1B"), hours)]
    return store.save_work_order(WorkOrder(
        building.id, {"en": "Boiler repair"}, at(zone, day, 7), at(zone, day, 22), status="scheduled",
        all_units=False, affected_unit_ids=[building.unit_id("1A"), building.unit_id("1B")], slots=slots, **work))


def findings(store, work: WorkOrder, day: date) -> dict:
    facts = gather_facts(store, store.get_work_order(work.id), at("UTC", day, 0) - timedelta(days=10))
    return {f.code: f for f in evaluate(facts)}


def agree(store, work, building, label: str, note: str = "signed letter of 3 May") -> EntryAgreement:
    return store.add_entry_agreement(EntryAgreement(work.id, building.unit_id(label), note, "Camille Rousseau"))


class Building:
    """The `paris` and `toronto` fixtures' shape, for a Montréal building."""

    def __init__(self, store, prop: Property, labels: list[str]):
        self.prop = store.save_property(prop)
        self.id = self.prop.id
        self.units = {label: store.save_unit(Unit(self.id, label, int(label[0]))) for label in labels}

    def unit_id(self, label: str) -> int:
        return self.units[label].id


@pytest.fixture
def quebec(store):
    return Building(store, Property(name="Les Habitations Saint-Denis", address_line1="4100 rue Saint-Denis",
                                    city="Montréal", country="CA", region="QC", jurisdiction="CA-QC",
                                    timezone="America/Montreal"), ["1A", "1B", "2A"])


# The store -----------------------------------------------------------------------------------

def test_an_agreement_is_recorded_listed_and_withdrawn_once_and_kept(store, paris):
    work = two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))

    recorded = agree(store, work, paris, "1A", "  signed letter of 3 May  ")
    withdrawn = store.withdraw_entry_agreement(work.id, paris.unit_id("1A"), "Camille Rousseau",
                                               "phoned on 5 May: not on Saturday after all")
    again = agree(store, work, paris, "1A", "new letter of 6 May")

    first, second = store.list_entry_agreements(work.id)
    assert (first.id, first.note, first.recorded_by, first.in_force) == (
        recorded.id, "signed letter of 3 May", "Camille Rousseau", False)
    assert (first.withdrawn_note, first.withdrawn_at) == (withdrawn.withdrawn_note, withdrawn.withdrawn_at)
    assert (second.id, second.note, second.in_force) == (again.id, "new letter of 6 May", True)
    with pytest.raises(sqlite3.IntegrityError, match="kept as recorded"):
        store.db.execute("UPDATE entry_agreements SET withdrawn_note = 'edited' WHERE id = ?", [first.id])
    with pytest.raises(sqlite3.IntegrityError, match="kept as recorded"):
        store.db.execute("UPDATE entry_agreements SET note = 'edited' WHERE id = ?", [second.id])


@pytest.mark.parametrize("make, error, message", [
    (lambda w, b: EntryAgreement(w.id, b.unit_id("1A"), "   ", "Camille"), ValidationError,
     "note: is required: say where the agreement is written"),
    (lambda w, b: EntryAgreement(w.id, b.unit_id("1A"), "letter", ""), ValidationError,
     "recorded_by: is required"),
    (lambda w, b: EntryAgreement(w.id, b.unit_id("2A"), "letter", "Camille"), ValidationError,
     "is not a unit work order"),
    (lambda w, b: EntryAgreement(w.id, 999, "letter", "Camille"), ValidationError, "unit 999 is not a unit"),
    (lambda w, b: EntryAgreement(999, b.unit_id("1A"), "letter", "Camille"), NotFound, "no work order with id 999"),
])
def test_bad_agreements_are_refused_with_a_sentence_and_nothing_is_stored(store, paris, state_of, make, error,
                                                                          message):
    work = two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))
    before = state_of(store)

    with pytest.raises(error) as refused:
        store.add_entry_agreement(make(work, paris))

    assert message in refused.value.summary
    assert state_of(store) == before


def test_a_second_agreement_in_force_and_withdrawing_nothing_are_refused(store, paris, state_of):
    work = two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))
    agree(store, work, paris, "1A")
    before = state_of(store)

    with pytest.raises(ConflictError, match="agreement of 1A for work order .* is already recorded"):
        agree(store, work, paris, "1A", "another letter")
    with pytest.raises(NotFound, match="No agreement of 1B is in force"):
        store.withdraw_entry_agreement(work.id, paris.unit_id("1B"), "Camille", "phoned")
    with pytest.raises(ValidationError, match="withdrawn_note: is required"):
        store.withdraw_entry_agreement(work.id, paris.unit_id("1A"), "Camille", " ")

    assert state_of(store) == before


# The rules -----------------------------------------------------------------------------------

def test_france_saturday_one_unit_agreed_the_finding_names_only_the_other(store, paris):
    work = two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))
    assert findings(store, work, SATURDAY)["FR/off-days/days"].units == ["1A", "1B"]

    agree(store, work, paris, "1A")
    found = findings(store, work, SATURDAY)

    problem, allowed = found["FR/off-days/days"], found["FR/off-days/days/agreed"]
    assert (problem.severity, problem.units) == ("error", ["1B"])
    assert "Sat 16 May 2026 (Saturday): 1B." in problem.message
    assert "work agree ID UNIT" in problem.fix
    assert (allowed.severity, allowed.units) == ("info", ["1A"])
    assert "agreed in writing" in allowed.message and allowed.fix == ""


def test_france_every_unit_agreed_leaves_only_information(store, paris):
    work = two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))
    agree(store, work, paris, "1A")
    agree(store, work, paris, "1B")

    found = findings(store, work, SATURDAY)

    assert "FR/off-days/days" not in found
    assert found["FR/off-days/days/agreed"].units == ["1A", "1B"]


def test_a_withdrawn_agreement_brings_the_unit_back_into_the_finding(store, paris):
    work = two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))
    agree(store, work, paris, "1A")
    store.withdraw_entry_agreement(work.id, paris.unit_id("1A"), "Camille", "phoned on 5 May: no Saturday")

    found = findings(store, work, SATURDAY)

    assert found["FR/off-days/days"].units == ["1A", "1B"]
    assert "FR/off-days/days/agreed" not in found


def test_the_work_order_wide_agreement_still_covers_every_unit(store, paris):
    work = two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))
    agree(store, work, paris, "1A")
    store.save_work_terms(WorkTerms(work.id, tenants_agreed=True))

    found = findings(store, work, SATURDAY)

    assert (found["FR/off-days/days"].severity, found["FR/off-days/days"].units) == ("info", ["1A", "1B"])
    assert "agreement is recorded" in found["FR/off-days/days"].message
    assert "FR/off-days/days/agreed" not in found


def test_building_wide_work_is_agreed_only_when_every_affected_unit_agreed(store, paris):
    zone = paris.prop.timezone
    work = store.save_work_order(WorkOrder(
        paris.id, {"en": "Stairwell painting"}, at(zone, SATURDAY, 9), at(zone, SATURDAY, 12), status="scheduled",
        scope="building", all_units=False, affected_unit_ids=[paris.unit_id("1A"), paris.unit_id("1B")]))
    agree(store, work, paris, "1A")
    assert findings(store, work, SATURDAY)["FR/off-days/days"].severity == "error"

    agree(store, work, paris, "1B")

    found = findings(store, work, SATURDAY)
    assert "FR/off-days/days" not in found and found["FR/off-days/days/agreed"].units == ["building"]


def test_quebec_hours_of_works_one_unit_agreed(store, quebec):
    work = two_unit_work(store, quebec, TUESDAY, ((18, 30), (18, 45)))
    assert findings(store, work, TUESDAY)["CA-QC/work-hours/hours"].units == ["1A", "1B"]

    agree(store, work, quebec, "1B", "email of 4 May, printed and filed")
    found = findings(store, work, TUESDAY)

    problem = found["CA-QC/work-hours/hours"]
    assert (problem.severity, problem.units) == ("error", ["1A"])
    assert "1 visit falls outside 07:00–19:00, e.g. 1A" in problem.message
    assert found["CA-QC/work-hours/hours/agreed"].units == ["1B"]


def test_ontario_hours_of_entry_are_not_lifted_by_an_agreement_recorded_in_advance(store, toronto):
    work = store.save_work_order(WorkOrder(
        toronto.id, {"en": "Boiler repair"}, at("America/Toronto", TUESDAY, 7), at("America/Toronto", TUESDAY, 22),
        status="scheduled", all_units=False, affected_unit_ids=[toronto.unit_id("101"), toronto.unit_id("102")],
        slots=[Slot(toronto.unit_id(label), at("America/Toronto", TUESDAY, 20, m),
                    at("America/Toronto", TUESDAY, 20, m + 20)) for label, m in (("101", 15), ("102", 30))]))
    store.add_entry_agreement(EntryAgreement(work.id, toronto.unit_id("101"), "signed letter", "Sam"))

    found = findings(store, work, TUESDAY)

    problem = found["CA-ON/hours/hours"]
    assert (problem.severity, problem.units) == ("error", ["101", "102"])
    assert "does not lift this rule" in problem.message
    assert "work agree" not in problem.fix
    assert "CA-ON/hours/hours/agreed" not in found


# The command line ----------------------------------------------------------------------------

def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        status = main(list(args), out=out)
    return status, out.getvalue(), err.getvalue()


def test_work_agree_records_lists_and_withdraws(store, paris, db_path):
    work = two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))
    db = str(db_path)

    status, out, _ = run("--db", db, "work", "agree", str(work.id), "1a", "--note", "signed letter of 3 May",
                         "--by", "Camille Rousseau")
    assert status == 0 and out.startswith(f"unit 1A of work order {work.id}: written agreement recorded by Camille")
    status, out, _ = run("--db", db, "work", "terms", str(work.id), "--json")
    [item] = json.loads(out)["entry_agreements"]
    assert (item["unit"], item["note"], item["recorded_by"], item["in_force"]) == (
        "1A", "signed letter of 3 May", "Camille Rousseau", True)
    status, out, _ = run("--db", db, "work", "terms", str(work.id))
    assert "1A: signed letter of 3 May (recorded by Camille Rousseau at " in out
    assert findings(store, work, SATURDAY)["FR/off-days/days"].units == ["1B"]

    status, out, _ = run("--db", db, "work", "agree", str(work.id), "1A", "--withdraw", "--note", "phoned: no")
    assert status == 0 and "agreement withdrawn" in out
    status, out, _ = run("--db", db, "work", "terms", str(work.id))
    assert "withdrawn by " in out and ": phoned: no" in out
    assert findings(store, work, SATURDAY)["FR/off-days/days"].units == ["1A", "1B"]


@pytest.mark.parametrize("args, message", [
    (("1C", "--note", "letter"), 'unit: "1C" is not a unit this work affects; choose one of 1A and 1B'),
    (("1A", "--note", " "), "note: is required: say where the agreement is written"),
    (("1B", "--withdraw", "--note", "phoned"), "No agreement of 1B is in force"),
    (("1A",), "the following arguments are required: --note"),
])
def test_work_agree_bad_input_exits_2_with_one_line(store, paris, db_path, state_of, args, message):
    work = two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))
    before = state_of(store)

    status, out, err = run("--db", str(db_path), "work", "agree", str(work.id), *args)

    assert status == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) <= 2  # argparse adds its usage line
    assert state_of(store) == before


# The data interchange ------------------------------------------------------------------------

def test_agreements_survive_export_import_export(store, paris, open_store, tmp_path):
    work = two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))
    agree(store, work, paris, "1A")
    store.withdraw_entry_agreement(work.id, paris.unit_id("1A"), "Hélène", "phoned on 5 May")
    agree(store, work, paris, "1B", "email of 4 May")
    # 1B later leaves the work: its agreement stays on record and must still import.
    store.save_work_order(WorkOrder(**{**vars(store.get_work_order(work.id)),
                                       "affected_unit_ids": [paris.unit_id("1A")],
                                       "slots": store.get_work_order(work.id).slots[:1]}))
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    interchange.export_to_file(store, first)

    copy = open_store(tmp_path / "copy.sqlite")
    interchange.import_from_file(copy, first)
    interchange.export_to_file(copy, second)

    assert second.read_bytes() == first.read_bytes()
    [exported] = json.loads(first.read_text(encoding="utf-8"))["properties"][0]["work_orders"]
    assert [(a["unit"], a["note"], a["withdrawn_note"]) for a in exported["entry_agreements"]] == [
        ("1A", "signed letter of 3 May", "phoned on 5 May"), ("1B", "email of 4 May", "")]
    assert [(a.note, a.in_force) for a in copy.list_entry_agreements(work.id)] == [
        ("signed letter of 3 May", False), ("email of 4 May", True)]


@pytest.mark.parametrize("agreements, message", [
    ([{"unit": "9Z", "note": "x", "recorded_by": "x"}], 'entry_agreements[0].unit: no unit "9Z" in this property'),
    ([{"unit": "1A", "recorded_by": "x"}], "entry_agreements[0].note: is required"),
    ([{"unit": "1A", "note": "x", "recorded_by": "x"}, {"unit": "1A", "note": "y", "recorded_by": "y"}],
     "entry_agreements[1]: The agreement of 1A for work order"),
])
def test_a_bad_agreement_in_an_import_names_its_place_and_imports_nothing(store, open_store, tmp_path, paris,
                                                                          agreements, message):
    two_unit_work(store, paris, SATURDAY, ((10, 0), (11, 0)))
    data = interchange.export_data(store)
    data["properties"][0]["work_orders"][0]["entry_agreements"] = agreements
    copy = open_store(tmp_path / "copy.sqlite")

    with pytest.raises(ValidationError) as refused:
        interchange.import_data(copy, data)

    assert refused.value.summary.startswith("properties[0].work_orders[0].")
    assert message in refused.value.summary, refused.value.summary
    assert copy.is_empty()
