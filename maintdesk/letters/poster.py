"""The lobby poster: building-wide work on one page in large type, in the building's languages.

The poster shows the work's window with its time zone, what it means for residents, what to do
and whom to ask, in the languages the building's active tenants read (the most read first), two
side by side. Its page has a fixed size and never runs onto a second one: when the work order's
texts are too long, the type is made smaller in steps and the result says so.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maintdesk.errors import InvalidInput, UserFacingError
from maintdesk.letters import pdf
from maintdesk.letters.context import street_address
from maintdesk.letters.localize import Localizer
from maintdesk.letters.templates import LetterTemplates
from maintdesk.paths import AppPaths
from maintdesk.records.models import LANGUAGES, LocalizedText, Property, SenderProfile, WorkOrder
from maintdesk.records.store import Store

TEMPLATE = "poster.html.j2"
# Paper: the CSS page size, and how much larger than on A4 the type and margins are (by width).
PAPERS = {"A4": ("210mm 297mm", 1.0), "Letter": ("8.5in 11in", 1.0), "A3": ("297mm 420mm", 1.4),
          "Tabloid": ("11in 17in", 1.3)}
BODY_PT = 20.0      # the body's size on A4 at full size (the title is 2.1 times that)
ONE_LANGUAGE = 1.2  # one language has the whole width: larger type
SCALES = (1.0, 0.9, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4)   # the type sizes tried, largest first: the largest that fits one page
PER_ROW = 2


@dataclass(frozen=True)
class Poster:
    path: Path
    paper: str
    languages: tuple[str, ...]
    scale: float   # 1.0: full size; less: the texts were too long for one page at full size
    body_pt: float

    @property
    def summary(self) -> str:
        text = f"lobby poster: {self.path} ({self.paper}, {', '.join(self.languages)}, 1 page)"
        if self.scale < 1:
            text += (f"; the work order's texts were too long for full-size type, so the type is at "
                     f"{self.scale:.0%} ({self.body_pt:g} pt)")
        return text


def check_poster_work(work: WorkOrder) -> None:
    if work.scope != "building":
        raise InvalidInput(f"work order {work.id} is work inside the flats, not building-wide: a lobby poster is "
                           "for building-wide work; each tenant gets a notice instead")


def building_languages(store: Store, prop: Property, fallback: str) -> list[str]:
    """The languages of the building's active tenants, the most read first (ties in LANGUAGES order)."""
    counts = Counter(row.tenant.language for row in store.list_tenants(prop.id, active_only=True)
                     if row.tenant.language in LANGUAGES)
    ordered = sorted(counts, key=lambda code: (-counts[code], LANGUAGES.index(code)))
    return ordered or [fallback if fallback in LANGUAGES else LANGUAGES[0]]


def _text(text: LocalizedText, language: str) -> dict[str, str]:
    """The text in `language`, else in the first language it was written in, with that language."""
    if text.get(language):
        return {"text": text[language], "lang": language}
    for code in LANGUAGES:
        if text.get(code):
            return {"text": text[code], "lang": code}
    return {"text": "", "lang": language}


def _column(prop: Property, work: WorkOrder, language: str) -> dict[str, Any]:
    loc = Localizer(language, prop.country, prop.timezone)
    return {
        "lang": language,
        "title": _text(work.title, language),
        "impact": _text(work.impact, language),
        "actions": [_text(a.text, language) for a in work.actions if any(a.text.values())],
        "window": loc.span(work.window_start, work.window_end),
    }


def poster_context(sender: SenderProfile, prop: Property, work: WorkOrder, languages: list[str], paper: str,
                   scale: float = 1.0) -> dict[str, Any]:
    size, factor = PAPERS[paper]
    columns = [_column(prop, work, code) for code in languages]
    body_pt = round(BODY_PT * factor * scale * (ONE_LANGUAGE if len(languages) == 1 else 1.0), 1)
    return {
        "lang": languages[0],
        "page": {"size": size, "margin_mm": round(12 * factor, 1), "body_pt": body_pt},
        "property": {"name": prop.name, "address_lines": street_address(prop)},
        "org": {"name": sender.name},
        "work": {"id": work.id, "emergency": work.emergency},
        "languages": languages,
        "rows": [columns[i:i + PER_ROW] for i in range(0, len(columns), PER_ROW)],
        "contact": {"name": work.contact_name or prop.manager_name,
                    "phone": Localizer(languages[0], prop.country, prop.timezone).phone(
                        work.contact_phone or prop.manager_phone),
                    "email": work.contact_email or prop.manager_email},
    }


def write_poster(store: Store, paths: AppPaths, work_order_id: int, out: Path, paper: str | None = None,
                 languages: list[str] | None = None) -> Poster:
    """Render the lobby poster of a building-wide work order to `out`: one page, whatever the texts.
    `paper`: A4, Letter, A3 or Tabloid (default: the paper of the building's sender); `languages`:
    default, those the building's active tenants read, the most read first."""
    work = store.get_work_order(work_order_id)
    check_poster_work(work)
    prop = store.get_property(work.property_id)
    sender = store.sender_of(prop)
    paper = paper or sender.paper_size
    if paper not in PAPERS:
        raise InvalidInput(f"paper: {paper!r} is not one of {', '.join(PAPERS)}")
    if languages:
        unknown = [code for code in languages if code not in LANGUAGES]
        if unknown:
            raise InvalidInput(f"language: {unknown[0]!r} is not one of {', '.join(LANGUAGES)}")
        languages = list(dict.fromkeys(languages))
    else:
        languages = building_languages(store, prop, sender.default_language)
    templates = LetterTemplates(paths.templates_dir, paths.user_templates_dir)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)

    def jobs(scales: tuple[float, ...]) -> list[pdf.LetterJob]:
        return [pdf.LetterJob(html=templates.render_page(TEMPLATE, poster_context(sender, prop, work, languages, paper,
                                                                                  scale)),
                              filename=f"poster-{round(scale * 100)}.pdf", template=TEMPLATE,
                              origin=templates.origin(TEMPLATE)) for scale in scales]

    options = {"resource_roots": [paths.templates_dir, paths.assets_dir], "base_url": paths.templates_dir,
               "merged_name": None}
    with tempfile.TemporaryDirectory(prefix=".poster-", dir=out.parent) as folder:
        # Full size first (nearly always enough); else every smaller size at once, on the workers.
        rendered = [pdf.render_one(jobs(SCALES[:1])[0], Path(folder), **options)]
        if rendered[0].pages > 1:
            rendered += pdf.render_batch(jobs(SCALES[1:]), Path(folder), **options).letters
        for scale, letter in zip(SCALES, rendered):
            if letter.pages == 1:
                letter.path.replace(out)
                body_pt = poster_context(sender, prop, work, languages, paper, scale)["page"]["body_pt"]
                return Poster(out, paper, tuple(languages), scale, body_pt)
    raise UserFacingError(
        f"the texts of work order {work.id} do not fit on one {paper} poster even with the type at "
        f"{SCALES[-1]:.0%}: shorten the impact or the actions, or choose larger paper")

