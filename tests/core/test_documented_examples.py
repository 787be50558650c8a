"""Every command example in README.md and docs/cli.md runs exactly as written.

Each code block runs in a folder of its own, in order, with the commands the install puts on the
PATH (`maintdesk`), on a fresh demo database `demo.sqlite` (unless the block makes it itself with
`init --demo`) and a demo database in the per-user folder for commands without `--db`, beside the files the examples name (`list.csv`, `broken.json`). A line after a
`$ command` is its expected output; "(exit status N)" says how it ends, otherwise with 0. Usage
lines with placeholders (`[--db PATH]`, `HOST:PORT`, `…`) are synopses, not examples.

The blocks whose commands name a database with `--db` run twice: as written, on SQLite files, and
with each file they name (`demo.sqlite`, `copy.sqlite`) replaced by a fresh database of the test
run's PostgreSQL server, the same commands on an office's server.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ("README.md", "docs/cli.md")
BIN = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\[|…|\b[A-Z][A-Z_]+\b")
EXIT = re.compile(r"\s*\(exit status (\d+)\)\s*$")
DB_FILE = re.compile(r"--db (\S+\.sqlite)(?=\s|$)")
SERVER_FILES = ("demo.sqlite", "copy.sqlite")  # the files the examples name, each a server database on PostgreSQL

TENANTS_CSV = (
    "Unit,Name,Email,Language\n"
    "1A,Léa Lefèvre,lea.lefevre@example.org,fr\n"
    "2B,Jérôme Dvořák,,fr\n"
)


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)


def examples(block: str) -> list[tuple[str, list[str], int]]:
    """(command, expected output lines, expected exit status) for each runnable command of a block."""
    found: list[tuple[str, list[str], int]] = []
    lines = block.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        prompt = line.startswith("$ ")
        command = line[2:] if prompt else line
        i += 1
        if not command.startswith("maintdesk "):
            continue
        while command.rstrip().endswith("\\") and i < len(lines):
            command = command.rstrip()[:-1] + " " + lines[i].strip()
            i += 1
        expected, status = [], 0
        while prompt and i < len(lines) and not lines[i].startswith("$ "):
            output = lines[i]
            match = EXIT.search(output)
            if match:
                status, output = int(match.group(1)), output[:match.start()]
            if output.strip():
                expected.append(output.strip())
            i += 1
        unquoted = re.sub(r'"[^"]*"', "", command.split("#")[0])
        if not PLACEHOLDER.search(unquoted):
            found.append((command, expected, status))
    return found


def documented_blocks() -> list[tuple[str, list[tuple[str, list[str], int]]]]:
    blocks = []
    for name in DOCUMENTS:
        for number, block in enumerate(code_blocks((ROOT / name).read_text(encoding="utf-8")), start=1):
            runnable = examples(block)
            if runnable:
                blocks.append((f"{name} block {number}", runnable))
    return blocks


def run(command: str, folder: Path) -> subprocess.CompletedProcess:
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(folder / "home"), "LANG": "C.UTF-8",
           "XDG_DATA_HOME": str(folder / "home" / "data"), "XDG_CONFIG_HOME": str(folder / "home" / "config"),
           "XDG_CACHE_HOME": str(folder / "home" / "cache"), "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True, timeout=600)


def names_a_database(block: list[tuple[str, list[str], int]]) -> bool:
    return any(DB_FILE.search(command) for command, _, _ in block)


def on_server(block: list[tuple[str, list[str], int]], urls: dict[str, str]) -> list[tuple[str, list[str], int]]:
    """The block with each database file it names replaced by its server database's URL (also
    where the expected output names the file: there as the URL without its password)."""
    from maintdesk.records.location import hide_password

    def command_on_server(command: str) -> str:
        def url(match: re.Match) -> str:
            assert match.group(1) in urls, f"`{command}` names {match.group(1)}: give it a server database"
            return f"--db {shlex.quote(urls[match.group(1)])}"
        return DB_FILE.sub(url, command)

    def said_on_server(line: str) -> str:
        for name, url in urls.items():
            line = line.replace(name, hide_password(url))
        return line

    return [(command_on_server(command), [said_on_server(line) for line in expected], status)
            for command, expected, status in block]


def prepare(folder: Path, block: list[tuple[str, list[str], int]], demo_db: str = "demo.sqlite") -> None:
    (folder / "home").mkdir(parents=True, exist_ok=True)
    (folder / "list.csv").write_text(TENANTS_CSV, encoding="utf-8")
    demo = "" if any(" init --demo" in command for command, _, _ in block[:1]) else \
        f"maintdesk --db {shlex.quote(demo_db)} init --demo && "
    made = run(demo + "maintdesk init --demo", folder)
    assert made.returncode == 0, made.stderr
    scratch = folder / "scratch.sqlite"
    made = run(f"maintdesk --db {scratch} init --demo && maintdesk --db {scratch} data export broken.json", folder)
    assert made.returncode == 0, made.stderr
    document = json.loads((folder / "broken.json").read_text(encoding="utf-8"))
    units = document["properties"][0]["units"]
    units[2]["label"] = units[3]["label"] = "3B"
    (folder / "broken.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    scratch.unlink()


def test_the_documents_have_examples_to_run():
    names = {name.split(" block")[0] for name, _ in documented_blocks()}
    assert names == set(DOCUMENTS)
    commands = [command for _, block in documented_blocks() for command, _, _ in block]
    assert len(commands) >= 25, commands
    assert all(not command.startswith("maintdesk-cli") for command in commands)


@pytest.fixture
def server_databases(backend: str, request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Nothing on SQLite (the files as written); on PostgreSQL a fresh server database for each
    file the examples name: {file name: URL}."""
    if backend == "sqlite":
        yield {}
        return
    server = request.getfixturevalue("postgres_server")
    urls = {"demo.sqlite": request.getfixturevalue("postgres_url")}
    made = []
    for file_name in SERVER_FILES[1:]:
        name = f"{urls['demo.sqlite'].rsplit('/', 1)[1]}_{file_name.split('.')[0]}"
        server.admin(f"CREATE DATABASE {name} TEMPLATE maintdesk_template")
        made.append(name)
        urls[file_name] = server.url(name)
    yield urls
    for name in made:
        server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_block(name: str, block: list[tuple[str, list[str], int]], folder: Path) -> None:
    for command, expected, status in block:
        done = run(command, folder)
        said = done.stdout + done.stderr
        assert done.returncode == status, f"{name}: `{command}` exited {done.returncode}:\n{said[-3000:]}"
        assert "Traceback" not in said, f"{name}: `{command}`:\n{said[-3000:]}"
        for line in expected:
            assert " ".join(line.split()) in " ".join(said.split()), f"{name}: `{command}` did not say {line!r}:\n{said}"


WITH_DB = [(name, block) for name, block in documented_blocks() if names_a_database(block)]
WITHOUT_DB = [(name, block) for name, block in documented_blocks() if not names_a_database(block)]


def test_every_documented_block_is_run():
    assert sorted(WITH_DB + WITHOUT_DB) == sorted(documented_blocks()) and WITH_DB and WITHOUT_DB


@pytest.mark.parametrize(("name", "block"), WITH_DB, ids=[name for name, _ in WITH_DB])
def test_every_documented_example_runs_as_written(name, block, tmp_path, server_databases):
    if server_databases:
        block = on_server(block, server_databases)
    prepare(tmp_path, block, server_databases.get("demo.sqlite", "demo.sqlite"))
    run_block(name, block, tmp_path)


@pytest.mark.parametrize(("name", "block"), WITHOUT_DB, ids=[name for name, _ in WITHOUT_DB])
def test_every_documented_example_on_the_per_user_database_runs_as_written(name, block, tmp_path):
    prepare(tmp_path, block)
    run_block(name, block, tmp_path)
