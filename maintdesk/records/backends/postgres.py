"""An office's PostgreSQL server behind the same `Store` as the SQLite file (psycopg 3).

`PostgresDatabase` offers what the store uses of maintdesk.records.sharing.SharedDatabase:
`execute` (with SQLite's `?` statements, rewritten by `pg_sql`), cursors with `lastrowid` and
`rowcount`, rows read by position or by name, `writing()` transactions (nested ones are
savepoints), `table(name).insert_all(rows)`. Errors come out as the store knows them: an integrity
error as sqlite3.IntegrityError with the server's words; a server that cannot be reached, a
refused password, a missing right, a lock held too long as one sentence (DatabaseError).

Writes wait their turn as they do on SQLite: each write transaction first takes one advisory lock
of the database (`pg_advisory_xact_lock`), so a check made inside it (is this notice number free,
was this record changed since the form opened it) cannot be overtaken by another desk's write.
Reading never waits.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from maintdesk.errors import DatabaseError
from maintdesk.records.backends import pg_sql
from maintdesk.records.location import KEYRING_SERVICE, ServerLocation
from maintdesk.records.sharing import BUSY_TIMEOUT_MS, LOCK_TRIES, DatabaseBusy

log = logging.getLogger(__name__)

WRITER_LOCK = 0x4D61696E74   # "Maint": the advisory lock every write transaction takes first
CONNECT_TIMEOUT_S = 10
_BAD_ADDRESS = re.compile(r"invalid (port|sslmode|connection option|uri|dsn|integer value|value for parameter)"
                          r"|missing \"=\"|conninfo", re.IGNORECASE)


class Row(Sequence):
    """A row read by position (`row[0]`) or by column name (`row["name"]`), like sqlite3.Row."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: tuple, index: dict[str, int]):
        self._values, self._index = values, index

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._index[key]]
            except KeyError:
                raise IndexError(f"no column {key}") from None
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values))})"


def _row_factory(cursor: psycopg.Cursor) -> Any:
    names = [c.name for c in cursor.description or ()]
    index = {name: i for i, name in reversed(list(enumerate(names)))}  # the first of equal names wins
    return lambda values: Row(tuple(values), index)


class Cursor:
    """The part of sqlite3.Cursor the store reads."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None):
        self._rows, self.rowcount, self.lastrowid = rows, rowcount, lastrowid

    def fetchone(self) -> Row | None:
        return self._rows.pop(0) if self._rows else None

    def fetchall(self) -> list[Row]:
        rows, self._rows = self._rows, []
        return rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


class _Connection:
    """`db.conn` for the store: executemany and the transaction flag; row_factory is fixed."""

    def __init__(self, db: PostgresDatabase):
        self._db = db

    @property
    def row_factory(self) -> Any:
        return Row

    @row_factory.setter
    def row_factory(self, value: Any) -> None:  # the store asks for sqlite3.Row: ours reads the same
        pass

    @property
    def in_transaction(self) -> bool:
        return self._db.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._db.executemany(sql, rows)

    def close(self) -> None:
        self._db.close()


class _Table:
    def __init__(self, db: PostgresDatabase, name: str):
        self.db, self.name = db, name

    def insert_all(self, records: Iterable[dict[str, Any]], batch_size: int = 100, **_: Any) -> _Table:
        records = list(records)
        if records:
            columns = list(records[0])
            sql = f"INSERT INTO {self.name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
            self.db.executemany(sql, [tuple(r.get(c) for c in columns) for r in records])
        return self


class PostgresDatabase:
    """One connection to an office's PostgreSQL database (see the module's text)."""

    path = None
    read_only = False

    def __init__(self, raw: psycopg.Connection, location: ServerLocation):
        self.raw, self.location = raw, location
        raw.row_factory = _row_factory
        self.conn = _Connection(self)
        self._id_tables: frozenset[str] = frozenset()
        self._keys: tuple[tuple[str, tuple[str, ...]], ...] = ()
        self.group: str | None = None  # clerk, manager or owner-viewer (pg_roles), learnt at opening

    def __repr__(self) -> str:
        return f"<PostgresDatabase {self.location.shown}>"

    @property
    def role(self) -> str:
        """The session's database role (`current_user`): who is recorded with what this desk does."""
        if getattr(self, "_role", None) is None:
            self._role = str(self.raw.execute("SELECT current_user").fetchone()[0])
        return self._role

    # What the schema looks like, for the statement rewriting -----------------------------------

    def learn_schema(self) -> None:
        columns = self.raw.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_name = 'id'").fetchall()
        self._id_tables = frozenset(r[0] for r in columns)
        keys: dict[str, list[str]] = {}
        for r in self.raw.execute(
                "SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace ORDER BY a.attnum"):
            keys.setdefault(r[0], []).append(r[1])
        self._keys = tuple((table, tuple(cols)) for table, cols in sorted(keys.items()))

    def table_names(self) -> list[str]:
        return [r[0] for r in self.raw.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]

    # Statements ----------------------------------------------------------------------------------

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> Cursor:
        statement = pg_sql.translate(sql, self._id_tables, self._keys)
        with self._errors():
            cursor = self.raw.execute(statement.sql, tuple(parameters or ()))
            rows = cursor.fetchall() if cursor.description else []
            lastrowid = None
            if statement.returns_id:
                lastrowid = rows[0][0] if rows else None
                rows = []
            if statement.explicit_id and cursor.rowcount:
                self.raw.execute("SELECT maintdesk_follow_ids(%s)", (statement.table,))
            return Cursor(rows, cursor.rowcount, lastrowid)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        statement = pg_sql.translate(sql, self._id_tables, self._keys)
        text = statement.sql.removesuffix(" RETURNING id") if statement.returns_id else statement.sql
        with self._errors(), self.raw.cursor() as cursor:
            cursor.executemany(text, [tuple(r) for r in rows])
            if statement.explicit_id:
                cursor.execute("SELECT maintdesk_follow_ids(%s)", (statement.table,))

    def table(self, name: str) -> _Table:
        return _Table(self, name)

    def run_script(self, statements: Iterable[str]) -> None:
        """Schema statements, as written (no placeholders)."""
        with self._errors():
            for sql in statements:
                self.raw.execute(sql)

    # Transactions --------------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """A write transaction (a savepoint inside one already open), kept whole or not at all; the
        outermost one waits for the database's writer lock first."""
        outer = not self.conn.in_transaction
        with self._errors(), self.raw.transaction():
            if outer:
                self.raw.execute(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_MS * LOCK_TRIES}ms'")
                self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
            yield

    atomic = writing

    @contextmanager
    def claiming(self) -> Iterator[None]:
        """A short transaction that takes rows with `FOR UPDATE SKIP LOCKED` and changes only them:
        it does not wait for the writer lock, so several senders take different rows at once."""
        with self._errors(), self.raw.transaction():
            self.raw.execute(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_MS * LOCK_TRIES}ms'")
            yield

    def close(self) -> None:
        self.raw.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except pg_errors.IntegrityError as exc:
            raise sqlite3.IntegrityError(_words(exc)) from exc
        except pg_errors.InsufficientPrivilege as exc:
            from maintdesk.records.backends.pg_rights import refusal

            sentence = refusal(self.group, _words(exc))
            if sentence is None:
                raise explain(exc, self.location) from exc
            raise DatabaseError(sentence) from exc
        except psycopg.Error as exc:
            explained = explain(exc, self.location)
            if explained is None:
                raise
            raise explained from exc


def _words(exc: psycopg.Error) -> str:
    diag = getattr(exc, "diag", None)
    return (diag.message_primary if diag is not None and diag.message_primary else str(exc)).strip()


def explain(exc: BaseException, location: ServerLocation) -> DatabaseError | None:
    """One sentence for what the office can fix: an unreachable server, a refused sign-in, a
    missing right, a lock held too long; None for anything else."""
    where = f"the office database {location.shown}"
    text = str(exc).lower()
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return DatabaseError(f"your database role may not do this in {where} ({_words(exc)}); nothing was "
                             "changed; ask the person who manages the office database for the right")
    if isinstance(exc, (pg_errors.LockNotAvailable, pg_errors.DeadlockDetected, pg_errors.QueryCanceled)):
        waited = BUSY_TIMEOUT_MS * LOCK_TRIES // 1000
        return DatabaseBusy(f"{where} is busy: another desk kept it locked for over {waited} s; nothing was "
                            "changed, try again when it has finished")
    if "server does not support ssl" in text:
        return DatabaseError(f"{where} does not offer TLS, but the address asks for it (sslmode); set up TLS on "
                             "the server, or connect without sslmode only on a network you trust")
    if "certificate" in text and ("verify" in text or "root certificate" in text or "does not match" in text):
        return DatabaseError(f"{where} did not prove who it is ({_words(exc).splitlines()[-1].strip()}); check "
                             "sslrootcert in the address and the server's certificate")
    if "permission denied for database" in text:
        return DatabaseError(f"your database role may not open {where}; ask the person who manages the office "
                             "database to add you (maintdesk admin add-person)")
    if isinstance(exc, pg_errors.InvalidPassword) or "password authentication failed" in text:
        return DatabaseError(f"{where} refused the sign-in: the user name or password is wrong; "
                             "check them and try again")
    if "no password supplied" in text or "password is required" in text:
        return DatabaseError(f"{where} asks for a password: keep it in the system keyring "
                             f"(maintdesk admin keep-password {location.shown}) or add it to the address")
    if isinstance(exc, pg_errors.InvalidCatalogName) or ("database" in text and "does not exist" in text):
        return DatabaseError(f"{where} does not exist on the server; create it (maintdesk admin init-server) "
                             "or check its name")
    if "role" in text and "does not exist" in text:
        return DatabaseError(f"{where} knows no such user; check the user name in the address")
    if _BAD_ADDRESS.search(text):
        return DatabaseError(f"{where} is not a valid address ({_words(exc).removeprefix('connection is bad: ')}); "
                             "write it as postgresql://user@host:5432/database")
    if isinstance(exc, psycopg.OperationalError):
        reason = "the server refused the connection" if "refused" in text else \
            "the server did not answer" if "timeout" in text or "timed out" in text else \
            "the server's name is not known" if "could not translate host name" in text or \
            "name or service not known" in text else _words(exc).splitlines()[0] if str(exc) else "no answer"
        return DatabaseError(f"cannot reach {where} ({reason}); check that the server is running and "
                             "the address is right, then try again")
    return None


def keyring_password(location: ServerLocation) -> str | None:
    """The password kept in the system keyring for a URL that has none (never written in a file)."""
    if location.has_password:
        return None
    from maintdesk.secrets import read_secret

    return read_secret(KEYRING_SERVICE, location.keyring_user)


def connect(location: ServerLocation) -> PostgresDatabase:
    """A connection in autocommit (each statement outside `writing()` is its own transaction).
    A URL without a password uses the one kept in the system keyring, else libpq's own
    (~/.pgpass, PGPASSWORD). `sslmode` and the other libpq parameters of the URL pass through."""
    options = {}
    password = None if location.has_password else location.password or keyring_password(location)
    if password is not None:
        options["password"] = password
    try:
        raw = psycopg.connect(location.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                              application_name="MaintDesk", **options)
    except psycopg.Error as exc:
        raise (explain(exc, location) or DatabaseError(
            f"cannot open the office database {location.shown}: {_words(exc)}")) from exc
    return PostgresDatabase(raw, location)
