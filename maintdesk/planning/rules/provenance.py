"""A rules file's provenance in plain words: when it was encoded, whether and from what a person read
the statute, how its periods are counted, and what remains uncertain (the `work check` text and the
Checks dialog show it; the proof of notice prints it in its own language)."""

from __future__ import annotations

from typing import Any

TEXTS = {"official": "the official text", "secondary": "a copy of the text"}


def provenance_lines(rules: dict[str, Any]) -> list[str]:
    """Lines for a rules view (RuleSet.view()); none for MaintDesk's good practice."""
    if rules.get("id") == "default":
        return []
    encoded = rules.get("encoded") or rules.get("checked", "")
    verified = rules.get("verified") or {}
    if verified:
        read = (f"verified on {verified['on']} from {TEXTS.get(verified.get('text', ''), verified.get('text', ''))}: "
                f"{verified['source']}" + (f" ({verified['note']})" if verified.get("note") else ""))
    else:
        read = "NOT verified: nobody has yet read the statute's official text for this file"
    lines = [f"Encoded {encoded}; {read}", f"Basis: {rules.get('basis', '')}"]
    if rules.get("counting"):
        lines.append(f"Counting: {rules['counting']}")
    lines += [f"Uncertain: {text}" for text in rules.get("uncertain", ())]
    return lines
