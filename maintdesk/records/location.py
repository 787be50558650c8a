"""Where the records live: a SQLite file (a path) or an office's PostgreSQL server (a URL).

`--db` takes either. A value that looks like a URL (`scheme://…`) is never taken for a file name:
`postgresql://` and `postgres://` select the PostgreSQL server, any other scheme is refused with
one sentence. Everything else is a path to a SQLite file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from maintdesk.errors import InvalidInput

SERVER_SCHEMES = ("postgresql", "postgres")
# Two letters at least: `C://…` on Windows is a drive, not a scheme.
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]+)://")


@dataclass(frozen=True)
class ServerLocation:
    """A PostgreSQL database named by a connection URL (libpq's form); `password`, when given
    (typed into the window), is used instead of the keyring's and is never shown or written."""

    url: str
    password: str | None = field(default=None, repr=False, compare=False)

    @property
    def shown(self) -> str:
        """The URL with its password hidden: for messages and logs."""
        return hide_password(self.url)

    def __str__(self) -> str:
        return self.shown

    @property
    def keyring_user(self) -> str:
        """The name its password is kept under in the system keyring (service KEYRING_SERVICE):
        user@host:port/database, with libpq's defaults for what the URL leaves out."""
        parts = urlsplit(self.url)
        query = dict(pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair)
        user = unquote(parts.username or query.get("user", "")) or _login_name()
        host = parts.hostname or query.get("host", "localhost")
        try:
            port = parts.port or query.get("port", "5432")
        except ValueError:  # a port the driver refuses: it says so with one sentence when connecting
            port = parts.netloc.rpartition(":")[2]
        database = unquote(parts.path.strip("/")) or query.get("dbname", "")
        return f"{user}@{host}:{port}/{database}"

    @property
    def has_password(self) -> bool:
        """The URL itself holds a password."""
        parts = urlsplit(self.url)
        return parts.password is not None or "password=" in parts.query


KEYRING_SERVICE = "MaintDesk"
Location = Path | ServerLocation


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


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


def files_place(database: Location, default_file: Path) -> Path:
    """The file beside which this desk keeps the letters, archive and exports of `database`: the
    SQLite file itself, or for an office's server this computer's default file (`paths.database`)."""
    return database if isinstance(database, Path) else default_file


def hide_password(url: str) -> str:
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return re.sub(r":[^:@/]*@", ":***@", url)
