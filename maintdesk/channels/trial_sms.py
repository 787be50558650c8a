"""A test SMS: checks the provider's settings end to end before real notices go out."""

from __future__ import annotations

from maintdesk.channels.phone import mobile_e164
from maintdesk.channels.sms_provider import SmsProvider
from maintdesk.channels.sms_text import check_length, compose
from maintdesk.errors import InvalidInput


def send_test_sms(provider: SmsProvider, to: str, *, org: str = "MaintDesk", language: str = "en",
                  region: str = "") -> str:
    """Sends one short text to `to`; returns what the provider said. Raises a UserFacingError."""
    number = mobile_e164(to, region)
    text = compose("test", language, org=org)
    check_length(text, "the test SMS")
    reply = provider.send(number, text)
    if reply.outcome == "refused":
        raise InvalidInput(f"the SMS provider did not take the test SMS to {number}: {reply.detail}")
    if reply.outcome == "unknown":
        raise InvalidInput(f"no answer from the SMS provider about the test SMS to {number}; it may still arrive "
                           "(do not send it again at once)")
    return f"the provider took the test SMS to {number} ({reply.provider_id}, {reply.detail or 'accepted'})"
