"""The SMTP server settings (a JSON file in the settings folder) and where the password comes from.

The password is never written to the settings file or the database. It comes from, in order:
the OS keyring (Windows Credential Locker, macOS Keychain, Secret Service) when one is available,
the environment variable MAINTDESK_SMTP_PASSWORD, or a prompt (the command line asks on a
terminal; the GUI its own dialog). `keyrings.alt` must stay out of the dependencies: it silently
becomes the default backend and stores the password base64-encoded in a file (shared/LIBRARIES.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from maintdesk import secrets
from maintdesk.errors import InvalidInput
from maintdesk.paths import AppPaths
from maintdesk.settings_files import LOOPBACK, load_settings, raise_problems, save_settings, server_problems

SECURITY_MODES = ("starttls", "ssl", "none")
KEYRING_SERVICE = "MaintDesk SMTP"
PASSWORD_VARIABLE = "MAINTDESK_SMTP_PASSWORD"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    security: str = "starttls"   # starttls (usually port 587), ssl (465), none (a local relay only)
    username: str = ""
    timeout: float = 30.0        # seconds to wait for the server at each step
    pace: float = 0.0            # seconds at least between two messages (servers may limit the rate)
    attempts: int = 4            # tries per message on a temporary failure (4xx, connection lost)
    backoff: float = 2.0         # seconds before the second try; doubled for each further one
    ca_file: str = ""            # a CA bundle to trust besides the system's (a company's own CA)

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def keyring_user(self) -> str:
        return f"{self.username}@{self.host}:{self.port}"


def settings_file(paths: AppPaths) -> Path:
    return paths.config_dir / "smtp.json"


def check(settings: SmtpSettings) -> SmtpSettings:
    host = settings.host.strip()
    problems = server_problems("smtp", settings.host, settings.port, settings.security, SECURITY_MODES)
    if settings.username and settings.security == "none" and host not in LOOPBACK:
        problems.append(f"smtp security: a password would cross the network unencrypted to {host}; "
                        "use STARTTLS (--starttls) or TLS (--ssl)")
    if settings.attempts < 1 or settings.backoff < 0 or settings.pace < 0 or settings.timeout <= 0:
        problems.append("smtp attempts must be at least 1; timeout above 0; pace and backoff not negative")
    raise_problems(problems)
    return replace(settings, host=host, port=int(settings.port))


def parse_server(text: str, security: str = "starttls", username: str = "") -> SmtpSettings:
    """'smtp.example.org:587' → settings; without a port, 587 (STARTTLS), 465 (SSL) or 25."""
    host, colon, port = text.strip().rpartition(":")
    if not colon or "]" in port:
        host, port = text.strip(), ""
    host = host.strip("[]")
    default = {"starttls": 587, "ssl": 465}.get(security, 25)
    try:
        number = int(port) if port else default
    except ValueError:
        raise InvalidInput(f'smtp: "{text}" is not HOST:PORT (e.g. smtp.example.org:587)') from None
    return check(SmtpSettings(host=host, port=number, security=security, username=username))


def load(paths: AppPaths) -> SmtpSettings | None:
    return load_settings(settings_file(paths), SmtpSettings, check, "SMTP")


def save(paths: AppPaths, settings: SmtpSettings) -> Path:
    return save_settings(settings_file(paths), check(settings))


# Passwords ----------------------------------------------------------------------------------

def keyring_available() -> bool:
    return secrets.keyring_available()


def password_for(settings: SmtpSettings, prompt: Callable[[str], str | None] | None = None) -> str | None:
    """The password for the settings' user: keyring, else environment, else `prompt`; None if no user."""
    if not settings.username:
        return None
    stored = secrets.read_secret(KEYRING_SERVICE, settings.keyring_user)
    if stored:
        return stored
    from_env = os.environ.get(PASSWORD_VARIABLE)
    if from_env:
        return from_env
    if prompt is not None:
        typed = prompt(f"password for {settings.username} at {settings.where}: ")
        if typed:
            return typed
    raise InvalidInput(f"no password for {settings.username} at {settings.where}: store it in the system keyring, "
                       f"set {PASSWORD_VARIABLE}, or run on a terminal to be asked")


def remember_password(settings: SmtpSettings, password: str) -> bool:
    """Keeps the password in the OS keyring; False (nothing stored anywhere) when there is none."""
    return bool(settings.username) and secrets.store_secret(KEYRING_SERVICE, settings.keyring_user, password)


def forget_password(settings: SmtpSettings) -> None:
    if settings.username:
        secrets.forget_secret(KEYRING_SERVICE, settings.keyring_user)
