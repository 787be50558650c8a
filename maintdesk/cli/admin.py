"""Command line: `admin init-server URL` and `admin add-person NAME --role ROLE` for an office's
PostgreSQL database (maintdesk.records.backends.pg_roles; docs/postgresql.md)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from maintdesk.cli.context import Context, Parser
from maintdesk.errors import InvalidInput, UserFacingError
from maintdesk.records.location import ServerLocation, database_location

PASSWORD_VARIABLE = "MAINTDESK_NEW_PASSWORD"


def register(commands: Any) -> None:
    admin = commands.add_parser("admin", help="set up an office's PostgreSQL database and the people who use it")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION", parser_class=Parser)
    init = admin_commands.add_parser(
        "init-server", help="create the database, its schema and the roles clerk, manager and owner_viewer")
    init.add_argument("url", metavar="URL", help="postgresql://ADMIN@HOST:PORT/DATABASE (ADMIN may create "
                                                 "databases and roles; it becomes the database's owner)")
    init.set_defaults(handler=cmd_init_server)
    person = admin_commands.add_parser("add-person", help="a person's own sign-in, in one of the roles "
                                                          "(with --db the office database's URL, as its owner)")
    person.add_argument("name", metavar="NAME", help="their database user name, e.g. alice")
    person.add_argument("--role", required=True, choices=("clerk", "manager", "owner-viewer"))
    person.set_defaults(handler=cmd_add_person)
    keep = admin_commands.add_parser("keep-password", help="keep your password for an office database in the "
                                                          "system keyring (an address without one uses it)")
    keep.add_argument("url", metavar="URL", help="postgresql://YOU@HOST:PORT/DATABASE, without the password")
    keep.set_defaults(handler=cmd_keep_password)


def cmd_init_server(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.records.backends.pg_roles import init_server

    location = database_location(args.url)
    if not isinstance(location, ServerLocation):
        raise InvalidInput(f"URL: “{args.url}” is a file path; give the office server's postgresql://… address")
    name = init_server(location.url)
    ctx.print(f"the office database {name} is ready on {location.shown}: schema, roles clerk, manager and "
              "owner_viewer with their rights; add people with `maintdesk --db URL admin add-person NAME --role ROLE`")
    return 0


def _new_password(name: str, variable: str = PASSWORD_VARIABLE) -> str:
    if os.environ.get(variable):
        return os.environ[variable]
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(f"password for {name}: ")
    if getpass.getpass("the same again: ") != first:
        raise InvalidInput("password: the two passwords differ; nothing was changed")
    return first


def cmd_add_person(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.records.backends.pg_roles import add_person

    if not isinstance(ctx.db_location, ServerLocation):
        raise InvalidInput("--db: people and roles exist only in an office database; give its postgresql://… address")
    store = ctx.store()
    group = add_person(store.db, args.name, args.role, _new_password(args.name))
    ctx.print(f"{args.name} signs in to the office database as a member of {group}")
    return 0


def cmd_keep_password(args: argparse.Namespace, ctx: Context) -> int:
    from maintdesk.records.location import KEYRING_SERVICE
    from maintdesk.secrets import store_secret

    location = database_location(args.url)
    if not isinstance(location, ServerLocation):
        raise InvalidInput(f"URL: “{args.url}” is a file path; give the office server's postgresql://… address")
    if location.has_password:
        raise InvalidInput("URL: write the address without its password; the password is asked for")
    password = _new_password(location.keyring_user, "MAINTDESK_DB_PASSWORD")
    if not password:
        raise InvalidInput("password: nothing was typed; nothing was kept")
    if not store_secret(KEYRING_SERVICE, location.keyring_user, password):
        raise UserFacingError("this computer has no usable system keyring: nothing was kept; give the password "
                              "in ~/.pgpass or PGPASSWORD instead")
    ctx.print(f"the password of {location.keyring_user} is kept in the system keyring")
    return 0
