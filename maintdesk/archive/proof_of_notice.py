"""The proof-of-notice report of a work order: who was told what, when and how.

One PDF per work order, from `letter_templates/proof-of-notice.html.j2` (in the language of the
building's sender, `report_language`), rendered by the same sandboxed worker processes as the letters. Recipients, subjects,
channels and fingerprints come from the archived notices, never from the tenants as they are now.
The law check is MaintDesk's `work check` (maintdesk.planning.checks) as it stood when the first
notice was issued, recorded with it (schema 9). For notices issued before MaintDesk kept that
record, it is recomputed from the work order as it is stored now, as at the moment of the first
notice, and the report says so. Its findings are printed in the report's language, as recorded
with the check (maintdesk.planning.wording); a check recorded before findings were written in
every language has them in English, and the report says so above them. Voided notices are marked
void (why, who, when); a correction names the notice it corrects. Each tenant's outcome per channel
(letter printed and handed or mailed; email accepted, bounced, replied; SMS delivered or failed)
comes from the notices' states and what the office mailbox returned (maintdesk.archive.channel_outcomes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_date

from maintdesk.archive import channel_outcomes
from maintdesk.letters import pdf
from maintdesk.errors import UserFacingError
from maintdesk.letters.context import street_address
from maintdesk.letters.templates import LetterTemplates
from maintdesk.letters.localize import Localizer
from maintdesk.letters.pdf.framing import join_under_frame
from maintdesk.planning.checks import check_work_order
from maintdesk.planning.wording import place
from maintdesk.records.models import SenderProfile, WorkOrder, pick_text
from maintdesk.paths import AppPaths
from maintdesk.slugs import slug
from maintdesk.records.store import Store

TEMPLATE = "proof-of-notice.html.j2"
BASE_LIMIT = 20.0          # seconds, as for a letter
SECONDS_PER_NOTICE = 0.1   # more for MaintDesk's own report, per notice listed (~7 per page)
PART_SIZE = 250            # notices in one part document of a long report (~32 pages, ~3 s)
FINDINGS_SHOWN = 40


def law_check(store: Store, paths: AppPaths, work_order_id: int, at: datetime,
              batch_ids: set[str] | None = None) -> dict[str, Any]:
    """The `work check` report for the template: the one recorded when the first of `batch_ids`
    was issued, else recomputed as at `at`; {"error": …} when it cannot run."""
    recorded = [c for c in store.issue_checks(work_order_id) if batch_ids is None or c.batch_id in batch_ids]
    if recorded:
        report, at_issue, at = recorded[0].report, True, recorded[0].checked_at
    else:
        try:
            report, at_issue = check_work_order(store, paths, work_order_id, at=at).view(), False
        except UserFacingError as exc:
            return {"available": False, "error": str(exc)}
    findings = report["findings"]
    return {
        "available": True, "error": "", "recorded": at_issue, "checked_at": at, "rules": report["rules"],
        "jurisdiction": report["jurisdiction"],
        "ok": report["ok"], "counts": report["counts"], "disclaimer": report["disclaimer"],
        "notice_kind": report["notice_kind"], "findings": findings[:FINDINGS_SHOWN],
        "more": max(0, len(findings) - FINDINGS_SHOWN),
    }


def report_context(store: Store, paths: AppPaths, work: WorkOrder, records: list, now: datetime,
                   language: str | None = None) -> dict[str, Any]:
    """What the template shows, in `language`, else in report_language's."""
    org = store.get_organization()
    prop = store.get_property(work.property_id)
    sender = store.sender_of(prop)
    lang = language or report_language(sender)
    loc = Localizer(lang, prop.country, prop.timezone, clock=sender.time_format)

    def when(moment: datetime | None) -> dict[str, str] | None:
        if moment is None:
            return None
        return {"text": f"{loc.date_plain(moment)} {loc.time(moment)}",
                "iso": loc.local(moment).isoformat()}

    voids = store.voids(work.id)
    inbound: dict[int, list] = {}
    for message in store.list_inbound(notice_ids=[r.notice.id for r in records]):
        inbound.setdefault(message.notice_id, []).append(message)
    notices = []
    for record in records:
        n = record.notice
        void = voids.get(n.id)
        notices.append({
            "id": n.id, "recipient": n.recipient_name,
            "address_lines": [x for x in n.recipient_address.splitlines() if x],
            "email": n.recipient_email, "unit": record.unit, "kind": n.kind, "language": n.language,
            "channel": n.channel, "state": n.state, "subject": n.subject, "created": when(n.created_at),
            "sent": when(n.sent_at), "delivered": when(n.delivered_at), "delivery_method": n.delivery_method,
            "delivered_by": n.delivered_by, "message_id": n.message_id, "error": n.error,
            "sha256": n.pdf_sha256, "file": record.pdf_file, "pdf_status": record.pdf_status,
            "void": None if void is None else {"reason": void.reason, "by": void.voided_by, "at": when(void.voided_at)},
            "corrects": n.corrects_notice_id, "phone": n.recipient_phone,
            "outcome": channel_outcomes.outcome(n, inbound.get(n.id, ())),
            "replies": channel_outcomes.replies(inbound.get(n.id, ())),
        })
    first = min((r.notice.created_at for r in records if r.notice.created_at), default=None)
    batches = {r.notice.batch_id for r in records if r.notice.batch_id}
    check = law_check(store, paths, work.id, first, batches) if first else {"available": False, "error": ""}
    if check.get("available"):
        check["at"] = when(check.pop("checked_at"))
        check.update(_in_language(check, lang, loc))
    return {
        "lang": lang,
        "org": {"name": sender.name or org.name, "address_lines": [x for x in sender.address.splitlines() if x]},
        "property": {"name": prop.name, "address_lines": street_address(prop), "timezone": prop.timezone,
                     "jurisdiction": prop.jurisdiction},
        "work": {"id": work.id, "title": pick_text(work.title, lang), "status": work.status,
                 "emergency": work.emergency, "window": loc.span(work.window_start, work.window_end)["text_with_zone"]},
        "generated": when(now),
        "kinds": _kinds(notices),
        "outcomes": channel_outcomes.by_tenant([(r.notice, r.unit) for r in records], inbound),
        "notices": notices,
        "check": check,
    }


def report_language(sender: SenderProfile) -> str:
    """The report is read by the building's owner, auditors and courts: in its office's language."""
    return sender.default_language


def _in_language(check: dict[str, Any], lang: str, loc: Localizer) -> dict[str, Any]:
    """The check's findings in the report's language, as recorded in it; a report recorded before
    the findings were written in every language has them in English only (`in_english`). A rule
    file's own words are quoted as written (`quoted`)."""
    findings = []
    for finding in check["findings"]:
        words = (finding.get("texts") or {}).get(lang)
        if words:
            marked = words.get("quoted") or []  # the passages quoted (true in a report of the first such version)
            quoted = [text for text in marked if text] if isinstance(marked, list) else []
            findings.append(dict(finding, lang=lang, quoted=bool(marked), message=words["message"], fix=words["fix"],
                                 message_parts=_parts(words["message"], quoted), fix_parts=_parts(words["fix"], quoted),
                                 citation=words.get("citation", finding["citation"])))
        else:
            findings.append(dict(finding, lang="en", quoted=False, message_parts=_parts(finding["message"], [], "en"),
                                 fix_parts=_parts(finding["fix"], [], "en")))
    rules = dict(check["rules"], name=place(check["rules"].get("id", ""), check["rules"]["name"])(lang))
    encoded = rules.get("encoded") or rules.get("checked")  # a check recorded before provenance had "checked": the
    if encoded:  # date the rule was written, not a reading of the statute; it is shown as such
        rules["encoded"] = format_date(date.fromisoformat(str(encoded)), "long", locale=loc.locale)
    if rules.get("verified"):
        rules["verified"] = dict(rules["verified"], on=format_date(date.fromisoformat(str(rules["verified"]["on"])),
                                                                   "long", locale=loc.locale))
    return {"findings": findings, "rules": rules, "quoted": any(f["quoted"] for f in findings),
            "in_english": lang != "en" and any(f["lang"] == "en" for f in findings)}


def _parts(text: str, quoted: list[str], lang: str = "") -> list[dict[str, str]]:
    """The text in pieces, each quoted passage of a rule file marked English ("lang"), so that the
    report's typography leaves it as written; `lang` marks the whole text."""
    if not text:
        return []
    if lang or not quoted:
        return [{"text": text, "lang": lang}]
    pieces = re.split("(" + "|".join(re.escape(q) for q in sorted(quoted, key=len, reverse=True)) + ")", text)
    return [{"text": piece, "lang": "en" if piece in quoted else ""} for piece in pieces if piece]


def _kinds(notices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    summary: dict[str, dict[str, Any]] = {}
    for n in notices:
        item = summary.setdefault(n["kind"], {"kind": n["kind"], "count": 0, "channels": set(), "first": n["created"]})
        item["count"] += 1
        item["channels"].add(n["channel"])
    return [dict(item, channels=sorted(item["channels"])) for item in summary.values()]


def report_name(work: WorkOrder, property_name: str) -> str:
    return f"proof-of-notice/wo{work.id}-{slug(property_name, 30)}.pdf"


def render_reports(store: Store, paths: AppPaths, records: list, out_dir: Path, now: datetime,
                   language: str | None = None) -> Iterator[pdf.Progress | dict[str, Path]]:
    """One report per work order of `records`, rendered into `out_dir` (in `language`, else each in
    report_language's); yields Progress (in documents laid out), then {name inside the ZIP: file}.

    A report of more than PART_SIZE notices is laid out in parts, both workers at once, and joined
    under a frame with the page numbers (maintdesk.letters.pdf.framing); a user's own copy of the
    template is laid out whole, as written."""
    by_work: dict[int, list] = {}
    for record in records:
        by_work.setdefault(record.notice.work_order_id, []).append(record)
    if not by_work:
        yield {}
        return
    templates = LetterTemplates(paths.templates_dir, paths.user_templates_dir)
    origin = templates.origin(TEMPLATE)
    reports = []
    for work_id, items in sorted(by_work.items()):
        work = store.get_work_order(work_id)
        reports.append(_Report(report_name(work, items[0].property_name),
                               report_context(store, paths, work, items, now, language)))
    jobs: list[pdf.LetterJob] = []
    largest = 0
    for report in reports:
        notices = report.context["notices"]
        size = PART_SIZE if origin == "built-in" else max(1, len(notices))
        chunks = [notices[i:i + size] for i in range(0, len(notices), size)] or [notices]
        for number, chunk in enumerate(chunks):
            largest = max(largest, len(chunk))
            context = dict(report.context, notices=chunk, layout="whole" if len(chunks) == 1 else "part",
                           part={"first": number == 0, "last": number == len(chunks) - 1})
            filename = report.file if len(chunks) == 1 else f"{Path(report.file).stem}-part{number + 1}.pdf"
            report.parts.append(len(jobs))
            jobs.append(pdf.LetterJob(html=templates.render_page(TEMPLATE, context), filename=filename,
                                      template=TEMPLATE, origin=origin))
    split = [report for report in reports if len(report.parts) > 1]
    steps = len(jobs) + (1 if split else 0)
    # The letters' time limit guards against a user template that never ends; MaintDesk's own
    # report gets time in proportion to what a document lists (about 7 pages a second, with room).
    limit = BASE_LIMIT + (SECONDS_PER_NOTICE * largest if origin == "built-in" else 0)
    options = dict(resource_roots=[paths.templates_dir, paths.user_templates_dir, paths.assets_dir],
                   base_url=paths.templates_dir, merged_name=None, time_limit=limit, stamp=False)
    result = None
    for event in pdf.iter_render_batch(jobs, out_dir, letters_per_task=1 if split else None, **options):
        if isinstance(event, pdf.Progress):
            yield pdf.Progress(event.done, steps)
        else:
            result = event
    assert result is not None
    files = {report.name: result.letters[report.parts[0]].path for report in reports}
    if split:
        files.update(_join_parts(templates, split, result.letters, out_dir, options))
        yield pdf.Progress(steps, steps)
    yield files


@dataclass
class _Report:
    name: str                 # inside the ZIP
    context: dict[str, Any]
    parts: list[int] = field(default_factory=list)   # indexes of its part documents

    @property
    def file(self) -> str:
        return Path(self.name).name


def _join_parts(templates: LetterTemplates, split: list[_Report], letters: list[pdf.RenderedLetter], out_dir: Path,
                options: dict[str, Any]) -> dict[str, Path]:
    """Lay out the frame of each report split in parts (its page numbers), then join each under it."""
    frames = []
    for report in split:
        pages = sum(letters[i].pages for i in report.parts)
        html = templates.render_page(TEMPLATE, dict(report.context, layout="frame", frame_pages=pages))
        frames.append(pdf.LetterJob(html=html, filename=f"{Path(report.file).stem}-frame.pdf", template=TEMPLATE,
                                    origin="built-in"))
    files = {}
    for report, frame in zip(split, pdf.render_batch(frames, out_dir, **options).letters):
        parts = [letters[i].path for i in report.parts]
        target = out_dir / report.file
        join_under_frame(parts, frame.path, target)
        for path in [*parts, frame.path]:
            path.unlink(missing_ok=True)
        files[report.name] = target
    return files
