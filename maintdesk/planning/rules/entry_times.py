"""The days and hours of entry a jurisdiction allows: findings on the visits, the next lawful moment
for a proposed date, and what the planner needs (closed days, lawful hours)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from maintdesk.planning.findings import Finding
from maintdesk.planning.rules import WEEKDAYS, RuleSet, holiday_name, lookup
from maintdesk.planning.rules.facts import Visit, WorkFacts
from maintdesk.planning.rules.matching import first
from maintdesk.planning.scheduling import day_words, moment_words
from maintdesk.planning.wording import Phrase, clock, joined, listed, phrase, quote, say, weekday
from maintdesk.records.models import Property
from maintdesk.timeutil import zone

DAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def entry_findings(rule: RuleSet, rest: list[str], item: dict[str, Any], facts: WorkFacts) -> list[Finding]:
    """Visits outside the allowed days or hours. Where the rule gives way to the tenant's written agreement,
    the visits of units whose tenant agreed are left out of the problem and shown as allowed."""
    waivable = bool(item.get("waivable"))
    if waivable and facts.terms.tenants_agreed:  # recorded once for the whole work order: every unit agreed
        return _entry_report(rule, rest, item, facts, facts.visits, "", "info", phrase("law/agreed-all"))
    agreed = [v for v in facts.visits if waivable and v.agreed]
    open_ = [v for v in facts.visits if not (waivable and v.agreed)]
    note: Phrase | str = ""
    if not waivable and any(v.agreed for v in facts.visits):
        note = phrase("law/not-waivable")
    return (_entry_report(rule, rest, item, facts, open_, "", item["severity"], note)
            + _entry_report(rule, rest, item, facts, agreed, "/agreed", "info", phrase("law/agreed-units")))


def _entry_report(rule: RuleSet, rest: list[str], item: dict[str, Any], facts: WorkFacts, visits: Sequence[Visit],
                  suffix: str, severity: str, note: Phrase | str) -> list[Finding]:
    tz, findings = zone(facts.prop.timezone), []
    fix_agree = phrase("law/agree") if item.get("waivable") and severity != "info" else ""
    name = f"{rule.name}: {item['title']}"
    bad_hours, bad_days = [], {}
    for v in visits:
        a, b = v.start.astimezone(tz), v.end.astimezone(tz)
        if "hours" in item:
            h0, h1 = item["hours"]
            ends = [] if item.get("hours_apply") == "start" else [(b - timedelta(seconds=1)).time()]
            if a.time() < h0 or a.time() > h1 or any(t >= h1 or t < h0 for t in ends) or (
                    item.get("hours_apply") != "start" and v.from_slot and a.date() != b.date()):
                bad_hours.append(v)
        day = a.date()
        while day <= (b - timedelta(seconds=1)).date():
            reason = _day_problem(rule, rest, item, facts.prop, day)
            if reason:  # one entry per day and reason, whose words are the same in English
                bad_days.setdefault((day, reason("en")), (reason, []))[1].append(v.unit)
            day += timedelta(days=1)
    if bad_hours:
        h0, h1 = item["hours"]
        v = bad_hours[0]
        findings.append(Finding.worded(
            f"{rule.id}/{item['id']}/hours{suffix}", "law", severity,
            say(phrase("law/hours", n=len(bad_hours), h0=clock(h0), h1=clock(h1), unit=v.unit,
                       when=moment_words(v.start, facts.prop.timezone), text=quote(item["text"]), note=note),
                None if suffix else phrase("law/hours.fix", h0=clock(h0), h1=clock(h1), agree=fix_agree)),
            name, item["citation"], sorted({x.unit for x in bad_hours})))
    if bad_days:
        dates = joined([phrase("law/day-units", day=day_words(d), why=why, units=listed(sorted(set(u))))
                        for (d, _), (why, u) in sorted(bad_days.items())], "; ")
        last = max(d for d, _ in bad_days)
        nxt = next(last + timedelta(days=n) for n in range(1, 30)
                   if not _day_problem(rule, rest, item, facts.prop, last + timedelta(days=n)))
        findings.append(Finding.worded(
            f"{rule.id}/{item['id']}/days{suffix}", "law", severity,
            say(phrase("law/days", text=quote(item["text"]), dates=dates, note=note),
                None if suffix else phrase("law/days.fix", day=day_words(nxt), agree=fix_agree)),
            name, item["citation"], sorted({u for _, units in bad_days.values() for u in units})))
    return findings


def _day_problem(rule: RuleSet, rest: list[str], item: dict[str, Any], prop: Property, day: date) -> Phrase | None:
    """Why no visit may take place that day ('Saturday', 'public holiday: Christmas Day', or both), in every
    language."""
    reasons: list[Phrase] = []
    if "days" in item and WEEKDAYS[day.weekday()] not in item["days"]:
        reasons.append(weekday(day, DAY_WORDS[day.weekday()]))
    if item.get("public_holidays", True) is False:
        name = holiday_name(rule, rest, prop, day)
        if name:
            reasons.append(phrase("law/holiday", name=name))
    return joined(reasons, ", ") if reasons else None


def next_entry(facts: WorkFacts, moment: datetime) -> datetime:
    """The first moment from `moment` on at which the jurisdiction allows this work's entry (its days and
    hours; a visit as long as the work's shortest one), so that a proposed date passes the same rule."""
    rule, rest, _ = lookup(facts.prop.jurisdiction)
    item = first(rule.entry, facts)
    if item is None or (item.get("waivable") and facts.terms.tenants_agreed):
        return moment
    tz = zone(facts.prop.timezone)
    length = min((v.end - v.start for v in facts.visits), default=timedelta(0))
    if item.get("hours_apply") == "start":
        length = timedelta(0)
    h0, h1 = item.get("hours", (time(0), time(23, 59)))
    local = moment.astimezone(tz).replace(tzinfo=None)
    for _ in range(60):
        if local.time() < h0:
            local = datetime.combine(local.date(), h0)
        fits = (local + length).date() == local.date() and (local + length).time() <= h1 if length else local.time() <= h1
        if fits and not _day_problem(rule, rest, item, facts.prop, local.date()):
            return local.replace(tzinfo=tz).astimezone(moment.tzinfo)
        local = datetime.combine(local.date() + timedelta(days=1), h0)
    return moment


def agreement_lifts(code: str) -> bool:
    """Whether the finding with this code (days or hours of entry) gives way to a tenant's written agreement."""
    parts = code.split("/")
    if len(parts) != 3 or parts[2] not in ("days", "hours"):
        return False
    return any(item["id"] == parts[1] and item.get("waivable") for item in lookup(parts[0])[0].entry)


def closed_day(facts: WorkFacts) -> Callable[[date], str | None] | None:
    """The days the jurisdiction excludes for this work (None when none are, or the tenants agreed)."""
    rule, rest, _ = lookup(facts.prop.jurisdiction)
    item = first(rule.entry, facts)
    if item is None or (item.get("waivable") and facts.terms.tenants_agreed):
        return None
    if "days" not in item and item.get("public_holidays", True):
        return None
    return lambda day: (why("en") if (why := _day_problem(rule, rest, item, facts.prop, day)) else None)


def lawful_hours(facts: WorkFacts) -> tuple[time, time, str] | None:
    """(from, to, citation) when the jurisdiction limits the hours of this work."""
    rule = lookup(facts.prop.jurisdiction)[0]
    item = first(rule.entry, facts)
    if item is None or "hours" not in item or (item.get("waivable") and facts.terms.tenants_agreed):
        return None
    return (*item["hours"], f"{rule.name}, {item['citation']}")
