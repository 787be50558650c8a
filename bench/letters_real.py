"""The real notice templates at batch scale: 1,000 tenants' initial notices, HTML then PDF.

Measures what a user waits for in `maintdesk notices render` apart from the database: rendering
the Jinja2 templates for every tenant, then `maintdesk.letters.pdf.render_batch` (per-tenant files and
the merged print file).
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bench.timing import Figure
from maintdesk.letters import pdf
from maintdesk.letters.context import logo_url, notice_context
from maintdesk.letters.samples import sample_facts
from maintdesk.letters.templates import LetterTemplates, template_name
from maintdesk.records.models import Slot
from maintdesk.paths import ASSETS_DIR, BUILTIN_TEMPLATES_DIR

LETTERS = 1_000
NAMES = ["Léa Lefèvre", "Jean-Baptiste de La Rochefoucauld", "Zoé Núñez", "Oliver Bennett", "Thérèse Müller",
         "Grace O'Sullivan", "Maël Kerouac", "Joséphine N'Diaye", "Priya Raghunathan", "Marc-André Tremblay"]


def letter_jobs(count: int = LETTERS) -> list[pdf.LetterJob]:
    templates = LetterTemplates(BUILTIN_TEMPLATES_DIR)
    jobs = []
    for i in range(count):
        language = "fr" if i % 3 else "en"
        facts = sample_facts(language)
        start = facts.work.window_start + timedelta(minutes=10 * (i % 50))
        work = replace(facts.work, slots=[Slot(facts.unit.id, start, start + timedelta(minutes=35))])
        tenant = replace(facts.tenant, name=f"{NAMES[i % len(NAMES)]} {i:04d}")
        facts = replace(facts, work=work, tenant=tenant, notice_id=1000 + i)
        logo = logo_url(facts.sender, ASSETS_DIR / "logo.svg")
        notice = templates.render(template_name("initial", language, "units"), notice_context(facts, logo_uri=logo))
        jobs.append(pdf.LetterJob(notice.letter_html, f"letter-{i:04d}.pdf"))
    return jobs


def run(folder: Path, runs: int = 2) -> list[Figure]:
    start = time.perf_counter()
    jobs = letter_jobs()
    html_seconds = time.perf_counter() - start
    samples = []
    for n in range(runs):
        out = folder / f"real-{n}"
        start = time.perf_counter()
        result = pdf.render_batch(jobs, out, resource_roots=[BUILTIN_TEMPLATES_DIR, ASSETS_DIR],
                                  base_url=BUILTIN_TEMPLATES_DIR, stylesheets=[BUILTIN_TEMPLATES_DIR / "letter.css"],
                                  merged_name="all.pdf")
        samples.append(time.perf_counter() - start)
        assert len(result.letters) == LETTERS and result.merged_pages == LETTERS
    return [
        Figure(f"templates: {LETTERS:,} initial notices rendered to HTML (Jinja2, en/fr)", html_seconds,
               html_seconds, "s"),
        Figure(f"templates: {LETTERS:,} real notices to PDF (per-tenant files + merged file)",
               sorted(samples)[len(samples) // 2], min(samples), "s",
               f"{1000 * min(samples) / LETTERS:.1f} ms/letter (peak memory: see the batch section)"),
    ]


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for figure in run(Path(tmp)):
            print(" | ".join(figure.cells()))
