"""Preparing the email notices of a batch: each letter rendered once, then kept ready to send.

For every tenant: the notice is rendered (maintdesk.letters.issuing.prepare: subject, letter, email HTML and
text), its PDF made once (maintdesk.letters.pdf, in worker processes), and the whole message built once —
Date, Message-ID, the PDF, the invite — and written as an .eml file into the archive beside the
PDF. Sending then only reads those bytes: a resumed batch sends the very message that was prepared,
with the same Message-ID, and the archive keeps exactly what was sent.

The notices are recorded in one transaction once every file exists (state `queued` for SMTP,
`generated` for an .eml export): a batch that fails before leaves no notice recorded. A long
batch sent by SMTP is recorded part by part instead, each part once its messages exist, so that
it is sent while the rest is rendered (maintdesk.mail.pipeline); a batch that fails halfway then
leaves its first parts recorded (queued or sent), and the same command again sends the rest.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from maintdesk.letters import issuing, pdf
from maintdesk.errors import InvalidInput
from maintdesk.letters.context import UNIT_WORD, street_address
from maintdesk.mail.message import (
    CANCEL_KINDS, NO_INVITE_KINDS, Attachment, Invite, MailAddress, Sender, build_message, invite_uid,
    mail_address, message_bytes, new_message_id, sender_of,
)
from maintdesk.records.models import Notice, Property, Tenant, Unit, WorkOrder, pick_text
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from maintdesk.timeutil import utc_now

INVITE_CHANNELS = ("email", "eml")


@dataclass(frozen=True)
class Progress:
    stage: str   # "rendering" (letters and PDFs), "printing" (the print batch), "sending"
    done: int
    total: int


@dataclass(frozen=True)
class PreparedBatch:
    batch_id: str
    notices: list[Notice]
    files: list[Path]  # the .eml files (in the export folder for an export, else in the archive)


def eml_path(store_path: Path, notice: Notice) -> Path:
    """The archived message of an email notice: beside its PDF, same name, .eml."""
    return issuing.archive_dir(store_path) / Path(notice.pdf_path).with_suffix(".eml")


def recipient(tenant: Tenant) -> MailAddress:
    return mail_address(f'tenant {tenant.id} ("{" ".join(tenant.name.split())}") email', tenant.email, tenant.name)


def invite_for(work: WorkOrder, prop: Property, unit: Unit, tenant: Tenant, kind: str, language: str,
               sender: Sender, to: MailAddress, sequence: int, now: datetime, description: str) -> Invite | None:
    """The tenant's slot (else the whole window) as a calendar event; None for a completion notice."""
    if kind in NO_INVITE_KINDS or work.id is None:
        return None
    slot = next((s for s in work.slots if s.unit_id == unit.id), None)
    start, end = (slot.start, slot.end) if slot else (work.window_start, work.window_end)
    place = [f"{UNIT_WORD.get(language, 'Apt')} {unit.label}"] if work.scope == "units" else []
    return Invite(
        uid=invite_uid(work.id, tenant.id, sender.address.domain), sequence=sequence, cancel=kind in CANCEL_KINDS,
        start=start, end=end, timezone=prop.timezone, summary=f"{pick_text(work.title, language)} – {prop.name}",
        location=", ".join(place + [prop.name] + street_address(prop)), description=description,
        organizer=sender.address, attendee=to, stamp=now,
    )


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@dataclass(frozen=True)
class PreparedPart:
    """Notices of a batch recorded while its later letters are still rendered (`parts=True`)."""
    notices: list[Notice]


def iter_prepare(store: Store, store_path: Path, paths: AppPaths, request: issuing.BatchRequest, *,
                 channel: str = "email", export_dir: Path | None = None, now: datetime | None = None,
                 parts: bool = False) -> Iterator[Progress | PreparedPart | PreparedBatch]:
    """Renders and records the email notices of `request` (its tenant_ids: who gets an email).

    Yields Progress("rendering", …) and the PreparedBatch last. `channel` "email" records the
    notices as queued for SMTP; "eml" writes the messages into `export_dir` and records them as
    generated. The notices are recorded in one transaction once every message exists; with
    `parts`, each part of the batch is recorded (and yielded as a PreparedPart) as soon as its
    letters are rendered, so that they can be sent while the next ones are rendered.
    """
    now = now or utc_now()
    work = store.get_work_order(request.work_order_id)
    prop = store.get_property(work.property_id)
    sender = sender_of(store.sender_of(prop))
    to_by_tenant = {tenant.id: recipient(tenant) for _, tenant in issuing.recipients(store, work, request.tenant_ids)
                    if tenant.email}
    seen = store.issued_batches(request.work_order_id, request.kind)
    letters = issuing.prepare(store, paths, request, now)
    missing = [letter.tenant for letter in letters if letter.tenant.id not in to_by_tenant]
    if missing:
        raise InvalidInput(f'tenant {missing[0].id} ("{missing[0].name}") has no email address; '
                           "a letter is printed for them instead")
    issuing.hint_missing_font_subsetter()
    batch_id = uuid.uuid4().hex[:12]
    keep = issuing.archive_dir(store_path) / f"wo{work.id}" / batch_id
    jobs = [pdf.LetterJob(html=letter.rendered.letter_html, filename=letter.filename) for letter in letters]
    if export_dir is not None:
        export_dir.mkdir(parents=True, exist_ok=True)
    sequences = store.notice_counts_by_tenant(work.id, INVITE_CHANNELS)

    def compose(index: int, rendered_pdf: pdf.RenderedLetter) -> tuple[Notice, Path]:
        """The letter's message, written beside its PDF (and into the export folder), and its notice."""
        letter = letters[index]
        to = to_by_tenant[letter.tenant.id]
        rendered = letter.rendered
        message_id = new_message_id(sender)
        invite = invite_for(work, prop, letter.unit, letter.tenant, request.kind, letter.language, sender, to,
                            sequences.get(letter.tenant.id, 0), now, rendered.email_text)
        message = build_message(
            sender=sender, to=to, subject=rendered.subject, text=rendered.email_text, html=rendered.email_html,
            sent_at=now, message_id=message_id, invite=invite,
            attachments=(Attachment(rendered_pdf.filename, rendered_pdf.path.read_bytes()),),
        )
        data = message_bytes(message, smtputf8=to.needs_smtputf8)
        archived = rendered_pdf.path.with_suffix(".eml")
        _write(archived, data)
        file = archived
        if export_dir is not None:
            file = export_dir / archived.name
            _write(file, data)
        return Notice(
            id=letter.notice_id, work_order_id=work.id, tenant_id=letter.tenant.id, unit_id=letter.unit.id,
            kind=request.kind, language=letter.language, channel=channel, recipient_name=letter.tenant.name,
            recipient_email=to.addr, subject=rendered.subject, body_html=rendered.email_html,
            body_text=rendered.email_text, pdf_sha256=rendered_pdf.sha256,
            pdf_path=str(rendered_pdf.path.relative_to(issuing.archive_dir(store_path))),
            state="queued" if channel == "email" else "generated", created_at=now, message_id=message_id,
            batch_id=batch_id, property_name=prop.name, unit_label=letter.unit.label,
            corrects_notice_id=request.corrects.get(letter.tenant.id),
        ), file

    check = replace(request.check, batch_id=batch_id) if request.check is not None else None
    made: dict[int, tuple[Notice, Path]] = {}
    result: pdf.BatchResult | None = None
    for event in pdf.iter_render_batch(jobs, keep, **issuing.letter_render_options(paths), merged_name=None,
                                       each_part=parts):
        if isinstance(event, pdf.LettersDone):
            part = {index: compose(index, rendered_pdf) for index, rendered_pdf in event.letters}
            stored = store.add_notices([notice for notice, _ in part.values()], check if not made else None,
                                        seen=seen)
            made.update((index, (notice, part[index][1])) for index, notice in zip(part, stored))
            yield PreparedPart(stored)
        elif isinstance(event, pdf.Progress):
            yield Progress("rendering", event.done, event.total)
        else:
            result = event
    assert result is not None
    if not parts:
        part = {index: compose(index, rendered_pdf) for index, rendered_pdf in enumerate(result.letters)}
        stored = store.add_notices([notice for notice, _ in part.values()], check, seen=seen)
        made = {index: (notice, part[index][1]) for index, notice in zip(part, stored)}
    in_order = [made[index] for index in range(len(letters))]
    yield PreparedBatch(batch_id, [notice for notice, _ in in_order], [file for _, file in in_order])


def prepare(store: Store, store_path: Path, paths: AppPaths, request: issuing.BatchRequest,
            **options: object) -> PreparedBatch:
    outcome = None
    for event in iter_prepare(store, store_path, paths, request, **options):  # type: ignore[arg-type]
        if isinstance(event, PreparedBatch):
            outcome = event
    assert outcome is not None
    return outcome

