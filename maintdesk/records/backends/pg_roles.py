"""People and what they may do on an office's PostgreSQL server, enforced by the server itself.

`init_server(url)` creates the database (if it does not exist), its schema, and three group roles:
- `clerk`: reads everything; writes the records (buildings, units, tenants, work orders and their
  terms, slots and actions, agreements, senders), imports, records what became of a notice
  (printed, handed, sent) and what came back to the mailbox;
- `manager`: what a clerk may, and issues notices (numbers, notices, the checks at issue),
  accepts or withdraws findings, voids notices;
- `owner_viewer`: reads and exports, writes nothing.
Anyone else (PUBLIC) may not even connect. `add_person` makes a login role in one of the groups.
Who issued, voided or accepted something is the session's role, filled by the server
(migration_issuers). Running `init_server` again after an upgrade grants the rights on new tables.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import errors as pg_errors, sql

from maintdesk.errors import DatabaseError, InvalidInput
from maintdesk.records.backends.pg_rights import GROUPS
from maintdesk.records.location import ServerLocation, database_location

# Tables only a manager writes (issuing, findings, voids); a clerk may record a notice's outcome.
MANAGER_TABLES = ("notice_numbers", "notices", "issue_checks", "notice_voids", "finding_overrides")
OUTCOME_COLUMNS = ("state", "sent_at", "delivered_at", "delivery_method", "delivered_by", "error", "message_id")
_NAME = re.compile(r"^[a-z_][a-z0-9_.\-]{0,62}$")


def _maintenance_url(url: str) -> tuple[str, str]:
    """The same server's `postgres` database, and the name of the database in `url`."""
    parts = urlsplit(url)
    name = parts.path.strip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def init_server(url: str) -> str:
    """Creates the database named in `url` (connecting as its user, who becomes its owner), its
    schema, the group roles and their rights; returns the database's name. Safe to run again."""
    from maintdesk.records.backends.pg_open import open_server_database
    from maintdesk.records.backends.postgres import connect, explain, keyring_password

    location = database_location(url)
    if not isinstance(location, ServerLocation):
        raise InvalidInput(f"admin init-server: “{url}” is not a postgresql:// address")
    maintenance, name = _maintenance_url(location.url)
    # The same sign-in on the server's own database: the password kept for this address, if any.
    admin = connect(ServerLocation(maintenance, password=location.password or keyring_password(location)))
    try:
        exists = admin.raw.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        with admin._errors():
            if not exists:
                admin.raw.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
                                  .format(sql.Identifier(name)))
            for group in GROUPS.values():
                admin.raw.execute(sql.SQL("DO $$ BEGIN CREATE ROLE {} NOLOGIN; "
                                          "EXCEPTION WHEN duplicate_object THEN NULL; END $$").format(sql.Identifier(group)))
    except psycopg.Error as exc:
        raise (explain(exc, location) or DatabaseError(f"cannot set up {location.shown}: {exc}")) from exc
    finally:
        admin.close()
    db = open_server_database(location)
    try:
        with db.writing():
            grant_rights(db.raw, name)
    finally:
        db.close()
    return name


def grant_rights(conn: psycopg.Connection, database: str) -> None:
    """The groups' rights on every table and sequence of the schema (see the module's text)."""
    ident = sql.Identifier
    clerk, manager, viewer = ident("clerk"), ident("manager"), ident("owner_viewer")
    statements = [
        sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(ident(database)),
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}, {}, {}").format(ident(database), clerk, manager, viewer),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}, {}, {}").format(clerk, manager, viewer),
        sql.SQL("GRANT clerk TO manager"),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {}, {}, {}").format(clerk, manager, viewer),
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}, {}").format(clerk, viewer),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(clerk),
    ]
    tables = [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
    for table in tables:
        if table == "schema_version":
            continue
        if table in MANAGER_TABLES:
            statements.append(sql.SQL("GRANT INSERT, UPDATE ON {} TO {}").format(ident(table), manager))
        else:
            statements.append(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(ident(table), clerk))
    statements.append(sql.SQL("GRANT UPDATE ({}) ON notices TO {}").format(
        sql.SQL(", ").join(ident(c) for c in OUTCOME_COLUMNS), clerk))
    for statement in statements:
        conn.execute(statement)


def add_person(db, name: str, role: str, password: str) -> str:
    """A login role `name` in the group of `role` (clerk, manager, owner-viewer); returns the group."""
    group = GROUPS.get(role)
    if group is None:
        raise InvalidInput(f"--role: “{role}” is not one of {', '.join(GROUPS)}")
    if not _NAME.match(name):
        raise InvalidInput(f"name: “{name}” is not a database user name (lower-case letters, digits, _ . -; "
                           "at most 63 characters, starting with a letter)")
    if not password:
        raise InvalidInput("password: give the person a password")
    ident = sql.Identifier
    try:
        with db._errors(), db.raw.transaction():
            exists = db.raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            verb = "ALTER" if exists else "CREATE"
            db.raw.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(ident(name), sql.Literal(password)))
            for other in GROUPS.values():
                if other != group:
                    db.raw.execute(sql.SQL("REVOKE {} FROM {}").format(ident(other), ident(name)))
            db.raw.execute(sql.SQL("GRANT {} TO {}").format(ident(group), ident(name)))
    except pg_errors.UndefinedObject:
        raise DatabaseError(f"the office database {db.location.shown} has no role {group} yet; "
                            "run `maintdesk admin init-server` first") from None
    return group
