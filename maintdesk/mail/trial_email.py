"""A test email: checks the office's SMTP settings end to end before real notices go out."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from maintdesk.errors import InvalidInput
from maintdesk.mail.settings import SmtpSettings
from maintdesk.records.models import Organization
from maintdesk.mail.smtp import SmtpSession
from maintdesk.records.validation import normalize_email


def send_test_email(settings: SmtpSettings, password: str | None, org: Organization, to: str) -> str:
    """Sends one short message to `to`; returns the server's reply. Raises a UserFacingError."""
    try:
        recipient = normalize_email(to)
    except ValueError as exc:
        raise InvalidInput(f"test email: {exc}") from None
    sender = org.sender_email or org.email
    if not sender:
        raise InvalidInput("the organization has no sender email: fill in 'Sender email' in Settings first")
    message = EmailMessage()
    message["Subject"] = "MaintDesk: test email"
    message["From"] = f"{org.name} <{sender}>" if org.name else sender
    message["To"] = recipient
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(f"This test message was sent by MaintDesk through {settings.where}.\n"
                        "If you can read it, tenants can receive their notices by email.\n")
    with SmtpSession(settings, password) as session:
        session.open()
        delivery = session.send(sender, recipient, bytes(message))
    if delivery.status != "sent":
        raise InvalidInput(f"the server did not accept the test email ({delivery.status}): {delivery.reply}")
    return delivery.reply
