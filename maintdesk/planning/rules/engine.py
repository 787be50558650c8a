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

from maintdesk.i18n import english
from maintdesk.planning.findings import Finding, labels
from maintdesk.records.models import Property
from maintdesk.planning.rules import WEEKDAYS, Duration, RuleSet, after, before, default_rule, holiday_name, lead_text, lookup
from maintdesk.planning.rules.facts import Recipient, Visit, WorkFacts
from maintdesk.planning.scheduling import day_text, local_text
from maintdesk.timeutil import zone

DAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
METHOD_WORDS = {"hand": "by hand", "email": "by email", "mail": "by post", "registered": "by registered letter"}


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
        findings.append(Finding(
            "default/no-rule", "law", "info",
            f'MaintDesk has no notice-law rule for the jurisdiction "{facts.prop.jurisdiction}": only its good '
            "practice was checked.", rule=default_rule().name, citation=default_rule().citation,
            fix=f"check the local law yourself, or add maintdesk/planning/rules/jurisdictions/{facts.prop.jurisdiction}.toml"))
    if facts.work.emergency:
        for source in ([rule] if rule.id != "default" else []) + [default_rule()]:
            if source.emergency:
                findings.append(Finding(f"{source.id}/emergency", "law", "info", source.emergency["text"],
                                        rule=f"{source.name}: {source.emergency['title']}",
                                        citation=source.emergency["citation"]))
    else:
        findings += _notice_findings(rule, facts)
    entry = first(rule.entry, facts)
    if entry:
        findings += _entry_findings(rule, rest, entry, facts)
    for item in rule.long_works:
        if item["over"].before(facts.work.window_end, facts.prop.timezone) > facts.work.window_start:
            findings.append(Finding(f"{rule.id}/{item['id']}", "law", item["severity"],
                                    f"The work window lasts more than {item['over']}: {item['text']}.",
                                    rule=f"{rule.name}: {item['title']}", citation=item["citation"]))
    return findings


def _notice_findings(rule: RuleSet, facts: WorkFacts) -> list[Finding]:
    tz, at = facts.prop.timezone, facts.at
    section = first(rule.notice, facts)
    if section is None and rule.notice:
        why = "building-wide work (no entry into a flat)" if facts.work.scope == "building" else "this work"
        source = default_rule()
        findings = [Finding(f"{rule.id}/not-applicable", "law", "info",
                            f"No notice rule of {rule.name} applies to {why}; MaintDesk's good practice was checked.",
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
    who = english(len(items), "{n} tenant", "{n} tenants")
    method = items[0][1]
    moment = min(t for _, _, t in items)
    when = local_text(moment, tz)
    how = METHOD_WORDS[method]
    law = ""
    if section:
        needed = lead_text(law_lead(rule, section, method))
        law = "the law asks for it before the work starts" if needed == "no time" else f"the law asks for {needed} {how}"
    practice = f"good practice is {lead_text(practice_lead(rule, method))} {how}"
    severity = section["severity"] if section else "warning"
    if key.startswith("send-by-"):
        return Finding(code, "law", "info", f"{who} {english(len(items), 'gets', 'get')} the first notice {how}: it must leave by {when} "
                       f"({'; '.join(x for x in (law, practice) if x)}).", name, cite,
                       f"send by {when} to keep {_keep(rule, section, method, moment, tz)}", units)
    if key.startswith("short-"):
        return Finding(code, "law", "warning", f"Sent now {how}, the first notice to {who} keeps the legal "
                       f"minimum but not MaintDesk's good practice ({practice}).", name, cite,
                       "send it today; for more notice, move the start later", units)
    if key == "switch-to-hand":  # the notice would be late the way it goes now; by hand it is not
        first = items[0][0]
        late = ([m for m in first.methods if accepted is None or m in accepted] or list(first.methods) or ["mail"])[0]
        late_law = f"the law asks for {lead_text(law_lead(rule, section, late))} {METHOD_WORDS[late]}" if section else ""
        return Finding(code, "law", "warning", f"{who} would get the notice {METHOD_WORDS[late]} too late"
                       f"{f' ({late_law})' if late_law else ''}; {how} it is still in time ({law}).", name, cite,
                       f"deliver their notice by hand by {when}", units)
    allowed = " or ".join(METHOD_WORDS[m] for m in sorted(accepted or ()))
    if key == "issued-method":
        return Finding(code, "law", section.get("method_severity", "warning") if section else "warning",
                       f"{who} got the notice only {how} (first on {when}); {rule.name} asks for it {allowed}: "
                       f"{section['text'] if section else ''}.", name, cite,
                       f"deliver it {allowed} before the work starts, or record why this is enough by overriding "
                       "this finding", units)
    if key == "method":
        return Finding(code, "law", section.get("method_severity", "warning") if section else "warning",
                       f"{who} would get the notice only {how}; {rule.name} asks for it {allowed}: "
                       f"{section['text'] if section else ''}.", name, cite,
                       f"deliver it {allowed} by {when} (set their channel to both, or work terms ID "
                       "--print-delivery)", units)
    if key == "issued-short":
        return Finding(code, "law", "warning", f"The first notice to {who} was issued in time for the law but "
                       f"with less notice than MaintDesk's good practice ({practice}).", name, cite, "", units)
    if key == "issued-late":
        lead = law_lead(rule, section, method) if section else practice_lead(rule, method)
        start = local_text(after(lead, moment, tz), tz)
        return Finding(code, "law", severity, f"The first notice to {who} was issued too late: {how} on {when}, "
                       f"while {law or practice}.", name, cite,
                       f"move their visits to {start} or later with a postponement notice, or get their written "
                       "agreement and override this finding", units)
    starts = [after(law_lead(rule, section, m), facts.at, tz) for m in sorted(accepted or {"hand"})] if section else [
        facts.at]
    start = local_text(min(starts), tz)
    return Finding(code, "law", severity, f"It is too late to give {who} the notice the law asks for ({law}); "
                   f"the first visit starts {when}.", name, cite,
                   f"move the start to {start} or later, or get the tenants' written agreement and override "
                   "this finding", units)


def _keep(rule: RuleSet, section: dict[str, Any] | None, method: str, moment: datetime, tz: str) -> str:
    """'6 days for mail': the binding one of the legal lead and good practice, in words."""
    words = {"mail": "for mail", "registered": "for a registered letter"}.get(method, "of notice")
    lead = practice_lead(rule, method)
    if section and before(law_lead(rule, section, method), moment, tz) <= before(lead, moment, tz):
        lead = law_lead(rule, section, method)
    return f"{lead_text(lead)} {words}"


def _entry_findings(rule: RuleSet, rest: list[str], item: dict[str, Any], facts: WorkFacts) -> list[Finding]:
    """Visits outside the allowed days or hours. Where the rule gives way to the tenant's written agreement,
    the visits of units whose tenant agreed are left out of the problem and shown as allowed."""
    waivable = bool(item.get("waivable"))
    if waivable and facts.terms.tenants_agreed:  # recorded once for the whole work order: every unit agreed
        return _entry_report(rule, rest, item, facts, facts.visits, "", "info",
                             " Allowed: the tenants' written agreement is recorded; keep it.")
    agreed = [v for v in facts.visits if waivable and v.agreed]
    open_ = [v for v in facts.visits if not (waivable and v.agreed)]
    note = ""
    if not waivable and any(v.agreed for v in facts.visits):
        note = " A tenant's written agreement recorded in advance does not lift this rule."
    return (_entry_report(rule, rest, item, facts, open_, "", item["severity"], note)
            + _entry_report(rule, rest, item, facts, agreed, "/agreed", "info",
                            " Allowed: these units' tenants agreed in writing; keep their agreements."))


def _entry_report(rule: RuleSet, rest: list[str], item: dict[str, Any], facts: WorkFacts, visits: Sequence[Visit],
                  suffix: str, severity: str, note: str) -> list[Finding]:
    tz, findings = zone(facts.prop.timezone), []
    fix_agree = (" or record the tenant's written agreement (work agree ID UNIT --note TEXT)"
                 if item.get("waivable") and severity != "info" else "")
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
            if reason:
                bad_days.setdefault((day, reason), []).append(v.unit)
            day += timedelta(days=1)
    if bad_hours:
        h0, h1 = item["hours"]
        v = bad_hours[0]
        findings.append(Finding(
            f"{rule.id}/{item['id']}/hours{suffix}", "law", severity,
            f"{english(len(bad_hours), '{n} visit falls', '{n} visits fall')} outside {h0:%H:%M}–{h1:%H:%M}, e.g. {v.unit} "
            f"{local_text(v.start, facts.prop.timezone)}: {item['text']}.{note}", name, item["citation"],
            "" if suffix else f"move them between {h0:%H:%M} and {h1:%H:%M}{fix_agree}",
            sorted({x.unit for x in bad_hours})))
    if bad_days:
        dates = "; ".join(f"{day_text(d)} ({why}): {labels(sorted(set(u)))}" for (d, why), u in sorted(bad_days.items()))
        last = max(d for d, _ in bad_days)
        nxt = next(last + timedelta(days=n) for n in range(1, 30)
                   if not _day_problem(rule, rest, item, facts.prop, last + timedelta(days=n)))
        findings.append(Finding(
            f"{rule.id}/{item['id']}/days{suffix}", "law", severity,
            f"Visits fall on days when {item['text']}: {dates}.{note}", name, item["citation"],
            "" if suffix else f"move them to a permitted day such as {day_text(nxt)}{fix_agree}",
            sorted({u for units in bad_days.values() for u in units})))
    return findings


def _day_problem(rule: RuleSet, rest: list[str], item: dict[str, Any], prop: Property, day: date) -> str | None:
    if "days" in item and WEEKDAYS[day.weekday()] not in item["days"]:
        return DAY_WORDS[day.weekday()]
    if item.get("public_holidays", True) is False:
        name = holiday_name(rule, rest, prop, day)
        if name:
            return f"public holiday: {name}"
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
    return lambda day: _day_problem(rule, rest, item, facts.prop, day)


def lawful_hours(facts: WorkFacts) -> tuple[time, time, str] | None:
    """(from, to, citation) when the jurisdiction limits the hours of this work."""
    rule = lookup(facts.prop.jurisdiction)[0]
    item = first(rule.entry, facts)
    if item is None or "hours" not in item or (item.get("waivable") and facts.terms.tenants_agreed):
        return None
    return (*item["hours"], f"{rule.name}, {item['citation']}")
