"""Plain, JSON-ready views of the records, as the command line prints them (docs/cli.md)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from maintdesk.records.models import Property, TenantRow, Unit, WorkOrder
from maintdesk.timeutil import local, to_text


def property_view(prop: Property, unit_count: int | None = None, tenant_count: int | None = None) -> dict[str, Any]:
    view = asdict(prop)
    view = {"id": view.pop("id"), **view}
    if unit_count is not None:
        view["unit_count"] = unit_count
    if tenant_count is not None:
        view["tenant_count"] = tenant_count
    return view


def unit_view(unit: Unit) -> dict[str, Any]:
    return {"id": unit.id, "label": unit.label, "floor": unit.floor, "notes": unit.notes}


def tenant_view(row: TenantRow) -> dict[str, Any]:
    tenant = asdict(row.tenant)
    consent = tenant["email_consent_on"]
    tenant["email_consent_on"] = consent.isoformat() if consent is not None else None
    return {
        "id": tenant.pop("id"),
        **tenant,
        "unit_label": row.unit_label,
        "property_id": row.property_id,
        "property_name": row.property_name,
    }


def _local_text(moment: Any, zone_name: str) -> str:
    return local(moment, zone_name).isoformat()


def work_summary_view(work: WorkOrder, prop: Property, affected_count: int) -> dict[str, Any]:
    return {
        "id": work.id,
        "property_id": work.property_id,
        "property_name": prop.name,
        "title": work.title,
        "category": work.category,
        "status": work.status,
        "emergency": work.emergency,
        "scope": work.scope,
        "timezone": prop.timezone,
        "window_start": to_text(work.window_start),
        "window_end": to_text(work.window_end),
        "window_start_local": _local_text(work.window_start, prop.timezone),
        "window_end_local": _local_text(work.window_end, prop.timezone),
        "affected_unit_count": affected_count,
        "slot_count": len(work.slots),
        "action_count": len(work.actions),
    }


def work_detail_view(work: WorkOrder, prop: Property, affected: list[Unit]) -> dict[str, Any]:
    labels = {u.id: u.label for u in affected}
    view = work_summary_view(work, prop, len(affected))
    view.update({
        "description": work.description,
        "reason": work.reason,
        "impact": work.impact,
        "alternatives": work.alternatives,
        "access_conditions": work.access_conditions,
        "updates_info": work.updates_info,
        "contractor": work.contractor,
        "contact_name": work.contact_name,
        "contact_phone": work.contact_phone,
        "contact_email": work.contact_email,
        "internal_notes": work.internal_notes,
        "all_units": work.all_units,
        "affected_units": [u.label for u in affected],
        "slots": [
            {
                "unit": labels.get(s.unit_id, str(s.unit_id)),
                "start": to_text(s.start),
                "end": to_text(s.end),
                "start_local": _local_text(s.start, prop.timezone),
                "end_local": _local_text(s.end, prop.timezone),
            }
            for s in work.slots
        ],
        "actions": [a.text for a in work.actions],
        "created_at": to_text(work.created_at) if work.created_at else None,
    })
    return view

