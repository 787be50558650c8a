"""Building the email of a notice: text + HTML bodies, the letter as PDF, a calendar invite.

Pure functions over values: nothing here reads the database or opens a connection.

- Header values come from records a user typed (tenant names, subjects, the organization), so
  every header is one line: names and subjects have their line breaks folded into spaces, and an
  address with a line break or anything else an address cannot hold is refused (`MailAddressError`).
- The invite's UID is stable per work order and tenant (`invite_uid`), so a postponement is an
  update of the same event (higher SEQUENCE) and a cancellation (`METHOD:CANCEL`) removes it.
- The VTIMEZONE covers only the years around the event. icalendar's default (1970–2038, a long
  RDATE list) was read one hour off by vobject 0.9.9 (measured; see shared/LIBRARIES.md) and is
  reported to confuse Outlook; a narrow window read right in icalendar, ics and vobject.
"""

from __future__ import annotations

import email.policy
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import icalendar
from email_validator import EmailNotValidError, validate_email

from maintdesk.errors import InvalidInput
from maintdesk.records.models import SenderProfile
from maintdesk.timeutil import UTC, zone

PRODID = "-//MaintDesk//Maintenance notices//EN"
NO_INVITE_KINDS = ("completed",)       # work done: nothing left to put in a calendar
CANCEL_KINDS = ("cancelled",)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class MailAddressError(InvalidInput):
    """An address cannot be used in a message (a line break, or not an address at all)."""


@dataclass(frozen=True)
class MailAddress:
    """A checked address: `addr` is what goes into headers and the SMTP envelope."""

    name: str
    addr: str
    needs_smtputf8: bool = False  # the local part is not ASCII: the server must offer SMTPUTF8

    @property
    def domain(self) -> str:
        return self.addr.rpartition("@")[2]

    def header(self) -> Address:
        username, _, domain = self.addr.rpartition("@")  # addr_spec= would refuse a non-ASCII mailbox
        return Address(display_name=self.name, username=username, domain=domain)


@dataclass(frozen=True)
class Sender:
    address: MailAddress
    reply_to: MailAddress | None = None


@dataclass(frozen=True)
class Invite:
    uid: str
    sequence: int
    cancel: bool
    start: datetime           # aware; written in `timezone`
    end: datetime
    timezone: str             # IANA name of the property's zone
    summary: str
    location: str
    description: str
    organizer: MailAddress
    attendee: MailAddress
    stamp: datetime


def one_line(text: str) -> str:
    """A header-safe text: every run of white space (CR and LF included) becomes one space; the
    language's no-break spaces (maintdesk.letters.typography) stay."""
    return re.sub(r"[ \t]+", " ", _CONTROL.sub(" ", str(text))).strip()


def mail_address(field: str, value: str, name: str = "") -> MailAddress:
    """Checks an address for use in a message; MailAddressError names `field` when it cannot be."""
    raw = str(value or "")
    if "\r" in raw or "\n" in raw:
        raise MailAddressError(f"{field}: an email address cannot contain a line break: {raw!r}")
    try:
        checked = validate_email(raw.strip(), check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        raise MailAddressError(f'{field}: not a valid email address: "{raw.strip()}" ({exc})') from None
    if checked.ascii_email:  # an internationalized domain goes in its ASCII (IDNA) form
        return MailAddress(one_line(name), checked.ascii_email)
    return MailAddress(one_line(name), checked.normalized, needs_smtputf8=True)


def sender_of(profile: SenderProfile) -> Sender:
    """From (the building's sender's mail address, else its letterhead address) and Reply-To."""
    address = profile.email_from or profile.email
    if not address:
        raise InvalidInput(f'the sender "{profile.label}" has no email address to send from: set its '
                           "email (or 'Send emails from') in Settings, Senders")
    name = profile.name if not profile.signer_name else (
        f"{profile.signer_name} ({profile.name})" if profile.name else profile.signer_name)
    reply_to = mail_address(f"{profile.label}: reply-to", profile.reply_to) if profile.reply_to else None
    return Sender(mail_address(f"{profile.label}: send emails from", address, name), reply_to)


def new_message_id(sender: Sender) -> str:
    return make_msgid(idstring="maintdesk", domain=sender.address.domain)


def invite_uid(work_order_id: int, tenant_id: int | None, domain: str) -> str:
    """The same for every message about one work order to one tenant."""
    who = f"tenant{tenant_id}" if tenant_id is not None else "building"
    return f"maintdesk-wo{work_order_id}-{who}@{domain}"


def ambiguous_here(moment: datetime, tz: tzinfo) -> bool:
    """True when the wall-clock time of `moment` in `tz` names two instants (the hour repeated when
    clocks go back) or none (the hour skipped when they go forward)."""
    wall = moment.astimezone(tz).replace(tzinfo=None)
    return wall.replace(tzinfo=tz, fold=0).utcoffset() != wall.replace(tzinfo=tz, fold=1).utcoffset()


def invite_ics(invite: Invite) -> bytes:
    """The invite, in the property's time zone with its VTIMEZONE; in UTC (…Z) when a time falls in
    an hour the clock change repeats, which calendar programs would read as its first occurrence."""
    if invite.end <= invite.start:
        raise InvalidInput(f"invite {invite.uid}: the visit ends ({invite.end}) before it starts ({invite.start})")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if invite.cancel else "REQUEST")
    event = icalendar.Event()
    tz = zone(invite.timezone)
    written_in = UTC if ambiguous_here(invite.start, tz) or ambiguous_here(invite.end, tz) else tz
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", invite.stamp.astimezone(UTC))
    event.add("dtstart", invite.start.astimezone(written_in))
    event.add("dtend", invite.end.astimezone(written_in))
    event.add("summary", one_line(invite.summary))
    if invite.location:
        event.add("location", invite.location)
    if invite.description:
        event.add("description", invite.description)
    event.add("status", "CANCELLED" if invite.cancel else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = icalendar.vCalAddress(f"mailto:{invite.organizer.addr}")
    if invite.organizer.name:
        organizer.params["CN"] = invite.organizer.name
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{invite.attendee.addr}")
    attendee.params.update({"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"})
    if invite.attendee.name:
        attendee.params["CN"] = invite.attendee.name
    event.add("attendee", attendee)
    cal.add_component(event)
    years = (invite.start.astimezone(tz).year - 1, invite.end.astimezone(tz).year + 1)
    missing = cal.get_missing_tzids()
    if len(missing) > 1:
        cal.add_missing_timezones(first_date=date(years[0], 1, 1), last_date=date(years[1], 12, 31))
    text = cal.to_ical()
    if len(missing) != 1:
        return text
    # The VTIMEZONE first among the components, where icalendar's add_missing_timezones puts it;
    # made once per zone and years (it costs more than the rest of the invite).
    before, found, after = text.partition(b"BEGIN:VEVENT\r\n")
    return before + _vtimezone(next(iter(missing)), *years) + found + after


@functools.lru_cache(maxsize=32)
def _vtimezone(name: str, first_year: int, last_year: int) -> bytes:
    try:
        timezone = icalendar.Timezone.from_tzid(name, first_date=date(first_year, 1, 1),
                                                last_date=date(last_year, 12, 31))
    except ValueError:  # a zone icalendar does not know is left out, as add_missing_timezones does
        return b""
    return timezone.to_ical()


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str = "application"
    subtype: str = "pdf"


def build_message(*, sender: Sender, to: MailAddress, subject: str, text: str, html: str, sent_at: datetime,
                  message_id: str, attachments: tuple[Attachment, ...] = (), invite: Invite | None = None,
                  ) -> EmailMessage:
    """The message: text and HTML (and the invite, if any) as alternatives, then the attachments."""
    msg = EmailMessage()
    msg["From"] = sender.address.header()
    msg["To"] = to.header()
    if sender.reply_to is not None:
        msg["Reply-To"] = sender.reply_to.header()
    _set_subject(msg, one_line(subject))
    msg["Date"] = format_datetime(sent_at.astimezone(UTC))
    msg["Message-ID"] = one_line(message_id)
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    if invite is not None:
        method = "CANCEL" if invite.cancel else "REQUEST"
        msg.add_alternative(invite_ics(invite).decode("utf-8"), subtype="calendar", cte="quoted-printable",
                            params={"method": method})
    for item in attachments:
        msg.add_attachment(item.data, maintype=item.maintype, subtype=item.subtype, filename=one_line(item.filename))
    return msg


def _set_subject(msg: EmailMessage, subject: str) -> None:
    """WORKAROUND: CPython's header folder (3.11) can leave a space before a fold that precedes an
    encoded word, so "Mar, 09:00–09:30" arrived as "Mar,  09:00–09:30" (seen in the tests). A
    non-ASCII subject is therefore written as a run of encoded words, folded by email.header,
    whose white space between words decoders drop (RFC 2047, 6.2)."""
    if subject.isascii():
        msg["Subject"] = subject
    else:
        msg.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n"))


def message_bytes(msg: EmailMessage, smtputf8: bool = False) -> bytes:
    """The message as sent: CRLF line ends; UTF-8 headers only for a server that takes SMTPUTF8."""
    return msg.as_bytes(policy=email.policy.SMTPUTF8 if smtputf8 else email.policy.SMTP)
