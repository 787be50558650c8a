"""The records MaintDesk works from, as plain dataclasses.

Date-times are timezone-aware and in UTC; a property's IANA time zone converts them at the edges
(forms, letters, invites). Tenant-facing texts of a work order are `LocalizedText`: one text per
language code, so a bilingual building can be written to in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

LANGUAGES = ("en", "fr", "de", "es")
CHANNELS = ("print", "email", "both")
PAPER_SIZES = ("A4", "Letter")
WINDOW_LAYOUT_PAPER = {"din5008": "A4", "nf-z11-001": "A4", "us-10": "Letter", "canada": "Letter"}
WINDOW_LAYOUTS = tuple(WINDOW_LAYOUT_PAPER)
TIME_FORMATS = ("locale", "24h", "12h")
WORK_STATUSES = ("draft", "scheduled", "in_progress", "completed", "postponed", "cancelled")
WORK_SCOPES = ("units", "building")  # work inside each flat, or building-wide / common areas
WORK_CATEGORIES = (
    "heating", "plumbing", "water", "electrical", "hvac", "elevator", "painting",
    "inspection", "pest_control", "roofing", "cleaning", "other",
)
NOTICE_KINDS = (
    "initial", "reminder", "final-reminder", "emergency", "update", "postponed", "cancelled", "completed",
)
NOTICE_CHANNELS = ("print", "email", "eml", "sms")
NOTICE_STATES = ("generated", "queued", "sent", "printed", "delivered", "failed", "unknown")

LocalizedText = dict[str, str]


def pick_text(text: LocalizedText, language: str) -> str:
    """The text in `language`, else the first non-empty one in LANGUAGES order, else ''."""
    if text.get(language):
        return text[language]
    for code in LANGUAGES:
        if text.get(code):
            return text[code]
    return ""


@dataclass
class Organization:
    """The organization as a whole; each office it writes from is a `SenderProfile`."""

    name: str = ""
    default_language: str = "en"
    demo: bool = False  # the records are MaintDesk's made-up demo, not anyone's real buildings


@dataclass
class SenderProfile:
    """A letterhead: who a building's letters and emails come from, on which paper, signed by whom.

    One organization may write from several offices (Paris, Toronto); each property names its sender.
    The window layout decides the paper: DIN 5008 (A4, window left), NF Z 11-001 (A4, window
    right), US #10 and Canadian (Letter)."""

    label: str  # the profile's name in lists, e.g. "Paris office"
    name: str = ""  # printed at the top of the letterhead
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_path: str = ""
    window_layout: str = "din5008"
    default_language: str = "en"
    time_format: str = "locale"  # "locale" as the letter's language and country write it, "24h" or "12h"
    signer_name: str = ""
    signer_titles: LocalizedText = field(default_factory=dict)  # the signer's title in each language
    email_from: str = ""  # the From address of emailed notices (else `email`)
    reply_to: str = ""
    id: int | None = None

    @property
    def paper_size(self) -> str:
        return WINDOW_LAYOUT_PAPER[self.window_layout]


@dataclass
class Property:
    name: str
    address_line1: str
    city: str
    country: str
    timezone: str
    jurisdiction: str = "default"
    address_line2: str = ""
    postal_code: str = ""
    region: str = ""
    manager_name: str = ""
    manager_phone: str = ""
    manager_email: str = ""
    sender_id: int | None = None  # None: the first sender
    lease_notice: str = ""  # the leases' notice period when longer than the law's: "" or 48h, 2d, 1w
    quiet_start: str = "21:00"  # no SMS from this local time … (except emergencies); "" for no quiet hours
    quiet_end: str = "08:00"  # … until this one
    id: int | None = None


@dataclass
class Unit:
    property_id: int
    label: str
    floor: int | None = None
    notes: str = ""
    id: int | None = None


@dataclass
class Tenant:
    unit_id: int
    name: str
    salutation: str = ""
    email: str = ""
    phone: str = ""
    language: str = "en"
    channel: str = "print"
    mailing_address: str = ""
    active: bool = True
    large_print: bool = False
    access_notes: str = ""
    email_consent_on: date | None = None  # the day the tenant consented in writing to notices by email
    email_consent_kept: str = ""  # where the signed consent is kept, e.g. "lease addendum, office binder 3"
    lease_notice: str = ""  # the lease's notice period when longer than the law's; else the property's
    sms_consent_on: date | None = None  # the day the tenant agreed to notices by SMS
    sms_consent_how: str = ""  # how: "signed form", "replied YES to the office's SMS", …
    paper_reason: str = ""  # why the tenant gets paper now (an email that bounced); "" when not flagged
    paper_since: datetime | None = None
    id: int | None = None

    @property
    def email_consent(self) -> bool:
        """Whether a written consent to notices by email is recorded."""
        return self.email_consent_on is not None

    @property
    def wants_email(self) -> bool:
        return self.channel in ("email", "both") and bool(self.email) and not self.paper_reason

    @property
    def wants_print(self) -> bool:
        return self.channel in ("print", "both") or not self.email or bool(self.paper_reason)

    @property
    def wants_sms(self) -> bool:
        """Opted in to SMS (a consent recorded) and has a phone number."""
        return self.sms_consent_on is not None and bool(self.phone)


@dataclass
class TenantRow:
    """A tenant with where they live, as lists show it."""

    tenant: Tenant
    unit_label: str
    property_id: int
    property_name: str


@dataclass
class Slot:
    unit_id: int
    start: datetime
    end: datetime
    id: int | None = None


@dataclass
class ActionItem:
    text: LocalizedText
    id: int | None = None


@dataclass
class WorkOrder:
    property_id: int
    title: LocalizedText
    window_start: datetime
    window_end: datetime
    category: str = "other"
    description: LocalizedText = field(default_factory=dict)
    reason: LocalizedText = field(default_factory=dict)
    impact: LocalizedText = field(default_factory=dict)
    alternatives: LocalizedText = field(default_factory=dict)
    access_conditions: LocalizedText = field(default_factory=dict)
    updates_info: LocalizedText = field(default_factory=dict)
    emergency: bool = False
    scope: str = "units"
    status: str = "draft"
    contractor: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    internal_notes: str = ""
    crew_language: str = ""  # the crew sheet's language; "" = the building's
    all_units: bool = True
    affected_unit_ids: list[int] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    created_at: datetime | None = None
    previous_window_start: datetime | None = None
    previous_window_end: datetime | None = None
    id: int | None = None

    @property
    def previous_window(self) -> tuple[datetime, datetime] | None:
        if self.previous_window_start and self.previous_window_end:
            return self.previous_window_start, self.previous_window_end
        return None


@dataclass
class Notice:
    """One issued notice, archived unchanged. A correction is a new notice, never an edit."""

    work_order_id: int
    kind: str
    language: str
    channel: str
    recipient_name: str
    subject: str
    tenant_id: int | None = None
    unit_id: int | None = None
    recipient_address: str = ""
    recipient_email: str = ""
    body_html: str = ""
    body_text: str = ""
    pdf_path: str = ""
    pdf_sha256: str = ""
    state: str = "generated"
    created_at: datetime | None = None
    sent_at: datetime | None = None
    delivered_at: datetime | None = None
    delivery_method: str = ""
    delivered_by: str = ""
    error: str = ""
    message_id: str = ""
    batch_id: str = ""
    id: int | None = None
    property_name: str = ""  # the building and the unit as they were named when it was issued
    unit_label: str = ""
    corrects_notice_id: int | None = None  # the notice this one corrects (which is voided)
    recipient_phone: str = ""  # an SMS's number, E.164
    issued_by: str = ""  # who issued it: the desk's user name, or on an office server the database role


INBOUND_KINDS = ("bounce", "delay", "reply", "auto-reply", "malformed", "other")


@dataclass
class InboundMessage:
    """A message read from the office mailbox, kept once: a bounce, a tenant's reply, a report that
    could not be read. `notice_id` names the notice it answers, when it was found."""

    message_key: str
    kind: str
    recorded_at: datetime
    folder: str = ""
    uidvalidity: int = 0
    uid: int = 0
    notice_id: int | None = None
    tenant_id: int | None = None
    sender: str = ""
    subject: str = ""
    body_text: str = ""
    reason: str = ""
    received_at: str = ""
    read_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class NoticeVoid:
    """An issued notice declared void: it stays in the archive as issued, marked with why, who and when."""

    notice_id: int
    reason: str
    voided_by: str
    voided_at: datetime | None = None


@dataclass(frozen=True)
class IssueCheck:
    """The checks of a work order as they stood when a batch of its notices was issued.

    `report` is the JSON view of `work check` at that moment (docs/cli.md); `ok` is False when it
    had an open error, which only an issue made before schema 9 or a test can have."""

    batch_id: str
    work_order_id: int
    checked_at: datetime
    ok: bool
    report: dict = field(default_factory=dict, hash=False, compare=False)
