"""`work check`: one report over a work order — slots, notice law, required content, completeness.

The completeness check follows MISSION.md's seven elements of a good notice; the jurisdiction's
required content comes from its rules file. Both look at the work order's data and at the notice
as it renders (the same templates and context as maintdesk.letters.issuing), once per language the
affected tenants read. A manager's override (maintdesk.records.terms.FindingOverride) marks a finding as
accepted, with its reason; it stays in the report but no longer counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from maintdesk.errors import UserFacingError
from maintdesk.planning.findings import DISCLAIMER, Finding, counts, sort_findings
from maintdesk.planning.wording import Phrase, capital, joined, language_name, listed, phrase, quote, say
from maintdesk.letters.context import NoticeFacts, logo_url, notice_context
from maintdesk.letters.templates import LetterTemplates, shared_templates, template_name
from maintdesk.records.models import NOTICE_KINDS, Tenant, Unit, WorkOrder
from maintdesk.planning.notice_probes import Probe, element_problem, seven_elements
from maintdesk.paths import AppPaths
from maintdesk.planning.communication import gather_facts, plan_work_order
from maintdesk.planning.rules import RuleSet, lookup
from maintdesk.planning.rules.engine import applies, evaluate
from maintdesk.planning.rules.facts import WorkFacts
from maintdesk.planning.scheduling import slot_flags
from maintdesk.records.store import Store
from maintdesk.timeutil import to_text

MISSION = "MaintDesk product brief (MISSION.md), \"What a good maintenance message contains\""
ELEMENT_TITLES = {
    "subject": "1. a clear subject with the service and the date", "schedule": "2. a precise schedule with the time zone",
    "impact": "3. the impact", "reason": "4. the reason", "alternatives": "5. alternatives or a plain none",
    "contact": "6. a contact", "apology": "7. apology and thanks", "vague": "2. a precise schedule, not vague words",
}


@dataclass
class CheckReport:
    work_order_id: int
    checked_at: datetime
    timezone: str
    jurisdiction: str
    rules: RuleSet
    fallback: bool
    notice_kind: str
    languages: list[str]
    findings: list[Finding]

    def view(self) -> dict[str, Any]:
        tally = counts(self.findings)
        return {
            "work_order_id": self.work_order_id, "checked_at": to_text(self.checked_at), "timezone": self.timezone,
            "jurisdiction": self.jurisdiction, "rules": {**self.rules.view(), "fallback": self.fallback},
            "disclaimer": DISCLAIMER, "notice_kind": self.notice_kind, "languages": self.languages,
            "counts": tally, "ok": tally["error"] == 0, "findings": [f.view() for f in self.findings],
        }


def check_work_order(store: Store, paths: AppPaths, work_order_id: int, at: datetime | None = None) -> CheckReport:
    work = store.get_work_order(work_order_id)
    facts = gather_facts(store, work, at)
    rule, _, fell_back = lookup(facts.prop.jurisdiction)
    units = store.affected_units(work)
    findings = slot_flags(work, units, facts.terms, facts.prop.timezone) if work.scope == "units" else []
    findings += evaluate(facts)
    findings += _plan_findings(store, work, facts)
    kind = "emergency" if work.emergency else "initial"
    probes, problems = _render(store, paths, work, facts, units, kind)
    findings += problems + _content_findings(rule, facts, probes) + _completeness(probes)
    findings = _apply_overrides(store, work.id, sort_findings(findings))
    return CheckReport(work.id, facts.at, facts.prop.timezone, facts.prop.jurisdiction, rule, fell_back, kind,
                       [p.language for p in probes], findings)


def _plan_findings(store: Store, work: WorkOrder, facts: WorkFacts) -> list[Finding]:
    if not work.emergency or work.status in ("completed", "cancelled", "draft"):
        return []
    missing = [m for m in plan_work_order(store, work, facts.at) if m.kind == "emergency" and m.issued_at is None]
    if not missing:
        return []
    forms = {"print": "letters", "email": "emails"}
    channels = joined([phrase(forms[c], n=sum(1 for m in missing if m.channel == c))
                       for c in ("print", "email") if any(m.channel == c for m in missing)], ", ")
    return [_mission(Finding.worded(
        "plan/emergency-not-sent", "plan", "warning",
        say(phrase("plan/emergency-not-sent", n=len(missing), channels=channels), phrase("plan/emergency-not-sent.fix")),
        "MaintDesk good practice: urgent work", MISSION, sorted({m.unit for m in missing})))]


def _mission(finding: Finding) -> Finding:
    """The finding cites MISSION.md: its citation in each language of its texts."""
    for lang, text in finding.texts.items():
        text["citation"] = phrase("mission")(lang)
    return finding


def _render(store: Store, paths: AppPaths, work: WorkOrder, facts: WorkFacts, units: list[Unit],
            kind: str) -> tuple[list[Probe], list[Finding]]:
    """One rendered notice per language the tenants read (a tenant with a slot where there is one)."""
    sender = store.sender_of(facts.prop)
    slotted = {s.unit_id for s in work.slots}
    readers: dict[str, tuple[Unit, Tenant]] = {}
    for unit in sorted(units, key=lambda u: u.id not in slotted):
        for tenant in store.tenants_of_unit(unit.id):
            if tenant.active:
                readers.setdefault(tenant.language, (unit, tenant))
    if not readers and units:
        readers[sender.default_language] = (units[0], Tenant(units[0].id, "Occupant", language=sender.default_language))
    templates = shared_templates(paths.templates_dir, paths.user_templates_dir)
    logo = logo_url(sender, paths.assets_dir / "logo.svg")
    probes, problems = [], []
    for language, (unit, tenant) in sorted(readers.items()):
        slot = next((s for s in work.slots if s.unit_id == unit.id), None)
        start, end = (slot.start, slot.end) if slot else (work.window_start, work.window_end)
        notice = NoticeFacts(sender, facts.prop, unit, tenant, work, kind, language, 0, facts.at, work.previous_window)
        name = template_name(kind, language, work.scope)
        try:
            rendered = templates.render(name, notice_context(notice, logo_uri=logo))
        except UserFacingError as exc:
            problems.append(Finding.worded(
                f"completeness/template-{language}", "completeness", "error",
                say(phrase("template/broken", language=language_name(language), problem=exc.summary),
                    phrase("template/broken.fix")), "letter templates", name))
            continue
        probes.append(Probe(language, rendered, work, facts.prop, start, end))
        problems += _user_templates(templates, notice, logo, kind)
    return probes, problems


def _user_templates(templates: LetterTemplates, notice: NoticeFacts, logo: str | None, checked: str) -> list[Finding]:
    """The user's own templates of the other kinds, filled in for the same sample tenant: one that
    cannot be is found now, not on the day its notice is due."""
    problems = []
    for kind in NOTICE_KINDS:
        name = template_name(kind, notice.language, notice.work.scope)
        if kind == checked or templates.origin(name) != "user":
            continue
        try:
            sample = replace(notice, kind=kind, message={notice.language: "…"} if kind == "update" else None)
            templates.render(name, notice_context(sample, logo_uri=logo))
        except UserFacingError as exc:
            problems.append(Finding.worded(
                f"completeness/template-{notice.language}-{kind}", "completeness", "error",
                say(phrase("template/yours-broken", language=language_name(notice.language), kind=kind,
                           problem=exc.summary), phrase("template/broken.fix")), "letter templates", name))
    return problems


def _content_findings(rule: RuleSet, facts: WorkFacts, probes: list[Probe]) -> list[Finding]:
    findings = []
    for item in rule.content:
        if not applies(item, facts):
            continue
        code = f"content/{rule.id}/{item['id']}"
        name = f"{rule.name}: the notice must state {item['text']}"
        if item["element"] == "manual":
            findings.append(Finding.worded(code, "content", "warning",
                                           say(phrase("content/manual", text=quote(item["text"])),
                                               phrase("content/manual.fix")), name, item["citation"]))
            continue
        missing = {p.language: why for p in probes if (why := element_problem(p, item["element"]))}
        if missing:
            where = joined([phrase("content/in-language", language=language_name(lang), why=why)
                            for lang, why in sorted(missing.items())], ", ")
            findings.append(Finding.worded(code, "content", item.get("severity", "error"),
                                           say(phrase("content/lacks", text=quote(item["text"]), where=where),
                                               phrase("content/lacks.fix")), name, item["citation"]))
    return findings


def _completeness(probes: list[Probe]) -> list[Finding]:
    found: dict[tuple[str, str], tuple[Phrase, list[str], Phrase]] = {}
    for probe in probes:
        for element, what, fix in seven_elements(probe):  # the same words in English: one finding
            found.setdefault((element, what("en")), (what, [], fix))[1].append(probe.language)
    return [_mission(Finding.worded(
        f"completeness/{element}", "completeness", "warning",
        say(phrase("completeness", what=capital(what), languages=listed([language_name(x) for x in languages])), fix),
        f"A good notice has {ELEMENT_TITLES[element]}", MISSION))
        for (element, _), (what, languages, fix) in found.items()]


def _apply_overrides(store: Store, work_order_id: int, findings: list[Finding]) -> list[Finding]:
    latest = {o.code: o for o in store.list_finding_overrides(work_order_id) if o.in_force}
    for finding in findings:
        override = latest.get(finding.code)
        if override is not None:
            finding.overridden = {"id": override.id, "reason": override.reason, "by": override.decided_by,
                                  "at": to_text(override.decided_at) if override.decided_at else ""}
    return findings
