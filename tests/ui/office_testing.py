"""A real PostgreSQL server for the window's office tests (issue 17): tests/core/pg_testing's, one per
test module, stopped (and its files removed) at the module's end; skipped, saying why, where the
server's programs are missing. The fixture `pg_server` is every GUI test's (tests/ui/conftest.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "core"))
import pg_testing  # noqa: E402


@pytest.fixture(scope="module")
def pg_server():
    try:
        found = pg_testing.start_server()
    except FileNotFoundError as exc:
        pytest.skip(f"no PostgreSQL server to test with: {exc}")
    yield found
    found.stop()
