"""A real IMAP server for the mailbox tests: Debian's Dovecot (dovecot-imapd) started on loopback
in a temporary folder with a configuration of its own, one mailbox, plain login (loopback only).

Not a test module (no `test_` prefix). tools/system-packages.sh installs dovecot-imapd; where it is
missing the tests that need it are skipped with that reason. Dovecot runs in the foreground as a
child of the test and is stopped by its process id.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "office@example.org"
PASSWORD = "mailbox-secret"

_CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%n
}}
mail_location = maildir:~/Maildir
service imap-login {{
  {chroot}
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@dataclass
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    root: Path

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            client.login(self.user, self.password)
            kind, data = client.append(folder, None, None, raw)
            assert kind == "OK", data
        finally:
            client.logout()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def dovecot() -> Iterator[ImapServer]:
    if not os.path.exists(DOVECOT):
        pytest.skip("Dovecot is not installed (dovecot-imapd; tools/system-packages.sh installs it)")
    root = Path(tempfile.mkdtemp(prefix="maintdesk-imap-"))
    os.chmod(root, 0o755)  # the mail processes run as another user when the tests run as root
    for folder in ("run", "state", "home"):
        (root / folder).mkdir()
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
    if os.getuid() == 0:  # Dovecot refuses uid 0 for mail; its own users run the login and internal processes
        nobody = pwd.getpwnam("nobody")
        uid, gid, users, chroot = nobody.pw_uid, nobody.pw_gid, "", ""
        os.chown(root / "home", uid, gid)
    else:  # an ordinary user runs everything as itself, without chroot
        me = pwd.getpwuid(os.getuid()).pw_name
        uid, gid = os.getuid(), os.getgid()
        users = f"default_login_user = {me}\ndefault_internal_user = {me}"
        chroot = "chroot ="
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(_CONFIG.format(root=root, uid=uid, gid=gid, users=users, chroot=chroot, port=port),
                      encoding="utf-8")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (root / "dovecot.log").read_text(errors="replace") if (root / "dovecot.log").exists() else ""
                    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                    raise RuntimeError(f"Dovecot did not start:\n{output}\n{log}")
                time.sleep(0.05)
        yield ImapServer("127.0.0.1", port, USER, PASSWORD, root)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stdout:
            process.stdout.close()
        shutil.rmtree(root, ignore_errors=True)
