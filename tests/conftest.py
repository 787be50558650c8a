"""Shared by every test (core and ui): no test may touch a real MaintDesk profile.

Imports nothing from Qt, so tests/core stays Qt-free.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

# Qt tests run headless; harmless for the core tests, which never load Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_PROFILE_VARIABLES = {
    "XDG_DATA_HOME": ".local/share",
    "XDG_CONFIG_HOME": ".config",
    "XDG_STATE_HOME": ".local/state",
    "XDG_CACHE_HOME": ".cache",
    "APPDATA": "AppData/Roaming",
    "LOCALAPPDATA": "AppData/Local",
}


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty home folder per test: platformdirs (AppPaths.default()) resolves inside it."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    for variable, relative in _PROFILE_VARIABLES.items():
        monkeypatch.setenv(variable, str(home / relative))
    return home


class LoopbackSmtp:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives.

    `refuse = True` makes it refuse every recipient with a permanent 550 reply.
    """

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []  # (sender, recipients, content)
        self.refuse = False

    @property
    def received(self) -> list[str]:
        return [address for _, recipients, _ in self.messages for address in recipients]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 Ok: queued"


def free_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def loopback_smtp():
    """Yields (server, port); the server is stopped after the test."""
    from aiosmtpd.controller import Controller

    server = LoopbackSmtp()
    controller = Controller(server, hostname="127.0.0.1", port=free_loopback_port())
    controller.start()
    try:
        yield server, controller.port
    finally:
        controller.stop()


@pytest.fixture
def unused_loopback_port() -> int:
    """A loopback port nobody listens on (for 'cannot reach' cases)."""
    return free_loopback_port()
