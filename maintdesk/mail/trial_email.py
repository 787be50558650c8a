"""A test email: checks the office's SMTP settings end to end before real notices go out."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from maintdesk.errors import InvalidInput
from maintdesk.mail.settings import SmtpSettings
from maintdesk.mail.message import sender_of
from maintdesk.records.models import SenderProfile
from maintdesk.mail.smtp import SmtpSession
from maintdesk.records.validation import normalize_email


def send_test_email(settings: SmtpSettings, password: str | None, profile: SenderProfile, to: str) -> str:
    """Sends one short message from `profile`'s address to `to`; returns the server's reply.
    Raises a UserFacingError."""
    try:
        recipient = normalize_email(to)
    except ValueError as exc:
        raise InvalidInput(f"test email: {exc}") from None
    sender = sender_of(profile).address
    message = EmailMessage()
    message["Subject"] = "MaintDesk: test email"
    message["From"] = sender.header()
    message["To"] = recipient
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.domain)
    message.set_content(f"This test message was sent by MaintDesk through {settings.where}.\n"
                        "If you can read it, tenants can receive their notices by email.\n")
    with SmtpSession(settings, password) as session:
        session.open()
        delivery = session.send(sender.addr, recipient, bytes(message))
    if delivery.status != "sent":
        raise InvalidInput(f"the server did not accept the test email ({delivery.status}): {delivery.reply}")
    return delivery.reply
