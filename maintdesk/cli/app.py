"""The command line: `maintdesk [--db PATH] COMMAND …` (also `python -m maintdesk`).

Builds the parser from the command groups (`data`, `work`, `notices`, `mail`, `records`) and
runs one command. Exit status: 0 on success, 2 on bad input (one line naming the field or row),
1 on other failures. The JSON printed by `--json` is documented in docs/cli.md.
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from maintdesk import __version__
from maintdesk.cli import admin, channels, data, mail, notices, records, work
from maintdesk.cli.context import Context, Parser
from maintdesk.errors import UserFacingError
from maintdesk.records.sharing import explain


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="maintdesk", description="Plan maintenance work and issue tenant notices.")
    parser.add_argument("--version", action="version", version=f"maintdesk {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the database file (default: the per-user data folder)")
    parser.add_argument("--basedir", metavar="DIR", help="keep all data, settings and logs under DIR")
    parser.add_argument("--verbose", action="store_true", help="also say what is done step by step (log lines on stderr)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    data.register(commands)
    work.register(commands)
    notice_commands = notices.register(commands)
    mail.register(commands, notice_commands)
    records.register(commands)
    channels.register(commands)
    admin.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, out: Any = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx = Context(args, out or sys.stdout)
    try:
        return args.handler(args, ctx)
    except UserFacingError as exc:
        print(f"maintdesk: error: {exc.summary}", file=sys.stderr)
        if exc.detail:
            print(exc.detail, file=sys.stderr)
        return exc.exit_status
    except BrokenPipeError:
        return 1
    except sqlite3.OperationalError as exc:
        explained = explain(exc, getattr(args, "db", None))
        if explained is None:
            raise
        print(f"maintdesk: error: {explained.summary}", file=sys.stderr)
        return explained.exit_status
    except Exception as exc:  # a bug: say so in one line, keep the traceback for a report
        print(f"maintdesk: internal error: {exc!r} (please report it; details follow)", file=sys.stderr)
        traceback.print_exc()
        return 1
    finally:
        ctx.close()
