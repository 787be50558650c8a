"""The PDF engine: HTML letters to one PDF file per letter and one merged print file.

Letters are laid out in worker processes (`pool`, `layout`), several to a document where they
share a layout (`wrapping`, `page_counters`) or stamped over their shared letter (`cutting`,
`stamping`); every resource goes through the sandboxed `fetcher`. Callers use the interface
below and never import WeasyPrint themselves. Design notes and measurements: docs/pdf-engine.md.
"""

from maintdesk.letters.pdf.batch import (
    BatchResult,
    LetterJob,
    LettersDone,
    PdfRenderError,
    RenderedLetter,
    default_workers,
    iter_render_batch,
    keep_warm,
    render_batch,
    render_one,
)
from maintdesk.progress import Progress

__all__ = ["BatchResult", "LetterJob", "LettersDone", "PdfRenderError", "Progress", "RenderedLetter", "default_workers",
           "iter_render_batch", "keep_warm", "render_batch", "render_one"]
