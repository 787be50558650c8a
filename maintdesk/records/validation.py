"""Checks at the boundary: every record is validated and normalized before it is stored.

Each `clean_*` function returns a normalized copy or raises ValidationError naming the field.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from maintdesk.errors import Problem, ValidationError
from maintdesk.records.models import (
    CHANNELS, LANGUAGES, NOTICE_CHANNELS, NOTICE_KINDS, NOTICE_STATES, TIME_FORMATS, WINDOW_LAYOUTS,
    WORK_CATEGORIES, WORK_SCOPES, WORK_STATUSES, LocalizedText, Notice, Organization, Property,
    SenderProfile, Tenant, Unit, WorkOrder,
)
from maintdesk.timeutil import zone

JURISDICTION_PATTERN = re.compile(r"^(default|[A-Z]{2}(-[A-Z0-9]{1,4}){0,2})$")
# A lease's notice period, written as the rules write durations (maintdesk.planning.rules.Duration,
# which records may not import): every text accepted here reads there too (tests/core/test_consent_and_lease.py).
LEASE_NOTICE_PATTERN = re.compile(r"^(\d+)(h|bd|d|w|mo)$")  # bd: business days


def _countries() -> frozenset[str]:
    """ISO country codes (phonenumbers' regions: unlike Babel's territories, no ZZ, EU or UN)."""
    return frozenset(phonenumbers.SUPPORTED_REGIONS)


def normalize_email(value: str) -> str:
    """The address in normal form, or ValueError with the reason."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f'not a valid email address: "{value}" ({exc})') from exc


def normalize_phone(value: str, region: str) -> str:
    """The number in E.164 form (+33612345678), read with `region` when it has no country code."""
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f'not a phone number: "{value}"') from exc
    if not phonenumbers.is_valid_number(number):
        where = f" for {region}" if region and not value.strip().startswith("+") else ""
        raise ValueError(f'not a valid phone number{where}: "{value}"')
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class _Checker:
    """Collects problems while normalizing fields."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str, message: str) -> None:
        self.problems.append(Problem(field, message))

    def required(self, field: str, value: str) -> str:
        value = (value or "").strip()
        if not value:
            self.add(field, "is required")
        return value

    def one_of(self, field: str, value: str, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            self.add(field, f'"{value}" is not one of {", ".join(allowed)}')
        return value

    def email(self, field: str, value: str) -> str:
        value = (value or "").strip()
        if not value:
            return ""
        try:
            return normalize_email(value)
        except ValueError as exc:
            self.add(field, str(exc))
            return value

    def phone(self, field: str, value: str, region: str) -> str:
        value = (value or "").strip()
        if not value:
            return ""
        try:
            return normalize_phone(value, region)
        except ValueError as exc:
            self.add(field, str(exc))
            return value

    def localized(self, field: str, text: LocalizedText, required: bool = False) -> LocalizedText:
        cleaned: LocalizedText = {}
        for lang, value in (text or {}).items():
            if lang not in LANGUAGES:
                self.add(f"{field}.{lang}", f'unknown language "{lang}"; use one of {", ".join(LANGUAGES)}')
                continue
            if not isinstance(value, str):
                self.add(f"{field}.{lang}", "must be text")
                continue
            if value.strip():
                cleaned[lang] = value.strip()
        if required and not cleaned:
            self.add(field, "is required in at least one language")
        return cleaned

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)


def lease_notice(value: str) -> str:
    """A lease's notice period in normal form ("48 H" reads 48h; "" for none), or ValueError with a
    sentence that says what to type."""
    text = re.sub(r"\s+", "", value or "").lower()
    if not text:
        return ""
    match = LEASE_NOTICE_PATTERN.match(text)
    if not match:
        raise ValueError(f'Lease notice "{(value or "").strip()}" is not a duration such as 24h, 2d, 3bd (business days) or 1w')
    if int(match.group(1)) == 0:
        raise ValueError(f'Lease notice "{(value or "").strip()}" is no notice at all; leave it empty when '
                         "the lease asks for no longer notice than the law")
    return f"{int(match.group(1))}{match.group(2)}"


def _lease_notice(c: _Checker, value: str) -> str:
    try:
        return lease_notice(value)
    except ValueError as exc:
        c.add("lease_notice", str(exc))
        return value


def clean_organization(org: Organization) -> Organization:
    c = _Checker()
    result = replace(org, name=org.name.strip(),
                     default_language=c.one_of("default_language", org.default_language, LANGUAGES))
    c.raise_if_any()
    return result


def clean_sender(sender: SenderProfile, other_labels: set[str]) -> SenderProfile:
    """`other_labels`: the labels of the other senders, for the duplicate check."""
    c = _Checker()
    label = c.required("label", sender.label)
    if label and label.casefold() in {other.casefold() for other in other_labels}:
        c.add("label", f'duplicate "{label}": another sender has this name')
    result = replace(
        sender,
        label=label,
        name=sender.name.strip(),
        address="\n".join(line.strip() for line in sender.address.splitlines() if line.strip()),
        email=c.email("email", sender.email),
        website=sender.website.strip(),
        logo_path=sender.logo_path.strip(),
        window_layout=c.one_of("window_layout", sender.window_layout, WINDOW_LAYOUTS),
        default_language=c.one_of("default_language", sender.default_language, LANGUAGES),
        time_format=c.one_of("time_format", sender.time_format, TIME_FORMATS),
        signer_name=sender.signer_name.strip(),
        signer_titles=c.localized("signer_titles", sender.signer_titles),
        email_from=c.email("email_from", sender.email_from),
        reply_to=c.email("reply_to", sender.reply_to),
    )
    if sender.phone.strip():
        # A sender has no country of its own: its phone must carry its country code.
        result.phone = c.phone("phone", sender.phone, "")
    c.raise_if_any()
    return result


def clean_property(prop: Property) -> Property:
    c = _Checker()
    country = (prop.country or "").strip().upper()
    if country not in _countries():
        c.add("country", f'"{prop.country}" is not a two-letter country code such as FR, US or CA')
    tz_name = (prop.timezone or "").strip()
    try:
        zone(tz_name)
    except ValueError as exc:
        c.add("timezone", str(exc))
    jurisdiction = (prop.jurisdiction or "default").strip()
    if not JURISDICTION_PATTERN.match(jurisdiction):
        c.add("jurisdiction", f'"{jurisdiction}" is not a jurisdiction code such as FR, US-CA, CA-ON or default')
    result = replace(
        prop,
        name=c.required("name", prop.name),
        address_line1=c.required("address_line1", prop.address_line1),
        address_line2=prop.address_line2.strip(),
        postal_code=prop.postal_code.strip(),
        city=c.required("city", prop.city),
        region=prop.region.strip(),
        country=country,
        timezone=tz_name,
        jurisdiction=jurisdiction,
        manager_name=prop.manager_name.strip(),
        manager_phone=c.phone("manager_phone", prop.manager_phone, country),
        manager_email=c.email("manager_email", prop.manager_email),
        lease_notice=_lease_notice(c, prop.lease_notice),
        quiet_start=_clock_time(c, "quiet_start", prop.quiet_start),
        quiet_end=_clock_time(c, "quiet_end", prop.quiet_end),
    )
    if bool(result.quiet_start) != bool(result.quiet_end):
        c.add("quiet_end" if result.quiet_start else "quiet_start", "quiet hours need both a start and an end")
    c.raise_if_any()
    return result


def clean_unit(unit: Unit, other_labels: set[str]) -> Unit:
    """`other_labels`: the labels of the property's other units, for the duplicate check."""
    c = _Checker()
    label = c.required("label", unit.label)
    if label and label.casefold() in {other.casefold() for other in other_labels}:
        c.add("label", f'duplicate "{label}": the property already has a unit with this label')
    c.raise_if_any()
    return replace(unit, label=label, notes=unit.notes.strip())


def clean_tenant(tenant: Tenant, region: str) -> Tenant:
    """`region`: the property's country, to read phone numbers written without a country code."""
    c = _Checker()
    result = replace(
        tenant,
        name=c.required("name", tenant.name),
        salutation=tenant.salutation.strip(),
        email=c.email("email", tenant.email),
        phone=c.phone("phone", tenant.phone, region),
        language=c.one_of("language", tenant.language, LANGUAGES),
        channel=c.one_of("channel", tenant.channel, CHANNELS),
        mailing_address=tenant.mailing_address.strip(),
        access_notes=tenant.access_notes.strip(),
        email_consent_kept=(tenant.email_consent_kept or "").strip(),
        lease_notice=_lease_notice(c, tenant.lease_notice),
    )
    _check_consent(c, result)
    result = _check_sms_consent(c, result)
    if result.channel in ("email", "both") and not result.email and not any(
        p.field == "email" for p in c.problems
    ):
        c.add("email", f'is required when the preferred channel is "{result.channel}"')
    c.raise_if_any()
    return result


def _check_consent(c: _Checker, tenant: Tenant) -> None:
    """A written consent to notices by email: the day it was given, and where the signed paper is kept."""
    given = tenant.email_consent_on
    if given is None:
        if tenant.email_consent_kept:
            c.add("email_consent_kept", "is only kept with a consent: give the day the tenant consented in "
                                        "writing, or leave it empty")
        return
    if not isinstance(given, date) or isinstance(given, datetime):
        c.add("email_consent_on", f'"{given}" is not a date such as 2026-03-01')
        return
    if given > date.today() + timedelta(days=1):
        c.add("email_consent_on", f"{given.isoformat()} is in the future; give the day the tenant signed the consent")
    if not tenant.email_consent_kept:
        c.add("email_consent_kept", "is required with a consent: say where the signed consent is kept, "
                                    "e.g. lease addendum, office binder 3")


def _clock_time(c: _Checker, field: str, value: str) -> str:
    """'21:00' (local time of day), or '' for none."""
    value = (value or "").strip()
    if value and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        c.add(field, f'"{value}" is not a time of day such as 21:00')
    return value


def _check_sms_consent(c: _Checker, tenant: Tenant) -> Tenant:
    """A consent to SMS: the day it was given and how, and a phone number to send to."""
    how = (tenant.sms_consent_how or "").strip()
    given = tenant.sms_consent_on
    if given is None:
        if how:
            c.add("sms_consent_how", "is only kept with a consent: give the day the tenant agreed to SMS")
    elif not isinstance(given, date) or isinstance(given, datetime):
        c.add("sms_consent_on", f'"{given}" is not a date such as 2026-03-01')
    else:
        if given > date.today() + timedelta(days=1):
            c.add("sms_consent_on", f"{given.isoformat()} is in the future; give the day the tenant agreed")
        if not how:
            c.add("sms_consent_how", "is required with a consent to SMS: say how it was given, e.g. signed form")
        if not tenant.phone:
            c.add("phone", "is required with a consent to SMS: the mobile number to write to")
    return replace(tenant, sms_consent_how=how, paper_reason=(tenant.paper_reason or "").strip())


def clean_work_order(work: WorkOrder, unit_ids: set[int], region: str) -> WorkOrder:
    """`unit_ids`: the units of the work order's property."""
    c = _Checker()
    result = replace(
        work,
        title=c.localized("title", work.title, required=True),
        category=c.one_of("category", work.category, WORK_CATEGORIES),
        description=c.localized("description", work.description),
        reason=c.localized("reason", work.reason),
        impact=c.localized("impact", work.impact),
        alternatives=c.localized("alternatives", work.alternatives),
        access_conditions=c.localized("access_conditions", work.access_conditions),
        updates_info=c.localized("updates_info", work.updates_info),
        scope=c.one_of("scope", work.scope, WORK_SCOPES),
        status=c.one_of("status", work.status, WORK_STATUSES),
        contractor=work.contractor.strip(),
        contact_name=work.contact_name.strip(),
        contact_phone=c.phone("contact_phone", work.contact_phone, region),
        contact_email=c.email("contact_email", work.contact_email),
        internal_notes=work.internal_notes.strip(),
        crew_language=c.one_of("crew_language", work.crew_language, ("",) + LANGUAGES),
        affected_unit_ids=sorted(set(work.affected_unit_ids)),
        slots=list(work.slots),
        actions=list(work.actions),
    )
    window_ok = work.window_start.tzinfo is not None and work.window_end.tzinfo is not None
    for moment_field in ("window_start", "window_end"):
        if getattr(work, moment_field).tzinfo is None:
            c.add(moment_field, "has no time zone")
    if window_ok and work.window_end <= work.window_start:
        c.add("window_end", "must be after window_start")

    if not work.all_units:
        if not result.affected_unit_ids:
            c.add("affected_units", "choose at least one unit, or all units")
        for unit_id in result.affected_unit_ids:
            if unit_id not in unit_ids:
                c.add("affected_units", f"unit {unit_id} is not in this property")
    affected = unit_ids if work.all_units else set(result.affected_unit_ids)

    seen_units: set[int] = set()
    for index, slot in enumerate(result.slots):
        where = f"slots[{index}]"
        if slot.unit_id not in affected:
            c.add(f"{where}.unit", f"unit {slot.unit_id} is not among the affected units")
        if slot.unit_id in seen_units:
            c.add(f"{where}.unit", f"unit {slot.unit_id} already has a slot in this work order")
        seen_units.add(slot.unit_id)
        if slot.start.tzinfo is None or slot.end.tzinfo is None:
            c.add(where, "has no time zone")
            continue
        if slot.end <= slot.start:
            c.add(f"{where}.end", "must be after the slot's start")
        elif window_ok and work.window_end > work.window_start and (
            slot.start < work.window_start or slot.end > work.window_end
        ):
            c.add(where, "must lie inside the work window")

    result.actions = [
        replace(action, text=c.localized(f"actions[{index}]", action.text, required=True))
        for index, action in enumerate(result.actions)
    ]
    c.raise_if_any()
    return result


def clean_notice(notice: Notice) -> Notice:
    c = _Checker()
    c.one_of("kind", notice.kind, NOTICE_KINDS)
    c.one_of("language", notice.language, LANGUAGES)
    c.one_of("channel", notice.channel, NOTICE_CHANNELS)
    c.one_of("state", notice.state, NOTICE_STATES)
    c.required("recipient_name", notice.recipient_name)
    c.required("subject", notice.subject)
    if notice.pdf_sha256 and not re.fullmatch(r"[0-9a-f]{64}", notice.pdf_sha256):
        c.add("pdf_sha256", "must be 64 lowercase hexadecimal digits")
    c.raise_if_any()
    return notice
