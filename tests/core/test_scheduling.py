"""Visit slots: spread over the window in the property's zone, across daylight saving, flagged."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from maintdesk.cli.app import main
from maintdesk.errors import InvalidInput
from maintdesk.records.models import Property, Slot, Unit, WorkOrder
from maintdesk.planning.scheduling import SlotsDoNotFit, local_text, order_units, parse_minutes, slot_flags, spread
from maintdesk.records.terms import WorkTerms

UTC = timezone.utc
PARIS = "Europe/Paris"


def at(day: date, hour: int, minute: int = 0, zone: str = PARIS, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, fold=fold, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def units(count: int) -> list[Unit]:
    return [Unit(1, f"{n // 2 + 1}{'AB'[n % 2]}", n // 2 + 1, id=n + 1) for n in range(count)]


def work(start: datetime, end: datetime, slots: list[Slot] | None = None) -> WorkOrder:
    return WorkOrder(1, {"en": "Radiators"}, start, end, slots=slots or [], id=1)


def walls(slots: list[Slot], zone: str = PARIS) -> list[str]:
    """Slots as the tenant reads them: local start–end with the UTC offset of the start."""
    tz = ZoneInfo(zone)
    return [f"{s.start.astimezone(tz):%a %H:%M}–{s.end.astimezone(tz):%H:%M}{s.start.astimezone(tz):%z}" for s in slots]


TUE = date(2026, 5, 12)
SPREAD_CASES = {
    "buffer between visits": (
        dict(slot_minutes=45, buffer_minutes=15), (at(TUE, 8), at(TUE, 18)), 3,
        ["Tue 08:00–08:45+0200", "Tue 09:00–09:45+0200", "Tue 10:00–10:45+0200"]),
    "the break is skipped": (
        dict(slot_minutes=60, buffer_minutes=0, day_start="10:00", day_end="14:00", breaks=["12:00-13:00"]),
        (at(TUE, 8), at(TUE, 18)), 3, ["Tue 10:00–11:00+0200", "Tue 11:00–12:00+0200", "Tue 13:00–14:00+0200"]),
    "a visit never runs into the break": (
        dict(slot_minutes=45, buffer_minutes=0, day_start="10:30", day_end="14:00", breaks=["12:00-13:00"]),
        (at(TUE, 8), at(TUE, 18)), 3, ["Tue 10:30–11:15+0200", "Tue 11:15–12:00+0200", "Tue 13:00–13:45+0200"]),
    "the window's own start and end count": (
        dict(slot_minutes=30, buffer_minutes=0), (at(TUE, 17, 0), at(TUE + timedelta(days=1), 8, 40)), 3,
        ["Tue 17:00–17:30+0200", "Tue 17:30–18:00+0200", "Wed 08:00–08:30+0200"]),
    "spring forward between two days (Fri +01:00, Mon +02:00)": (
        dict(slot_minutes=60, buffer_minutes=0, day_start="08:00", day_end="09:00"),
        (at(date(2026, 3, 27), 7), at(date(2026, 3, 30), 18)), 4,
        ["Fri 08:00–09:00+0100", "Sat 08:00–09:00+0100", "Sun 08:00–09:00+0200", "Mon 08:00–09:00+0200"]),
    "spring forward inside the working hours: real minutes": (
        dict(slot_minutes=45, buffer_minutes=15, day_start="01:00", day_end="05:00", breaks=[]),
        (at(date(2026, 3, 29), 0), at(date(2026, 3, 29), 6)), 3,
        ["Sun 01:00–01:45+0100", "Sun 03:00–03:45+0200", "Sun 04:00–04:45+0200"]),
    "fall back: the repeated hour is worked twice": (
        dict(slot_minutes=60, buffer_minutes=0, day_start="01:00", day_end="04:00", breaks=[]),
        (at(date(2026, 10, 25), 0), at(date(2026, 10, 25), 6)), 4,
        ["Sun 01:00–02:00+0200", "Sun 02:00–02:00+0200", "Sun 02:00–03:00+0100", "Sun 03:00–04:00+0100"]),
}


@pytest.mark.parametrize("name", list(SPREAD_CASES))
def test_spread(name):
    rules, window, count, expected = SPREAD_CASES[name]
    slots = spread(work(*window), units(count), replace(WorkTerms(1), **rules), PARIS)
    assert walls(slots) == expected
    assert all(s.end - s.start == timedelta(minutes=rules["slot_minutes"]) for s in slots)
    assert [s.unit_id for s in slots] == [u.id for u in units(count)]


def test_excluded_days_are_skipped_and_nothing_before_now():
    monday = date(2026, 5, 11)
    terms = WorkTerms(1, slot_minutes=60, buffer_minutes=0, day_start="08:00", day_end="09:00")
    closed = {date(2026, 5, 14): "public holiday: Ascension Day", date(2026, 5, 16): "Saturday",
              date(2026, 5, 17): "Sunday"}
    slots = spread(work(at(monday, 8), at(date(2026, 5, 18), 18)), units(4), terms, PARIS, closed.get,
                   not_before=at(monday, 8, 30))
    assert walls(slots) == ["Tue 08:00–09:00+0200", "Wed 08:00–09:00+0200", "Fri 08:00–09:00+0200",
                            "Mon 08:00–09:00+0200"]


def test_units_that_do_not_fit_are_a_clear_error_naming_them():
    terms = WorkTerms(1, slot_minutes=45, buffer_minutes=15, day_start="08:00", day_end="10:00", breaks=[])
    with pytest.raises(SlotsDoNotFit) as caught:
        spread(work(at(TUE, 8), at(TUE, 18)), units(5), terms, PARIS)
    assert caught.value.summary.startswith("3 units of 5 do not fit: the window Tue 12 May 2026 08:00–18:00 "
                                           "(Europe/Paris) has room for 2 visits of 45 min with 15 min between them")
    assert caught.value.summary.endswith("Nothing was saved.")
    assert caught.value.detail == "units left without a slot: 2A, 2B and 3A"


@pytest.mark.parametrize("order, expected", [
    ("floor", ["1A", "2A", "2B", "10A", "RDC"]),
    ("floor-desc", ["10A", "2A", "2B", "1A", "RDC"]),
    ("unit", ["1A", "2A", "2B", "10A", "RDC"]),
])
def test_unit_order(order, expected):
    sample = [Unit(1, "2B", 2), Unit(1, "10A", 10), Unit(1, "RDC", None), Unit(1, "1A", 1), Unit(1, "2A", 2)]
    assert [u.label for u in order_units(sample, order)] == expected


def _slot(unit_id: int, day: date, hour: int, minute: int, minutes: int) -> Slot:
    return Slot(unit_id, at(day, hour, minute), at(day, hour, minute) + timedelta(minutes=minutes))


FLAG_CASES = {
    "overlap": ([_slot(1, TUE, 9, 0, 45), _slot(2, TUE, 9, 30, 45)], {}, "slots/overlap", "warning",
                "1 pair of slots overlaps, e.g. 1A Tue 12 May 2026 09:00–09:45 and 1B Tue 12 May 2026 09:30–10:15"),
    "outside the window": ([_slot(1, TUE, 18, 30, 45)], {}, "slots/outside-window", "error",
                           "1 slot lies outside the work window"),
    "two outside the window": ([_slot(1, TUE, 18, 30, 45), _slot(2, TUE, 19, 30, 45)], {}, "slots/outside-window",
                               "error", "2 slots lie outside the work window"),
    "in the break of saved working hours": ([_slot(1, TUE, 12, 15, 30)], {"slot_rules_saved": True},
                                            "slots/outside-hours", "warning",
                                            "1 slot falls outside the working hours 08:00–18:00"),
    "two in the break": ([_slot(1, TUE, 12, 15, 30), _slot(2, TUE, 12, 0, 15)], {"slot_rules_saved": True},
                         "slots/outside-hours", "warning", "2 slots fall outside the working hours 08:00–18:00"),
    "a unit without a slot": ([_slot(1, TUE, 9, 0, 45)], {}, "slots/missing", "warning",
                              "1 unit has no visit slot: its letters give the whole window."),
}


@pytest.mark.parametrize("name", list(FLAG_CASES))
def test_slot_flags(name):
    slots, terms, code, severity, text = FLAG_CASES[name]
    flags = {f.code: f for f in slot_flags(work(at(TUE, 8), at(TUE, 18), slots), units(2),
                                           replace(WorkTerms(1), **terms), PARIS)}
    assert code in flags and flags[code].severity == severity
    assert text in flags[code].message and flags[code].fix


def test_hand_set_slots_are_not_held_to_default_working_hours():
    flags = slot_flags(work(at(TUE, 8), at(TUE, 18), [_slot(1, TUE, 12, 15, 30), _slot(2, TUE, 13, 0, 30)]),
                       units(2), WorkTerms(1), PARIS)
    assert flags == []


@pytest.mark.parametrize("text, minutes", [("45m", 45), ("45", 45), ("1h", 60), ("1h30m", 90), ("1h 30min", 90), ("0", 0)])
def test_durations_on_the_command_line(text, minutes):
    assert parse_minutes(text) == minutes


def test_a_bad_duration_names_the_value():
    with pytest.raises(InvalidInput, match='"three quarters" is not a duration such as 45m'):
        parse_minutes("three quarters")


def test_dates_in_messages_name_the_zone():
    assert local_text(at(TUE, 9), PARIS) == "Tue 12 May 2026 09:00 (Europe/Paris)"


# Through the command line, on a real database -------------------------------------------------

def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


@pytest.fixture
def paris_work(store, paris) -> int:
    """Works on the six flats of the small Paris building, Wed 13 – Mon 18 May 2026."""
    saved = store.save_work_order(WorkOrder(paris.id, {"fr": "Radiateurs"}, at(date(2026, 5, 13), 8),
                                            at(date(2026, 5, 18), 18), status="scheduled"))
    return saved.id


def test_auto_slots_skip_french_holidays_and_weekends_and_are_saved(store, db_path, paris_work):
    status, text = cli("--db", str(db_path), "work", "slots", str(paris_work), "--auto", "--duration", "1h",
                       "--buffer", "0", "--hours", "08:00-10:00", "--at", "2026-05-01T00:00Z", "--json")
    assert status == 0, text
    view = json.loads(text)
    assert view["saved"] is True
    assert [s["start_local"][:16] for s in view["slots"]] == [
        "2026-05-13T08:00", "2026-05-13T09:00", "2026-05-15T08:00", "2026-05-15T09:00",  # Thu 14: Ascension
        "2026-05-18T08:00", "2026-05-18T09:00"]  # Sat 16 and Sun 17 skipped
    assert [s["unit"] for s in view["slots"]] == ["1A", "1B", "2A", "2B", "3A", "3B"]
    saved = store.get_work_order(paris_work)
    assert [(s.start, s.end - s.start) for s in saved.slots][0] == (at(date(2026, 5, 13), 8), timedelta(hours=1))
    terms = store.get_work_terms(paris_work)
    assert (terms.slot_minutes, terms.buffer_minutes, terms.day_start, terms.slot_rules_saved) == (60, 0, "08:00", True)


def test_a_unit_list_that_does_not_fit_saves_nothing(store, db_path, paris_work, state_of, capsys):
    before = state_of(store)
    status, text = cli("--db", str(db_path), "work", "slots", str(paris_work), "--auto", "--duration", "3h",
                       "--hours", "08:00-11:00", "--at", "2026-05-01T00:00Z")
    assert status == 2
    err = capsys.readouterr().err
    assert "3 units of 6 do not fit" in err and "Nothing was saved." in err and "2B, 3A and 3B" in err
    assert "skipped: Thu 14 May 2026 (public holiday: Ascension Day), Sat 16 May 2026 (Saturday)" in err
    assert state_of(store) == before


def test_dry_run_shows_slots_and_saves_nothing(store, db_path, paris_work, state_of):
    before = state_of(store)
    status, text = cli("--db", str(db_path), "work", "slots", str(paris_work), "--auto", "--dry-run",
                       "--at", "2026-05-01T00:00Z")
    assert status == 0
    assert "dry run: nothing was saved" in text and "Wed 13 May 2026 08:00–08:45" in text
    assert state_of(store) == before


def test_auto_slots_keep_to_the_hours_the_law_allows(store, db_path):
    prop = store.save_property(Property(name="Plateau", address_line1="1 rue Rachel", city="Montréal", country="CA",
                                        timezone="America/Montreal", jurisdiction="CA-QC"))
    for label in ("1", "2"):
        store.save_unit(Unit(prop.id, label, 1))
    day = date(2026, 5, 12)
    work_id = store.save_work_order(WorkOrder(prop.id, {"fr": "Peinture"}, at(day, 6, zone="America/Montreal"),
                                              at(day, 21, zone="America/Montreal"), status="scheduled")).id
    status, text = cli("--db", str(db_path), "work", "slots", str(work_id), "--auto", "--hours", "06:00-20:00",
                       "--duration", "6h", "--buffer", "0", "--no-breaks", "--at", "2026-05-01T00:00Z", "--json")
    assert status == 0, text
    view = json.loads(text)
    assert view["notes"] == ["working hours narrowed to 07:00–19:00 by Québec, C.c.Q. art. 1933"]
    assert [(s["start_local"][11:16], s["end_local"][11:16]) for s in view["slots"]] == [("07:00", "13:00"),
                                                                                        ("13:00", "19:00")]
    assert view["rules"]["day_start"] == "06:00"  # the manager's own hours are kept as given
