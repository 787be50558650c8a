"""WORKAROUND for WeasyPrint numbering the pages of a whole shared layout: per-letter page counters.

In a shared layout WeasyPrint's `counter(page)` and `counter(pages)` run over the whole document.
`install_per_letter_page_counters` wraps `weasyprint.layout.make_all_pages` and
`make_margin_boxes` so that each letter's margin boxes number its own pages, and records what it
gave (`PAGE_COUNTERS`) and whether a named string or running element crossed from one letter into
the next (`CARRIES_OVER`), for the layout's safety net. Pinned to WeasyPrint 70 (pyproject.toml).
"""

from __future__ import annotations

from maintdesk.letters.pdf.wrapping import owner_of

PAGE_COUNTERS: list[tuple[int, int]] = []   # (page, pages) given to the margin boxes of each page
CARRIES_OVER: list[bool] = []   # whether a named string or running element crossed into another letter


PAGE_COUNTERS: list[tuple[int, int]] = []   # (page, pages) given to the margin boxes of each page
CARRIES_OVER: list[bool] = []   # whether a named string or running element crossed into another letter


def install_per_letter_page_counters() -> bool:
    """WORKAROUND: in a shared layout WeasyPrint numbers the pages of the whole document; the margin
    boxes (footers with counter(page) / counter(pages)) must number each letter's own pages. Wraps
    weasyprint.layout.make_all_pages (to keep the final pages) and make_margin_boxes (to set both
    counters from the letter marks on those pages). Independent of the templates' page names.
    Returns False (→ letters are laid out one by one) if WeasyPrint's internals have changed."""
    try:
        import weasyprint.layout as layout
    except ImportError:
        return False
    all_pages = getattr(layout, "make_all_pages", None)
    margin_boxes = getattr(layout, "make_margin_boxes", None)
    if all_pages is None or margin_boxes is None:
        return False
    if getattr(margin_boxes, "maintdesk_patch", False):
        return True

    def make_all_pages(context, root_box, html, pages):
        made = list(all_pages(context, root_box, html, pages))
        context.maintdesk_pages = made
        context.maintdesk_counters = None
        return iter(made)

    def make_margin_boxes(context, page, state):
        counters = getattr(context, "maintdesk_counters", None)
        if counters is None:
            counters = _per_letter_counters(getattr(context, "maintdesk_pages", []))
            context.maintdesk_counters = counters
            PAGE_COUNTERS[:] = counters
            CARRIES_OVER[:] = [bool(counters) and _carries_over(context, counters)]
        index = context.current_page - 1
        if counters and index < len(counters):
            state[1]["page"], state[1]["pages"] = [counters[index][0]], [counters[index][1]]
        return margin_boxes(context, page, state)

    make_margin_boxes.maintdesk_patch = True
    layout.make_all_pages = make_all_pages
    layout.make_margin_boxes = make_margin_boxes
    return True


def _per_letter_counters(pages: list) -> list[tuple[int, int]]:
    """(page within its letter, pages of its letter) for each page; [] for a single letter or
    when some page does not belong to exactly one letter."""
    owners = [owner_of(page) for page in pages]
    if None in owners or len(set(owners)) < 2:
        return []
    counters: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(owners) + 1):
        if i == len(owners) or owners[i] != owners[start]:
            counters += [(n + 1, i - start) for n in range(i - start)]
            start = i
    return counters


def _carries_over(context, counters: list[tuple[int, int]]) -> bool:
    """Would a letter's margin boxes show a named string (string-set) or running element set by an
    earlier letter? True if a letter does not set, on its first page, a name set before it."""
    starts = [number for number, (page, _) in enumerate(counters, start=1) if page == 1][1:]
    for store in (getattr(context, "string_set", None), getattr(context, "running_elements", None)):
        if store is None:
            return True
        for by_page in store.values():
            pages = {number for number, values in by_page.items() if values}
            if pages and any(start not in pages and min(pages) < start for start in starts):
                return True
    return False
