"""Voiding an issued notice, and correcting it.

An issued notice is never edited or deleted. A void marks it (why, who, when) and it stays in the
archive as issued. A correction is a new notice of the same kind to the same tenants, made from
the work order as it is now, that names the notice it corrects ("this notice corrects notice
WO-1/N-5 of 3 December…"); the corrected notices are voided once their corrections are archived.
Both appear in the records export and the proof of notice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from maintdesk.errors import ConflictError, InvalidInput
from maintdesk.letters import pdf
from maintdesk.mail import outbox
from maintdesk.mail.outbox import EmailOutcome
from maintdesk.i18n import english
from maintdesk.notices.issue import Delivery, IssueRequest, email_request, letters_only, permit
from maintdesk.paths import AppPaths
from maintdesk.records.models import Notice, NoticeVoid
from maintdesk.records.store import Store
from maintdesk.timeutil import to_text, utc_now


def _notices(store: Store, notice_ids: list[int]) -> list[Notice]:
    if not notice_ids:
        raise InvalidInput("notice: name at least one notice")
    notices = [store.get_notice(i) for i in dict.fromkeys(notice_ids)]
    voided = store.voids()
    for notice in notices:
        if notice.id in voided:
            void = voided[notice.id]
            raise ConflictError(f"notice {notice.id} was voided on {to_text(void.voided_at)} by {void.voided_by} "
                                f"({void.reason}); a notice is voided once")
    return notices


def void_notices(store: Store, notice_ids: list[int], reason: str, by: str,
                 at: datetime | None = None) -> list[NoticeVoid]:
    """Voids every notice named, or none (one already voided, or a missing reason, stops them all)."""
    _notices(store, notice_ids)
    with store.transaction():
        return [store.void_notice(i, reason, by, at) for i in dict.fromkeys(notice_ids)]


def iter_correct(store: Store, db_path: Path, paths: AppPaths, notice_ids: list[int], reason: str, by: str,
                 print_dir: Path, delivery: Delivery, at: datetime | None = None
                 ) -> Iterator[pdf.Progress | outbox.Progress | EmailOutcome]:
    """Issues the correction of each notice named (one work order and kind at a time), then voids them."""
    notices = _notices(store, notice_ids)
    if not reason.strip():
        raise InvalidInput("reason: say why the notices are corrected (it is kept with the void)")
    if not by.strip():
        raise InvalidInput("by: say who corrects them")
    groups: dict[tuple[int, str], list[Notice]] = {}
    for notice in notices:
        if notice.tenant_id is None:
            raise InvalidInput(f"notice {notice.id}: its tenant was deleted since; void it instead")
        groups.setdefault((notice.work_order_id, notice.kind), []).append(notice)
    by_email = [n for n in notices if n.channel != "print"]
    if by_email and not delivery.possible:
        raise InvalidInput(english(len(by_email), "{n} notice to correct went by email", "{n} notices to correct "
                                   "went by email") + ": set up the email server, or save the corrections as .eml "
                           "files (--eml-dir); nothing was issued")
    at = at or utc_now()
    for (work_order_id, kind), items in groups.items():
        newest: dict[tuple[str, int], Notice] = {}  # the newest notice of a tenant on a channel is the one named
        for notice in items:
            key = ("print" if notice.channel == "print" else "email", notice.tenant_id or 0)
            if key not in newest or (notice.id or 0) > (newest[key].id or 0):
                newest[key] = notice
        for channel in ("print", "email"):
            chosen = {tenant_id: n.id for (c, tenant_id), n in newest.items() if c == channel and n.id is not None}
            if chosen:
                yield from _correct(store, db_path, paths, work_order_id, kind, channel, chosen, print_dir, delivery, at)
    void_notices(store, [n.id for n in notices if n.id is not None], reason, by, at)


def _correct(store: Store, db_path: Path, paths: AppPaths, work_order_id: int, kind: str, channel: str,
             corrects: dict[int, int], print_dir: Path, delivery: Delivery, at: datetime
             ) -> Iterator[pdf.Progress | outbox.Progress | EmailOutcome]:
    """The corrections of one work order's notices of one kind, on the channel the originals took."""
    request = IssueRequest(work_order_id, kind, print_dir, tenant_ids=frozenset(corrects), again=True,
                           corrects=corrects)
    check = permit(store, paths, request, at)
    emails = replace(email_request(store, request, check), print_dir=None)
    if channel == "print":
        yield from letters_only(store, db_path, paths, request, emails, check, at, refuse_emails=False)
    elif delivery.settings is not None:
        yield from outbox.iter_email_batch(store, db_path, paths, emails, delivery.settings, delivery.password, now=at,
                                           session=delivery.session)
    else:
        assert delivery.eml_dir is not None, "iter_correct checks that the emails can go"
        yield from outbox.iter_export_eml(store, db_path, paths, emails, delivery.eml_dir, now=at)
