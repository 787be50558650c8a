"""Which sections of a rules file apply to a work order: their `when` conditions."""

from __future__ import annotations

from datetime import date
from typing import Any

from maintdesk.planning.rules.facts import WorkFacts
from maintdesk.timeutil import zone


def applies(item: dict[str, Any], facts: WorkFacts) -> bool:
    when = item.get("when", {})
    starts = facts.work.window_start.astimezone(zone(facts.prop.timezone)).date()
    return all((
        when.get("emergency", facts.work.emergency) == facts.work.emergency,
        facts.nature in when.get("nature", [facts.nature]),
        facts.terms.vacate_days > when.get("vacate_days_over", -1),
        facts.work.scope in when.get("scope", [facts.work.scope]),
        when.get("from", date.min) <= starts <= when.get("until", date.max),  # the version in force
    ))


def first(items: tuple[dict[str, Any], ...], facts: WorkFacts) -> dict[str, Any] | None:
    """The first section whose conditions hold (sections are listed from the most specific)."""
    return next((item for item in items if applies(item, facts)), None)
