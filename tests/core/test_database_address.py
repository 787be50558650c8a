"""`--db` takes a file or an office server's URL: a URL is never a path, an unknown scheme is one
sentence, and a server that is down, a wrong password, a missing database or a missing right are
each one sentence too, with nothing half-written (issue 17, "Bad input")."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import pg_testing
from maintdesk.cli.app import main
from maintdesk.errors import DatabaseError, InvalidInput
from maintdesk.records.db import open_database
from maintdesk.records.location import ServerLocation, database_location, hide_password
from maintdesk.records.store import Store


def run(*argv: str) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(list(argv), out=out)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("url", ["postgresql://clerk@db.office.example/maintdesk",
                                 "postgres://clerk:pw@127.0.0.1:5433/maintdesk", "POSTGRESQL://h/db"])
def test_a_postgresql_url_names_a_server(url):
    assert database_location(url) == ServerLocation(url)


@pytest.mark.parametrize("path", ["maintdesk.sqlite", "data/office.sqlite", "/tmp/x.sqlite", "C:/Users/a/x.sqlite",
                                  "weird:name.sqlite"])
def test_a_plain_path_stays_a_sqlite_file(path):
    assert database_location(path) == Path(path)


@pytest.mark.parametrize("url, scheme", [("mysql://root@localhost/maintdesk", "mysql"),
                                         ("sqlite:///tmp/x.sqlite", "sqlite"), ("https://example.org/db", "https")])
def test_any_other_scheme_is_a_clear_error(url, scheme):
    with pytest.raises(InvalidInput, match=f"is a {scheme}:// address, which MaintDesk cannot open"):
        database_location(url)


@pytest.mark.parametrize("url, words", [("postgresql:///maintdesk", "names no server"),
                                        ("postgresql://clerk@db.office.example", "names no database")])
def test_an_incomplete_url_says_what_is_missing(url, words):
    with pytest.raises(InvalidInput, match=words):
        database_location(url)


def test_the_password_is_never_shown():
    location = ServerLocation("postgresql://clerk:hunter2@db.example/maintdesk")
    assert "hunter2" not in location.shown and "hunter2" not in str(location)
    assert hide_password("postgresql://clerk@db.example/m") == "postgresql://clerk@db.example/m"


def test_the_command_line_never_makes_a_folder_of_a_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run("--db", "mysql://root@localhost/maintdesk", "init")
    assert status == 2
    assert err.count("\n") == 1 and "mysql:// address" in err and "Traceback" not in err
    assert not [p for p in os.listdir(tmp_path) if p.startswith("mysql")]


def test_a_server_that_is_down_is_one_sentence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = f"postgresql://clerk:pw@127.0.0.1:{pg_testing.free_port()}/maintdesk"
    with pytest.raises(DatabaseError, match="cannot reach the office database .* check that the server is running"):
        open_database(url)
    status, out, err = run("--db", url, "init")
    assert status == 1 and "Traceback" not in err and "pw@" not in err
    assert err.startswith("maintdesk: error: cannot reach the office database postgresql://clerk:***@127.0.0.1:")
    assert not any(p.startswith("postgres") for p in os.listdir(tmp_path))


# Against the test run's own server ---------------------------------------------------------------

def test_a_wrong_password_is_one_sentence(postgres_server, postgres_url):
    url = postgres_server.url(postgres_url.rsplit("/", 1)[1], password="wrong")
    with pytest.raises(DatabaseError, match="refused the sign-in: the user name or password is wrong"):
        open_database(url)
    status, out, err = run("--db", url, "work", "list")
    assert status == 1 and err.count("\n") == 1 and "wrong" in err and ":wrong@" not in err


def test_a_missing_database_is_one_sentence(postgres_server):
    with pytest.raises(DatabaseError, match="does not exist on the server"):
        open_database(postgres_server.url("no_such_database"))


def test_an_unknown_user_is_refused(postgres_server):
    with pytest.raises(DatabaseError, match="refused the sign-in|knows no such user"):
        open_database(postgres_server.url("postgres", user="nobody_here", password="x"))


@pytest.fixture
def bare_role(postgres_server):
    """A role that may sign in and connect, and nothing more."""
    postgres_server.admin("DROP ROLE IF EXISTS bare_clerk")
    postgres_server.admin("CREATE ROLE bare_clerk LOGIN PASSWORD 'clerk-pw'")
    yield "bare_clerk", "clerk-pw"


def test_a_role_that_may_not_create_the_schema_leaves_nothing_half_written(postgres_server, bare_role):
    postgres_server.admin("DROP DATABASE IF EXISTS office_empty")
    postgres_server.admin("CREATE DATABASE office_empty")
    url = postgres_server.url("office_empty", *bare_role)
    with pytest.raises(DatabaseError, match="may not do this|could not bring") as refused:
        open_database(url)
    assert "\n" not in refused.value.summary
    assert postgres_server.admin("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", "office_empty") == [(0,)]
    status, out, err = run("--db", url, "init")
    assert status == 1 and err.count("\n") == 1 and "Traceback" not in err


def test_a_role_without_the_right_to_read_gets_a_sentence(postgres_server, postgres_url, bare_role):
    database = postgres_url.rsplit("/", 1)[1]
    url = postgres_server.url(database, *bare_role)
    postgres_server.admin("GRANT USAGE ON SCHEMA public TO bare_clerk", database)
    postgres_server.admin("GRANT SELECT ON schema_version TO bare_clerk", database)
    status, out, err = run("--db", url, "work", "list")
    assert status == 1 and "Traceback" not in err
    assert "your database role may not do this" in err and "ask the person who manages the office database" in err


def test_postgres_url_opens_the_same_store(postgres_url):
    store = Store.open(postgres_url.replace("postgresql://", "postgres://"))
    try:
        assert store.counts() == {"properties": 0, "units": 0, "tenants": 0, "work_orders": 0, "notices": 0}
        assert store.path is None
    finally:
        store.close()


@pytest.mark.parametrize("query", [":99999/maintdesk", ":5432/maintdesk?sslmode=bogus"])
def test_a_url_the_driver_cannot_read_is_one_sentence(query):
    with pytest.raises(DatabaseError, match="is not a valid address .*write it as postgresql://"):
        open_database(f"postgresql://clerk@127.0.0.1{query}")
