"""What the session's role may do on an office's server, in words: its group (clerk, manager,
owner-viewer; set up by pg_roles) and one sentence for a right it lacks."""

from __future__ import annotations

import re

GROUPS = {"clerk": "clerk", "manager": "manager", "owner-viewer": "owner_viewer"}
# What each refused table means to the person, for one sentence.
ACTIONS = {"notice_numbers": "issue notices", "notices": "issue notices", "issue_checks": "issue notices",
           "notice_voids": "void notices", "finding_overrides": "accept or withdraw findings"}


def group_of(db) -> str | None:
    """The group (clerk, manager, owner-viewer) the session's role belongs to; None if none."""
    rows = db.raw.execute("SELECT rolname FROM pg_roles WHERE rolname IN ('manager', 'clerk', 'owner_viewer') "
                          "AND pg_has_role(current_user, oid, 'MEMBER')").fetchall()
    found = {r[0] for r in rows}
    for role, group in (("manager", "manager"), ("clerk", "clerk"), ("owner-viewer", "owner_viewer")):
        if group in found:
            return role
    return None


_REFUSED = re.compile(r"permission denied for (?:table|relation|sequence) (\w+)")


def refusal(role: str | None, message: str) -> str | None:
    """One sentence for a right the session's group lacks (the server's words name the table),
    or None for a role in none of the groups."""
    if role is None:
        return None
    found = _REFUSED.search(message)
    table = found[1] if found else ""
    if role == "manager" and table in ACTIONS:
        return None
    action = ACTIONS.get(table or "", "change the records")
    asks = "a manager" if action in ("issue notices", "void notices", "accept or withdraw findings") else \
        "a clerk or a manager"
    return f"Your role {role} may not {action}; ask {asks}"


def issuing_refusal(role: str | None) -> str:
    """The sentence a desk shows before anyone tries, when the session's group may not issue
    notices ("" when it may, or for a SQLite file). The server refuses anyway (refusal)."""
    if role in ("clerk", "owner-viewer"):
        return f"Your role {role} may not issue notices; ask a manager"
    return ""
