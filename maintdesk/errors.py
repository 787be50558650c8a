"""Errors the user can act on, as opposed to bugs.

Services raise a `UserFacingError` when the world or the input is wrong: its `summary` is one
sentence that says what to fix. Anything else that escapes is a bug and reaches the crash report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Control characters (a line break typed into a field, a tab from a spreadsheet cell) would split
# the one sentence of an error over several lines: they are shown escaped, as \n or \x07.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class UserFacingError(Exception):
    """Something the user can fix. `summary`: one sentence; `detail`: optional extra lines."""

    exit_status = 1

    def __init__(self, summary: str, detail: str | None = None):
        summary = one_line(summary)
        super().__init__(summary)
        self.summary = summary
        self.detail = detail

    def __str__(self) -> str:
        return self.summary


class InvalidInput(UserFacingError):
    """The input (a field, a file, an argument) is wrong; the command line exits with 2."""

    exit_status = 2


class NotFound(InvalidInput):
    """A record named by the user does not exist."""


@dataclass(frozen=True)
class Problem:
    """One finding about one field, e.g. Problem("email", 'not a valid address: "bob@"')."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def under(self, prefix: str) -> Problem:
        if not prefix:
            return self
        joined = f"{prefix}.{self.field}" if self.field and not self.field.startswith("[") else f"{prefix}{self.field}"
        return Problem(joined, self.message)


class ValidationError(InvalidInput):
    """One or more fields are wrong. The summary names the first; `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("ValidationError needs at least one problem")
        self.problems = list(problems)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        detail = "\n".join(str(p) for p in problems) if len(problems) > 1 else None
        super().__init__(f"{problems[0]}{more}", detail)

    def under(self, prefix: str) -> ValidationError:
        return ValidationError([p.under(prefix) for p in self.problems])


class IssuedElsewhere(UserFacingError):
    """Another desk issued the same work order's notices while this desk was preparing them."""

    def __init__(self, work_order_id: int, by: str):
        self.work_order_id, self.by = work_order_id, by
        super().__init__(f"Notices for work order {work_order_id} were just issued from another desk by "
                         f"{by or 'someone'}; nothing was issued twice")


class DatabaseError(UserFacingError):
    """The database file cannot be used as it is (damaged, too new, not a database)."""


class ConflictError(InvalidInput):
    """The action would break a record that must stay (e.g. deleting what issued notices name)."""
