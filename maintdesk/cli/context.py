"""What every command shares: the database, the output, the parser, moments and progress.

`Context` opens the database on first use and prints text, tables and JSON; `Parser` makes every
usage error one line with exit status 2, as for any bad input.
"""

from __future__ import annotations

import argparse
import getpass
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from maintdesk.errors import InvalidInput
from maintdesk.paths import AppPaths
from maintdesk.progress import Progress, ProgressBar
from maintdesk.records.location import Location, database_location, files_place
from maintdesk.records.store import Store
from maintdesk.timeutil import UTC, utc_now

Handler = Callable[[argparse.Namespace, "Context"], int]


class Context:
    """What a command needs: where the database is, and how to print.

    `--db` names a SQLite file or an office's server (postgresql://…; maintdesk.records.location).
    `db_path` is the file, or for a server the default file's place in the data folder, beside
    which the letters and exports of this computer go."""

    def __init__(self, args: argparse.Namespace, out: Any):
        self.paths = AppPaths.under(Path(args.basedir)) if args.basedir else AppPaths.default()
        self._db_argument: str | None = args.db
        self.out = out
        self._store: Store | None = None

    @property
    def db_location(self) -> Location:
        """InvalidInput for a URL MaintDesk cannot open: raised inside the command, so it is one line."""
        return database_location(self._db_argument) if self._db_argument else self.paths.database

    @property
    def db_path(self) -> Path:
        return files_place(self.db_location, self.paths.database)

    @property
    def db_shown(self) -> str:
        """The database for messages: the file, or the server's URL without its password."""
        return str(self.db_location)

    def store(self, *, create: bool = False) -> Store:
        if self._store is None:
            self._store = Store.open(self.db_location, create=create)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def print_json(self, value: Any) -> None:
        json.dump(value, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def print_table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
        for n, row in enumerate(cells):
            self.print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
            if n == 0:
                self.print("  ".join("-" * w for w in widths))


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for any bad input
        self.exit(2, f"{self.prog}: error: {message}\n")


def parse_at(text: str | None) -> datetime:
    """ISO 8601 with an offset or Z; without one, the computer's own time zone."""
    if not text:
        return utc_now()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise InvalidInput(f'at: "{text}" is not a date-time such as 2026-05-12T09:00+02:00') from None
    return (moment if moment.tzinfo else moment.astimezone()).astimezone(UTC)


def user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment
        return "unknown user"


def run_with_bar(events: Iterator[Any], label: str) -> Any:
    """Drain a core generator, drawing its `Progress` on a terminal; returns its last event."""
    bar = ProgressBar(label)
    result = None
    try:
        for event in events:
            if isinstance(event, Progress):
                bar.update(event.done, event.total)
            else:
                result = event
    finally:
        bar.close()
    return result
