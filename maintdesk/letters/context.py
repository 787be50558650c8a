"""The values a letter template sees (documented in letter_templates/README.md).

Only plain strings, numbers, booleans, lists and dicts go in: templates run sandboxed and never
touch the records themselves. Tenant-facing texts are taken in the letter's language, falling back
to the other language when the manager wrote only one.

The update text of an `update` notice is written at issue time (it is not part of the work order):
`update_message` checks it, and a letter in a language the manager did not write gets the text
of the other language, like every other text of the work order.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from maintdesk.errors import InvalidInput
from maintdesk.letters.localize import Localizer
from maintdesk.records.models import (
    LANGUAGES, LocalizedText, Notice, Property, SenderProfile, Tenant, Unit, WorkOrder, pick_text,
)

UNIT_WORD = {"en": "Apt", "fr": "Appt", "de": "Whg.", "es": "Apto."}
MAX_LOGO_BYTES = 2 * 1024 * 1024
MESSAGE_KINDS = ("update",)  # kinds whose letter carries a text written when the notice is issued
MAX_MESSAGE_CHARS = 1500  # about half a page: the update letter stays on one page


@dataclass(frozen=True)
class NoticeFacts:
    """Everything one notice is made from."""

    sender: SenderProfile  # the building's letterhead
    property: Property
    unit: Unit
    tenant: Tenant
    work: WorkOrder
    kind: str
    language: str
    notice_id: int | None  # None: a draft, which uses up no number
    issued_at: datetime
    previous_window: tuple[datetime, datetime] | None = None
    message: LocalizedText | None = None  # the update text of an `update` notice, per language
    corrects: Notice | None = None  # the notice this one corrects


DRAFT_WORD = {"en": "DRAFT", "fr": "PROJET", "de": "ENTWURF", "es": "BORRADOR"}


def notice_reference(work_order_id: int, notice_id: int | None, language: str = "en") -> str:
    """'WO-1/N-17' as printed on a letter; a draft says DRAFT (PROJET) instead of a number."""
    return f"WO-{work_order_id}/N-{notice_id}" if notice_id is not None else f"WO-{work_order_id}/{DRAFT_WORD.get(language, 'DRAFT')}"


def update_message(kind: str, message: LocalizedText | None) -> LocalizedText:
    """The update text to print, checked: required for an `update` notice, {} for any other kind."""
    if kind not in MESSAGE_KINDS:
        return {}
    unknown = sorted(set(message or {}) - set(LANGUAGES))
    if unknown:
        raise InvalidInput(f'message: "{unknown[0]}" is not one of {", ".join(LANGUAGES)}')
    texts = {lang: text.strip() for lang, text in (message or {}).items() if text and text.strip()}
    if not texts:
        raise InvalidInput("message: an update notice needs the update text: write what has happened since the "
                           "last notice, in English, French or both (a letter in the other language uses it)")
    for lang, text in texts.items():
        if len(text) > MAX_MESSAGE_CHARS:
            raise InvalidInput(f"message ({lang}): the update text has {len(text)} characters; shorten it to "
                               f"{MAX_MESSAGE_CHARS} or fewer so the letter stays on one page")
    return texts


def street_address(prop: Property) -> list[str]:
    """The building's address lines in the local postal style (without the recipient)."""
    lines = [prop.address_line1] + ([prop.address_line2] if prop.address_line2 else [])
    if prop.country in ("US", "CA", "AU"):
        lines.append(" ".join(x for x in (prop.city, prop.region) if x) + (f"  {prop.postal_code}" if prop.postal_code else ""))
    elif prop.country in ("GB", "IE"):
        lines += [x for x in (prop.city.upper(), prop.postal_code) if x]
    else:
        lines.append(" ".join(x for x in (prop.postal_code, prop.city) if x))
    return lines


def recipient_lines(tenant: Tenant, unit: Unit, prop: Property, language: str) -> list[str]:
    """The address block for a window envelope: name, then the mailing address or the flat."""
    name = " ".join(x for x in (tenant.salutation, tenant.name) if x)
    if tenant.mailing_address.strip():
        return [name] + [line.strip() for line in tenant.mailing_address.splitlines() if line.strip()]
    return [name, unit_text(unit, language)] + street_address(prop)


def unit_text(unit: Unit, language: str) -> str:
    """'Appt 3B': the unit as a letter names it, also when the letter goes to another address."""
    return f"{UNIT_WORD.get(language, 'Apt')} {unit.label}"


def logo_url(sender: SenderProfile, default_logo: Path) -> str:
    """The logo URL for letters: the sender's own image as a data: URI (it may live anywhere),
    else MaintDesk's default logo as a file URL, which the PDF fetcher serves from the asset folder
    and WeasyPrint caches by URL instead of decoding it again for every letter."""
    if sender.logo_path:
        path = Path(sender.logo_path).expanduser()
        kind = mimetypes.guess_type(path.name)[0] or ""
        if path.is_file() and path.stat().st_size <= MAX_LOGO_BYTES and kind.startswith("image/"):
            return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
    return default_logo.resolve().as_uri() if default_logo.is_file() else ""


def notice_context(facts: NoticeFacts, *, logo_uri: str = "") -> dict[str, Any]:
    sender, prop, unit, tenant, work = facts.sender, facts.property, facts.unit, facts.tenant, facts.work
    lang = facts.language
    loc = Localizer(lang, prop.country, prop.timezone, clock=sender.time_format)

    def text(value: dict[str, str]) -> str:
        return pick_text(value, lang)

    slot = next((s for s in work.slots if s.unit_id == unit.id), None)
    address_lines = [line.strip() for line in sender.address.splitlines() if line.strip()]
    reference = notice_reference(work.id, facts.notice_id, lang)
    corrects = facts.corrects
    return {
        "lang": lang,
        "kind": facts.kind,
        "paper": sender.paper_size,
        "window_layout": sender.window_layout,
        "large_print": tenant.large_print,
        "today": {
            "date": loc.date_plain(facts.issued_at),
            # "Paris, le 4 décembre 2026"; de "Berlin, 4. Dezember 2026"; es "Madrid, 4 de diciembre de 2026"
            "place_date": f"{prop.city}, {'le ' if lang == 'fr' else ''}{loc.date_plain(facts.issued_at)}",
        },
        "org": {  # the building's sender: its letterhead, return address and signer
            "name": sender.name,
            "address_lines": address_lines,
            "one_line": " · ".join([sender.name] + address_lines[:2]),
            "phone": loc.phone(sender.phone),
            "email": sender.email,
            "website": sender.website,
            "logo_url": logo_uri,
            "sender_name": sender.signer_name,
            "sender_title": sender.signer_titles.get(lang, ""),  # none rather than another language's
        },
        "property": {
            "name": prop.name,
            "address_lines": street_address(prop),
            "city": prop.city,
            "timezone": prop.timezone,
            "manager_name": prop.manager_name,
            "manager_phone": loc.phone(prop.manager_phone),
            "manager_email": prop.manager_email,
        },
        "recipient": {"lines": recipient_lines(tenant, unit, prop, lang), "home": unit_text(unit, lang)},
        "tenant": {
            "name": tenant.name,
            "salutation": tenant.salutation,
            "unit": unit.label,
            "email": tenant.email,
            "phone": loc.phone(tenant.phone),
        },
        "work": {
            "id": work.id,
            "title": text(work.title),
            "category": work.category,
            "description": text(work.description),
            "reason": text(work.reason),
            "impact": text(work.impact),
            "alternatives": text(work.alternatives),
            "access_conditions": text(work.access_conditions),
            "updates_info": text(work.updates_info),
            "emergency": work.emergency,
            "scope": work.scope,
            "status": work.status,
            "window": loc.span(work.window_start, work.window_end),
            "contractor": work.contractor,
            "contact": {
                "name": work.contact_name or prop.manager_name,
                "phone": loc.phone(work.contact_phone or prop.manager_phone),
                "email": work.contact_email or prop.manager_email,
            },
        },
        "slot": loc.span(slot.start, slot.end) if slot else None,
        "previous_window": loc.span(*facts.previous_window) if facts.previous_window else None,
        "actions": [text(a.text) for a in work.actions if text(a.text)],
        "notice": {"id": facts.notice_id, "reference": reference, "kind": facts.kind},
        "draft": facts.notice_id is None,
        "corrects": None if corrects is None else {
            "reference": notice_reference(corrects.work_order_id, corrects.id),
            "date": loc.date_plain(corrects.created_at) if corrects.created_at else "",
        },
        "message": pick_text(facts.message or {}, lang) if facts.kind in MESSAGE_KINDS else "",
        "message_lang": _language_picked(facts.message or {}, lang),
    }


def _language_picked(text: LocalizedText, language: str) -> str:
    """The language `pick_text` takes its text from (for `lang="…"` around it)."""
    return language if text.get(language) else next((code for code in LANGUAGES if text.get(code)), language)
