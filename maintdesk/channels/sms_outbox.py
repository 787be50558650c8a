"""The SMS outbox: like the email outbox (maintdesk.mail.outbox), every SMS is a notice record before
it is sent, and its state says what became of it.

    queued ──take──▶ unknown ──provider──▶ sent ──status──▶ delivered | failed
                                       └─▶ failed (refused: not a mobile, …) | queued (provider down)

A sender takes a notice (queued → unknown, a compare-and-set: two senders never take the same one)
before it calls the provider and records the answer after. A notice left `unknown` (the program
died, or the answer was lost) is never sent blindly again: a retry first asks the provider's list
of messages to that number whether it has this text; found, it is recorded as sent; not found, it
goes back to the queue and is sent. So an SMS reaches a tenant once, across a crash and a retry.

Only tenants who agreed to SMS (a consent with its day and how) and have a mobile number get one;
the others are listed with the reason. Outside emergencies, nothing is sent during the building's
quiet hours: the batch says until when, and queued notices wait for the next retry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from maintdesk.channels.phone import mobile_e164
from maintdesk.channels.sms_provider import SmsProvider, SmsUnavailable
from maintdesk.channels.sms_text import (
    SMS_KINDS,
    WORDS,
    check_length,
    compose,
    count_segments,
    when_text,
)
from maintdesk.errors import InvalidInput
from maintdesk.letters.localize import Localizer
from maintdesk.progress import Progress
from maintdesk.records.models import (
    LANGUAGES,
    Notice,
    Property,
    Tenant,
    WorkOrder,
    pick_text,
)
from maintdesk.records.store import Store
from maintdesk.timeutil import local, to_text, utc_now

LIVE_STATES = ("queued", "unknown", "sent", "delivered")  # the tenant has, or will have, this SMS
QUIET_EXEMPT = ("emergency",)


@dataclass(frozen=True)
class SmsRequest:
    work_order_id: int
    kind: str
    tenant_ids: frozenset[int] | None = None  # None: every active tenant of the affected units who agreed


@dataclass
class SmsReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)      # left for later (the provider could not be used)
    held: list[int] = field(default_factory=list)        # waiting for the end of the quiet hours
    elsewhere: list[int] = field(default_factory=list)   # taken by another sender meanwhile
    found: list[int] = field(default_factory=list)       # unknown ones the provider turned out to have
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (tenant id, why no SMS)
    already: list[int] = field(default_factory=list)     # tenants who have this SMS already
    quiet_until: datetime | None = None
    batch_id: str = ""


class SmsInterrupted(SmsUnavailable):
    """The provider could not be used any more; `report` says what was done, the rest stays queued."""

    def __init__(self, cause: SmsUnavailable, report: SmsReport):
        detail = (f"{len(report.sent)} sent, {len(report.failed)} failed, {len(report.unknown)} unknown; "
                  f"{len(report.queued)} still queued: a retry sends them")
        super().__init__(cause.summary, cause.transient, detail)
        self.report = report


def quiet_until(prop: Property, at: datetime) -> datetime | None:
    """When the building's quiet hours end, if `at` falls inside them; None outside (or without any)."""
    if not (prop.quiet_start and prop.quiet_end) or prop.quiet_start == prop.quiet_end:
        return None
    here = local(at, prop.timezone)
    start, end = (time.fromisoformat(prop.quiet_start), time.fromisoformat(prop.quiet_end))
    now = here.time()
    inside = (start <= now or now < end) if start > end else (start <= now < end)
    if not inside:
        return None
    day = here.date() + timedelta(days=1) if start > end and now >= start else here.date()
    return datetime.combine(day, end, tzinfo=here.tzinfo).astimezone(at.tzinfo)


def sms_text(store: Store, work: WorkOrder, prop: Property, tenant: Tenant, unit_id: int, kind: str) -> str:
    """The tenant's SMS for this notice, checked to fit in two segments."""
    language = tenant.language if tenant.language in WORDS else "en"
    sender = store.sender_of(prop)
    slot = next((s for s in work.slots if s.unit_id == unit_id), None)
    start, end = (slot.start, slot.end) if slot is not None and kind != "emergency" else (work.window_start,
                                                                                           work.window_end)
    clock = sender.time_format if sender is not None else "locale"
    localizer = Localizer(language, prop.country, prop.timezone, clock)
    org = (sender.name if sender is not None and sender.name else "") or prop.name
    phone = work.contact_phone or prop.manager_phone or (sender.phone if sender is not None else "")
    text = compose(kind, language, org=org, what=pick_text(work.title, language),
                   when=when_text(localizer, start, end), phone=phone, country=prop.country)
    check_length(text, f"the {kind} SMS to {tenant.name}")
    return text


@dataclass
class SmsPlan:
    tenants: list[tuple[int, Tenant, str]]  # unit id, tenant, mobile number
    resume: list[Notice]
    already: list[Notice]
    skipped: list[tuple[int, str]]


def plan_sms(store: Store, request: SmsRequest) -> SmsPlan:
    if request.kind not in SMS_KINDS:
        raise InvalidInput(f"a {request.kind} notice is not sent by SMS (only {', '.join(SMS_KINDS)})")
    work = store.get_work_order(request.work_order_id)
    prop = store.get_property(work.property_id)
    earlier = {n.tenant_id: n for n in store.find_notices(work_order_id=work.id, kind=request.kind, channels=("sms",))}
    plan = SmsPlan([], [], [], [])
    for unit in store.affected_units(work):
        for tenant in store.tenants_of_unit(unit.id):
            if not tenant.active or (request.tenant_ids is not None and tenant.id not in request.tenant_ids):
                continue
            if not tenant.wants_sms:
                plan.skipped.append((tenant.id, "no consent to SMS recorded" if tenant.phone else "no phone number"))
                continue
            previous = earlier.get(tenant.id)
            if previous is not None and previous.state in LIVE_STATES:
                (plan.resume if previous.state == "queued" else plan.already).append(previous)
                continue
            try:
                plan.tenants.append((unit.id, tenant, mobile_e164(tenant.phone, prop.country)))
            except InvalidInput as exc:
                plan.skipped.append((tenant.id, exc.summary))
    return plan


def segments_note(store: Store, request: SmsRequest) -> str:
    """What the SMS of a batch will take, before anything is sent: "1 segment each (GSM-7)";
    InvalidInput when one is too long."""
    plan = plan_sms(store, request)
    work = store.get_work_order(request.work_order_id)
    prop = store.get_property(work.property_id)
    counts = [count_segments(sms_text(store, work, prop, tenant, unit_id, request.kind)) for unit_id, tenant, _ in plan.tenants]
    if not counts:
        return "no SMS to send"
    low, high = min(c.segments for c in counts), max(c.segments for c in counts)
    encodings = "/".join(sorted({c.encoding for c in counts}))
    each = f"{low} segment{'s' if low > 1 else ''} each" if low == high else f"{low}-{high} segments each"
    return f"{each} ({encodings})"


def iter_sms_batch(store: Store, request: SmsRequest, provider: SmsProvider, *, now: datetime | None = None,
                   ) -> Iterator[Progress | SmsReport]:
    """Queues the notice's SMS for every tenant who agreed to SMS and has none yet, then sends them.

    Every text is written and checked first: a text too long stops the batch before anything is
    recorded or sent. Raises SmsInterrupted when the provider cannot be used; the rest stays queued.
    """
    now = now or utc_now()
    plan = plan_sms(store, request)
    work = store.get_work_order(request.work_order_id)
    prop = store.get_property(work.property_id)
    texts = [(unit_id, tenant, phone, sms_text(store, work, prop, tenant, unit_id, request.kind))
             for unit_id, tenant, phone in plan.tenants]
    report = SmsReport(skipped=plan.skipped, already=[n.tenant_id for n in plan.already if n.tenant_id])
    new: list[Notice] = []
    if texts:
        report.batch_id = uuid.uuid4().hex[:12]
        units = {u.id: u.label for u in store.affected_units(work)}
        numbers = store.reserve_notice_numbers(len(texts))
        new = store.add_notices([
            Notice(id=number, work_order_id=work.id, tenant_id=tenant.id, unit_id=unit_id, kind=request.kind,
                   language=tenant.language if tenant.language in LANGUAGES else "en", channel="sms",
                   recipient_name=tenant.name, recipient_phone=phone, subject=pick_text(work.title, tenant.language),
                   body_text=text, state="queued", created_at=now, batch_id=report.batch_id,
                   property_name=prop.name, unit_label=units.get(unit_id, ""))
            for number, (unit_id, tenant, phone, text) in zip(numbers, texts)])
    to_send = plan.resume + new
    if to_send:
        sent = yield from _send(store, to_send, provider, now)
        _merge(report, sent)
    yield report


def waiting_to_send(store: Store) -> list[Notice]:
    """The SMS notices a retry looks at: queued ones, and unknown ones (asked of the provider first)."""
    return store.find_notices(channels=("sms",), states=("queued", "unknown"))


def iter_sms_retry(store: Store, provider: SmsProvider, notice_ids: Iterable[int] | None = None, *,
                   now: datetime | None = None) -> Iterator[Progress | SmsReport]:
    """Sends the queued SMS notices; an unknown one is asked of the provider first and sent only if it
    does not have it. With `notice_ids`, exactly those; a notice sent or delivered is refused."""
    now = now or utc_now()
    if notice_ids is not None:
        wanted = sorted(set(notice_ids))
        notices = store.find_notices(ids=wanted, channels=("sms",))
        if missing := sorted(set(wanted) - {n.id for n in notices}):
            raise InvalidInput(f"notice {missing[0]} is not an SMS notice in the outbox")
        if done := [n for n in notices if n.state in ("sent", "delivered")]:
            raise InvalidInput(f"notice {done[0].id} was sent at {to_text(done[0].sent_at)}: it is not sent twice")
        notices = [n for n in notices if n.state in ("queued", "unknown")]
    else:
        notices = waiting_to_send(store)
    report = SmsReport()
    if notices:
        report = yield from _send(store, notices, provider, now)
    yield report


def _merge(report: SmsReport, more: SmsReport) -> None:
    for name in ("sent", "failed", "unknown", "queued", "held", "elsewhere", "found"):
        getattr(report, name).extend(getattr(more, name))
    report.quiet_until = report.quiet_until or more.quiet_until


def _send(store: Store, notices: list[Notice], provider: SmsProvider, now: datetime):
    """Yields Progress; returns the SmsReport."""
    report = SmsReport()
    properties: dict[int, Property] = {}
    total = len(notices)
    yield Progress(0, total)
    for done, notice in enumerate(notices, start=1):
        if notice.work_order_id not in properties:
            properties[notice.work_order_id] = store.get_property(store.get_work_order(notice.work_order_id).property_id)
        prop = properties[notice.work_order_id]
        until = None if notice.kind in QUIET_EXEMPT else quiet_until(prop, now)
        if until is not None:
            store.move_notice(notice.id, ("queued", "unknown"), notice.state,
                              error=f"waiting for the end of the quiet hours of {prop.name} at "
                                    f"{local(until, prop.timezone):%H:%M}")
            report.held.append(notice.id)
            report.quiet_until = until
            continue
        try:
            if notice.state == "unknown":
                if _found_at_provider(store, notice, provider):
                    report.found.append(notice.id)
                    report.sent.append(notice.id)
                    yield Progress(done, total)
                    continue
                store.move_notice(notice.id, ("unknown",), "queued", error="not found at the provider: sent again")
            if not store.move_notice(notice.id, ("queued",), "unknown",
                                     error=f"sending started at {to_text(utc_now())}; no answer from the provider was recorded"):
                report.elsewhere.append(notice.id)
                continue
            reply = provider.send(notice.recipient_phone, notice.body_text)
        except SmsUnavailable as exc:
            store.move_notice(notice.id, ("unknown",), "queued", error=exc.summary)
            report.queued = [n.id for n in notices[done - 1:] if n.id not in report.held]
            raise SmsInterrupted(exc, report) from None
        if reply.outcome == "accepted":
            store.move_notice(notice.id, ("unknown",), "sent", sent_at=utc_now(), error="", delivery_method="sms",
                              delivered_by=f"{provider.name}: {reply.detail or 'accepted'}", message_id=reply.provider_id)
            report.sent.append(notice.id)
        elif reply.outcome == "refused":
            store.move_notice(notice.id, ("unknown",), "failed", error=reply.detail)
            report.failed.append(notice.id)
        else:
            store.move_notice(notice.id, ("unknown",), "unknown", error=reply.detail)
            report.unknown.append(notice.id)
        yield Progress(done, total)
    return report


def _found_at_provider(store: Store, notice: Notice, provider: SmsProvider) -> bool:
    """Whether the provider has this unknown notice's text; if so it is recorded as sent."""
    since = (notice.created_at or utc_now()) - timedelta(days=1)
    found = provider.find(notice.recipient_phone, notice.body_text, since)
    if found is None:
        return False
    store.move_notice(notice.id, ("unknown",), "sent", sent_at=notice.created_at or utc_now(), error="",
                      delivery_method="sms", delivered_by=f"{provider.name}: found after a lost answer",
                      message_id=found.provider_id)
    return True
