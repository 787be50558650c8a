"""Notice-law rules: the data files, and one case per rule and per edge through the engine."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from maintdesk.records.models import Notice, Property, Slot, Tenant, Unit, WorkOrder
from maintdesk.planning.communication import gather_facts
from maintdesk.planning.rules import RULES_DIR, Duration, RuleDataError, load_all, load_file, lookup
from maintdesk.planning.rules.engine import evaluate
from maintdesk.records.terms import WorkTerms

UTC = timezone.utc
ZONES = {"US-CA": "America/Los_Angeles", "US-FL": "America/New_York", "US-WA": "America/Los_Angeles",
         "US-NY-NYC": "America/New_York", "US-IL-CHI": "America/Chicago", "CA-ON": "America/Toronto",
         "CA-QC": "America/Montreal", "GB-ENG": "Europe/London", "FR": "Europe/Paris", "FR-57": "Europe/Paris",
         "DE": "Europe/Berlin", "US-OH": "America/New_York", "US-PA-PHL": "America/New_York"}
TUESDAY = date(2026, 5, 12)  # a working day everywhere below (Ascension is Thu 14 May)


def local(jurisdiction: str, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(ZONES[jurisdiction])).astimezone(UTC)


@dataclass
class Case:
    jurisdiction: str
    slot: tuple[date, int, int, int] = (TUESDAY, 10, 0, 45)  # day, hour, minute, minutes long
    before: timedelta | None = timedelta(days=10)  # "now" is this long before the visit
    at: tuple[date, int] | None = None  # or "now" given as a local day and hour
    channel: str = "print"
    terms: dict = field(default_factory=dict)
    work: dict = field(default_factory=dict)  # e.g. emergency, scope, category, window
    issued: tuple[str, timedelta] | None = None  # ("print" or "email", how long before the visit)
    expect: list[tuple[str, str, str]] = field(default_factory=list)  # (code, severity, text in message or fix)
    absent: list[str] = field(default_factory=list)  # code prefixes that must not be reported


def run_case(store, case: Case) -> dict[str, object]:
    j, tz = case.jurisdiction, ZONES[case.jurisdiction]
    country = j.split("-")[0]
    prop = store.save_property(Property(name=f"House {j}", address_line1="1 Main Street", city="Town",
                                        country=country, timezone=tz, jurisdiction=j))
    unit = store.save_unit(Unit(prop.id, "3B", 3))
    tenant = store.save_tenant(Tenant(unit.id, "Robin Lee", channel=case.channel,
                                      email="robin@example.org" if case.channel != "print" else ""))
    day, hour, minute, length = case.slot
    start = local(j, day, hour, minute)
    window = case.work.pop("window", (local(j, day, 7, 0), max(local(j, day, 22, 0), start + timedelta(hours=1))))
    work = store.save_work_order(WorkOrder(
        prop.id, {"en": "Boiler repair"}, window[0], window[1], status="scheduled",
        description={"en": "The boiler is repaired."}, reason={"en": "It leaks."},
        slots=[Slot(unit.id, start, start + timedelta(minutes=length))] if case.work.get("scope") != "building" else [],
        **case.work))
    if case.terms:
        store.save_work_terms(replace(WorkTerms(work.id), **case.terms))
    if case.issued:
        channel, ahead = case.issued
        store.add_notice(Notice(work.id, "initial", "en", channel, "Robin Lee", "Boiler repair",
                                tenant_id=tenant.id, unit_id=unit.id, created_at=start - ahead))
    at = local(j, case.at[0], case.at[1]) if case.at else start - case.before
    return {f.code: f for f in evaluate(gather_facts(store, store.get_work_order(work.id), at))}


def h(hours: float) -> timedelta:
    return timedelta(hours=hours)


SAT, THU_ASCENSION, GOOD_FRIDAY = date(2026, 5, 16), date(2026, 5, 14), date(2026, 4, 3)
CASES = {
    # California § 1954: 24 h written, 6 days if mailed, business hours.
    "US-CA hand-delivered, legal but short of good practice": Case(
        "US-CA", before=h(48), expect=[("US-CA/notice/short-hand", "warning", "good practice is 72 h")],
        absent=["US-CA/notice/too-late"]),
    "US-CA hand-delivered in time": Case("US-CA", before=timedelta(days=4), expect=[(
        "US-CA/notice/send-by-hand", "info", "send by Sat 9 May 2026 10:00 (America/Los_Angeles) to keep 72 h of notice")]),
    "US-CA mailed in time": Case("US-CA", before=timedelta(days=7), terms={"print_delivery": "mail"}, expect=[(
        "US-CA/notice/send-by-mail", "info", "send by Wed 6 May 2026 10:00 (America/Los_Angeles) to keep 6 days for mail")]),
    "US-CA mailed too late, hand delivery still possible": Case(
        "US-CA", before=timedelta(days=4), terms={"print_delivery": "mail"},
        expect=[("US-CA/notice/switch-to-hand", "warning", "deliver their notice by hand by Mon 11 May 2026 10:00"),
                ("US-CA/notice/switch-to-hand", "warning", "would get the notice by post too late (the law asks for "
                 "6 days by post); by hand it is still in time")]),
    "US-CA too late even by hand": Case("US-CA", before=h(10), expect=[(
        "US-CA/notice/too-late", "error", "move the start to Wed 13 May 2026 08:00 (America/Los_Angeles) or later")]),
    # Written notice wanted: a tenant on email only gets a letter as well, so no method finding is left.
    "US-CA email only": Case("US-CA", channel="email", expect=[("US-CA/notice/send-by-hand", "info",
                                                                 "1 tenant gets the first notice by hand")],
                             absent=["US-CA/notice/method"]),
    "US-CA Saturday": Case("US-CA", slot=(SAT, 10, 0, 45), expect=[("US-CA/hours/days", "warning", "Saturday")]),
    "US-CA after business hours": Case("US-CA", slot=(TUESDAY, 17, 30, 45), expect=[("US-CA/hours/hours", "warning", "08:00–17:00")]),
    "US-CA mailed across the end of daylight saving": Case(
        "US-CA", slot=(date(2026, 11, 2), 9, 0, 45), at=(date(2026, 10, 26), 9), terms={"print_delivery": "mail"},
        expect=[("US-CA/notice/send-by-mail", "info", "send by Tue 27 Oct 2026 09:00 (America/Los_Angeles)")]),
    "US-CA notice mailed too late": Case(
        "US-CA", terms={"print_delivery": "mail"}, issued=("print", timedelta(days=3)),
        expect=[("US-CA/notice/issued-late", "error", "the law asks for 6 days by post")]),
    "US-CA notice delivered in time": Case("US-CA", issued=("print", timedelta(days=4)), absent=["US-CA/notice"]),
    # Florida § 83.53: 24 h, 7:30–20:00.
    "US-FL 20 h is too short": Case("US-FL", before=h(20), expect=[("US-FL/notice/too-late", "error", "24 h")]),
    "US-FL visit ending after 20:00": Case("US-FL", slot=(TUESDAY, 19, 45, 45), expect=[("US-FL/hours/hours", "error", "07:30–20:00")]),
    # Washington RCW 59.18.150: 2 days.
    "US-WA 36 h is too short": Case("US-WA", before=h(36), expect=[("US-WA/notice/too-late", "error", "2 days")]),
    # New York City: 24 h for an inspection, a week for a repair.
    "US-NY-NYC inspection 30 h ahead": Case("US-NY-NYC", before=h(30), work={"category": "inspection"},
                                            absent=["US-NY-NYC/inspection/too-late"],
                                            expect=[("US-NY-NYC/inspection/short-hand", "warning", "")]),
    "US-NY-NYC repair 3 days ahead": Case("US-NY-NYC", before=timedelta(days=3),
                                          expect=[("US-NY-NYC/repair/too-late", "error", "1 week")]),
    # Chicago RLTO § 5-12-050: 2 days, entry between 8:00 and 20:00.
    "US-IL-CHI entry at 20:15": Case("US-IL-CHI", slot=(TUESDAY, 20, 15, 30), expect=[("US-IL-CHI/hours/hours", "error", "")]),
    "US-IL-CHI entry at 19:30 ending 20:15": Case("US-IL-CHI", slot=(TUESDAY, 19, 30, 45), absent=["US-IL-CHI/hours"]),
    # Ontario RTA s. 27: 24 h written, entry between 8:00 and 20:00; mail deemed given on the 5th day.
    "CA-ON entry at 20:30": Case("CA-ON", slot=(TUESDAY, 20, 30, 30), expect=[("CA-ON/hours/hours", "error", "08:00–20:00")]),
    "CA-ON mailed 5 days ahead": Case("CA-ON", before=timedelta(days=5), terms={"print_delivery": "mail"},
                                      expect=[("CA-ON/notice/switch-to-hand", "warning", "")]),
    "CA-ON building-wide work enters no flat": Case(
        "CA-ON", slot=(TUESDAY, 20, 30, 30), before=h(30), work={"scope": "building"},
        expect=[("CA-ON/not-applicable", "info", "building-wide"), ("default/practice/short-hand", "warning", "")],
        absent=["CA-ON/hours", "CA-ON/notice"]),
    # Québec C.c.Q.: major works 10 days, 3 months with an evacuation over a week; hours of works and visits.
    "CA-QC major works with a 10-day evacuation": Case(
        "CA-QC", at=(date(2026, 4, 12), 10), terms={"nature": "major", "vacate_days": 10},
        expect=[("CA-QC/major-evacuation/too-late", "error",
                 "move the start to Sun 12 Jul 2026 10:00 (America/Montreal) or later")]),
    "CA-QC major works with a 5-day evacuation": Case(
        "CA-QC", before=timedelta(days=12), terms={"nature": "major", "vacate_days": 5},
        absent=["CA-QC/major-evacuation", "CA-QC/major/too-late"],
        expect=[("CA-QC/major/send-by-hand", "info", "to keep 10 days of notice")]),
    "CA-QC works until 19:30": Case("CA-QC", slot=(TUESDAY, 18, 45, 45), expect=[("CA-QC/work-hours/hours", "error", "07:00–19:00")]),
    "CA-QC a visit at 20:00": Case("CA-QC", slot=(TUESDAY, 20, 0, 45), work={"category": "inspection"}, absent=["CA-QC/visit-hours"]),
    # England LTA 1985 s. 11(6): 24 h written to view the state of repair.
    "GB-ENG viewing 12 h ahead": Case("GB-ENG", before=h(12), work={"category": "inspection"},
                                      expect=[("GB-ENG/viewing/too-late", "error", "24 h")]),
    "GB-ENG repair 12 h ahead": Case("GB-ENG", before=h(12), expect=[("GB-ENG/repair/too-late", "warning", "")]),
    # France loi 89-462 art. 7 e): hand or registered letter; no Saturdays, Sundays, public holidays.
    "FR Saturday": Case("FR", slot=(SAT, 10, 0, 45), expect=[("FR/off-days/days", "error", "Sat 16 May 2026 (Saturday)"),
                                                             ("FR/off-days/days", "error", "Mon 18 May 2026")]),
    "FR public holiday": Case("FR", slot=(THU_ASCENSION, 10, 0, 45), expect=[
        ("FR/off-days/days", "error", "public holiday: Ascension Day"), ("FR/off-days/days", "error", "Fri 15 May 2026")]),
    "FR Saturday with the tenants' agreement": Case("FR", slot=(SAT, 10, 0, 45), terms={"tenants_agreed": True},
                                                    expect=[("FR/off-days/days", "info", "agreement is recorded")]),
    "FR-57 Good Friday (Moselle)": Case("FR-57", slot=(GOOD_FRIDAY, 10, 0, 45), before=timedelta(days=5),
                                        expect=[("FR/off-days/days", "error", "Good Friday")]),
    "FR Good Friday in Paris": Case("FR", slot=(GOOD_FRIDAY, 10, 0, 45), before=timedelta(days=5), absent=["FR/off-days"]),
    "FR email only": Case("FR", channel="email", expect=[("FR/notification/send-by-hand", "info",
                                                           "1 tenant gets the first notice by hand")],
                          absent=["FR/notification/method"]),
    "FR notice already emailed": Case("FR", channel="email", issued=("email", timedelta(days=5)),
                                      expect=[("FR/notification/issued-method", "error", "got the notice only by email")],
                                      absent=["FR/notification/method", "FR/notification/issued-late"]),
    "FR works over 21 days": Case("FR", slot=(date(2026, 6, 2), 10, 0, 45), work={"window": (local("FR", date(2026, 6, 1), 8), local("FR", date(2026, 6, 30), 17))},
                                  expect=[("FR/rent-reduction", "info", "rent reduction")]),
    # Germany BGB: modernisation 3 months in text form; maintenance "in good time".
    "DE modernisation 2 months ahead": Case("DE", before=timedelta(days=60), terms={"nature": "modernisation"},
                                           expect=[("DE/modernisation/too-late", "error", "3 months")]),
    "DE maintenance 7 days ahead": Case("DE", before=timedelta(days=7), expect=[("DE/maintenance/too-late", "warning", "14 days")]),
    # Emergencies: no notice period; the law's and MaintDesk's emergency notes.
    "US-CA emergency": Case("US-CA", before=h(1), work={"emergency": True},
                            expect=[("US-CA/emergency", "info", "emergency"), ("default/emergency", "info", "every channel")],
                            absent=["US-CA/notice", "US-CA/hours"]),
    "FR emergency on a Saturday": Case("FR", slot=(SAT, 10, 0, 45), before=h(1), work={"emergency": True},
                                       expect=[("FR/off-days-urgent/days", "warning", "Saturday")], absent=["FR/off-days/"]),
    # No rule for the jurisdiction: MaintDesk's good practice only.
    "US-OH has no rule": Case("US-OH", before=h(30), expect=[("default/no-rule", "info", '"US-OH"'),
                                                             ("default/practice/short-hand", "warning", "72 h")]),
    "US-PA-PHL falls back past US-PA": Case("US-PA-PHL", expect=[("default/no-rule", "info", "")]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_rule_and_edge(store, name):
    case = CASES[name]
    found = run_case(store, replace(case, work=dict(case.work)))
    for code, severity, text in case.expect:
        assert code in found, f"{code} not among {sorted(found)}"
        assert found[code].severity == severity, found[code]
        assert text in f"{found[code].message} {found[code].fix}", found[code]
        assert found[code].citation and found[code].rule
    for prefix in case.absent:
        assert not [c for c in found if c.startswith(prefix)], sorted(found)


def test_every_jurisdiction_of_the_issue_has_a_file_with_its_sources():
    rules = load_all()
    assert {"US-CA", "US-FL", "US-WA", "US-NY-NYC", "US-IL-CHI", "CA-ON", "CA-QC", "GB-ENG", "FR", "DE",
            "default"} <= set(rules)
    for rule in rules.values():
        assert isinstance(rule.encoded, date) and (not rule.verified or rule.verified["source"].startswith("http")), rule.id
        assert rule.citation and rule.basis
        if rule.id != "default":
            assert rule.url.startswith("https://") or rule.url.startswith("http://"), rule.id
            assert rule.uncertain, f"{rule.id} records no uncertainty"
            assert (rule.notice or rule.lease_governs) and all(item["citation"] for item in rule.notice + rule.entry + rule.content)
    assert any("12 h" in note for note in rules["US-FL"].uncertain)
    assert any("rechtzeitig" in note for note in rules["DE"].uncertain)


def test_lookup_walks_up_the_code_and_keeps_the_subdivision():
    assert lookup("FR-57")[:2] == (load_all()["FR"], ["57"])
    assert lookup("US-NY-NYC")[0].id == "US-NY-NYC"
    assert lookup("US-PA-PHL")[0].id == "default" and lookup("US-PA-PHL")[2] is True
    assert lookup("default")[2] is False


@pytest.mark.parametrize("text, moment, expected", [
    ("24h", datetime(2026, 3, 29, 12, tzinfo=UTC), datetime(2026, 3, 28, 12, tzinfo=UTC)),  # real hours over DST
    ("1d", datetime(2026, 3, 29, 12, tzinfo=UTC), datetime(2026, 3, 28, 13, tzinfo=UTC)),  # same wall time: 23 h
    ("3mo", datetime(2026, 5, 31, 8, tzinfo=UTC), datetime(2026, 2, 28, 9, tzinfo=UTC)),  # end of month, winter time
    ("1w", datetime(2026, 5, 12, 8, tzinfo=UTC), datetime(2026, 5, 5, 8, tzinfo=UTC)),
])
def test_durations_count_days_on_the_wall_clock(text, moment, expected):
    assert Duration.parse(text).before(moment, "Europe/Paris") == expected


@pytest.mark.parametrize("content, message", [
    ('id = "XX"\n', "XX.toml: name: is required text"),
    ('id = "XX"\nname = "X"\ncitation = "c"\nbasis = "b"\nencoded = 2026-11-26\nuncertain = []\nurl = "https://x"\n'
     '[[notice]]\nid = "n"\ntitle = "t"\ntext = "t"\ncitation = "c"\nlead = { any = "2 days" }\n',
     'XX.toml: notice[0]: "2 days" is not a duration'),
    ('id = "XX"\nname = "X"\ncitation = "c"\nbasis = "b"\nencoded = 2026-11-26\nuncertain = []\nurl = "https://x"\n'
     '[[entry]]\nid = "e"\ntitle = "t"\ntext = "t"\ncitation = "c"\nwhen = { weekday = "sat" }\n',
     "XX.toml: entry[0].when: weekday"),
])
def test_a_malformed_rules_file_names_the_file_and_the_key(tmp_path, content, message):
    path = tmp_path / "XX.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleDataError, match=message.replace("(", r"\(").replace("[", r"\[").replace(".", r"\.")):
        load_file(path)


def test_the_shipped_files_are_the_ones_loaded():
    assert {p.stem for p in RULES_DIR.glob("*.toml")} == set(load_all())
