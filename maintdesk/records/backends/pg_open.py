"""Opening an office's PostgreSQL database and bringing its schema up to date.

The version is kept in the table `schema_version` (PostgreSQL has no PRAGMA user_version). A new
database gets every step in one transaction; an older one is migrated a step per transaction,
each with its version. All of it happens under the writer lock, so two desks opening a new
database at once create it once.
"""

from __future__ import annotations

import logging
import sqlite3

import psycopg

from maintdesk.errors import DatabaseError
from maintdesk.records.backends.pg_rights import group_of
from maintdesk.records.backends.pg_schema import PREAMBLE, postgres_steps
from maintdesk.records.backends.postgres import PostgresDatabase, connect
from maintdesk.records.location import ServerLocation
from maintdesk.records.migrations import LATEST_VERSION

log = logging.getLogger(__name__)


def schema_version(db: PostgresDatabase) -> int:
    row = db.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not row[0]:
        return 0
    row = db.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def open_server_database(location: ServerLocation, *, create: bool = True, target_version: int = LATEST_VERSION,
                         **_ignored: object) -> PostgresDatabase:
    """Connect to the office database and bring its schema to `target_version`.

    DatabaseError (one sentence) for a server that cannot be reached or refuses the sign-in, a
    database that is not MaintDesk's or is newer than this code, or a role without the right to
    create the schema; nothing is half-written."""
    db = connect(location)
    try:
        _prepare(db, create, target_version)
        db.learn_schema()
        db.group = group_of(db)
    except BaseException:
        db.close()
        raise
    return db


def _prepare(db: PostgresDatabase, create: bool, target: int) -> None:
    where = f"the office database {db.location.shown}"
    version = schema_version(db)
    if version > LATEST_VERSION:
        raise DatabaseError(f"{where} was written by a newer MaintDesk (schema {version}; this version knows up "
                            f"to {LATEST_VERSION}); update MaintDesk to open it")
    if version == 0 and set(db.table_names()) - {"schema_version"}:
        raise DatabaseError(f"{where} holds tables but not MaintDesk's; choose another database")
    if version == 0 and not create:
        raise DatabaseError(f"{where} holds no MaintDesk records yet; create them with "
                            f"`maintdesk --db {db.location.shown} init`")
    if version < target:
        migrate(db, target)


def migrate(db: PostgresDatabase, target: int = LATEST_VERSION) -> None:
    """The steps from the current version to `target`: all in one transaction for a new database,
    else one transaction per step."""
    steps = [s for s in postgres_steps() if s.version <= target]
    start = schema_version(db)
    try:
        if start == 0:
            with db.writing():
                db.run_script(PREAMBLE)
                if schema_version(db) == 0:  # another desk may have created it while we waited
                    for step in steps:
                        db.run_script(step.statements)
                    _set_version(db, steps[-1].version)
                    log.info("created the schema (version %d) in %s", steps[-1].version, db.location.shown)
            return
        for step in steps:
            with db.writing():
                if schema_version(db) >= step.version:
                    continue
                log.info("migrating %s to schema %d (%s)", db.location.shown, step.version, step.changes)
                db.run_script(step.statements)
                _set_version(db, step.version)
        with db.writing():  # tables a step rebuilt tell the listening desks of their changes again
            if db.execute("SELECT to_regproc('maintdesk_watch_tables') IS NOT NULL").fetchone()[0]:
                db.execute("SELECT maintdesk_watch_tables()")
    except (psycopg.Error, sqlite3.Error) as exc:
        raise DatabaseError(
            f"could not bring the office database {db.location.shown} to schema {target} ({str(exc).strip()}); "
            f"it is left at schema {schema_version(db)}") from exc


def _set_version(db: PostgresDatabase, version: int) -> None:
    db.execute("UPDATE schema_version SET version = ?, changed_at = now()", (version,))
