"""Where the records live: a SQLite file (a path) or an office's PostgreSQL server (a URL).

`--db` takes either. A value that looks like a URL (`scheme://…`) is never taken for a file name:
`postgresql://` and `postgres://` select the PostgreSQL server, any other scheme is refused with
one sentence. Everything else is a path to a SQLite file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from maintdesk.errors import InvalidInput

SERVER_SCHEMES = ("postgresql", "postgres")
# Two letters at least: `C://…` on Windows is a drive, not a scheme.
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]+)://")


@dataclass(frozen=True)
class ServerLocation:
    """A PostgreSQL database named by a connection URL (libpq's form)."""

    url: str

    @property
    def shown(self) -> str:
        """The URL with its password hidden: for messages and logs."""
        return hide_password(self.url)

    def __str__(self) -> str:
        return self.shown


Location = Path | ServerLocation


def is_url(value: str | Path) -> bool:
    return isinstance(value, str) and _URL.match(value.strip()) is not None


def database_location(value: str | Path | ServerLocation) -> Location:
    """The file or the server that `value` names; InvalidInput for a URL MaintDesk cannot open."""
    if isinstance(value, (Path, ServerLocation)):
        return value
    text = value.strip()
    match = _URL.match(text)
    if match is None:
        return Path(value)
    scheme = match["scheme"].lower()
    if scheme not in SERVER_SCHEMES:
        raise InvalidInput(
            f"--db: “{hide_password(text)}” is a {scheme}:// address, which MaintDesk cannot open; give a "
            "file path for a database on this computer or a postgresql://user@host/database address "
            "for an office server")
    parts = urlsplit(text)
    if not parts.hostname and "host=" not in parts.query:
        raise InvalidInput(f"--db: “{hide_password(text)}” names no server; write it as "
                           "postgresql://user@host:5432/database")
    if not parts.path.strip("/") and "dbname=" not in parts.query:
        raise InvalidInput(f"--db: “{hide_password(text)}” names no database; add its name after the "
                           "server, as in postgresql://user@host:5432/maintdesk")
    return ServerLocation(text)


def hide_password(url: str) -> str:
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return re.sub(r":[^:@/]*@", ":***@", url)
