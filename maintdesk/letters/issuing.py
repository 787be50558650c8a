"""Issuing a batch of printed notices for a work order: letters, PDFs, the archive.

The steps, in the order that keeps the archive honest:
0. refuse a kind the work order's state does not allow (maintdesk.letters.gates);
1. check the templates against sample data (a broken template stops the batch before anything);
2. reserve one notice number per recipient (each letter prints its own number);
3. render each letter's HTML (fast) and the PDFs in worker processes (slow, with progress);
4. copy each PDF into the archive folder beside the database and record every notice, with its
   SHA-256, in one transaction, with the checks as they stood (`BatchRequest.check`). A batch that
   fails before step 4 leaves no notice recorded.

Drafts (`iter_render_drafts`) are the same letters, marked DRAFT on every page, with no notice
number reserved and nothing recorded: what a manager reads before issuing.
"""

from __future__ import annotations

import ctypes.util
import logging
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import datetime
from pathlib import Path

from maintdesk.letters import pdf
from maintdesk.errors import InvalidInput, IssuedElsewhere
from maintdesk.letters.gates import require_issuable
from maintdesk.letters.context import NoticeFacts, logo_url, notice_context, recipient_lines, update_message
from maintdesk.letters.samples import sample_facts
from maintdesk.letters.templates import LetterTemplates, RenderedNotice, TemplateError, shared_templates, template_name
from maintdesk.records.models import LANGUAGES, NOTICE_KINDS, IssueCheck, Notice, Tenant, Unit, WorkOrder
from maintdesk.paths import AppPaths
from maintdesk.slugs import slug, unique_names
from maintdesk.records.store import Store
from maintdesk.timeutil import utc_now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchRequest:
    work_order_id: int
    kind: str
    out_dir: Path
    language: str | None = None  # None: each tenant's own language
    tenant_ids: frozenset[int] | None = None  # None: every active tenant of the affected units
    # The update text of an `update` notice, per language (required for it, ignored for other kinds).
    message: dict[str, str] = field(default_factory=dict, hash=False)
    # The checks as they stood when the batch was allowed (maintdesk.notices), kept with its notices.
    check: IssueCheck | None = field(default=None, hash=False)
    # A correction: tenant id → the notice of theirs this one corrects (printed on the letter).
    corrects: dict[int, int] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class PreparedLetter:
    tenant: Tenant
    unit: Unit
    language: str
    notice_id: int | None   # None for a draft: no number is used up
    rendered: RenderedNotice
    filename: str


@dataclass(frozen=True)
class IssuedBatch:
    batch_id: str
    notices: list[Notice]
    files: list[Path]
    merged_path: Path | None
    merged_pages: int


@dataclass(frozen=True)
class DraftBatch:
    letters: list[PreparedLetter]
    files: list[Path]
    merged_path: Path | None
    merged_pages: int


@lru_cache(maxsize=1)
def hint_missing_font_subsetter() -> bool:
    """Logs once when Debian's libharfbuzz-subset0 is missing (PDF fonts are then ~4x slower)."""
    if ctypes.util.find_library("harfbuzz-subset"):
        return False
    log.warning("libharfbuzz-subset is not installed: letters render about four times slower. "
                "Install it with `make install` (as root or with sudo) or `apt-get install libharfbuzz-subset0`.")
    return True


def templates_for(paths: AppPaths) -> LetterTemplates:
    return shared_templates(paths.templates_dir, paths.user_templates_dir)


def letter_render_options(paths: AppPaths) -> dict:
    """How letters are turned into PDFs here: the sandbox's folders and the stylesheet."""
    return {"resource_roots": [paths.templates_dir, paths.user_templates_dir, paths.assets_dir],
            "base_url": paths.templates_dir, "stylesheets": [stylesheet_for(paths)]}


def keep_renderer_warm(paths: AppPaths, language: str = "en") -> threading.Thread:
    """In the background: the notice templates compiled, and a PDF worker started with a sample
    letter laid out, kept between batches. The first draft preview then starts at once."""
    def warm_up() -> None:
        templates = templates_for(paths)
        templates.compile_all()
        try:
            sample = templates.render(template_name("initial", language, "units"),
                                      notice_context(sample_facts(language))).letter_html
        except TemplateError:
            sample = ""
        pdf.keep_warm(**letter_render_options(paths), sample=sample)

    thread = threading.Thread(target=warm_up, name="maintdesk-warm-up", daemon=True)
    thread.start()
    return thread


def stylesheet_for(paths: AppPaths) -> Path:
    own = paths.user_templates_dir / "letter.css"
    return own if own.is_file() else paths.templates_dir / "letter.css"


def check_templates(templates: LetterTemplates, kind: str, languages: set[str], scope: str) -> None:
    """Render the templates a batch needs with sample data; raises TemplateError on any mistake."""
    for language in sorted(languages):
        facts = sample_facts(language, kind, scope)
        templates.render(template_name(kind, language, scope), notice_context(facts))


def recipients(store: Store, work: WorkOrder, tenant_ids: frozenset[int] | None) -> list[tuple[Unit, Tenant]]:
    pairs = [(unit, tenant) for unit in store.affected_units(work) for tenant in store.tenants_of_unit(unit.id)
             if tenant.active]
    if tenant_ids is not None:
        known = {t.id for _, t in pairs}
        missing = sorted(set(tenant_ids) - known)
        if missing:
            raise InvalidInput(f"tenant {missing[0]} is not an active tenant of the units affected by work order {work.id}")
        pairs = [(u, t) for u, t in pairs if t.id in tenant_ids]
    return pairs


def prepare(store: Store, paths: AppPaths, request: BatchRequest, now: datetime | None = None, *,
            draft: bool = False) -> list[PreparedLetter]:
    if request.kind not in NOTICE_KINDS:
        raise InvalidInput(f'kind: "{request.kind}" is not one of {", ".join(NOTICE_KINDS)}')
    if request.language is not None and request.language not in LANGUAGES:
        raise InvalidInput(f'lang: "{request.language}" is not one of {", ".join(LANGUAGES)}')
    message = update_message(request.kind, request.message)
    work = store.get_work_order(request.work_order_id)
    now = now or utc_now()
    if not draft:
        require_issuable(work, request.kind, now)
        if request.check is not None and not request.check.ok:
            raise InvalidInput(f"work order {work.id} has an open error in its checks; fix it or accept it "
                               f"with a reason (`maintdesk work override {work.id} CODE --reason …`); nothing was issued")
    prop = store.get_property(work.property_id)
    sender = store.sender_of(prop)
    pairs = recipients(store, work, request.tenant_ids)
    if not pairs:
        raise InvalidInput(f"work order {work.id} has no active tenant in its affected units: nobody to write to")
    templates = templates_for(paths)
    languages = {request.language or t.language for _, t in pairs}
    check_templates(templates, request.kind, languages, work.scope)

    logo = logo_url(sender, paths.assets_dir / "logo.svg")
    numbers: list[int | None] = [None] * len(pairs) if draft else list(store.reserve_notice_numbers(len(pairs)))
    corrected = {tenant_id: store.get_notice(notice_id) for tenant_id, notice_id in request.corrects.items()}
    names = unique_names([
        f"{slug(prop.name, 24)}-{slug(unit.label, 10)}-{slug(tenant.name, 30)}-{request.kind}.pdf"
        for unit, tenant in pairs
    ])
    letters = []
    for (unit, tenant), number, filename in zip(pairs, numbers, names):
        language = request.language or tenant.language
        facts = NoticeFacts(sender, prop, unit, tenant, work, request.kind, language, number, now, work.previous_window,
                            message, corrects=corrected.get(tenant.id))
        rendered = templates.render(template_name(request.kind, language, work.scope), notice_context(facts, logo_uri=logo))
        letters.append(PreparedLetter(tenant, unit, language, number, rendered, filename))
    return letters


def archive_dir(store_path: Path) -> Path:
    """Issued PDFs are kept beside the database they are recorded in."""
    return store_path.parent / "notices"


def iter_issue_print_batch(store: Store, store_path: Path, paths: AppPaths, request: BatchRequest,
                           now: datetime | None = None) -> Iterator[pdf.Progress | IssuedBatch]:
    """Yields render progress, then the IssuedBatch once every notice is archived.

    IssuedElsewhere when another desk issued this work order's notices of the same kind meanwhile
    (nothing is recorded, the letters made here are removed from the archive folder)."""
    seen = store.issued_batches(request.work_order_id, request.kind)
    letters = prepare(store, paths, request, now)
    hint_missing_font_subsetter()
    work = store.get_work_order(request.work_order_id)
    prop = store.get_property(work.property_id)
    jobs = [pdf.LetterJob(html=letter.rendered.letter_html, filename=letter.filename) for letter in letters]
    merged_name = f"{slug(prop.name, 24)}-wo{work.id}-{request.kind}-all.pdf"
    result: pdf.BatchResult | None = None
    for event in pdf.iter_render_batch(jobs, request.out_dir, **letter_render_options(paths), merged_name=merged_name):
        if isinstance(event, pdf.Progress):
            yield event
        else:
            result = event
    assert result is not None
    issued_at = now or utc_now()
    batch_id = uuid.uuid4().hex[:12]
    keep = archive_dir(store_path) / f"wo{work.id}" / batch_id
    keep.mkdir(parents=True, exist_ok=True)
    notices = []
    for letter, rendered_pdf in zip(letters, result.letters):
        shutil.copy2(rendered_pdf.path, keep / rendered_pdf.filename)
        notices.append(Notice(
            corrects_notice_id=request.corrects.get(letter.tenant.id),
            id=letter.notice_id, work_order_id=work.id, tenant_id=letter.tenant.id, unit_id=letter.unit.id,
            kind=request.kind, language=letter.language, channel="print", recipient_name=letter.tenant.name,
            recipient_address="\n".join(recipient_lines(letter.tenant, letter.unit, prop, letter.language)[1:]),
            recipient_email=letter.tenant.email, subject=letter.rendered.subject,
            body_html=letter.rendered.letter_html, body_text=letter.rendered.email_text,
            pdf_path=str((keep / rendered_pdf.filename).relative_to(archive_dir(store_path))),
            pdf_sha256=rendered_pdf.sha256, state="generated", created_at=issued_at, batch_id=batch_id,
            property_name=prop.name, unit_label=letter.unit.label,
        ))
    check = replace(request.check, batch_id=batch_id) if request.check is not None else None
    try:
        stored = store.add_notices(notices, check, seen=seen)
    except IssuedElsewhere:
        shutil.rmtree(keep, ignore_errors=True)
        raise
    yield IssuedBatch(batch_id, stored, [r.path for r in result.letters], result.merged_path, result.merged_pages)


def iter_render_drafts(store: Store, paths: AppPaths, request: BatchRequest, now: datetime | None = None,
                       ) -> Iterator[pdf.Progress | DraftBatch]:
    """The batch's letters as drafts in `request.out_dir`: marked DRAFT on every page, nothing
    reserved, nothing recorded. Any kind, whatever the work order's state."""
    letters = prepare(store, paths, request, now, draft=True)
    work = store.get_work_order(request.work_order_id)
    jobs = [pdf.LetterJob(html=letter.rendered.letter_html, filename=f"draft-{letter.filename}") for letter in letters]
    result: pdf.BatchResult | None = None
    for event in pdf.iter_render_batch(
        jobs, request.out_dir, **letter_render_options(paths),
        merged_name=f"draft-wo{work.id}-{request.kind}-all.pdf" if len(jobs) > 1 else None,
    ):
        if isinstance(event, pdf.Progress):
            yield event
        else:
            result = event
    assert result is not None
    yield DraftBatch(letters, [r.path for r in result.letters], result.merged_path, result.merged_pages)


def issue_print_batch(store: Store, store_path: Path, paths: AppPaths, request: BatchRequest,
                      now: datetime | None = None) -> IssuedBatch:
    outcome = None
    for event in iter_issue_print_batch(store, store_path, paths, request, now):
        if isinstance(event, IssuedBatch):
            outcome = event
    assert outcome is not None
    return outcome
