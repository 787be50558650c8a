"""Settings kept as small JSON files in the settings folder (the SMTP server, the SMS provider, the
mailbox): read into a frozen dataclass and checked, written atomically. Secrets never go here
(maintdesk.secrets)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, TypeVar

from maintdesk.errors import InvalidInput, UserFacingError

T = TypeVar("T")
LOOPBACK = ("localhost", "127.0.0.1", "::1")


def server_problems(what: str, host: str, port: int, security: str, modes: tuple[str, ...]) -> list[str]:
    """What is wrong with a server's host, port and security mode, one sentence each."""
    problems = []
    if not host.strip() or any(c.isspace() for c in host.strip()):
        problems.append(f'{what} host: "{host}" is not a host name')
    if not 0 < int(port) < 65536:
        problems.append(f"{what} port: {port} is not a port number (1-65535)")
    if security not in modes:
        problems.append(f'{what} security: "{security}" is not one of {", ".join(modes)}')
    return problems


def raise_problems(problems: list[str]) -> None:
    """The first problem as the sentence, the others as detail; nothing when there is none."""
    if problems:
        raise InvalidInput(problems[0], "\n".join(problems[1:]) or None)


def load_settings(path: Path, cls: type[T], check: Callable[[T], T], what: str) -> T | None:
    """The settings in `path` (None when there is no file); unknown keys are left out."""
    if not path.is_file():
        return None
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return check(cls(**{k: v for k, v in values.items() if k in known}))
    except (ValueError, TypeError) as exc:
        raise UserFacingError(f"the {what} settings in {path} cannot be read ({exc}); fix or delete the file") from None


def save_settings(path: Path, settings: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
