"""A desk learns of the other desks' changes on the office's server (LISTEN/NOTIFY), not of its own."""

from __future__ import annotations

import select
import time

from maintdesk.records.backends.pg_listen import ChangeListener
from maintdesk.records.models import Property, Unit
from maintdesk.records.store import Store


def _wait(listener: ChangeListener, seconds: float = 5.0) -> set[str]:
    changed: set[str] = set()
    end = time.monotonic() + seconds
    while time.monotonic() < end and not listener.lost:
        readable, _, _ = select.select([listener.fileno()], [], [], 0.2)
        if readable:
            changed |= listener.read()
            if changed:
                time.sleep(0.1)
                return changed | listener.read()
    return changed


def test_a_desk_hears_of_other_desks_changes_and_not_of_its_own(postgres_url):
    here, there = Store.open(postgres_url), Store.open(postgres_url)
    listener = ChangeListener(here.db)
    try:
        here.save_property(Property(name="Mine", address_line1="x", city="Paris", country="FR", timezone="Europe/Paris"))
        assert _wait(listener, 1.0) == set(), "this desk's own change"
        prop = there.save_property(Property(name="Theirs", address_line1="y", city="Paris", country="FR", timezone="Europe/Paris"))
        assert _wait(listener) == {"properties"}
        with there.transaction():
            there.save_unit(Unit(prop.id, "1A"))
            there.save_unit(Unit(prop.id, "1B"))
        assert _wait(listener) == {"units"}
    finally:
        listener.close()
        here.close()
        there.close()


def test_a_lost_server_connection_is_noticed(postgres_url, postgres_server):
    store = Store.open(postgres_url)
    listener = ChangeListener(store.db)
    try:
        name = postgres_url.rsplit("/", 1)[1]
        postgres_server.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              f"WHERE datname = '{name}' AND query LIKE 'LISTEN%'")
        _wait(listener, 1.0)
        assert listener.lost
    finally:
        listener.close()
        store.close()
