"""Records export, and what PDF/A (WeasyPrint's pdf/a-3b) would cost for the archived letters.

Run alone: `python -m bench.records_export`. The PDF/A figures render real demo letters in this
process (WeasyPrint, one shared FontConfiguration, as the worker processes of maintdesk.letters.pdf do).
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

from bench.timing import Figure, measure
from maintdesk.letters import issuing
from maintdesk.archive import export as records_export
from maintdesk.records.demo import create_demo
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store

LETTERS = 20


def run(folder: Path) -> list[Figure]:
    paths = AppPaths.under(folder / "records").ensure()
    store = Store.open(paths.database)
    create_demo(store, today=date(2026, 3, 2))
    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    batch = issuing.issue_print_batch(store, paths.database, paths,
                                      issuing.BatchRequest(1, "initial", folder / "letters"), now=now)
    issuing.issue_print_batch(store, paths.database, paths, issuing.BatchRequest(3, "emergency", folder / "letters3"),
                              now=now)
    count = len(store.list_notices())
    figures = [
        measure(f"records export to CSV ({count} notices, every archived PDF re-hashed)",
                lambda: records_export.export_records(store, paths.database, paths, folder / "r.csv"), repeat=5),
        measure(f"records export to ZIP ({count} PDFs, 2 proof-of-notice reports, manifest)",
                lambda: records_export.export_records(store, paths.database, paths, folder / "r.zip"), repeat=3, unit="s",
                note="includes starting one PDF worker process"),
    ]
    html = [letter.rendered.letter_html for letter in issuing.prepare(
        store, paths, issuing.BatchRequest(1, "initial", folder / "x"), now)][:LETTERS]
    store.close()
    figures += pdfa_figures(paths, html, batch.files[0].read_bytes())
    return figures


def pdfa_figures(paths: AppPaths, letters: list[str], issued_pdf: bytes) -> list[Figure]:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    sheets = [CSS(filename=str(issuing.stylesheet_for(paths)), font_config=fonts)]
    base = paths.templates_dir.as_uri() + "/"
    documents = [HTML(string=h, base_url=base).render(stylesheets=sheets, font_config=fonts) for h in letters]
    sizes: dict[str, list[int]] = {"plain": [], "pdf/a-3b": []}

    def write(variant: str | None) -> None:
        for document in documents:
            data = document.write_pdf(pdf_variant=variant) if variant else document.write_pdf()
            sizes[variant or "plain"].append(len(data))

    plain = measure(f"write_pdf of {len(documents)} laid-out letters, plain", lambda: write(None), repeat=5)
    pdfa = measure(f"write_pdf of {len(documents)} laid-out letters, pdf_variant=pdf/a-3b", lambda: write("pdf/a-3b"),
                   repeat=5)

    def full(variant: str | None) -> float:
        start = time.perf_counter()
        for h in letters:
            document = HTML(string=h, base_url=base).render(stylesheets=sheets, font_config=fonts)
            document.write_pdf(pdf_variant=variant) if variant else document.write_pdf()
        return (time.perf_counter() - start) * 1000 / len(letters)

    rounds = {variant: [full(variant) for _ in range(3)] for variant in (None, "pdf/a-3b")}
    per_letter = [Figure(f"one letter, layout + write, {name}", statistics.median(samples), min(samples), "ms")
                  for name, samples in (("plain", rounds[None]), ("pdf/a-3b", rounds["pdf/a-3b"]))]
    size_note = (f"median size {statistics.median(sizes['plain']) / 1024:.1f} KiB plain, "
                 f"{statistics.median(sizes['pdf/a-3b']) / 1024:.1f} KiB pdf/a-3b")
    pdfa.note = size_note
    return [plain, pdfa, *per_letter, _split_keeps_pdfa(documents[0].write_pdf(pdf_variant="pdf/a-3b"), issued_pdf)]


def _split_keeps_pdfa(pdfa: bytes, issued_pdf: bytes) -> Figure:
    """maintdesk.letters.pdf cuts each letter out of a chunk with pikepdf: does a PDF/A survive that cut?"""
    import pikepdf

    def marks(data: bytes) -> str:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return f"OutputIntents={'/OutputIntents' in pdf.Root}, XMP={'/Metadata' in pdf.Root}"

    with pikepdf.open(io.BytesIO(pdfa)) as source, pikepdf.new() as target:
        target.pages.extend(source.pages)
        buffer = io.BytesIO()
        target.save(buffer)
    note = (f"pdf/a-3b as written: {marks(pdfa)}; after the split: {marks(buffer.getvalue())}; "
            f"issued today: {marks(issued_pdf)}")
    return Figure("PDF/A markers through the per-letter split (pikepdf)", 0.0, 0.0, "ms", note)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="maintdesk-bench-") as tmp:
        for figure in run(Path(tmp)):
            print(" | ".join(figure.cells()))
