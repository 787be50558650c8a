"""The JSON interchange file: the whole database, out and back in.

The format is documented in docs/data-format.md. Import is all or nothing, in one transaction,
and every error names its place in the file, e.g. `properties[1].units[3].label: duplicate "3B"`.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from maintdesk.records.agreements import EntryAgreement
from maintdesk.errors import ConflictError, InvalidInput, Problem, ValidationError
from maintdesk.records.models import (
    INBOUND_KINDS, ActionItem, InboundMessage, IssueCheck, Notice, NoticeVoid, Organization, Property, SenderProfile, Slot, Tenant,
    Unit,
    WorkOrder,
)
from maintdesk.records.store import Store
from maintdesk.records.terms import FindingOverride, WorkTerms
from maintdesk.timeutil import from_text, to_text

FORMAT_NAME = "maintdesk-data"
FORMAT_VERSION = 4  # 2: senders (letterheads) of their own; a version 1 file's letterhead becomes the first
# 3: tenants' written consent to email notices, leases' notice periods (optional: older files lack them)
# 4: the bounces and replies read from the office mailbox (inbound_messages; older files have none)
READABLE_VERSIONS = (1, 2, 3, 4)
_V1_LETTERHEAD = ("address", "phone", "email", "website", "logo_path", "paper_size", "sender_name", "sender_title",
                  "sender_email", "reply_to")

_WORK_ORDER_NESTED = ("affected_units", "slots", "actions", "terms", "overrides", "entry_agreements")


# Export -------------------------------------------------------------------------------------

def _plain(record: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"id": record.id} if hasattr(record, "id") and "id" not in skip else {}
    for f in fields(record):
        if f.name in skip or f.name in out:
            continue
        value = getattr(record, f.name)
        if isinstance(value, datetime):
            value = to_text(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, dict):
            value = dict(sorted(value.items()))
        out[f.name] = value
    return out


def export_data(store: Store) -> dict[str, Any]:
    properties = []
    for prop in sorted(store.list_properties(), key=lambda p: p.id or 0):
        units = sorted(store.list_units(prop.id), key=lambda u: u.id or 0)
        labels = {u.id: u.label for u in units}
        unit_items = []
        for unit in units:
            item = _plain(unit, skip=("property_id",))
            item["tenants"] = [_plain(t, skip=("unit_id",)) for t in store.tenants_of_unit(unit.id)]
            unit_items.append(item)
        work_items = []
        for work in sorted(store.list_work_orders(prop.id), key=lambda w: w.id or 0):
            item = _plain(work, skip=("property_id", "all_units", "affected_unit_ids", "slots", "actions"))
            item["affected_units"] = "all" if work.all_units else [labels[u] for u in work.affected_unit_ids]
            item["slots"] = [
                {"unit": labels[s.unit_id], "start": to_text(s.start), "end": to_text(s.end)} for s in work.slots
            ]
            item["actions"] = [dict(sorted(a.text.items())) for a in work.actions]
            item["terms"] = _plain(store.get_work_terms(work.id), skip=("work_order_id", "updated_at"))
            item["overrides"] = [_plain(o, skip=("id", "work_order_id")) for o in store.list_finding_overrides(work.id)]
            item["entry_agreements"] = [{"unit": labels[a.unit_id], **_plain(a, skip=("id", "work_order_id", "unit_id"))}
                                        for a in store.list_entry_agreements(work.id)]
            work_items.append(item)
        properties.append({**_plain(prop), "units": unit_items, "work_orders": work_items})
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "organization": _plain(store.get_organization()),
        "senders": [_plain(sender) for sender in store.list_senders()],
        "properties": properties,
        "notices": [_plain(n) for n in sorted(store.list_notices(), key=lambda n: n.id or 0)],
        "notice_voids": [_plain(v) for _, v in sorted(store.voids().items())],
        "issue_checks": [_plain(c) for w in sorted(store.list_work_orders(), key=lambda w: w.id or 0)
                         for c in store.issue_checks(w.id)],
        "inbound_messages": [_plain(m) for m in store.list_inbound()],
    }


def export_to_file(store: Store, path: Path) -> None:
    text = json.dumps(export_data(store), ensure_ascii=False, indent=2) + "\n"
    Path(path).write_text(text, encoding="utf-8")


# Import -------------------------------------------------------------------------------------

def _fail(path: str, message: str) -> ValidationError:
    return ValidationError([Problem(path, message)])


def _expect(value: Any, kind: type | tuple[type, ...], path: str, what: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _fail(path, f"must be {what}")
    return value


def _build(cls: type, data: Any, path: str, skip: tuple[str, ...] = (), **given: Any) -> Any:
    """A dataclass from a JSON object: unknown or missing fields and wrong types name their path."""
    _expect(data, dict, path, "an object")
    known = {f.name: f for f in fields(cls)}
    for key in data:
        if key not in known and key not in skip:
            raise _fail(f"{path}.{key}", "unknown field")
    values = dict(given)
    for name, f in known.items():
        if name in given or name in skip:
            continue
        where = f"{path}.{name}"
        if name not in data:
            if f.default is MISSING and f.default_factory is MISSING:  # type: ignore[misc]
                raise _fail(where, "is required")
            continue
        value = data[name]
        kind = str(f.type)
        if value is None and "None" in kind:
            values[name] = None
        elif "datetime" in kind:
            _expect(value, str, where, "a date-time text such as 2026-05-14T07:00:00Z")
            try:
                values[name] = from_text(value)
            except ValueError as exc:
                raise _fail(where, f'"{value}" is not an ISO 8601 date-time with a time zone') from exc
        elif kind.startswith("date"):
            _expect(value, str, where, "a date text such as 2026-03-01")
            try:
                values[name] = date.fromisoformat(value)
            except ValueError as exc:
                raise _fail(where, f'"{value}" is not a date such as 2026-03-01') from exc
        elif kind == "LocalizedText":
            _expect(value, dict, where, 'an object of texts by language, e.g. {"en": "…", "fr": "…"}')
            values[name] = value
        elif kind == "bool":
            values[name] = _expect(value, bool, where, "true or false")
        elif kind == "dict":
            values[name] = _expect(value, dict, where, "an object")
        elif kind == "list[str]":
            items = _expect(value, list, where, "a list of texts")
            values[name] = [_expect(item, str, f"{where}[{i}]", "text") for i, item in enumerate(items)]
        elif kind.startswith("int"):
            values[name] = _expect(value, int, where, "a whole number")
        else:
            values[name] = _expect(value, str, where, "text")
    return cls(**values)


class _Ids:
    """The ids met so far in the file, per kind of record: a repeated id would merge two records."""

    def __init__(self) -> None:
        self.seen: dict[str, set[int]] = {}

    def check(self, kind: str, record: Any, path: str) -> None:
        record_id = getattr(record, "id", None)
        if record_id is None:
            return
        seen = self.seen.setdefault(kind, set())
        if record_id in seen:
            raise _fail(f"{path}.id", f"duplicate id {record_id}: another {kind} in this file has it")
        seen.add(record_id)


def _save(path: str, save: Any, record: Any, ids: _Ids | None = None, kind: str = "") -> Any:
    if ids is not None:
        ids.check(kind, record, path)
    try:
        return save(record)
    except ValidationError as exc:
        raise exc.under(path) from None


def import_data(store: Store, data: Any) -> dict[str, int]:
    """Load a whole interchange document into an empty database; all or nothing."""
    _expect(data, dict, "(top)", "a JSON object")
    if data.get("format") != FORMAT_NAME:
        raise _fail("format", f'must be "{FORMAT_NAME}"')
    if data.get("format_version") not in READABLE_VERSIONS:
        *older, newest = READABLE_VERSIONS
        raise _fail("format_version", f"must be {', '.join(map(str, older))} or {newest} "
                                      f"(this file says {data.get('format_version')!r})")
    if data["format_version"] == 1:
        data = _from_version_1(data)
    for key in data:
        if key not in ("format", "format_version", "organization", "senders", "properties", "notices",
                       "notice_voids", "issue_checks", "inbound_messages"):
            raise _fail(key, "unknown field")
    if not store.is_empty():
        counts = store.counts()
        raise InvalidInput(
            f"the database already holds records ({counts['properties']} properties, "
            f"{counts['notices']} notices); import into a new database file with --db NEW.sqlite"
        )
    ids = _Ids()
    with store.transaction():
        if "organization" in data:
            _save("organization", store.save_organization, _build(Organization, data["organization"], "organization"))
        for s_index, s_data in enumerate(_expect(data.get("senders", []), list, "senders", "a list")):
            where = f"senders[{s_index}]"
            _save(where, store.save_sender, _build(SenderProfile, s_data, where), ids, "sender")
        for p_index, p_data in enumerate(_expect(data.get("properties", []), list, "properties", "a list")):
            _import_property(store, p_data, f"properties[{p_index}]", ids)
        for n_index, n_data in enumerate(_expect(data.get("notices", []), list, "notices", "a list")):
            where = f"notices[{n_index}]"
            _save(where, store.add_notice, _build(Notice, n_data, where), ids, "notice")
        for v_index, v_data in enumerate(_expect(data.get("notice_voids", []), list, "notice_voids", "a list")):
            where = f"notice_voids[{v_index}]"
            void = _build(NoticeVoid, v_data, where)
            _save(where, lambda v: store.void_notice(v.notice_id, v.reason, v.voided_by, v.voided_at), void)
        for c_index, c_data in enumerate(_expect(data.get("issue_checks", []), list, "issue_checks", "a list")):
            where = f"issue_checks[{c_index}]"
            _save(where, store.add_issue_check, _build(IssueCheck, c_data, where))
        inbound = _expect(data.get("inbound_messages", []), list, "inbound_messages", "a list")
        for m_index, m_data in enumerate(inbound):
            where = f"inbound_messages[{m_index}]"
            message = _inbound(store, m_data, where)
            if _save(where, store.add_inbound, message, ids, "inbound message") is None:
                raise _fail(f"{where}.message_key", f"duplicate {message.message_key!r}: another message of this "
                                                    "file has it")
    return store.counts()


def _inbound(store: Store, data: Any, where: str) -> InboundMessage:
    """A bounce or reply of the file, checked as the mailbox reader would have kept it."""
    message = _build(InboundMessage, data, where)
    if message.kind not in INBOUND_KINDS:
        raise _fail(f"{where}.kind", f"must be one of {', '.join(INBOUND_KINDS)} (not {message.kind!r})")
    if message.notice_id is not None and not store._exists("notices", message.notice_id):
        raise _fail(f"{where}.notice_id", f"no notice {message.notice_id} in notices[]")
    if message.tenant_id is not None and not store._exists("tenants", message.tenant_id):
        raise _fail(f"{where}.tenant_id", f"no tenant {message.tenant_id} in properties[].units[].tenants[]")
    return message


def _from_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """A version 1 file had one letterhead in `organization`: it becomes the first sender, used by
    every property, as the database migration to schema 10 does."""
    organization = _expect(data.get("organization", {}), dict, "organization", "an object")
    letterhead = {key: organization[key] for key in _V1_LETTERHEAD if key in organization}
    data = {**data, "organization": {k: v for k, v in organization.items() if k not in _V1_LETTERHEAD}}
    if not any(str(value).strip() for value in (*letterhead.values(), organization.get("name", ""))):
        return data
    language = organization.get("default_language", "en")
    title = letterhead.get("sender_title", "")
    sender = {
        "id": 1, "label": organization.get("name") or "Main office", "name": organization.get("name", ""),
        **{key: letterhead[key] for key in ("address", "phone", "email", "website", "logo_path") if key in letterhead},
        "window_layout": "us-10" if letterhead.get("paper_size") == "Letter" else "din5008",
        "default_language": language, "signer_name": letterhead.get("sender_name", ""),
        "signer_titles": {language: title} if str(title).strip() else {},
        "email_from": letterhead.get("sender_email", ""), "reply_to": letterhead.get("reply_to", ""),
    }
    properties = [{**p, "sender_id": 1} if isinstance(p, dict) else p for p in data.get("properties", [])]
    return {**data, "senders": [sender], "properties": properties}


def _import_property(store: Store, p_data: Any, where: str, ids: _Ids) -> None:
    prop = _save(where, store.save_property, _build(Property, p_data, where, skip=("units", "work_orders")),
                 ids, "property")
    labels: dict[str, int] = {}
    for u_index, u_data in enumerate(_expect(p_data.get("units", []), list, f"{where}.units", "a list")):
        u_where = f"{where}.units[{u_index}]"
        unit = _save(u_where, store.save_unit, _build(Unit, u_data, u_where, skip=("tenants",), property_id=prop.id),
                     ids, "unit")
        labels[unit.label.casefold()] = unit.id
        tenants = _expect(u_data.get("tenants", []), list, f"{u_where}.tenants", "a list")
        for t_index, t_data in enumerate(tenants):
            t_where = f"{u_where}.tenants[{t_index}]"
            _save(t_where, store.save_tenant, _build(Tenant, t_data, t_where, unit_id=unit.id), ids, "tenant")
    works = _expect(p_data.get("work_orders", []), list, f"{where}.work_orders", "a list")
    for w_index, w_data in enumerate(works):
        w_where = f"{where}.work_orders[{w_index}]"
        work = _save(w_where, store.save_work_order, _work_order(w_data, w_where, prop.id, labels), ids, "work order")
        if "terms" in w_data:
            terms = _build(WorkTerms, w_data["terms"], f"{w_where}.terms", skip=("updated_at",), work_order_id=work.id)
            _save(f"{w_where}.terms", store.save_work_terms, terms)
        overrides = _expect(w_data.get("overrides", []), list, f"{w_where}.overrides", "a list")
        for o_index, o_data in enumerate(overrides):
            o_where = f"{w_where}.overrides[{o_index}]"
            _save(o_where, store.add_finding_override, _build(FindingOverride, o_data, o_where, work_order_id=work.id))
        agreements = _expect(w_data.get("entry_agreements", []), list, f"{w_where}.entry_agreements", "a list")
        for a_index, a_data in enumerate(agreements):
            _import_agreement(store, a_data, f"{w_where}.entry_agreements[{a_index}]", work.id, labels)


def _import_agreement(store: Store, data: Any, where: str, work_order_id: int, labels: dict[str, int]) -> None:
    _expect(data, dict, where, "an object")
    unit_id = _unit_id(data.get("unit"), labels, f"{where}.unit")
    agreement = _build(EntryAgreement, data, where, skip=("unit",), work_order_id=work_order_id, unit_id=unit_id)
    try:  # a unit the work no longer affects keeps the agreement recorded while it did
        _save(where, lambda a: store.add_entry_agreement(a, affected_only=False), agreement)
    except ConflictError as exc:
        raise _fail(where, exc.summary) from None


def _unit_id(label: Any, labels: dict[str, int], where: str) -> int:
    _expect(label, str, where, "a unit label")
    if label.casefold() not in labels:
        raise _fail(where, f'no unit "{label}" in this property')
    return labels[label.casefold()]


def _work_order(data: Any, where: str, property_id: int, labels: dict[str, int]) -> WorkOrder:
    work = _build(WorkOrder, data, where, skip=(*_WORK_ORDER_NESTED, "all_units", "affected_unit_ids"),
                  property_id=property_id)
    affected = data.get("affected_units", "all")
    if affected == "all":
        work.all_units = True
    else:
        _expect(affected, list, f"{where}.affected_units", '"all" or a list of unit labels')
        work.all_units = False
        work.affected_unit_ids = [
            _unit_id(label, labels, f"{where}.affected_units[{i}]") for i, label in enumerate(affected)
        ]
    slots = []
    for s_index, s_data in enumerate(_expect(data.get("slots", []), list, f"{where}.slots", "a list")):
        s_where = f"{where}.slots[{s_index}]"
        _expect(s_data, dict, s_where, "an object")
        unit_id = _unit_id(s_data.get("unit"), labels, f"{s_where}.unit")
        slots.append(_build(Slot, {k: v for k, v in s_data.items() if k != "unit"}, s_where, unit_id=unit_id))
    work.slots = slots
    actions = _expect(data.get("actions", []), list, f"{where}.actions", "a list")
    work.actions = [
        ActionItem(_expect(a, dict, f"{where}.actions[{i}]", 'an object of texts by language, e.g. {"en": "…"}'))
        for i, a in enumerate(actions)
    ]
    return work


def import_from_file(store: Store, path: Path) -> dict[str, int]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    return import_data(store, data)
