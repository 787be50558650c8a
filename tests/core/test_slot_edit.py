"""One unit's visit slot set, moved or removed by hand: in the core, then through `work slots --set/--remove`."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from maintdesk.planning import slot_edit
from maintdesk.records.agreements import EntryAgreement
from maintdesk.cli.app import main
from maintdesk.errors import InvalidInput, ValidationError
from maintdesk.records.models import Slot, WorkOrder

UTC = timezone.utc
PARIS = "Europe/Paris"


def at(day: date, hour: int, minute: int = 0, zone: str = PARIS, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, fold=fold, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def wall(text: str) -> datetime:
    return datetime.fromisoformat(text)


TUE = date(2026, 5, 12)


@pytest.fixture
def paris_work(store, paris):
    """Units 1A, 1B, 2A affected; window Tue 12 08:00 – Wed 13 May 2026 18:00 (Paris, +02:00); 1A, 1B have slots."""
    ids = [paris.unit_id(label) for label in ("1A", "1B", "2A")]
    work = store.save_work_order(WorkOrder(
        paris.id, {"en": "Radiators"}, at(TUE, 8), at(TUE + timedelta(days=1), 18), all_units=False,
        affected_unit_ids=ids, slots=[Slot(ids[0], at(TUE, 8), at(TUE, 9)), Slot(ids[1], at(TUE, 9), at(TUE, 10))]))
    return work


def affected(store, work):
    return store.affected_units(work)


def set_wall(store, work, label, start, end):
    units = affected(store, work)
    unit = slot_edit.find_unit(units, label)
    return slot_edit.set_slot(work, units, unit.id, slot_edit.wall_to_utc(wall(start), PARIS, "start"),
                              slot_edit.wall_to_utc(wall(end), PARIS, "end"), PARIS)


def by_unit(store, work_id, building):
    labels = {u.id: label for label, u in building.units.items()}
    return {labels[s.unit_id]: (s.start, s.end) for s in store.get_work_order(work_id).slots}


def test_set_a_slot_for_a_unit_without_one_keeps_the_others(store, paris, paris_work):
    slots = set_wall(store, paris_work, "2a", "2026-05-12 14:00", "2026-05-12 14:45")
    store.save_slots(paris_work.id, slots)

    saved = by_unit(store, paris_work.id, paris)
    assert saved == {"1A": (at(TUE, 8), at(TUE, 9)), "1B": (at(TUE, 9), at(TUE, 10)),
                     "2A": (at(TUE, 14), at(TUE, 14, 45))}
    assert saved["2A"][0] == datetime(2026, 5, 12, 12, 0, tzinfo=UTC)  # 14:00 in Paris in May is 12:00 UTC


def test_move_replaces_the_units_slot(store, paris, paris_work):
    store.save_slots(paris_work.id, set_wall(store, paris_work, "1A", "2026-05-13 15:00", "2026-05-13 16:00"))

    saved = by_unit(store, paris_work.id, paris)
    assert saved["1A"] == (at(TUE + timedelta(days=1), 15), at(TUE + timedelta(days=1), 16))
    assert len(store.get_work_order(paris_work.id).slots) == 2


def test_remove_drops_only_that_slot(store, paris, paris_work):
    units = affected(store, paris_work)
    store.save_slots(paris_work.id, slot_edit.remove_slot(paris_work, units, paris.unit_id("1A")))

    assert by_unit(store, paris_work.id, paris) == {"1B": (at(TUE, 9), at(TUE, 10))}
    with pytest.raises(ValidationError, match="2A has no visit slot to remove"):
        slot_edit.remove_slot(paris_work, units, paris.unit_id("2A"))


def test_outside_the_window_is_refused_with_the_window_in_local_time(store, paris_work):
    with pytest.raises(ValidationError) as caught:
        set_wall(store, paris_work, "2A", "2026-05-13 17:30", "2026-05-13 18:30")
    problem = caught.value.problems[0]
    assert problem.field == "end"
    assert problem.message == (
        "the visit Wed 13 May 2026 17:30–18:30 lies outside the work window Tue 12 May 2026 08:00–"
        "Wed 13 May 2026 18:00 (Europe/Paris); move it inside the window or widen the window first")
    with pytest.raises(ValidationError) as caught:
        set_wall(store, paris_work, "2A", "2026-05-12 07:00", "2026-05-12 07:45")
    assert caught.value.problems[0].field == "start"


def test_end_before_start_and_unknown_unit_name_the_field(store, paris_work):
    with pytest.raises(ValidationError) as caught:
        set_wall(store, paris_work, "2A", "2026-05-12 14:00", "2026-05-12 13:00")
    assert str(caught.value) == "end: must be after the start (14:00 on Tue 12 May 2026)"
    with pytest.raises(ValidationError) as caught:
        set_wall(store, paris_work, "3B", "2026-05-12 14:00", "2026-05-12 15:00")
    assert str(caught.value) == 'unit: "3B" is not a unit this work affects; choose one of 1A, 1B and 2A'


def test_parse_wall_reads_a_bare_time_on_the_given_day():
    assert slot_edit.parse_wall("14:05", "start", TUE) == datetime(2026, 5, 12, 14, 5)
    assert slot_edit.parse_wall(" 2026-05-13T09:00 ", "start", TUE) == datetime(2026, 5, 13, 9, 0)
    for bad in ("2pm", "24:00", "2026-02-30 10:00", ""):
        with pytest.raises(InvalidInput):
            slot_edit.parse_wall(bad, "start", TUE)


@pytest.fixture
def dst_work(store, paris):
    """Window Sat 28 Mar 2026 00:00 – Mon 30 Mar 12:00 (Paris): clocks go forward on Sunday 29 at 02:00."""
    return store.save_work_order(WorkOrder(paris.id, {"en": "Boiler"}, at(date(2026, 3, 28), 0),
                                           at(date(2026, 3, 30), 12), all_units=False,
                                           affected_unit_ids=[paris.unit_id("1A"), paris.unit_id("1B")]))


def test_wall_times_either_side_of_spring_forward(store, paris, dst_work):
    store.save_slots(dst_work.id, set_wall(store, dst_work, "1A", "2026-03-28 09:00", "2026-03-28 10:00"))
    work = store.get_work_order(dst_work.id)
    store.save_slots(dst_work.id, set_wall(store, work, "1B", "2026-03-29 01:30", "2026-03-29 03:30"))

    saved = by_unit(store, dst_work.id, paris)
    assert saved["1A"][0] == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)  # +01:00 on Saturday
    start, end = saved["1B"]
    assert start == datetime(2026, 3, 29, 0, 30, tzinfo=UTC) and end == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert end - start == timedelta(hours=1)  # 01:30 to 03:30 on the clock, one real hour across the change


def test_a_time_the_clocks_skip_is_refused(store, dst_work):
    with pytest.raises(ValidationError) as caught:
        set_wall(store, dst_work, "1A", "2026-03-29 02:30", "2026-03-29 04:00")
    assert str(caught.value) == ("start: 02:30 does not exist on Sun 29 Mar 2026 in Europe/Paris: the clocks go "
                                 "from 02:00 straight to 03:00; choose another time")


def test_a_time_the_clocks_repeat_is_the_first_one():
    moment = slot_edit.wall_to_utc(wall("2026-10-25 02:30"), PARIS, "start")
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # summer time, before the clocks go back


def test_warnings_name_an_overlap_and_a_closed_day(store, paris, paris_work):
    # 1B's slot is 09:00–10:00 on Tuesday; France allows no visits on Sundays and public holidays.
    work = store.save_work_order(WorkOrder(
        paris.id, {"en": "Radiators"}, at(TUE, 8), at(date(2026, 5, 17), 18), all_units=False,
        affected_unit_ids=[paris.unit_id("1A"), paris.unit_id("1B")],
        slots=[Slot(paris.unit_id("1B"), at(TUE, 9), at(TUE, 10))]))
    terms = store.get_work_terms(work.id)
    overlapping = store.save_slots(work.id, set_wall(store, work, "1A", "2026-05-12 09:30", "2026-05-12 10:30"))
    codes = {f.code: f for f in slot_edit.slot_warnings(store, overlapping, terms, paris.unit_id("1A"))}
    assert codes["slots/overlap"].severity == "warning"

    sunday = store.save_slots(work.id, set_wall(store, overlapping, "1A", "2026-05-17 10:00", "2026-05-17 11:00"))
    findings = slot_edit.slot_warnings(store, sunday, terms, paris.unit_id("1A"))
    days = [f for f in findings if f.code.endswith("/days")]
    assert days and days[0].units == ["1A"] and "Sun 17 May 2026" in days[0].message
    assert "slots/overlap" not in {f.code for f in findings}
    # The tenant of 1A agreed in writing: the Sunday visit is allowed, and said so.
    store.add_entry_agreement(EntryAgreement(work.id, paris.unit_id("1A"), "Signed letter of 3 May", "Camille"))
    findings = slot_edit.slot_warnings(store, sunday, terms, paris.unit_id("1A"))
    assert not [f for f in findings if f.code.endswith("/days")]
    assert [f.units for f in findings if f.code.endswith("/agreed")] == [["1A"]]


# The command line -------------------------------------------------------------------------------

def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_cli_set_saves_and_prints_json(store, db_path, paris, paris_work):
    status, text = cli("--db", str(db_path), "work", "slots", str(paris_work.id), "--set", "2A", "14:00", "14:45",
                       "--json")

    assert status == 0, text
    view = json.loads(text)
    assert view["saved"] is True
    shown = {s["unit"]: (s["start_local"], s["end_local"]) for s in view["slots"]}
    assert shown["2A"] == ("2026-05-12T14:00:00+02:00", "2026-05-12T14:45:00+02:00")  # the window's first day
    assert by_unit(store, paris_work.id, paris)["2A"] == (at(TUE, 14), at(TUE, 14, 45))


def test_cli_move_with_a_date_and_remove(store, db_path, paris, paris_work):
    status, _ = cli("--db", str(db_path), "work", "slots", str(paris_work.id), "--set", "1a", "2026-05-13 16:00",
                    "17:00")
    assert status == 0
    assert by_unit(store, paris_work.id, paris)["1A"] == (at(TUE + timedelta(days=1), 16),
                                                          at(TUE + timedelta(days=1), 17))

    status, text = cli("--db", str(db_path), "work", "slots", str(paris_work.id), "--remove", "1B")
    assert status == 0
    assert "1B" not in by_unit(store, paris_work.id, paris)
    assert "2 units have no visit slot" in text  # 2A never had one


def test_cli_dry_run_saves_nothing(store, db_path, paris_work, state_of):
    before = state_of(store)
    status, text = cli("--db", str(db_path), "work", "slots", str(paris_work.id), "--set", "2A", "14:00", "15:00",
                       "--dry-run", "--json")
    assert status == 0
    view = json.loads(text)
    assert view["saved"] is False and "2A" in {s["unit"] for s in view["slots"]}
    assert state_of(store) == before


@pytest.mark.parametrize("args, message", [
    (("--set", "9Z", "14:00", "15:00"), 'unit: "9Z" is not a unit this work affects; choose one of 1A, 1B and 2A'),
    (("--set", "2A", "14:00", "13:00"), "end: must be after the start (14:00 on Tue 12 May 2026)"),
    (("--set", "2A", "2026-05-13 19:00", "20:00"),
     "start: the visit Wed 13 May 2026 19:00–20:00 lies outside the work window"),
    (("--set", "2A", "2pm", "15:00"), 'start: "2pm" is not a time such as 14:00 or 2026-12-01 14:00'),
    (("--remove", "2A"), "unit: 2A has no visit slot to remove"),
])
def test_cli_bad_input_exits_2_with_one_sentence_and_saves_nothing(store, db_path, paris_work, state_of, capsys,
                                                                   args, message):
    before = state_of(store)
    status, _ = cli("--db", str(db_path), "work", "slots", str(paris_work.id), *args)

    assert status == 2
    assert capsys.readouterr().err.startswith(f"maintdesk: error: {message}")
    assert state_of(store) == before
