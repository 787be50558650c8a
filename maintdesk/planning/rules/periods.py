"""The pieces both the law's and a lease's notice periods are counted with: the rule's way of counting
at a property, and when a notice sent by a method counts as received."""

from __future__ import annotations

from maintdesk.planning.rules import Duration, RuleSet, default_rule, lookup
from maintdesk.planning.rules.counting import Clock
from maintdesk.planning.rules.facts import WorkFacts


def transit(rule: RuleSet, method: str) -> Duration:
    """How long after sending by `method` a notice counts as received (the rule's own, else good practice's)."""
    return rule.transit.get(method) or default_rule().transit.get(method) or Duration(0, "h")


def clock_of(rule: RuleSet, facts: WorkFacts) -> Clock:
    """`rule`'s counting at the work's property (its zone and, for the property's own rule, its holidays)."""
    found, rest, _ = lookup(facts.prop.jurisdiction)
    return rule.clock(rest if found.id == rule.id else [], facts.prop)
