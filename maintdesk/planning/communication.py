"""The communication plan of a work order, and what is due at a moment.

Per active tenant of the affected units, on the channels they chose: the first notice (due as
soon as the work is scheduled; to be sent by the later of 72 h and the jurisdiction's minimum
before their visit, counting the delivery method), a reminder 24 h before, a short final reminder
about 1 h before (email and SMS only), a postponement or cancellation notice to those already told, and
the completion message once the work is completed (to those told before, or to all when nobody
was; listed until a week after the window). Emergency work: the emergency notice at once, on every
channel the tenant has. While work is in progress and it is an emergency or lasts longer than a
day, a progress update to every tenant already told, on each channel they use, once a day
(UPDATE_INTERVAL after the last notice of the work or update on that channel, or after the start
of the window if that is later) until the window ends; its text is written by the manager, so
`due` lists it as waiting for that text. What was already issued comes from the notices table; a
failed delivery does not count.

SMS: the emergency notice and the reminders also go by SMS to tenants who agreed to it
(`Tenant.wants_sms`). An SMS is never a notice in the law's sense: the rules engine does not see
it. When a tenant's SMS failed (refused, undelivered), the message falls back to their next
channel: email if they have a working address, else paper.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from maintdesk.planning import scheduling
from maintdesk.records.models import LocalizedText, Notice, Property, Slot, Tenant, WorkOrder, pick_text
from maintdesk.planning.rules import lookup
from maintdesk.planning.rules.engine import paper_required, send_by
from maintdesk.planning.rules.entry_times import closed_day, lawful_hours
from maintdesk.planning.rules.facts import Recipient, Visit, WorkFacts
from maintdesk.records.store import Store
from maintdesk.records.terms import WorkTerms, effective_nature, parse_period
from maintdesk.timeutil import to_text, utc_now

NOTICE_OF_ENTRY = ("initial", "emergency", "postponed")  # kinds that count as the notice of the work
COMPLETION_KEPT_DUE = timedelta(days=7)  # an unsent completion message stops being listed after this
UPDATE_INTERVAL = timedelta(hours=24)  # during long or urgent work, an update this long after the last word
LONG_WORK = timedelta(hours=24)  # planned work whose window is longer than this gets updates
UPDATE_LATE_AFTER = timedelta(hours=6)  # an update is late this long after it became due
NEEDS_TEXT_KINDS = ("update",)  # kinds whose text the manager writes at issue time: never sent unattended


@dataclass(frozen=True)
class Message:
    work_order_id: int
    kind: str
    channel: str  # "print", "email" or "sms"
    tenant_id: int
    tenant_name: str
    unit: str
    due_at: datetime  # from when it should go out
    send_by: datetime  # when it is late
    expires_at: datetime | None  # after this it is pointless (the visit has started)
    issued_at: datetime | None


SMS_KINDS = ("emergency", "reminder", "final-reminder")  # urgent and short messages also go by SMS


def _channel(notice: Notice) -> str:
    return notice.channel if notice.channel in ("print", "sms") else "email"


def _failed_sms(notices: list[Notice]) -> set[tuple[int | None, str]]:
    """(tenant, kind) whose SMS failed (refused, undelivered) with none on its way since."""
    failed = {(n.tenant_id, n.kind) for n in notices if n.channel == "sms" and n.state == "failed"}
    return failed - {(n.tenant_id, n.kind) for n in notices if n.channel == "sms" and n.state != "failed"}


def sms_channel(tenant: Tenant, kind: str) -> list[str]:
    """["sms"] when the tenant agreed to SMS and this kind goes by SMS."""
    return ["sms"] if kind in SMS_KINDS and tenant.wants_sms else []


def fallback_channel(tenant: Tenant) -> str:
    """Where a notice goes when its SMS failed: email if the tenant has a working address, else paper."""
    return "email" if tenant.email and not tenant.paper_reason else "print"


def _issued(notices: list[Notice]) -> dict[tuple[int | None, str, str], datetime]:
    """(tenant, kind, channel) → when it was first issued; failed deliveries do not count."""
    done: dict[tuple[int | None, str, str], datetime] = {}
    for n in notices:
        if n.state != "failed" and n.created_at is not None:
            key = (n.tenant_id, n.kind, _channel(n))
            done[key] = min(done.get(key, n.created_at), n.sent_at or n.created_at)
    return done


def _last_word(notices: list[Notice]) -> dict[tuple[int | None, str], datetime]:
    """(tenant, channel) → when the tenant was last told about the work (notice of entry or update)."""
    last: dict[tuple[int | None, str], datetime] = {}
    for n in notices:
        if n.kind in NOTICE_OF_ENTRY + ("update",) and n.state != "failed" and n.created_at is not None:
            key = (n.tenant_id, _channel(n))
            last[key] = max(last.get(key, n.created_at), n.sent_at or n.created_at)
    return last


def gets_updates(work: WorkOrder) -> bool:
    """Work in progress that is urgent or long enough for tenants to need news along the way."""
    return work.status == "in_progress" and (work.emergency or work.window_end - work.window_start > LONG_WORK)


def tenant_channels(tenant: Tenant, *, every: bool = False, paper: bool = False) -> list[str]:
    """The channels a tenant's notice goes by: their own choice, every one they have for urgent work,
    and paper as well where the law wants the notice on paper (`paper`)."""
    if every:
        return ["print"] + (["email"] if tenant.email else [])
    return (["print"] if tenant.wants_print or paper else []) + (["email"] if tenant.wants_email else [])


def gather_facts(store: Store, work: WorkOrder, at: datetime | None = None,
                 terms: WorkTerms | None = None) -> WorkFacts:
    """What the rules engine needs, read from the store."""
    prop = store.get_property(work.property_id)
    terms = terms or store.get_work_terms(work.id)
    units = store.affected_units(work)
    slots = {s.unit_id: s for s in work.slots}
    agreed = {a.unit_id for a in store.list_entry_agreements(work.id) if a.in_force}
    if work.scope == "building":  # one visit for the whole building: agreed only when every unit agreed
        visits = [Visit(None, "building", work.window_start, work.window_end, False,
                        bool(units) and all(u.id in agreed for u in units))]
    else:
        visits = [Visit(u.id, u.label, *((slots[u.id].start, slots[u.id].end, True) if u.id in slots
                                         else (work.window_start, work.window_end, False)), u.id in agreed)
                  for u in units]
    # After a postponement only the postponement notice gives the new date (a second postponement
    # cannot be told from the first: no time of the change is stored).
    kinds = NOTICE_OF_ENTRY if work.previous_window is None else ("emergency", "postponed")
    issued = [n for n in store.list_notices(work.id) if n.kind in kinds and n.state != "failed" and n.channel != "sms"]

    def recipients(paper: bool) -> tuple[Recipient, ...]:
        found = []
        for unit in units:
            for tenant in store.tenants_of_unit(unit.id):
                if not tenant.active:
                    continue
                methods = tuple(terms.print_delivery if c == "print" else "email"
                                for c in tenant_channels(tenant, every=work.emergency, paper=paper))
                sent = tuple((terms.print_delivery if n.channel == "print" else "email", n.sent_at or n.created_at)
                             for n in issued if n.tenant_id == tenant.id and n.created_at)
                found.append(Recipient(tenant.id, tenant.name, unit.id, unit.label, methods, sent,
                                       email_consent=tenant.email_consent,
                                       lease_notice=tenant.lease_notice or prop.lease_notice))
        return tuple(found)

    facts = WorkFacts(work, prop, terms, effective_nature(terms, work), tuple(visits), recipients(False),
                      at or utc_now())
    # Where the law wants the notice on paper, MaintDesk prints it for tenants on email too.
    return replace(facts, recipients=recipients(True)) if paper_required(facts) else facts


def law_wants_paper(store: Store, work: WorkOrder) -> bool:
    """Whether the notice law of the work's place wants its notice on paper (then every tenant gets one)."""
    return paper_required(gather_facts(store, work))


def plan_work_order(store: Store, work: WorkOrder, at: datetime | None = None) -> list[Message]:
    """Every message of the work order's plan, issued or not."""
    facts = gather_facts(store, work, at)
    on_paper = paper_required(facts)  # the first notice goes on paper to every tenant
    rule = lookup(facts.prop.jurisdiction)[0]
    notices = store.list_notices(work.id)
    done = _issued(notices)
    failed_sms = _failed_sms(notices)
    last_word = _last_word(notices) if gets_updates(work) else {}
    told = {tenant for (tenant, kind, _) in done if kind != "completed"}
    created = work.created_at or facts.at
    messages: list[Message] = []
    for r in facts.recipients:
        tenant = store.get_tenant(r.tenant_id)
        entry = facts.entry_of(r.unit_id)

        def add(kind: str, channels: list[str], due: datetime, late: datetime, expires: datetime | None) -> None:
            if "sms" in channels and (r.tenant_id, kind) in failed_sms:  # the SMS failed: the next channel
                fallback = fallback_channel(tenant)
                channels = [c for c in channels if c != "sms"] + ([fallback] if fallback not in channels else [])
            for channel in channels:
                messages.append(Message(work.id, kind, channel, r.tenant_id, r.name, r.unit, due, late, expires,
                                        done.get((r.tenant_id, kind, channel))))

        status, now = work.status, facts.at
        if status == "draft":
            continue
        if status == "cancelled":
            if r.tenant_id in told:
                add("cancelled", tenant_channels(tenant), now, now + timedelta(hours=24), work.window_end)
            continue
        if status == "completed":
            if r.tenant_id in told or not told:
                due = min(work.window_end, now)
                add("completed", tenant_channels(tenant, every=work.emergency), due, due + timedelta(hours=24),
                    work.window_end + COMPLETION_KEPT_DUE)
            continue
        if last_word:
            for channel in tenant_channels(tenant, every=work.emergency):
                last = last_word.get((r.tenant_id, channel)) or max(
                    (t for (tenant_id, _), t in last_word.items() if tenant_id == r.tenant_id), default=None)
                if last is None:
                    continue
                # Counted from the start at the earliest: the first update comes a day into the work.
                # Each update moves the next one on, so the one planned is never issued yet.
                next_at = max(last, work.window_start) + UPDATE_INTERVAL
                if next_at < work.window_end:
                    messages.append(Message(work.id, "update", channel, r.tenant_id, r.name, r.unit, next_at,
                                            next_at + UPDATE_LATE_AFTER, work.window_end, None))
        if work.emergency:
            add("emergency", tenant_channels(tenant, every=True) + sms_channel(tenant, "emergency"), created,
                created + timedelta(hours=1), work.window_end)
            continue
        first = "postponed" if status == "postponed" and r.tenant_id in told else "initial"
        for channel in tenant_channels(tenant, paper=on_paper):
            method = "email" if channel == "email" else facts.terms.print_delivery
            late = send_by(rule, facts, method, entry)
            add(first, [channel], min(created, late), late, entry)
        add("reminder", tenant_channels(tenant) + sms_channel(tenant, "reminder"), entry - timedelta(hours=24),
            entry - timedelta(hours=12), entry)
        final = (["email"] if tenant.wants_email else []) + sms_channel(tenant, "final-reminder")
        if final:
            add("final-reminder", final, entry - timedelta(hours=1), entry - timedelta(minutes=15), entry)
    return messages


@dataclass
class DueGroup:
    work_order_id: int
    property_name: str
    titles: LocalizedText  # the work order's title in each language it has
    kind: str
    channel: str
    due_at: datetime
    send_by: datetime
    late: bool
    tenants: list[Message]

    @property
    def title(self) -> str:
        """The title for the command line: English where there is one."""
        return pick_text(self.titles, "en")

    @property
    def needs_text(self) -> bool:
        """The manager must write this message (an update) before it can go out."""
        return self.kind in NEEDS_TEXT_KINDS

    def view(self, prop: Property | None = None) -> dict[str, Any]:
        return {
            "work_order_id": self.work_order_id, "property_name": self.property_name, "title": self.title,
            "kind": self.kind, "channel": self.channel, "due_at": to_text(self.due_at),
            "send_by": to_text(self.send_by), "late": self.late, "count": len(self.tenants),
            "waiting_for_email": self.channel == "email",
            "waiting_for_text": self.needs_text,
            "tenants": [{"id": m.tenant_id, "name": m.tenant_name, "unit": m.unit} for m in self.tenants],
        }


def due(store: Store, at: datetime | None = None) -> list[DueGroup]:
    """What should go out at `at` and has not: grouped per work order, kind and channel."""
    at = at or utc_now()
    groups: dict[tuple[int, str, str], DueGroup] = {}
    properties = {p.id: p for p in store.list_properties()}
    for work in store.list_work_orders():
        for m in plan_work_order(store, work, at):
            if m.issued_at is not None or m.due_at > at or (m.expires_at is not None and at >= m.expires_at):
                continue
            key = (work.id, m.kind, m.channel)
            if key not in groups:
                groups[key] = DueGroup(work.id, properties[work.property_id].name, work.title,
                                       m.kind, m.channel, m.due_at, m.send_by, False, [])
            group = groups[key]
            group.tenants.append(m)
            group.due_at, group.send_by = min(group.due_at, m.due_at), min(group.send_by, m.send_by)
            group.late = at > group.send_by
    return sorted(groups.values(), key=lambda g: (g.send_by, g.work_order_id, g.kind, g.channel))


def auto_slots(store: Store, work: WorkOrder, terms: WorkTerms, at: datetime) -> tuple[list[Slot], list[str]]:
    """Visit slots spread over the work window as `work slots --auto` and the work order form do it.

    Working hours are narrowed to the law's entry hours, closed days are skipped, and nothing is
    placed before `at` (rounded up to five minutes). Returns the slots and the notes to show
    (e.g. "working hours narrowed to 07:00–19:00 by …"). Raises a UserFacingError when the units do
    not fit.
    """
    facts = gather_facts(store, replace(work, id=work.id or 0, slots=[]), terms=terms)
    spread_terms, notes = terms, []
    limits = lawful_hours(facts)
    if limits:
        own = parse_period(f"{terms.day_start}-{terms.day_end}")
        start, end = max(own[0], limits[0]), min(own[1], limits[1])
        if (start, end) != own:
            spread_terms = replace(terms, day_start=f"{start:%H:%M}", day_end=f"{end:%H:%M}")
            notes.append(f"working hours narrowed to {start:%H:%M}–{end:%H:%M} by {limits[2]}")
    not_before = at.replace(second=0, microsecond=0)
    not_before += timedelta(minutes=-not_before.minute % 5)  # the next round five minutes
    units = store.affected_units(work)
    slots = scheduling.spread(work, units, spread_terms, facts.prop.timezone, closed_day(facts), not_before=not_before)
    return slots, notes
