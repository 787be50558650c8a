"""Helpers for the email tests: a real SMTP server on loopback, a keyring in memory, a building.

Not a test module (no `test_` prefix); test modules in this folder import it by name.
"""

from __future__ import annotations

import email
import email.policy
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from keyring.backend import KeyringBackend

from maintdesk.mail import outbox
from maintdesk.mail.settings import SmtpSettings
from maintdesk.paths import AppPaths
from maintdesk.records.models import (
    ActionItem, Organization, Property, SenderProfile, Slot, Tenant, Unit, WorkOrder,
)
from maintdesk.records.store import Store
from maintdesk.timeutil import from_local

PARIS = "Europe/Paris"


class InMemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in a dict: tests never touch the real one."""

    priority = 10

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every message and can refuse, delay or drop on request."""

    messages: list[Received] = field(default_factory=list)
    reject: dict[str, str] = field(default_factory=dict)   # address → 5xx reply at RCPT TO
    delay: dict[str, int] = field(default_factory=dict)    # address → how many 451 replies before accepting
    drop_at_rcpt: Callable[[str], bool] | None = None      # True: close the connection at this RCPT TO
    before_reply: Callable[[object, Received], None] | None = None  # runs after DATA, before the reply
    drop_after_data: Callable[[Received], bool] | None = None  # True: keep it, close without replying
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.reject:
            return self.reject[address]
        if self.delay.get(address, 0) > 0:
            self.delay[address] -= 1
            return "451 4.7.1 Greylisted, please try again later"
        if self.drop_at_rcpt is not None and self.drop_at_rcpt(address):
            server.transport.close()
            return "421 4.3.0 closing"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content)
        with self.lock:
            self.messages.append(received)
        if self.before_reply is not None:
            self.before_reply(server, received)
        if self.drop_after_data is not None and self.drop_after_data(received):
            server.transport.close()
            return "421 4.3.0 closing"
        return f"250 2.0.0 Ok: queued as Q{len(self.messages):05d}"

    def recipients(self) -> list[str]:
        return [address for m in self.messages for address in m.rcpt_tos]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(handler: Recorder, port: int | None = None, **options: object) -> Iterator[Controller]:
    """A real aiosmtpd server on 127.0.0.1 (only loopback), stopped at the end."""
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port(), **options)
    controller.start()
    try:
        yield controller
    finally:
        try:
            controller.stop()
        except AssertionError:  # "SMTP daemon not running": the test stopped it already
            pass


# A building and a work order ------------------------------------------------------------------

ORGANIZATION = Organization(name="Gestion Lumière", default_language="fr")
SENDER = SenderProfile(
    label="Paris office", name="Gestion Lumière", address="3 rue de la Paix\n75002 Paris\nFrance",
    email="office@example.org", signer_name="Camille Rousseau", signer_titles={"fr": "Gestionnaire"},
    email_from="notices@example.org", reply_to="office@example.org", default_language="fr",
)


def tenant_email(index: int) -> str:
    return f"tenant{index:03d}@example.org"


def slot_times(index: int) -> tuple[datetime, datetime]:
    """Half-hour visits 09:00–17:00 on the days around the switch to summer time (29 March 2026)."""
    days = [datetime(2026, 3, d) for d in (26, 27, 28, 30, 31)] + [datetime(2026, 4, d) for d in (1, 2, 3, 4, 6, 7, 8, 9)]
    day, slot = divmod(index, 16)
    start = days[day].replace(hour=9) + timedelta(minutes=30 * slot)
    return from_local(start, PARIS), from_local(start + timedelta(minutes=30), PARIS)


def make_work(store: Store, count: int, *, name: str = "Résidence Les Acacias",
              tenant: Callable[[int, Unit], Tenant] | None = None) -> tuple[WorkOrder, list[Tenant]]:
    """A Paris building of `count` flats, one tenant each (email, French or English), a work order
    with a visit slot per flat. Its jurisdiction is MaintDesk's good practice ("default"): the
    French statute would want the notice on paper as well, and these tests are about email."""
    store.save_organization(ORGANIZATION)
    sender = next((s for s in store.list_senders() if s.label == SENDER.label), None) or store.save_sender(SENDER)
    prop = store.save_property(Property(
        name=name, address_line1="12 avenue des Acacias", postal_code="75017", city="Paris", country="FR",
        jurisdiction="default", timezone=PARIS, manager_name="Camille Rousseau", manager_phone="+33143551234",
        manager_email="acacias@example.org", sender_id=sender.id,
    ))
    units = [store.save_unit(Unit(prop.id, f"{i // 10 + 1}{i % 10:02d}", i // 10 + 1)) for i in range(count)]
    made = tenant or (lambda i, unit: Tenant(unit_id=unit.id, name=f"Tenant {i:03d} Lefèvre", email=tenant_email(i),
                                             language="fr" if i % 2 else "en", channel="email"))
    tenants = [store.save_tenant(made(i, unit)) for i, unit in enumerate(units)]
    slots = [Slot(unit.id, *slot_times(i)) for i, unit in enumerate(units)]
    work = store.save_work_order(WorkOrder(
        property_id=prop.id, title={"en": "Radiator servicing", "fr": "Entretien des radiateurs"},
        window_start=from_local(datetime(2026, 3, 26, 8), PARIS), window_end=from_local(datetime(2026, 4, 10, 18), PARIS),
        category="heating", status="scheduled", contractor="Thermo Services",
        description={"en": "The heating engineer bleeds and checks every radiator.",
                     "fr": "Le chauffagiste purge et contrôle chaque radiateur."},
        reason={"en": "Yearly servicing.", "fr": "Entretien annuel."},
        impact={"en": "No heating during the visit.", "fr": "Pas de chauffage pendant la visite."},
        alternatives={"en": "None needed.", "fr": "Aucune n'est nécessaire."},
        access_conditions={"en": "Be home or leave a key.", "fr": "Soyez présent ou laissez une clé."},
        actions=[ActionItem({"en": "Clear the space in front of radiators.", "fr": "Dégagez les radiateurs."})],
        slots=slots,
    ))
    return work, tenants


# Sending ---------------------------------------------------------------------------------------

def settings_for(port: int, **changes: object) -> SmtpSettings:
    return replace(SmtpSettings(host="127.0.0.1", port=port, security="none", timeout=10, backoff=0.01), **changes)


def send(store: Store, paths: AppPaths, work_id: int, port: int, kind: str = "initial", **request: object):
    events = outbox.iter_email_batch(store, paths.database, paths, outbox.EmailRequest(work_id, kind, **request),
                                     settings_for(port))
    return outbox.run(events)


def send_until_the_server_stops(store: Store, paths: AppPaths, work_id: int, port: int, handler: Recorder,
                                stops_at: Callable[[str], bool]) -> outbox.BatchInterrupted:
    """Sends the batch to a server that drops the first recipient `stops_at` names, then stops:
    the BatchInterrupted the batch ends with."""
    import pytest

    stopper: list[threading.Thread] = []

    def drop_and_stop(address: str) -> bool:
        if stopper or not stops_at(address):
            return False
        stopper.append(threading.Thread(target=server.stop))
        stopper[0].start()
        return True

    handler.drop_at_rcpt = drop_and_stop
    with smtp_server(handler, port) as server:
        with pytest.raises(outbox.BatchInterrupted) as caught:
            send(store, paths, work_id, port)
        stopper[0].join(10)
    return caught.value


def parts(message) -> dict[str, object]:
    found: dict[str, object] = {}
    for part in message.walk():
        kind = part.get_content_type()
        if not part.is_multipart():
            found.setdefault(kind, part)
    return found


def squeezed(text: str) -> str:
    return "".join(text.split())


def killed_at(count: int, base: Path, work_id: int, server: Controller, handler: Recorder,
              db: Path | str | None = None) -> None:
    """Runs `maintdesk notices email` in a process of its own and kills it when the server has the
    `count`-th message, before the client hears back. `db`: the database (a file or a server's URL)
    if not the data folder's own file."""
    process: list[subprocess.Popen] = []

    def kill(server_protocol: object, received: object) -> None:
        if len(handler.messages) == count:  # the server has the message; the client never hears back
            process[0].send_signal(signal.SIGKILL)
            process[0].wait(10)

    handler.before_reply = kill
    database = ["--db", str(db)] if db is not None else []
    command = [sys.executable, "-m", "maintdesk", "--basedir", str(base), *database, "notices", "email", str(work_id),
               "--kind", "initial", "--smtp", f"127.0.0.1:{server.port}"]
    process.append(subprocess.Popen(command, cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE))
    process[0].communicate(timeout=180)
    handler.before_reply = None
    assert process[0].returncode == -signal.SIGKILL
