"""Fixtures for the Qt-free core tests: a real SQLite file per test, small buildings, the demo.

Every test that touches a database (through `db_path`, `store`, `demo` or what is built on them)
runs twice: on a SQLite file and on a fresh database of a real PostgreSQL server that the test run
starts (pg_testing) and stops at its end. A test marked `sqlite_only` (file permissions, WAL,
reading the file with sqlite3, SQLite's own upgrade path) runs on SQLite alone.
MAINTDESK_TEST_BACKENDS=sqlite runs SQLite alone, for a quick look while editing.

Never import PySide6 (or anything under ui/) here or in any tests/core module.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

import pg_testing
from maintdesk.records.demo import create_demo
from maintdesk.records.models import Property, Unit
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store

DEMO_TODAY = date(2026, 5, 11)


@dataclass
class Building:
    prop: Property
    units: dict[str, Unit]  # by label

    @property
    def id(self) -> int:
        assert self.prop.id is not None
        return self.prop.id

    def unit_id(self, label: str) -> int:
        unit_id = self.units[label].id
        assert unit_id is not None
        return unit_id


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    """A data folder of the test's own: the database, the archive of issued notices, settings."""
    return AppPaths.under(tmp_path / "base").ensure()


@pytest.fixture
def demo(db_path: Path | str) -> Iterator[Store]:
    """The demo in the test's database, made for Mon 2 March 2026 (its work starts the week after)."""
    store = Store.open(db_path)
    create_demo(store, today=date(2026, 3, 2))
    yield store
    store.close()


@pytest.fixture
def demo_today() -> date:
    return DEMO_TODAY


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    if os.environ.get("MAINTDESK_TEST_BACKENDS", "both") == "both" and metafunc.definition.get_closest_marker("sqlite_only") is None:
        metafunc.parametrize("backend", ["sqlite", "postgresql"])


@pytest.fixture
def backend() -> str:
    """The database a test runs on: "sqlite", or "postgresql" in modules that run on both."""
    return "sqlite"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[pg_testing.PostgresServer]:
    """A PostgreSQL server of the test run's own on 127.0.0.1, with a template database holding
    the current schema; stopped (and its files removed) when the run ends."""
    try:
        server = pg_testing.start_server()
    except FileNotFoundError as exc:
        pytest.skip(f"no PostgreSQL server to test with: {exc}")
    try:
        server.admin("CREATE DATABASE maintdesk_template")
        Store.open(server.url("maintdesk_template")).close()
        yield server
    finally:
        server.stop()


_DATABASE_NUMBERS = itertools.count(1)


@pytest.fixture
def postgres_url(postgres_server: pg_testing.PostgresServer) -> Iterator[str]:
    """A new database with the current schema, of this test only: its URL."""
    name = f"maintdesk_test_{next(_DATABASE_NUMBERS)}"
    postgres_server.admin(f"CREATE DATABASE {name} TEMPLATE maintdesk_template")
    yield postgres_server.url(name)
    postgres_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_path(paths: AppPaths, backend: str, request: pytest.FixtureRequest) -> Path | str:
    """Where the test's database is: the SQLite file of `paths`, or (backend "postgresql") a
    server URL, which commands are given with --db."""
    if backend == "postgresql":
        return request.getfixturevalue("postgres_url")
    return paths.database


@pytest.fixture
def open_store() -> Iterator[Callable[[Path], Store]]:
    """Opens stores on any path; every store it opened is closed at the end of the test."""
    opened: list[Store] = []

    def _open(path: Path, **options: object) -> Store:
        store = Store.open(path, **options)
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[Path], Store], db_path: Path) -> Store:
    return open_store(db_path)


@pytest.fixture
def demo_store(store: Store) -> Store:
    create_demo(store, today=DEMO_TODAY)
    return store


def add_building(store: Store, prop: Property, labels: list[tuple[str, int | None]]) -> Building:
    saved = store.save_property(prop)
    assert saved.id is not None
    units = {label: store.save_unit(Unit(saved.id, label, floor)) for label, floor in labels}
    return Building(saved, units)


@pytest.fixture
def paris(store: Store) -> Building:
    """A small Paris building: units 1A, 1B, 2A, 2B, 3A, 3B."""
    return add_building(
        store,
        Property(
            name="Résidence Les Tilleuls", address_line1="14 rue des Tilleuls", postal_code="75011",
            city="Paris", country="FR", jurisdiction="FR", timezone="Europe/Paris",
            manager_name="Camille Rousseau", manager_phone="+33143551234", manager_email="tilleuls@example.org",
        ),
        [(f"{floor}{letter}", floor) for floor in (1, 2, 3) for letter in "AB"],
    )


@pytest.fixture
def toronto(store: Store) -> Building:
    """A small Toronto building: units 101, 102, 201, 202."""
    return add_building(
        store,
        Property(
            name="Maple Court Apartments", address_line1="220 Wellesley Street East", postal_code="M4X 1G5",
            city="Toronto", region="ON", country="CA", jurisdiction="CA-ON", timezone="America/Toronto",
        ),
        [(f"{floor}0{door}", floor) for floor in (1, 2) for door in (1, 2)],
    )


def _state_of(store: Store) -> list[str]:
    if hasattr(store.db.conn, "iterdump"):
        return list(store.db.conn.iterdump())
    return pg_testing.dump(store.db)


@pytest.fixture
def state_of() -> Callable[[Store], list[str]]:
    """Every table and row of a store as SQL text: equal before and after proves nothing changed."""
    return _state_of
