"""Opening the SQLite file: checks, foreign keys, WAL, and migrations with a backup first."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from maintdesk.errors import DatabaseError
from maintdesk.records.location import ServerLocation, database_location
from maintdesk.records.migrations import LATEST_VERSION, MIGRATIONS
from maintdesk.records.sharing import BUSY_TIMEOUT_MS, SharedDatabase, explain

log = logging.getLogger(__name__)


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def open_database(
    path: Path | str | ServerLocation,
    *,
    create: bool = True,
    backups_dir: Path | None = None,
    target_version: int = LATEST_VERSION,
) -> SharedDatabase:
    """Open (or create) a MaintDesk database and bring its schema up to date.

    `path` is a SQLite file, or a postgresql:// URL for an office's server (a PostgresDatabase,
    maintdesk.records.backends); any other URL is refused (InvalidInput), never taken for a path.

    Raises DatabaseError when the file is damaged, not a MaintDesk database, or newer than this
    code. Before migrating a database that already holds a schema, a copy goes to `backups_dir`
    (default: a `backups` folder beside the file). A file this user may not write (or in a folder
    they may not write) opens read-only: `db.read_only` is True and every write is refused with
    DatabaseReadOnly.
    """
    location = database_location(path)
    if isinstance(location, ServerLocation):
        from maintdesk.records.backends.pg_open import open_server_database

        return open_server_database(location, create=create, target_version=target_version)  # type: ignore[return-value]
    path = location
    if not path.exists():
        if not create:
            raise DatabaseError(f"no database at {path}; create one with `maintdesk --db {path} init`")
        path.parent.mkdir(parents=True, exist_ok=True)
    read_only = path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    try:
        if read_only:
            # A folder nobody may write cannot take WAL's shared-memory file: read it as it is.
            mode = "mode=ro" if os.access(path.parent, os.W_OK) else "immutable=1"
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
        else:
            conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
    db = SharedDatabase(conn)
    db.path, db.read_only = path, read_only
    try:
        _prepare(db, path, backups_dir or path.parent / "backups", target_version)
    except DatabaseError:
        db.close()
        raise
    except sqlite3.OperationalError as exc:
        db.close()
        raise (explain(exc, path) or DatabaseError(f"cannot use the database {path}: {exc}")) from exc
    except sqlite3.DatabaseError as exc:
        db.close()
        raise DatabaseError(
            f"{path} is not a MaintDesk database or is damaged ({exc}); "
            "open another file or restore a backup"
        ) from exc
    except BaseException:
        db.close()
        raise
    return db


def _prepare(db: SharedDatabase, path: Path, backups_dir: Path, target: int) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    if problems != ["ok"]:
        raise DatabaseError(
            f"{path} is damaged (integrity check: {problems[0]}); restore a copy from {backups_dir}",
            "\n".join(problems[:20]),
        )
    version = schema_version(db)
    if version > LATEST_VERSION:
        raise DatabaseError(
            f"{path} was written by a newer MaintDesk (schema {version}; this version knows up to "
            f"{LATEST_VERSION}); update MaintDesk to open it"
        )
    if version == 0 and db.table_names():
        raise DatabaseError(f"{path} is an SQLite database but not a MaintDesk one; choose another file")
    if db.read_only:
        if version < target:
            raise DatabaseError(f"{path} needs an upgrade (schema {version} to {target}) but is read-only; "
                                "open a copy you may write")
        return
    if version == 0 and target == LATEST_VERSION:
        create_schema(db)
    elif version < target:
        backup = backup_copy(db, path, backups_dir, version) if version > 0 else None
        if backup:
            log.info("backed up %s to %s before migrating", path, backup)
        try:
            migrate(db, target)
        except sqlite3.Error as exc:
            kept = f"; a copy from before is in {backup}" if backup else ""
            raise DatabaseError(
                f"could not upgrade {path} from schema {version} to {target} ({exc}); "
                f"the file is left at schema {schema_version(db)}{kept}"
            ) from exc
    with db.ensure_autocommit_on():
        db.execute("PRAGMA journal_mode = WAL")


def create_schema(db: SharedDatabase) -> None:
    """A new database gets the current schema in one transaction: the steps' statements in order,
    so it is the same as a database migrated step by step. Migrations are for existing files."""
    with db.writing():
        for step in MIGRATIONS:
            for statement in step.statements:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {int(LATEST_VERSION)}")
    log.info("created a new database at schema %d", LATEST_VERSION)


def migrate(db: SharedDatabase, target: int = LATEST_VERSION) -> None:
    """Run the steps from the current version to `target`, each in its own transaction."""
    for step in MIGRATIONS:
        if schema_version(db) >= step.version or step.version > target:
            continue
        log.info("migrating database to schema %d (%s)", step.version, step.changes)
        if step.rebuilds_tables:
            with db.ensure_autocommit_on():
                db.execute("PRAGMA foreign_keys = OFF")
        try:
            with db.writing():
                for statement in step.statements:
                    db.execute(statement)
                if step.rebuilds_tables:
                    broken = db.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise sqlite3.IntegrityError(f"{len(broken)} rows would refer to missing rows, e.g. {tuple(broken[0])}")
                db.execute(f"PRAGMA user_version = {int(step.version)}")
        finally:
            if step.rebuilds_tables:
                with db.ensure_autocommit_on():
                    db.execute("PRAGMA foreign_keys = ON")


def backup_copy(db: sqlite_utils.Database, path: Path, backups_dir: Path, version: int) -> Path:
    """Copy the whole database with SQLite's online backup API; returns the copy's path."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
    target = backups_dir / f"{path.stem}-schema{version}-{stamp}.sqlite"
    with sqlite3.connect(target) as copy:
        db.conn.backup(copy)
    copy.close()
    return target
