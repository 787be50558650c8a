"""The one engine that checks a work order against a jurisdiction's rules (and good practice).

It reads `WorkFacts` (built from the store by maintdesk.planning.communication.gather_facts) and returns findings:
the notice period per delivery method (a mailed letter takes days), the delivery methods the law
accepts, the days and hours of entry (public holidays through the `holidays` package), and long
works. The required content of a notice is checked by maintdesk.planning.checks on the rendered letter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from maintdesk.planning.findings import Finding
from maintdesk.planning.wording import (Phrase, clock, either, joined, lead, listed, method, phrase, place, quote, say,
                                       weekday)
from maintdesk.records.models import Property
from maintdesk.planning.rules import WEEKDAYS, Duration, RuleSet, after, before, default_rule, holiday_name, lookup
from maintdesk.planning.rules.facts import Recipient, Visit, WorkFacts
from maintdesk.planning.scheduling import day_words, moment_words
from maintdesk.timeutil import zone

DAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def applies(item: dict[str, Any], facts: WorkFacts) -> bool:
    when = item.get("when", {})
    return all((
        when.get("emergency", facts.work.emergency) == facts.work.emergency,
        facts.nature in when.get("nature", [facts.nature]),
        facts.terms.vacate_days > when.get("vacate_days_over", -1),
        facts.work.scope in when.get("scope", [facts.work.scope]),
    ))


def first(items: tuple[dict[str, Any], ...], facts: WorkFacts) -> dict[str, Any] | None:
    return next((item for item in items if applies(item, facts)), None)


def paper_required(facts: WorkFacts) -> bool:
    """Whether the notice law of the place wants this work's notice on paper: the section that
    applies does not list email among its methods (e.g. France: "notifiés par écrit")."""
    section = first(lookup(facts.prop.jurisdiction)[0].notice, facts)
    return section is not None and "email" not in section.get("methods", ("hand", "email", "mail", "registered"))


def transit(rule: RuleSet, method: str) -> Duration:
    return rule.transit.get(method) or default_rule().transit.get(method) or Duration(0, "h")


def law_lead(rule: RuleSet, section: dict[str, Any], method: str) -> tuple[Duration, ...]:
    """Time needed between sending by `method` and the entry: the statute's own figure for the
    method, else its general figure plus the time the method takes to reach the tenant."""
    leads = section["lead"]
    return (leads[method],) if method in leads else (leads["any"], transit(rule, method))


def practice_lead(rule: RuleSet, method: str) -> tuple[Duration, ...]:
    return (default_rule().practice["initial"], transit(rule, method))


def send_by(rule: RuleSet, facts: WorkFacts, method: str, entry: datetime) -> datetime:
    """The latest moment to send the first notice by `method`: law and good practice both kept."""
    tz, section = facts.prop.timezone, first(rule.notice, facts)
    moments = [before(practice_lead(rule, method), entry, tz)]
    if section:
        moments.append(before(law_lead(rule, section, method), entry, tz))
    return min(moments)


def evaluate(facts: WorkFacts) -> list[Finding]:
    rule, rest, fell_back = lookup(facts.prop.jurisdiction)
    findings: list[Finding] = []
    if fell_back:
        place = facts.prop.jurisdiction
        findings.append(Finding.worded(
            "default/no-rule", "law", "info", say(phrase("law/no-rule", place=place), phrase("law/no-rule.fix", place=place)),
            rule=default_rule().name, citation=default_rule().citation))
    if facts.work.emergency:
        for source in ([rule] if rule.id != "default" else []) + [default_rule()]:
            if source.emergency:
                findings.append(Finding.worded(f"{source.id}/emergency", "law", "info",
                                               say(phrase("law/rule-says", text=quote(source.emergency["text"]))),
                                               rule=f"{source.name}: {source.emergency['title']}",
                                               citation=source.emergency["citation"]))
    else:
        findings += _notice_findings(rule, facts)
    entry = first(rule.entry, facts)
    if entry:
        findings += _entry_findings(rule, rest, entry, facts)
    for item in rule.long_works:
        if item["over"].before(facts.work.window_end, facts.prop.timezone) > facts.work.window_start:
            findings.append(Finding.worded(f"{rule.id}/{item['id']}", "law", item["severity"],
                                           say(phrase("law/long-works", over=lead((item["over"],)),
                                                      text=quote(item["text"]))),
                                           rule=f"{rule.name}: {item['title']}", citation=item["citation"]))
    return findings


def _notice_findings(rule: RuleSet, facts: WorkFacts) -> list[Finding]:
    tz, at = facts.prop.timezone, facts.at
    section = first(rule.notice, facts)
    if section is None and rule.notice:
        why = phrase("law/building-wide" if facts.work.scope == "building" else "law/this-work")
        source = default_rule()
        findings = [Finding.worded(f"{rule.id}/not-applicable", "law", "info",
                                   say(phrase("law/not-applicable", rule=place(rule.id, rule.name), why=why)),
                                   rule=rule.name, citation=rule.citation)]
    else:
        source, findings = rule, []
    code = f"{source.id}/{section['id'] if section else 'practice'}"
    accepted = set(section.get("methods", ("hand", "email", "mail", "registered"))) if section else None
    name = f"{source.name}: {section['title']}" if section else f"{source.name}: first notice"
    cite = section["citation"] if section else source.citation
    buckets: dict[str, list[tuple[Recipient, str, datetime]]] = {}

    def lawful(method: str, sent: datetime, entry: datetime) -> bool:
        return section is None or sent <= before(law_lead(rule, section, method), entry, tz)

    for r in facts.recipients:
        entry = facts.entry_of(r.unit_id)
        if r.issued:
            usable = [(m, t) for m, t in r.issued if accepted is None or m in accepted]
            good = [(m, t) for m, t in usable if lawful(m, t, entry)]
            if not usable:
                buckets.setdefault("issued-method", []).append((r, r.issued[0][0], r.issued[0][1]))
            elif not good:
                method, sent = max(r.issued, key=lambda item: item[1])
                buckets.setdefault("issued-late", []).append((r, method, sent))
            elif not any(t <= before(practice_lead(rule, m), entry, tz) for m, t in good):
                buckets.setdefault("issued-short", []).append((r, good[0][0], good[0][1]))
            continue
        methods = [m for m in r.methods if accepted is None or m in accepted]
        if not methods:  # the method finding gives the deadline; the timing is that of a lawful method
            buckets.setdefault("method", []).append((r, r.methods[0], send_by(rule, facts, "hand", entry)))
            if lawful("hand", at, entry):
                continue
        if not any(lawful(m, at, entry) for m in methods):
            alt = "hand" if accepted is None or "hand" in accepted else None
            if alt and lawful(alt, at, entry):
                buckets.setdefault("switch-to-hand", []).append((r, alt, before(law_lead(rule, section, alt), entry, tz)))
            else:
                buckets.setdefault("too-late", []).append((r, (methods or list(r.methods))[0], entry))
            continue
        for m in methods:
            deadline = send_by(rule, facts, m, entry)
            buckets.setdefault(f"send-by-{m}" if at <= deadline else f"short-{m}", []).append((r, m, deadline))
    for key, items in buckets.items():
        findings.append(_notice_finding(rule, section, facts, f"{code}/{key}", key, items, name, cite, accepted))
    return findings


def _notice_finding(rule: RuleSet, section: dict[str, Any] | None, facts: WorkFacts, code: str, key: str,
                    items: list[tuple[Recipient, str, datetime]], name: str, cite: str,
                    accepted: set[str] | None) -> Finding:
    tz = facts.prop.timezone
    units = sorted({r.unit for r, _, _ in items})
    n = len(items)
    method_code = items[0][1]
    moment = min(t for _, _, t in items)
    when = moment_words(moment, tz)
    how = method(method_code)
    law: Phrase | str = ""
    if section:
        needed = law_lead(rule, section, method_code)
        law = (phrase("law/before-start") if not any(p.amount for p in needed)
               else phrase("law/asks", lead=lead(needed), how=how))
    practice = phrase("law/practice", lead=lead(practice_lead(rule, method_code)), how=how)
    severity = section["severity"] if section else "warning"

    def finding(severity: str, key: str, fix: Phrase | None = None, **values: object) -> Finding:
        return Finding.worded(code, "law", severity, say(phrase(key, n=n, **values), fix), name, cite, units)

    if key.startswith("send-by-"):
        return finding("info", "law/send-by", phrase("law/send-by.fix", when=when,
                                                     keep=_keep(rule, section, method_code, moment, tz)),
                       how=how, when=when, reasons=joined([x for x in (law, practice) if x], "; "))
    if key.startswith("short-"):
        return finding("warning", "law/short", phrase("law/short.fix"), how=how, who=phrase("tenants", n=n),
                       practice=practice)
    if key == "switch-to-hand":  # the notice would be late the way it goes now; by hand it is not
        first = items[0][0]
        late = ([m for m in first.methods if accepted is None or m in accepted] or list(first.methods) or ["mail"])[0]
        late_law = (phrase("paren", text=phrase("law/asks", lead=lead(law_lead(rule, section, late)), how=method(late)))
                    if section else "")
        return finding("warning", "law/switch-to-hand", phrase("law/switch-to-hand.fix", when=when),
                       late_how=method(late), late_law=late_law, how=how, law=law)
    allowed = either(method(m) for m in sorted(accepted or ()))
    text = quote(section["text"] if section else "")
    if key == "issued-method":
        return finding(section.get("method_severity", "warning") if section else "warning", "law/issued-method",
                       phrase("law/issued-method.fix", allowed=allowed), how=how, when=when, rule=place(rule.id, rule.name),
                       allowed=allowed, text=text)
    if key == "method":
        return finding(section.get("method_severity", "warning") if section else "warning", "law/method",
                       phrase("law/method.fix", allowed=allowed, when=when), how=how, rule=place(rule.id, rule.name),
                       allowed=allowed, text=text)
    if key == "issued-short":
        return finding("warning", "law/issued-short", practice=practice)
    if key == "issued-late":
        lead_time = law_lead(rule, section, method_code) if section else practice_lead(rule, method_code)
        start = moment_words(after(lead_time, moment, tz), tz)
        return finding(severity, "law/issued-late", phrase("law/issued-late.fix", start=start), how=how, when=when,
                       why=law or practice)
    starts = [after(law_lead(rule, section, m), facts.at, tz) for m in sorted(accepted or {"hand"})] if section else [
        facts.at]
    start = moment_words(min(starts), tz)
    return finding(severity, "law/too-late", phrase("law/too-late.fix", start=start), law=law, when=when)


def _keep(rule: RuleSet, section: dict[str, Any] | None, method: str, moment: datetime, tz: str) -> Phrase:
    """'6 days for mail': the binding one of the legal lead and good practice, in words."""
    needed = practice_lead(rule, method)
    if section and before(law_lead(rule, section, method), moment, tz) <= before(needed, moment, tz):
        needed = law_lead(rule, section, method)
    return phrase(f"law/keep.{method if method in ('mail', 'registered') else 'notice'}", lead=lead(needed))


def _entry_findings(rule: RuleSet, rest: list[str], item: dict[str, Any], facts: WorkFacts) -> list[Finding]:
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
    """Why no visit may take place that day ('Saturday', 'public holiday: Christmas Day'), in every language."""
    if "days" in item and WEEKDAYS[day.weekday()] not in item["days"]:
        return weekday(day, DAY_WORDS[day.weekday()])
    if item.get("public_holidays", True) is False:
        name = holiday_name(rule, rest, prop, day)
        if name:
            return phrase("law/holiday", name=name)
    return None


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
