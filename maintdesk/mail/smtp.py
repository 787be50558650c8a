"""Talking to the office's SMTP server: one connection reused for a batch, one message at a time.

`SmtpSession.send` walks MAIL FROM, RCPT TO and DATA itself (rather than `smtplib.sendmail`) so it
knows whether the message left: a failure or a lost connection before the message text was handed
over means "not sent, try again"; a lost connection after it, before the server's reply, means
"unknown" — the server may have accepted it, so it must not be sent again without a person's say.

Connection problems become one `SmtpUnavailable` sentence ("cannot reach smtp.example.org:587:
connection refused"); connecting is retried with backoff when the problem may pass.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

from maintdesk.errors import UserFacingError
from maintdesk.mail.settings import SmtpSettings

CRLF = b"\r\n"


class SmtpUnavailable(UserFacingError):
    """The server cannot be used now. `transient`: the same attempt may work a little later."""

    def __init__(self, summary: str, transient: bool = False, detail: str | None = None):
        super().__init__(summary, detail)
        self.transient = transient


@dataclass(frozen=True)
class Delivery:
    """What became of one message: sent, retry (a temporary refusal), failed, or unknown."""

    status: str
    reply: str


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(message.split())}".strip()


def _classify(code: int, text: bytes | str, step: str) -> Delivery:
    reply = _reply(code, text)
    if 400 <= code < 500:
        return Delivery("retry", f"{step}: {reply}")
    return Delivery("failed", f"{step}: {reply}")


def _dot_stuffed(data: bytes) -> bytes:
    if data.count(b"\n") != data.count(CRLF):   # a bare LF (a prepared message has CRLF only)
        data = re.sub(rb"\r?\n", CRLF, data)
    body = data.replace(b"\r\n.", b"\r\n..")
    if body.startswith(b"."):
        body = b"." + body
    if not body.endswith(CRLF):
        body += CRLF
    return body + b"." + CRLF


class SmtpSession:
    def __init__(self, settings: SmtpSettings, password: str | None = None, *,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.password = password
        self.sleep = sleep
        self.clock = clock
        self.connections = 0       # how many times a connection was opened (the benchmark reads it)
        self.logged_in = False
        self._smtp: smtplib.SMTP | None = None
        self._last_start: float | None = None

    # Connection -----------------------------------------------------------------------------

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        """Connects (if not connected). Connecting again after a lost connection retries transient
        problems with backoff; a first connection that fails says so at once (a wrong port, a typo)."""
        if self._smtp is not None:
            return
        attempt = 1
        while True:
            try:
                self._smtp = self._connect()
                self.connections += 1
                return
            except SmtpUnavailable as exc:
                if not exc.transient or not self.connections or attempt >= self.settings.attempts:
                    raise
                self.sleep(self.settings.backoff * 2 ** (attempt - 1))
                attempt += 1

    def refresh(self) -> None:
        """Makes sure the connection is alive (NOOP), connecting again if it is not."""
        if self._smtp is not None:
            try:
                alive = self._smtp.noop()[0] == 250
            except (smtplib.SMTPException, OSError):
                alive = False
            if not alive:
                self._drop()
        self.open()

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.settings.ca_file:
            context.load_verify_locations(cafile=self.settings.ca_file)
        return context

    def _connect(self) -> smtplib.SMTP:
        s, where = self.settings, self.settings.where
        smtp: smtplib.SMTP | None = None
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise SmtpUnavailable(f"{where} does not offer STARTTLS: use --ssl if it expects TLS from the "
                                          "start, or ask the provider for the right port")
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, self.password or "")
                self.logged_in = True
            return smtp
        except SmtpUnavailable:
            _quietly_close(smtp)
            raise
        except smtplib.SMTPAuthenticationError as exc:
            _quietly_close(smtp)
            raise SmtpUnavailable(f"{where} refused the login of {s.username}: {_reply(exc.smtp_code, exc.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError as exc:
            _quietly_close(smtp)
            raise SmtpUnavailable(f"{where} cannot log in {s.username}: {exc}") from None
        except (smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPResponseException) as exc:
            _quietly_close(smtp)
            transient = 400 <= exc.smtp_code < 500
            raise SmtpUnavailable(f"{where} refused the connection: {_reply(exc.smtp_code, exc.smtp_error)}",
                                  transient) from None
        except Exception as exc:
            _quietly_close(smtp)
            summary, transient = _connection_problem(exc, where, s.timeout)
            raise SmtpUnavailable(summary, transient) from None

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                _quietly_close(smtp)

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        _quietly_close(smtp)

    # Sending --------------------------------------------------------------------------------

    def send(self, sender: str, recipient: str, data: bytes, smtputf8: bool = False) -> Delivery:
        """Sends one message; connects first if needed (which may raise SmtpUnavailable)."""
        self._keep_pace()
        self.open()
        smtp = self._smtp
        assert smtp is not None
        options: list[str] = []
        if smtputf8:
            if not smtp.has_extn("smtputf8"):
                return Delivery("failed", f"{self.settings.where} does not accept addresses with non-ASCII "
                                          "characters (SMTPUTF8)")
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        try:
            if smtputf8:
                smtp.command_encoding = "utf-8"
            code, text = smtp.mail(sender, options)
            if code != 250:
                return self._refused(code, text, "MAIL FROM")
            code, text = smtp.rcpt(recipient)
            if code not in (250, 251):
                return self._refused(code, text, "RCPT TO")
            code, text = smtp.docmd("DATA")
            if code != 354:
                return self._refused(code, text, "DATA")
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            return Delivery("retry", f"the connection to {self.settings.where} was lost before the message was "
                                     f"handed over ({exc or type(exc).__name__})")
        finally:
            smtp.command_encoding = "ascii"
        try:
            smtp.send(_dot_stuffed(data))
            code, text = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            return Delivery("unknown", f"the connection to {self.settings.where} was lost after the message was "
                                       f"handed over and before the server answered ({exc or type(exc).__name__})")
        if code == 250:
            return Delivery("sent", f"{self.settings.where}: {_reply(code, text)}")
        if code == 421:
            self._drop()
        return _classify(code, text, "after the message")

    def _refused(self, code: int, text: bytes, step: str) -> Delivery:
        if code == 421 or code == -1:  # the server is closing the connection
            self._drop()
            return Delivery("retry", f"{step}: {_reply(code, text)}")
        try:
            self._smtp.rset()  # type: ignore[union-attr]
        except (smtplib.SMTPException, OSError):
            self._drop()
        return _classify(code, text, step)

    def _keep_pace(self) -> None:
        if self.settings.pace > 0 and self._last_start is not None:
            wait = self._last_start + self.settings.pace - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_start = self.clock()


def _quietly_close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.close()
        except OSError:
            pass


def _connection_problem(exc: BaseException, where: str, timeout: float) -> tuple[str, bool]:
    """One sentence for a failed connection, and whether trying again later may help."""
    if isinstance(exc, socket.gaierror):
        return f"cannot reach {where}: the host name is unknown (check the spelling and the network)", True
    if isinstance(exc, ConnectionRefusedError):
        return f"cannot reach {where}: connection refused", True
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return f"cannot reach {where}: no answer within {timeout:g} s", True
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"cannot connect securely to {where}: the server's certificate is not trusted "
                f"({exc.verify_message or exc.reason})"), False
    if isinstance(exc, ssl.SSLError):
        return (f"cannot connect securely to {where}: {exc.reason or exc} (does the port expect STARTTLS "
                "(--starttls) or TLS from the start (--ssl)?)"), False
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"cannot reach {where}: the server closed the connection", True
    if isinstance(exc, OSError):
        return f"cannot reach {where}: {(exc.strerror or str(exc) or type(exc).__name__).lower()}", True
    raise exc
