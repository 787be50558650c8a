"""The one engine that checks a work order against a jurisdiction's rules (and good practice).

It reads `WorkFacts` (built from the store by maintdesk.planning.communication.gather_facts) and returns findings:
the notice period per delivery method (a mailed letter takes days), the delivery methods the law
accepts, the days and hours of entry (public holidays through the `holidays` package), and long
works. The required content of a notice is checked by maintdesk.planning.checks on the rendered letter.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from maintdesk.planning.findings import Finding
from maintdesk.planning.rules import METHODS, Duration, RuleSet, after, before, default_rule, lookup
from maintdesk.planning.rules.entry_times import entry_findings, next_entry
from maintdesk.planning.rules.facts import Recipient, WorkFacts
from maintdesk.planning.rules.lease_terms import lease_findings
from maintdesk.planning.rules.matching import applies, first
from maintdesk.planning.rules.periods import clock_of, transit
from maintdesk.planning.scheduling import moment_words
from maintdesk.planning.wording import Phrase, either, joined, lead, method, phrase, place, quote, say

__all__ = ["applies", "evaluate", "first", "paper_required", "send_by"]


def paper_required(facts: WorkFacts) -> bool:
    """Whether the notice law of the place wants this work's notice on paper: the section that
    applies does not list email among its methods (e.g. France: "notifiés par écrit")."""
    section = first(lookup(facts.prop.jurisdiction)[0].notice, facts)
    return section is not None and "email" not in section.get("methods", ("hand", "email", "mail", "registered"))


def law_lead(rule: RuleSet, section: dict[str, Any], method: str) -> tuple[Duration, ...]:
    """Time needed between sending by `method` and the entry, in words: the statute's own figure for
    the method, else its general figure plus the time the method takes to count as received."""
    period, deemed = _period(rule, section, method)
    return (period,) if method in section["lead"] else (period, deemed)


def _period(rule: RuleSet, section: dict[str, Any], method: str) -> tuple[Duration, Duration]:
    """(the notice period, the method's deemed-receipt time) for `method`."""
    leads = section["lead"]
    return (leads[method], Duration(0, "h")) if method in leads else (leads["any"], transit(rule, method))


def law_send_by(rule: RuleSet, section: dict[str, Any], facts: WorkFacts, method: str, entry: datetime) -> datetime:
    """The latest moment to send by `method` for an entry at `entry`, counted the way the rule counts."""
    clock, (period, deemed) = clock_of(rule, facts), _period(rule, section, method)
    return clock.send_by(clock.receive_by(entry, period), deemed)


def law_entry(rule: RuleSet, section: dict[str, Any], facts: WorkFacts, method: str, sent: datetime) -> datetime:
    """The earliest entry a notice sent by `method` at `sent` allows."""
    clock, (period, deemed) = clock_of(rule, facts), _period(rule, section, method)
    return clock.entry_from(clock.received(sent, deemed), period)


def practice_lead(rule: RuleSet, method: str) -> tuple[Duration, ...]:
    return (default_rule().practice["initial"], transit(rule, method))


def send_by(rule: RuleSet, facts: WorkFacts, method: str, entry: datetime) -> datetime:
    """The latest moment to send the first notice by `method`: law and good practice both kept."""
    tz, section = facts.prop.timezone, first(rule.notice, facts)
    moments = [before(practice_lead(rule, method), entry, tz)]
    if section:
        moments.append(law_send_by(rule, section, facts, method, entry))
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
        findings += _emergency_findings(rule, facts)
    else:
        findings += _notice_findings(rule, facts)
    findings += lease_findings(rule, facts)
    entry = first(rule.entry, facts)
    if entry:
        findings += entry_findings(rule, rest, entry, facts)
    for item in rule.long_works:
        if item["over"].before(facts.work.window_end, facts.prop.timezone) > facts.work.window_start:
            findings.append(Finding.worded(f"{rule.id}/{item['id']}", "law", item["severity"],
                                           say(phrase("law/long-works", over=lead((item["over"],)),
                                                      text=quote(item["text"]))),
                                           rule=f"{rule.name}: {item['title']}", citation=item["citation"]))
    return findings


def _emergency_findings(rule: RuleSet, facts: WorkFacts) -> list[Finding]:
    """What the law says of urgent work (information), and a notice due after the entry where one is."""
    findings = []
    for source in ([rule] if rule.id != "default" else []) + [default_rule()]:
        if not source.emergency:
            continue
        name, cite = f"{source.name}: {source.emergency['title']}", source.emergency["citation"]
        findings.append(Finding.worded(f"{source.id}/emergency", "law", "info",
                                       say(phrase("law/rule-says", text=quote(source.emergency["text"]))),
                                       rule=name, citation=cite))
        if "after" in source.emergency:
            due = source.emergency["after"].after(facts.entry_of(facts.recipients[0].unit_id) if facts.recipients
                                                  else facts.work.window_start, facts.prop.timezone)
            told = bool(facts.recipients) and all(r.issued for r in facts.recipients)
            severity = "warning" if facts.at > due and not told else "info"
            when = moment_words(due, facts.prop.timezone)
            findings.append(Finding.worded(
                f"{source.id}/emergency/after", "law", severity,
                say(phrase("law/emergency-after", after=lead((source.emergency["after"],)), when=when),
                    phrase("law/emergency-after.fix", when=when)), rule=name, citation=cite))
    return findings


def _accepted(section: dict[str, Any] | None, r: Recipient) -> set[str] | None:
    """The delivery methods the law accepts for this tenant (email only with their written consent where the
    law asks for it); None where no section applies."""
    if section is None:
        return None
    accepted = set(section.get("methods", METHODS))
    if section.get("email_consent") and not r.email_consent:
        accepted.discard("email")
    return accepted


def _consent_missing(section: dict[str, Any] | None, r: Recipient, method_code: str) -> bool:
    return bool(section and method_code == "email" and section.get("email_consent") and not r.email_consent
                and "email" in section.get("methods", METHODS))


def _notice_findings(rule: RuleSet, facts: WorkFacts) -> list[Finding]:
    at = facts.at
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
    name = f"{source.name}: {section['title']}" if section else f"{source.name}: first notice"
    cite = section["citation"] if section else source.citation
    buckets: dict[str, list[tuple[Recipient, str, datetime]]] = {}

    def lawful(method: str, sent: datetime, entry: datetime) -> bool:
        return section is None or law_entry(rule, section, facts, method, sent) <= entry

    for r in facts.recipients:
        entry, accepted = facts.entry_of(r.unit_id), _accepted(section, r)
        if r.issued:
            usable = [(m, t) for m, t in r.issued if accepted is None or m in accepted]
            good = [(m, t) for m, t in usable if lawful(m, t, entry)]
            if not usable:
                m, t = r.issued[0]
                key = "issued-email-consent" if _consent_missing(section, r, m) else "issued-method"
                buckets.setdefault(key, []).append((r, m, t))
            elif not good:
                method, sent = max(r.issued, key=lambda item: item[1])
                buckets.setdefault("issued-late", []).append((r, method, sent))
            elif not any(t <= before(practice_lead(rule, m), entry, facts.prop.timezone) for m, t in good):
                buckets.setdefault("issued-short", []).append((r, good[0][0], good[0][1]))
            continue
        methods = [m for m in r.methods if accepted is None or m in accepted]
        if not methods:  # the method finding gives the deadline; the timing is that of a lawful method
            key = "email-consent" if _consent_missing(section, r, r.methods[0]) else "method"
            buckets.setdefault(key, []).append((r, r.methods[0], send_by(rule, facts, "hand", entry)))
            if lawful("hand", at, entry):
                continue
        if not any(lawful(m, at, entry) for m in methods):
            alt = "hand" if accepted is None or "hand" in accepted else None
            if alt and lawful(alt, at, entry):
                buckets.setdefault("switch-to-hand", []).append((r, alt, law_send_by(rule, section, facts, alt, entry)))
            else:
                buckets.setdefault("too-late", []).append((r, (methods or list(r.methods))[0], entry))
            continue
        for m in methods:
            deadline = send_by(rule, facts, m, entry)
            buckets.setdefault(f"send-by-{m}" if at <= deadline else f"short-{m}", []).append((r, m, deadline))
    for key, items in buckets.items():
        findings.append(_notice_finding(rule, section, facts, f"{code}/{key}", key, items, name, cite))
    return findings


def _notice_finding(rule: RuleSet, section: dict[str, Any] | None, facts: WorkFacts, code: str, key: str,
                    items: list[tuple[Recipient, str, datetime]], name: str, cite: str) -> Finding:
    tz = facts.prop.timezone
    units = sorted({r.unit for r, _, _ in items})
    n = len(items)
    method_code = items[0][1]
    accepted = _accepted(section, items[0][0])
    moment = min(t for _, _, t in items)
    when = moment_words(moment, tz)
    how = method(method_code)
    law: Phrase | str = ""
    if section:
        needed = law_lead(rule, section, method_code)
        law = (phrase("law/before-start") if not any(p.amount for p in needed)
               else phrase(f"law/asks{_READING.get(section.get('lead_from', 'statute'), '')}", lead=lead(needed), how=how))
    practice = phrase("law/practice", lead=lead(practice_lead(rule, method_code)), how=how)
    severity = section["severity"] if section else "warning"

    def finding(severity: str, key: str, fix: Phrase | None = None, **values: object) -> Finding:
        return Finding.worded(code, "law", severity, say(phrase(key, n=n, **values), fix), name, cite, units)

    def earliest(sent: datetime, lead_for: str) -> datetime:
        """The first entry the notice allows that the rule's own days and hours also allow."""
        start = (law_entry(rule, section, facts, lead_for, sent) if section
                 else after(practice_lead(rule, lead_for), sent, tz))
        return next_entry(facts, start)

    if key.startswith("send-by-"):
        return finding("info", "law/send-by", phrase("law/send-by.fix", when=when,
                                                     keep=_keep(rule, section, facts, method_code, moment)),
                       how=how, when=when, reasons=joined([x for x in (law, practice) if x], "; "))
    if key.startswith("short-"):
        return finding("warning", "law/short", phrase("law/short.fix"), how=how, who=phrase("tenants", n=n),
                       practice=practice)
    if key == "switch-to-hand":  # the notice would be late the way it goes now; by hand it is not
        first_one = items[0][0]
        late = ([m for m in first_one.methods if accepted is None or m in accepted] or list(first_one.methods) or ["mail"])[0]
        late_law = (phrase("paren", text=phrase("law/asks", lead=lead(law_lead(rule, section, late)), how=method(late)))
                    if section else "")
        return finding("warning", "law/switch-to-hand", phrase("law/switch-to-hand.fix", when=when),
                       late_how=method(late), late_law=late_law, how=how, law=law)
    allowed = either(method(m) for m in sorted(accepted or ()))
    text = quote(section["text"] if section else "")
    method_severity = section.get("method_severity", "warning") if section else "warning"
    if key in ("email-consent", "issued-email-consent"):
        return finding(method_severity, f"law/{key}", phrase(f"law/{key}.fix", allowed=allowed, when=when),
                       rule=place(rule.id, rule.name), when=when)
    if key == "issued-method":
        return finding(method_severity, "law/issued-method",
                       phrase("law/issued-method.fix", allowed=allowed), how=how, when=when, rule=place(rule.id, rule.name),
                       allowed=allowed, text=text)
    if key == "method":
        return finding(method_severity, "law/method",
                       phrase("law/method.fix", allowed=allowed, when=when), how=how, rule=place(rule.id, rule.name),
                       allowed=allowed, text=text)
    if key == "issued-short":
        start = moment_words(next_entry(facts, after(practice_lead(rule, method_code), moment, tz)), tz)
        return finding("warning", "law/issued-short", phrase("law/issued-short.fix", start=start), practice=practice)
    if key == "issued-late":
        return finding(severity, "law/issued-late", phrase("law/issued-late.fix", start=moment_words(earliest(moment, method_code), tz)),
                       how=how, when=when, why=law or practice)
    ways = sorted(accepted or {"hand"}) if section else ["hand"]
    start = moment_words(min(earliest(facts.at, m) for m in ways), tz)
    return finding(severity, "law/too-late", phrase("law/too-late.fix", start=start), law=law, when=when)


_READING = {"reading": ".reading", "practice": ".practice"}


def _keep(rule: RuleSet, section: dict[str, Any] | None, facts: WorkFacts, method: str, moment: datetime) -> Phrase:
    """'6 days for mail': the binding one of the legal lead and good practice, in words."""
    needed = practice_lead(rule, method)
    entry = after(needed, moment, facts.prop.timezone)
    if section and law_send_by(rule, section, facts, method, entry) <= moment:
        needed = law_lead(rule, section, method)
    return phrase(f"law/keep.{method if method in ('mail', 'registered') else 'notice'}", lead=lead(needed))
