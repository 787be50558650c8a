"""Mobile numbers for SMS: a tenant's number in E.164, and whether it can receive a text."""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberType

from maintdesk.errors import InvalidInput

_MOBILE = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def mobile_e164(raw: str, region: str = "") -> str:
    """'+33612345678' for '06 12 34 56 78' read in FR; InvalidInput for a number that is not a
    mobile (a landline cannot receive a text), or not a number at all."""
    text = (raw or "").strip()
    if not text:
        raise InvalidInput("no mobile number: the tenant's phone is empty")
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        raise InvalidInput(f'"{raw}" is not a phone number') from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(f'"{raw}" is not a valid phone number'
                           + (f" in {region}" if region and not text.startswith("+") else ""))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.number_type(number) not in _MOBILE:
        raise InvalidInput(f"{e164} is not a mobile number: it cannot receive an SMS")
    return e164


def is_mobile(raw: str, region: str = "") -> bool:
    try:
        mobile_e164(raw, region)
    except InvalidInput:
        return False
    return True
