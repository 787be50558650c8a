"""Two desks on one office database (PostgreSQL) issuing and sending 1,000 email notices at once,
beside the same 1,000 from one process on SQLite.

Two buildings of 500 tenants, a work order each. On PostgreSQL two processes start together: each
issues its building's notices (letters, PDFs, messages, outbox) and then drains the shared outbox
(`outbox drain`: `FOR UPDATE SKIP LOCKED`); the desks share the archive folder (as over a network
share), so both send from the whole outbox at once. On SQLite one process issues both work orders and drains. aiosmtpd on 127.0.0.1
counts what it receives: each tenant must get exactly one message. The server is the tests' own
(tests/core/pg_testing: initdb + pg_ctl in a temporary folder, fsync off), so the figures compare
the two databases, not a tuned server.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from aiosmtpd.controller import Controller

from bench.timing import Figure

PER_BUILDING = 500
BUILDINGS = 2
ZONE = "Europe/Paris"


class _Recipients:
    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.received.update(envelope.rcpt_tos)
        return "250 2.0.0 Ok"


def _fill(where: str) -> list[int]:
    from maintdesk.records.models import Organization, Property, SenderProfile, Tenant, Unit, WorkOrder
    from maintdesk.records.store import Store
    from maintdesk.timeutil import from_local

    store = Store.open(where)
    try:
        store.save_organization(Organization(name="Gestion Lumière", default_language="fr"))
        sender = store.save_sender(SenderProfile(label="Lyon office", name="Gestion Lumière", email="office@example.org",
                                                 email_from="notices@example.org", signer_name="Camille Rousseau"))
        works = []
        for b in range(BUILDINGS):
            prop = store.save_property(Property(name=f"Résidence {b + 1}", address_line1="1 allée du Parc",
                                                postal_code="69003", city="Lyon", country="FR", jurisdiction="FR",
                                                timezone=ZONE, sender_id=sender.id))
            with store.transaction():
                units = [store.save_unit(Unit(prop.id, f"{i // 20 + 1}{i % 20:02d}", i // 20 + 1))
                         for i in range(PER_BUILDING)]
                store.add_tenants(Tenant(unit_id=u.id, name=f"Tenant {b}-{i:04d}", email=f"t{b}-{i:04d}@example.org",
                                         language="fr" if i % 3 else "en", channel="email") for i, u in enumerate(units))
            start = from_local(datetime(2026, 6, 2, 8), ZONE)
            works.append(store.save_work_order(WorkOrder(
                property_id=prop.id, title={"en": "Water shut-off", "fr": "Coupure d'eau"}, window_start=start,
                window_end=start + timedelta(hours=8), category="water", status="scheduled", scope="building",
                impact={"en": "No water.", "fr": "Pas d'eau."}, reason={"en": "Valve.", "fr": "Vanne."})).id)
        return works
    finally:
        store.close()


def _desk(where: str, base: str, port: int, work_ids: list[int], start, name: str, results) -> None:
    """One desk: issues its work orders' emails, then drains the outbox; puts its timings and ids."""
    from maintdesk.letters import issuing
    from maintdesk.mail import batch, drain, outbox
    from maintdesk.mail.settings import SmtpSettings
    from maintdesk.paths import AppPaths
    from maintdesk.records.store import Store

    paths = AppPaths.under(Path(base)).ensure()
    store = Store.open(where)
    try:
        start.wait()
        began = time.perf_counter()
        for work_id in work_ids:
            batch.prepare(store, paths.database, paths, issuing.BatchRequest(work_id, "initial", paths.data_dir),
                          channel="email")
        issued = time.perf_counter()
        report = outbox.run(drain.iter_drain(store, paths.database, SmtpSettings("127.0.0.1", port, "none", timeout=30)))
        results.put((name, (issued - began, time.perf_counter() - began, report.sent)))
    finally:
        store.close()


def _run_desks(where: str, folder: Path, port: int, plan: dict[str, list[int]]) -> dict:
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    # The desks share one data folder (as over a network share): each can send the other's emails.
    desks = [context.Process(target=_desk, args=(where, str(folder), port, ids, start, name, results))
             for name, ids in plan.items()]
    for desk in desks:
        desk.start()
    time.sleep(3)  # both loaded and connected
    started = time.perf_counter()
    start.set()
    got = dict(results.get(timeout=1800) for _ in desks)
    wall = time.perf_counter() - started
    for desk in desks:
        desk.join(timeout=60)
    return {"wall": wall, **got}


def run(folder: Path) -> list[Figure]:
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "core"))
    import pg_testing

    total = PER_BUILDING * BUILDINGS
    handler = _Recipients()
    port = pg_testing.free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    server = pg_testing.start_server()
    figures = []
    try:
        for label, where in (("PostgreSQL, two desks at once", None), ("SQLite, one process", "sqlite")):
            handler.received.clear()
            if where is None:
                server.admin("CREATE DATABASE bench_office")
                target = server.url("bench_office")
                works = _fill(target)
                plan = {"desk-a": works[:1], "desk-b": works[1:]}
            else:
                target = str(folder / "office.sqlite")
                works = _fill(target)
                plan = {"desk": works}
            outcome = _run_desks(target, folder / label.split(",")[0].lower(), port, plan)
            sent = [i for name in plan for i in outcome[name][2]]
            duplicates = sum(n - 1 for n in handler.received.values() if n > 1)
            assert len(handler.received) == total and duplicates == 0 and len(sent) == len(set(sent)) == total, \
                (len(handler.received), duplicates, len(sent))
            issuing = max(outcome[name][0] for name in plan)
            shares = ", ".join(f"{name} sent {len(outcome[name][2])}" for name in plan)
            figures += [
                Figure(f"{label}: issue and send {total:,} emails (wall clock)", outcome["wall"], outcome["wall"], "s",
                       f"once; {total:,} received, each once (0 duplicates); {shares}"),
                Figure(f"{label}: issuing done (letters, PDFs, messages, outbox)", issuing, issuing, "s", "once"),
                Figure(f"{label}: per notice, end to end", outcome["wall"] / total * 1000,
                       outcome["wall"] / total * 1000, "ms", ""),
            ]
    finally:
        controller.stop()
        server.stop()
    return figures


if __name__ == "__main__":
    import tempfile

    from bench.__main__ import table

    with tempfile.TemporaryDirectory() as tmp:
        print(table(run(Path(tmp))))
