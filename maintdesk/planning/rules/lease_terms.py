"""A lease's own notice period, where it asks for more than the law (or where the law leaves it to the lease).

The period is the tenant's (`Recipient.lease_notice`), else the property's. It is counted like the
jurisdiction's own periods (maintdesk.planning.rules.counting) from the moment the notice counts as
received. Where the statute sets no period (`lease_governs`, e.g. Texas), the lease is the rule: a
late notice is an error, and a lease with no period recorded is asked for.
"""

from __future__ import annotations

from datetime import datetime

from maintdesk.planning.findings import Finding
from maintdesk.planning.rules import Duration, RuleSet
from maintdesk.planning.rules.facts import Recipient, WorkFacts
from maintdesk.planning.rules.periods import clock_of, transit
from maintdesk.planning.scheduling import moment_words
from maintdesk.planning.wording import lead, method, phrase, place, say

LEASE = "the lease"


def lease_entry(rule: RuleSet, facts: WorkFacts, r: Recipient, how: str, sent: datetime) -> datetime:
    """The earliest entry the lease allows for a notice sent by `how` at `sent`."""
    clock = clock_of(rule, facts)
    return clock.entry_from(clock.received(sent, transit(rule, how)), Duration.parse(r.lease_notice))


def lease_send_by(rule: RuleSet, facts: WorkFacts, r: Recipient, how: str, entry: datetime) -> datetime:
    clock = clock_of(rule, facts)
    return clock.send_by(clock.receive_by(entry, Duration.parse(r.lease_notice)), transit(rule, how))


def lease_findings(rule: RuleSet, facts: WorkFacts) -> list[Finding]:
    if facts.work.emergency:
        return []
    severity = "error" if rule.lease_governs else "warning"
    cite = rule.citation if rule.lease_governs else LEASE
    name = f"{rule.name}: {LEASE}" if rule.lease_governs else LEASE
    findings: list[Finding] = []
    unknown = [r for r in facts.recipients if not r.lease_notice]
    if rule.lease_governs and (unknown or not facts.recipients):
        findings.append(Finding.worded(
            f"{rule.id}/lease/unknown", "law", "warning",
            say(phrase("law/lease-unknown", n=len(unknown), rule=place(rule.id, rule.name)), phrase("law/lease-unknown.fix")),
            name, cite, sorted({r.unit for r in unknown})))
    late: dict[str, list[tuple[Recipient, str, datetime]]] = {}
    for r in facts.recipients:
        if not r.lease_notice:
            continue
        entry = facts.entry_of(r.unit_id)
        if r.issued:
            if not any(lease_entry(rule, facts, r, how, sent) <= entry for how, sent in r.issued):
                how, sent = max(r.issued, key=lambda item: item[1])
                late.setdefault("issued-late", []).append((r, how, sent))
            continue
        how = r.methods[0] if r.methods else "hand"
        deadline = lease_send_by(rule, facts, r, how, entry)
        late.setdefault("send-by" if facts.at <= deadline else "too-late", []).append((r, how, deadline))
    for key, items in late.items():
        r, how, moment = min(items, key=lambda item: item[2])
        units = sorted({x.unit for x, _, _ in items})
        values = dict(n=len(items), lead=lead((Duration.parse(r.lease_notice),)), how=method(how),
                      when=moment_words(moment, facts.prop.timezone))
        findings.append(Finding.worded(
            f"{rule.id if rule.lease_governs else 'lease'}/lease/{key}", "law", "info" if key == "send-by" else severity,
            say(phrase(f"law/lease-{key}", **values), phrase(f"law/lease-{key}.fix", **values)), name, cite, units))
    return findings
