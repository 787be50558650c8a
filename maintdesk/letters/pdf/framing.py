"""A long document laid out in parts, then put together under one page frame.

WeasyPrint lays a document out in one process, at roughly ten pages a second for a dense report;
a 300-page report therefore takes half a minute on one core. MaintDesk's own long reports (the
proof of notice) are rendered as several part documents, laid out in parallel by the worker
pool, and joined here. What depends on the whole document, the "page N / M" in the footer, cannot
be laid out in a part: it comes from a *frame* document of M empty pages (from the same template,
so with the same page size and margins) laid over the joined pages. Runs in the caller's process
(pikepdf only, no WeasyPrint).
"""

from __future__ import annotations

import os
from pathlib import Path


class FrameMismatch(RuntimeError):
    """The frame has another number of pages than the parts together (a template bug)."""


def join_under_frame(parts: list[Path], frame: Path, target: Path) -> int:
    """Join `parts` in order, lay page i of `frame` over page i, write `target`; its page count."""
    import pikepdf

    tmp = target.with_name(f".{target.name}.tmp")
    opened = []
    try:
        joined = pikepdf.new()
        for path in parts:
            source = pikepdf.open(path)
            opened.append(source)
            joined.pages.extend(source.pages)
        frame_pdf = pikepdf.open(frame)
        opened.append(frame_pdf)
        if len(frame_pdf.pages) != len(joined.pages):
            raise FrameMismatch(f"{frame.name} has {len(frame_pdf.pages)} pages for {len(joined.pages)} pages of parts")
        for page, over in zip(joined.pages, frame_pdf.pages):
            page.add_overlay(over, pikepdf.Rectangle(*page.mediabox))
        joined.save(tmp)
        pages = len(joined.pages)
        joined.close()
        os.replace(tmp, target)
    finally:
        for source in opened:
            source.close()
        tmp.unlink(missing_ok=True)
    return pages
