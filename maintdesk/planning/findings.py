"""A finding of the checks: what is wrong, which rule says so, and what would fix it.

Findings come from the slot planner (maintdesk.planning.scheduling), the notice-law engine
(maintdesk.planning.rules) and the completeness check (maintdesk.planning.checks). A manager may accept one with a
recorded reason (maintdesk.records.terms.FindingOverride); it is then shown as overridden, not counted.
A finding made through `maintdesk.planning.wording` carries its message and fix in every language
(`texts`), for the documents read in other languages (the proof of notice); `message` and `fix`
are the English ones, the manager's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")

DISCLAIMER = (
    "This check is not legal advice. MaintDesk's notice-law rules were encoded from the statutes' text "
    "as its authors understood it on the date shown for each rule; they may be out of date or incomplete, "
    "and they do not cover your lease, local by-laws or court decisions. When in doubt, ask a lawyer or "
    "your local housing authority."
)


@dataclass
class Finding:
    code: str  # stable, e.g. "FR/off-days"; overrides name it
    check: str  # "law", "content", "completeness", "slots" or "plan"
    severity: str  # "error", "warning" or "info"
    message: str  # what is wrong (or, for info, what to do), in one or two sentences
    rule: str = ""  # the rule's name, e.g. "Ontario — hours of entry"
    citation: str = ""  # e.g. "Residential Tenancies Act, 2006 (Ontario), s. 27(3)"
    fix: str = ""  # what would fix it, with a date in the property's zone where there is one
    units: list[str] = field(default_factory=list)  # the unit labels concerned
    overridden: dict[str, Any] | None = None  # {"id", "reason", "by", "at"} when a manager accepted it
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)  # {lang: {"message", "fix"[, "quoted"]}}

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")

    def view(self) -> dict[str, Any]:
        return {
            "code": self.code, "check": self.check, "severity": self.severity, "message": self.message,
            "rule": self.rule, "citation": self.citation, "fix": self.fix, "units": list(self.units),
            "overridden": self.overridden,
            "texts": {"en": {"message": self.message, "fix": self.fix}, **self.texts},
        }

    @classmethod
    def worded(cls, code: str, check: str, severity: str, texts: Any, rule: str = "", citation: str = "",
               units: list[str] | None = None) -> Finding:
        """A finding whose message and fix are `texts` (maintdesk.planning.wording.Texts): English
        as its message and fix, every language in `texts`."""
        return cls(code, check, severity, texts.message, rule, citation, texts.fix, list(units or []),
                   texts=texts.by_language)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then information; the order of the checks within each."""
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))


def counts(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each severity are still open (overridden ones do not count)."""
    open_ = [f for f in findings if f.overridden is None]
    return {s: sum(1 for f in open_ if f.severity == s) for s in SEVERITIES}


def labels(units: list[str], limit: int = 8) -> str:
    """'1A, 1B and 2A', or '1A, 1B, … and 12 more' for long lists."""
    if len(units) <= 1:
        return "".join(units)
    if len(units) > limit:
        return f"{', '.join(units[:limit])} and {len(units) - limit} more"
    return f"{', '.join(units[:-1])} and {units[-1]}"
