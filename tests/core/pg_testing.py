"""A real PostgreSQL server for the tests, started by the test run and stopped at its end.

Debian's `postgresql` package (tools/system-packages.sh) brings initdb, pg_ctl and postgres under
/usr/lib/postgresql/<version>/bin. The server's files go to a temporary folder; it listens on
127.0.0.1 only, on a free port, with no Unix socket. initdb and postgres refuse to run as root:
when the tests run as root (as CI does) the server runs as an unprivileged user (`postgres` if the
package created it, else `nobody`) through runuser. The superuser signs in with a password
(SCRAM), so a wrong password is refused as in an office.

Without the binaries the tests that need the server are skipped, saying why.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "maintdesk_admin"
PASSWORD = "s3cret-for-tests"


def find_bin_dir() -> Path | None:
    override = os.environ.get("MAINTDESK_PG_BIN")
    candidates = [override] if override else sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    bin_dir: Path
    folder: Path
    port: int
    run_as: str | None  # the user the server runs as when the tests run as root

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str | None = PASSWORD) -> str:
        auth = quote(user) + (f":{quote(password)}" if password is not None else "")
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def _command(self, *args: str) -> list[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        return ["runuser", "-u", self.run_as, "--", *command] if self.run_as else command

    def run(self, *args: str) -> None:
        subprocess.run(self._command(*args), check=True, capture_output=True, text=True, cwd=self.folder)

    def start(self) -> None:
        data = self.folder / "data"
        pwfile = self.folder / "pw"
        pwfile.write_text(PASSWORD)
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            for path in (self.folder, pwfile):
                os.chown(path, user.pw_uid, user.pw_gid)
        try:
            self.run("initdb", "-D", str(data), "-U", SUPERUSER, f"--pwfile={pwfile}", "--auth=scram-sha-256",
                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
            options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories='' "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                       "-c shared_buffers=32MB")
            self.run("pg_ctl", "-D", str(data), "-l", str(self.folder / "server.log"), "-o", options, "-w",
                     "-t", "60", "start")
        except subprocess.CalledProcessError as exc:
            log = self.folder / "server.log"
            raise RuntimeError(f"PostgreSQL did not start: {exc.stderr or exc.stdout}"
                               f"{log.read_text() if log.exists() else ''}") from exc

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def admin(self, sql: str, database: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []


def unprivileged_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("the tests run as root and there is no unprivileged user to run PostgreSQL as")


def start_server() -> PostgresServer:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL's initdb is not installed (apt-get install postgresql)")
    run_as = unprivileged_user()
    if run_as and shutil.which("runuser") is None:
        raise FileNotFoundError("runuser is missing: cannot start PostgreSQL as an unprivileged user")
    folder = Path(tempfile.mkdtemp(prefix="maintdesk-pg-"))
    folder.chmod(0o700)
    server = PostgresServer(bin_dir, folder, free_port(), run_as)
    for attempt in range(3):
        try:
            server.start()
            return server
        except RuntimeError:
            if attempt == 2:
                server.stop()
                raise
            server.port = free_port()  # another process took the port meanwhile
            shutil.rmtree(folder / "data", ignore_errors=True)
            time.sleep(0.2)
    raise AssertionError("unreachable")


def dump(db) -> list[str]:
    """Every table and row of a PostgreSQL database as text (the `state_of` of tests/core)."""
    lines = []
    for table in db.table_names():
        lines.append(f"TABLE {table}")
        lines += [repr(tuple(row)) for row in db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()]
    return lines


def run_desks(target, *args, names: tuple[str, ...] = ("desk-a", "desk-b"), timeout: float = 180) -> dict:
    """Runs `target(*args, name, results)` in one new process per name (real desks, each with its
    own connections) and returns {name: what it put in `results`}; every process must end well."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    desks = [context.Process(target=target, args=(*args, name, results)) for name in names]
    for desk in desks:
        desk.start()
    got = dict(results.get(timeout=timeout) for _ in desks)
    for desk in desks:
        desk.join(timeout=60)
        assert desk.exitcode == 0
    return got


def small_work_order(store, status: str = "scheduled") -> int:
    """A Paris building with one unit, one tenant and a work order on 2 June 2026: its id."""
    from datetime import datetime, timezone

    from maintdesk.records.models import Property, Tenant, Unit, WorkOrder

    prop = store.save_property(Property(name="A", address_line1="x", city="Paris", country="FR",
                                        timezone="Europe/Paris"))
    unit = store.save_unit(Unit(prop.id, "1A"))
    store.save_tenant(Tenant(unit_id=unit.id, name="Ada", email="ada@example.org"))
    start = datetime(2026, 6, 2, 6, 30, tzinfo=timezone.utc)
    return store.save_work_order(WorkOrder(property_id=prop.id, title={"en": "Boiler"}, window_start=start,
                                           window_end=start.replace(hour=15), status=status)).id


def keyring_only(monkeypatch, folder: Path):
    """Passwords come only from a keyring in memory (returned; put back at the end of the
    generator): no PGPASSWORD, no ~/.pgpass, the real keyring never touched. For fixtures."""
    import keyring

    from mail_testing import InMemoryKeyring

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(folder / "no-pgpass"))
    previous = keyring.get_keyring()
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
