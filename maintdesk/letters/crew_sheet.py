"""The crew sheet: the visits of a work order in slot order, for the people doing the work."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from maintdesk.letters import pdf
from maintdesk.letters.context import street_address
from maintdesk.letters.templates import LetterTemplates
from maintdesk.letters.localize import Localizer
from maintdesk.records.models import Property, SenderProfile, Tenant, Unit, WorkOrder, pick_text
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from maintdesk.timeutil import utc_now

TEMPLATE = "crew-sheet.html.j2"


def crew_sheet_context(sender: SenderProfile, prop: Property, work: WorkOrder, units: list[Unit],
                       tenants_by_unit: dict[int, list[Tenant]], printed_at: datetime,
                       language: str | None = None) -> dict[str, Any]:
    """In `language`, else the one chosen on the work order, else the building's (its sender's)."""
    lang = language or work.crew_language or sender.default_language
    loc = Localizer(lang, prop.country, prop.timezone, clock=sender.time_format)
    slots = {s.unit_id: s for s in work.slots}

    def order(unit: Unit) -> tuple:
        slot = slots.get(unit.id)
        return (slot is None, slot.start if slot else None, unit.floor if unit.floor is not None else 1 << 30, unit.label)

    visits = []
    for unit in sorted(units, key=order):
        slot = slots.get(unit.id)
        visits.append({
            "unit": unit.label,
            "floor": unit.floor,
            "slot": loc.span(slot.start, slot.end) if slot else None,
            "unit_notes": unit.notes,
            "tenants": [
                {"name": t.name, "phone": loc.phone(t.phone), "email": t.email, "language": t.language,
                 "access_notes": t.access_notes}
                for t in tenants_by_unit.get(unit.id, []) if t.active
            ],
        })
    return {
        "lang": lang,
        "org": {"name": sender.name, "phone": loc.phone(sender.phone)},
        "property": {"name": prop.name, "address_lines": street_address(prop), "timezone": prop.timezone},
        "work": {
            "id": work.id,
            "title": pick_text(work.title, lang),
            "window": loc.span(work.window_start, work.window_end),
            "contractor": work.contractor,
            "internal_notes": work.internal_notes,
            "emergency": work.emergency,
        },
        "actions": [pick_text(a.text, lang) for a in work.actions],
        "manager": {
            "name": work.contact_name or prop.manager_name,
            "phone": loc.phone(work.contact_phone or prop.manager_phone),
            "email": work.contact_email or prop.manager_email,
        },
        "generated": f"{loc.date_plain(printed_at)} {loc.time(printed_at)}",
        "visits": visits,
    }


def write_crew_sheet(store: Store, paths: AppPaths, work_order_id: int, out: Path,
                     language: str | None = None) -> pdf.RenderedLetter:
    """Render the crew sheet of a work order to `out` (in `language`, else as `crew_sheet_context` says)."""
    work = store.get_work_order(work_order_id)
    prop = store.get_property(work.property_id)
    units = store.affected_units(work)
    context = crew_sheet_context(store.sender_of(prop), prop, work, units,
                                 {u.id: store.tenants_of_unit(u.id) for u in units}, utc_now(), language)
    templates = LetterTemplates(paths.templates_dir, paths.user_templates_dir)
    html = templates.render_page(TEMPLATE, context)
    out = Path(out)
    job = pdf.LetterJob(html=html, filename=out.name, template=TEMPLATE, origin=templates.origin(TEMPLATE))
    return pdf.render_one(job, out.parent,
                          resource_roots=[paths.templates_dir, paths.assets_dir], base_url=paths.templates_dir)
