"""Letters to PDF: a 1,000-letter batch (per-tenant files + merged print file) against the naive way.

`maintdesk.pdf.render_batch` is timed around the call (worker start-up, layout, the per-letter files,
the merged file), in a fresh Python process per run so that its peak memory is its own. The naive
way is what a first version would do: serial, one `HTML(string=...).write_pdf(path)` per letter with
default settings (new font configuration and stylesheet parse each time, no merged file), also
in a fresh process. Targets (issue 3): batch ≤ 10 s, ≥ 2.5× faster than naive, peak < 400 MiB.

Peak memory is the parent's peak RSS plus, for each worker, the largest worker's peak RSS
(`getrusage` reports only the largest child): an upper bound of the sum over processes.
"""

from __future__ import annotations

import html
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.timing import Figure, measure

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
LETTERS = 1_000

SURNAMES = [
    "Lefèvre", "Dupré", "Müller", "García", "Nuñez", "Øvergaard", "Kowalczyk", "Çelik", "Dvořák", "Søren",
    "Béranger", "Åkesson", "Ibáñez", "Thérèse", "Crête", "Gonçalves", "Škoda", "Łukasz", "Żurawski", "Ní Bhriain",
    "Nguyễn", "Ferrão", "Jönsson", "Ďurica", "Östlund", "Ramírez", "Ćosić", "Brontë", "Zoë", "Mañas",
]
GIVEN = ["Léa", "Jérôme", "Anaïs", "José", "Zoé", "Björn", "Chloé", "Renée", "Noël", "Inès"]

STYLESHEET = """\
@page {
  size: A4;
  margin: 27mm 20mm 25mm 25mm;
  @bottom-left { content: "Ref. WO-2026-0142 / " string(ref); font-size: 8pt; color: #555; width: 120mm; }
  @bottom-right { content: "Page " counter(page) " / " counter(pages); font-size: 8pt; color: #555; }
}
html { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.3; color: #222; }
body { margin: 0; }
.letter { display: flow-root; position: relative; }
.letterhead { position: absolute; top: -17mm; left: 0; right: 0; height: 14mm; }
.letterhead img { width: 12mm; height: 12mm; float: left; margin-right: 3mm; }
.letterhead .org { font-weight: bold; font-size: 12pt; color: #2f4b6e; }
.letterhead .details { font-size: 8pt; color: #555; }
.window { position: absolute; top: calc(45mm - 27mm); left: calc(20mm - 25mm); width: 85mm; height: 45mm;
          padding: 0 5mm; box-sizing: border-box; }
.window .return { font-size: 7pt; text-decoration: underline; margin-top: 5mm; margin-bottom: 3mm; }
.subject { string-set: ref attr(data-ref); }
.date { margin-top: 64mm; text-align: right; }
.subject { font-weight: bold; margin: 4mm 0 3mm; }
p { margin: 0 0 2.5mm; }
.slot { border: 0.6pt solid #2f4b6e; padding: 2mm 4mm; margin: 3mm 0; background: #f2f5f9; }
.slot strong { color: #2f4b6e; }
ol { margin: 1mm 0 3mm; padding-left: 0; list-style-position: inside; }
.signature { margin-top: 6mm; }
"""

PARAGRAPHS = [
    "We are writing to let you know that the annual maintenance of the heating system in your building will take "
    "place soon. Our technicians need to visit each apartment to check the radiators and bleed the valves.",
    "The visit takes about forty-five minutes. During that time the heating in your apartment will be switched off, "
    "and the hot water may be interrupted for a few minutes at the end of the visit.",
    "Please make sure that the radiators and the boiler cupboard can be reached easily. If you cannot be at home, "
    "you may leave a key with the caretaker, or ask a neighbour you trust to open the door for us.",
    "This work is required by the building's maintenance contract and by the safety rules for gas appliances. "
    "It keeps the system efficient and avoids breakdowns in the middle of winter.",
    "If the time slot below does not suit you, please call us at least two working days before the visit, and we "
    "will find another time with you. There is no charge for the visit.",
    "Updates about the work are posted in the entrance hall and on the residents' page of our website.",
    "We apologise for any inconvenience and thank you for your help in keeping the building in good condition.",
]
ACTIONS = [
    "Clear a space of one metre in front of each radiator.",
    "Leave the boiler cupboard unlocked and empty.",
    "Keep pets in a closed room during the visit.",
    "Run the hot water tap for one minute after the visit.",
    "Report any radiator that stays cold the next day.",
]


def tenant_name(i: int) -> str:
    return f"{GIVEN[i % len(GIVEN)]} {SURNAMES[i % len(SURNAMES)]}"


def letter_html(i: int, logo_url: str, *, pages: int = 1, link_stylesheet: str | None = None) -> str:
    """A realistic one-page A4 notice for tenant `i` (`pages=2` adds enough text for a second page)."""
    name = html.escape(tenant_name(i))
    unit = f"{i // 10 + 1}{'ABCDEFGHIJ'[i % 10]}"
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS * (1 if pages == 1 else 5))
    actions = "\n".join(f"<li>{a}</li>" for a in ACTIONS)
    link = f'<link rel="stylesheet" href="{link_stylesheet}">' if link_stylesheet else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Notice for {name}</title>{link}</head>
<body><div class="letter">
<div class="letterhead"><img src="{logo_url}" alt="">
<div class="org">Résidence Les Tilleuls — Property management</div>
<div class="details">14 rue des Tilleuls · 75011 Paris · +33 1 43 55 12 34 · tilleuls@example.org</div></div>
<div class="window"><div class="return">Résidence Les Tilleuls · 14 rue des Tilleuls · 75011 Paris</div>
<div>{name}</div><div>Apartment {unit}</div><div>14 rue des Tilleuls</div><div>75011 Paris</div>
</div>
<div class="date">Paris, 11 May 2026</div>
<div class="subject" data-ref="N-{i:05d}">Heating maintenance on Tuesday 2 June 2026 — apartment {unit}</div>
<p>Dear {name},</p>
{body}
<div class="slot">Your visit: <strong>Tuesday 2 June 2026, {8 + i % 9}:00–{8 + i % 9}:45 (Europe/Paris, CEST)</strong></div>
<p>Before the visit, please:</p>
<ol>{actions}</ol>
<div class="signature">Kind regards,<br>Camille Rousseau, building manager</div>
</div></body></html>"""


def _folders(folder: Path) -> tuple[Path, Path]:
    templates = folder / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    stylesheet = templates / "letter.css"
    stylesheet.write_text(STYLESHEET, encoding="utf-8")
    return templates, stylesheet


def _letters(count: int = LETTERS) -> list[str]:
    logo = (ASSETS / "logo.svg").as_uri()
    return [letter_html(i, logo) for i in range(count)]


def _child(mode: str, folder: str) -> None:
    """One measured run in this (fresh) process; prints a JSON line."""
    folder_path = Path(folder)
    templates, stylesheet = _folders(folder_path)
    out = folder_path / mode
    out.mkdir(exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    letters = _letters()
    workers = 1
    if mode == "batch":
        from maintdesk.pdf import LetterJob, render_batch

        jobs = [LetterJob(text, f"letter-{i:04d}.pdf") for i, text in enumerate(letters)]
        start = time.perf_counter()
        result = render_batch(jobs, out, resource_roots=[templates, ASSETS], base_url=templates,
                              stylesheets=[stylesheet])
        seconds = time.perf_counter() - start
        assert result.merged_pages == sum(letter.pages for letter in result.letters) == LETTERS
        from maintdesk.pdf import _default_workers
        workers = _default_workers(LETTERS)
    else:
        from weasyprint import HTML

        start = time.perf_counter()
        for i, text in enumerate(letters):
            HTML(string=text, base_url=str(templates)).write_pdf(out / f"letter-{i:04d}.pdf",
                                                                 stylesheets=[str(stylesheet)])
        seconds = time.perf_counter() - start
    assert len(list(out.glob("letter-*.pdf"))) == LETTERS
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    merged = out / "all-letters.pdf"
    print(json.dumps({"seconds": seconds, "peak_mib": own + workers * children, "own_mib": own,
                      "worker_mib": children, "workers": workers,
                      "merged_mb": merged.stat().st_size / 1e6 if merged.exists() else 0}))


def _run_child(mode: str, folder: Path) -> dict:
    command = [sys.executable, "-c", "import sys; from bench.letters_pdf import _child; _child(sys.argv[1], sys.argv[2])",
               mode, str(folder)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(done.stdout.strip().splitlines()[-1])


def _figure(name: str, samples: list[float], unit: str, note: str = "") -> Figure:
    return Figure(name, statistics.median(samples), min(samples), unit, note)


def run(folder: Path, batch_runs: int = 3, naive_runs: int = 1) -> list[Figure]:
    batch = [_run_child("batch", folder) for _ in range(batch_runs)]
    naive = [_run_child("naive", folder) for _ in range(naive_runs)]
    batch_s = [r["seconds"] for r in batch]
    naive_s = [r["seconds"] for r in naive]
    ratio = statistics.median(naive_s) / statistics.median(batch_s)
    figures = [
        _figure(f"{LETTERS:,} letters: per-tenant PDFs + merged file (render_batch)", batch_s, "s",
                f"target ≤ 10 s; {batch[0]['workers']} workers; merged file {batch[0]['merged_mb']:.1f} MB"),
        _figure(f"{LETTERS:,} letters the naive way (serial write_pdf per letter, defaults)", naive_s, "s",
                "per-letter files only"),
        Figure("speed-up over the naive way", ratio, statistics.median(naive_s) / min(batch_s), "×",
               "target ≥ 2.5× (median/median; best column: naive median / best batch)"),
        _figure("peak memory of the batch, all processes", [r["peak_mib"] for r in batch], "MiB",
                f"target < 400 MiB; parent {batch[0]['own_mib']:.0f} + {batch[0]['workers']} × "
                f"worker {batch[0]['worker_mib']:.0f} (upper bound)"),
        _figure("peak memory of the naive way", [r["peak_mib"] for r in naive], "MiB"),
    ]
    templates, stylesheet = _folders(folder)
    from maintdesk.pdf import LetterJob, render_one

    job = LetterJob(_letters(1)[0], "one.pdf")
    figures.append(measure("one letter with render_one (starts its worker process)",
                           lambda: render_one(job, folder / "one", resource_roots=[templates, ASSETS],
                                              base_url=templates, stylesheets=[stylesheet]), repeat=5))
    return figures


if __name__ == "__main__":
    import tempfile

    from bench.__main__ import table

    with tempfile.TemporaryDirectory(prefix="maintdesk-bench-") as tmp:
        print(table(run(Path(tmp))))
