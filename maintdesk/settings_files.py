"""Settings kept as small JSON files in the settings folder (the SMTP server, the SMS provider, the
mailbox): read into a frozen dataclass and checked, written atomically. Secrets never go here
(maintdesk.secrets)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, TypeVar

from maintdesk.errors import UserFacingError

T = TypeVar("T")


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
