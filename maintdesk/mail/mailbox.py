"""The office mailbox over IMAP: its settings (mailbox.json; the password in the keyring) and reading
the messages not read before.

Messages are only read (BODY.PEEK, nothing flagged, moved or deleted): the mailbox stays as the office
keeps it, and MaintDesk remembers which UIDs it has read (with the folder's UIDVALIDITY, which
changes when the server renumbers the folder). A refused login, an unreachable server or a folder
that does not exist is one `MailboxUnavailable` sentence.
"""

from __future__ import annotations

import imaplib
import ssl
from dataclasses import dataclass, replace
from pathlib import Path

from maintdesk import secrets
from maintdesk.errors import InvalidInput, UserFacingError
from maintdesk.paths import AppPaths
from maintdesk.settings_files import (
    LOOPBACK,
    load_settings,
    raise_problems,
    save_settings,
    server_problems,
)

SECURITY_MODES = ("ssl", "starttls", "none")
KEYRING_SERVICE = "MaintDesk IMAP"
PASSWORD_VARIABLE = "MAINTDESK_IMAP_PASSWORD"
BATCH = 50  # messages fetched per request


class MailboxUnavailable(UserFacingError):
    """The mailbox cannot be read now; nothing was changed."""


@dataclass(frozen=True)
class ImapSettings:
    host: str
    username: str
    port: int = 993
    security: str = "ssl"     # ssl (993), starttls (143), none (a local server only)
    folder: str = "INBOX"
    timeout: float = 30.0
    ca_file: str = ""

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def keyring_user(self) -> str:
        return f"{self.username}@{self.host}:{self.port}"


def settings_file(paths: AppPaths) -> Path:
    return paths.config_dir / "mailbox.json"


def check(settings: ImapSettings) -> ImapSettings:
    host = settings.host.strip()
    problems = server_problems("IMAP", settings.host, settings.port, settings.security, SECURITY_MODES)
    if settings.security == "none" and host not in LOOPBACK:
        problems.append(f"IMAP security: the password would cross the network unencrypted to {host}; use SSL or STARTTLS")
    if not settings.username.strip():
        problems.append("IMAP user name: empty; the mailbox's login is needed")
    if not settings.folder.strip():
        problems.append("IMAP folder: empty; INBOX is the usual one")
    raise_problems(problems)
    return replace(settings, host=host, port=int(settings.port), username=settings.username.strip(),
                   folder=settings.folder.strip())


def load(paths: AppPaths) -> ImapSettings | None:
    return load_settings(settings_file(paths), ImapSettings, check, "mailbox")


def save(paths: AppPaths, settings: ImapSettings) -> Path:
    return save_settings(settings_file(paths), check(settings))


def password_for(settings: ImapSettings) -> str:
    password = secrets.secret_or_env(KEYRING_SERVICE, settings.keyring_user, PASSWORD_VARIABLE)
    if not password:
        raise InvalidInput(f"no password for the mailbox {settings.username} at {settings.where}: enter it in "
                           f"Settings (kept in the system keyring) or set {PASSWORD_VARIABLE}")
    return password


def remember_password(settings: ImapSettings, password: str) -> bool:
    return secrets.store_secret(KEYRING_SERVICE, settings.keyring_user, password)


@dataclass
class Fetched:
    uidvalidity: int
    messages: list[tuple[int, bytes]]  # (uid, the message as received), oldest first


def _connect(settings: ImapSettings) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=settings.ca_file or None)
    try:
        if settings.security == "ssl":
            return imaplib.IMAP4_SSL(settings.host, settings.port, ssl_context=context, timeout=settings.timeout)
        client = imaplib.IMAP4(settings.host, settings.port, timeout=settings.timeout)
        if settings.security == "starttls":
            client.starttls(ssl_context=context)
        return client
    except ssl.SSLError as exc:
        raise MailboxUnavailable(f"the mail server {settings.where} cannot be trusted: {exc.reason or exc}") from None
    except (TimeoutError, OSError, imaplib.IMAP4.error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
        raise MailboxUnavailable(f"cannot reach the mail server {settings.where}: {reason}") from None


def fetch_new(settings: ImapSettings, password: str, known: dict[int, set[int]]) -> Fetched:
    """The messages of the folder whose UIDs are not in `known[uidvalidity]`, read without marking them."""
    client = _connect(settings)
    try:
        try:
            client.login(settings.username, password)
        except imaplib.IMAP4.error as exc:
            words = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            raise MailboxUnavailable(f"the mail server {settings.where} refused the login of {settings.username} "
                                     f"({words}); check the user name and password in Settings") from None
        kind, _ = client.select(_quoted(settings.folder), readonly=True)
        if kind != "OK":
            raise MailboxUnavailable(f'the mailbox {settings.username} has no folder "{settings.folder}"')
        validity = client.response("UIDVALIDITY")[1]
        uidvalidity = int(validity[0]) if validity and validity[0] else 0
        kind, found = client.uid("SEARCH", None, "ALL")
        uids = [int(u) for u in (found[0] or b"").split()] if kind == "OK" else []
        seen = known.get(uidvalidity, set())
        wanted = [u for u in uids if u not in seen]
        messages: list[tuple[int, bytes]] = []
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start:start + BATCH]
            kind, parts = client.uid("FETCH", ",".join(map(str, chunk)), "(UID BODY.PEEK[])")
            if kind != "OK":
                raise MailboxUnavailable(f"the mail server {settings.where} would not hand over messages: {parts}")
            for part in parts:
                if isinstance(part, tuple) and b"UID " in part[0]:
                    uid = int(part[0].split(b"UID ", 1)[1].split()[0].rstrip(b")"))
                    messages.append((uid, part[1]))
        return Fetched(uidvalidity, sorted(messages))
    except (OSError, imaplib.IMAP4.abort) as exc:
        raise MailboxUnavailable(f"the connection to the mail server {settings.where} was lost: {exc}") from None
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
