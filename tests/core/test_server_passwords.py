"""Passwords of an office database in the system keyring, never in files; TLS settings of the
address pass through to the server (issue 17). A keyring in memory: the real one is never touched."""

from __future__ import annotations

import io

import keyring
import pytest
from keyring.backends import fail

from maintdesk.cli.app import main
from maintdesk.errors import DatabaseError
from maintdesk.records.location import KEYRING_SERVICE, ServerLocation
from maintdesk.records.store import Store

import pg_testing
from pg_testing import PASSWORD, SUPERUSER


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch, tmp_path):
    yield from pg_testing.keyring_only(monkeypatch, tmp_path)


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def _bare(url: str) -> str:
    return url.replace(f":{PASSWORD}@", "@")


def test_the_keyring_name_has_libpq_s_defaults():
    assert ServerLocation("postgresql://alice@db.example/office").keyring_user == "alice@db.example:5432/office"
    assert ServerLocation("postgresql://alice:x@db.example:6543/office?sslmode=require").keyring_user == \
        "alice@db.example:6543/office"


def test_an_address_without_password_uses_the_one_kept_in_the_keyring(postgres_url, memory_keyring, tmp_path,
                                                                       monkeypatch, capsys):
    bare = _bare(postgres_url)
    with pytest.raises(DatabaseError) as refused:
        Store.open(bare)
    assert "asks for a password: keep it in the system keyring (maintdesk admin keep-password" in refused.value.summary

    monkeypatch.setenv("MAINTDESK_DB_PASSWORD", PASSWORD)
    status, text = cli("--basedir", str(tmp_path), "admin", "keep-password", bare)
    assert status == 0, capsys.readouterr().err
    user = ServerLocation(bare).keyring_user
    assert user.startswith(f"{SUPERUSER}@127.0.0.1:") and f"{user} is kept in the system keyring" in text
    assert memory_keyring.passwords == {(KEYRING_SERVICE, user): PASSWORD}
    for path in tmp_path.rglob("*"):
        assert not path.is_file() or PASSWORD.encode() not in path.read_bytes(), f"the password is in {path}"

    store = Store.open(bare)
    store.close()
    assert cli("--basedir", str(tmp_path), "--db", bare, "work", "list")[0] == 0

    memory_keyring.passwords[(KEYRING_SERVICE, user)] = "wrong"
    with pytest.raises(DatabaseError, match="refused the sign-in: the user name or password is wrong"):
        Store.open(bare)


def test_init_server_signs_in_with_the_kept_password(postgres_server, memory_keyring, tmp_path):
    bare = _bare(postgres_server.url("office_from_keyring"))
    memory_keyring.passwords[(KEYRING_SERVICE, ServerLocation(bare).keyring_user)] = PASSWORD
    try:
        assert cli("--basedir", str(tmp_path), "admin", "init-server", bare)[0] == 0
        Store.open(bare).close()
    finally:
        postgres_server.admin("DROP DATABASE IF EXISTS office_from_keyring WITH (FORCE)")


def test_without_a_usable_keyring_nothing_is_kept(postgres_url, tmp_path, monkeypatch, capsys):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("MAINTDESK_DB_PASSWORD", PASSWORD)
    status, _ = cli("--basedir", str(tmp_path), "admin", "keep-password", _bare(postgres_url))
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("maintdesk: error: this computer has no usable system keyring: nothing "
                                          "was kept") and len(err.splitlines()) == 1


def test_sslmode_passes_through_to_the_server(postgres_url):
    Store.open(postgres_url + "?sslmode=disable").close()
    Store.open(postgres_url + "?sslmode=prefer").close()  # the test server has no TLS: prefer goes without
    with pytest.raises(DatabaseError) as refused:
        Store.open(postgres_url + "?sslmode=require")
    assert "does not offer TLS, but the address asks for it (sslmode)" in refused.value.summary
    assert PASSWORD not in refused.value.summary
    with pytest.raises(DatabaseError, match="is not a valid address"):
        Store.open(postgres_url + "?sslmode=sometimes")
