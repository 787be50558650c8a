"""Inside a worker process: WeasyPrint with one FontConfiguration and stylesheets parsed once.

A run of letters that share head and styling is stamped over its shared letter
(`maintdesk.letters.pdf.stamping`) or laid out whole as one document (`wrapping`), its pages
checked (`page_counters`), written once and split into one file per letter with pikepdf.
See docs/pdf-engine.md.
"""

from __future__ import annotations

import gc
import hashlib
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from maintdesk.letters.pdf import page_counters
from maintdesk.letters.pdf.wrapping import WRAPPER, Letter, owner_of, runs, split_letter, wrap

# The engine's own stylesheet: every letter starts a new page.
ENGINE_CSS = f".{WRAPPER} {{ break-before: page; }}"
# What a shared layout would get wrong: page selectors that count pages (they would count the
# whole run), fixed boxes (repeated on every page of every letter), footnotes (may move on to the
# next letter's page), string()/element() with `start` (the value from before the page).
UNSHAREABLE = re.compile(r"@page\b[^{};]*:(?:first|left|right|recto|verso|blank|nth)\b"
                          r"|position\s*:\s*fixed|float\s*:\s*footnote"
                          r"|(?:string|element)\([^)]*,\s*start\s*\)", re.I)


@dataclass(frozen=True)
class RendererConfig:
    roots: list[str]
    base_url: str
    stylesheets: list[str]
    stamp: bool = True
    warm_up: str = ""   # a letter laid out once before the worker says it is ready (fills the caches)


class WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 50:
            self.messages.append(record.getMessage())


class Renderer:
    def __init__(self, config: RendererConfig):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from maintdesk.letters.pdf.fetcher import SandboxedFetcher

        # This process only renders: warnings (refused resources, CSS WeasyPrint does not know)
        # go back to the parent with each result; nothing is printed here.
        self.collector = WarningCollector()
        root = logging.getLogger()
        root.handlers = [self.collector]
        root.setLevel(logging.WARNING)
        for name in ("weasyprint", "weasyprint.progress", "maintdesk", "pikepdf"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self.patched = page_counters.install_per_letter_page_counters()
        self.base_url = config.base_url
        self.fetched_unshareable = False   # a stylesheet fetched during the last layout is unshareable
        self.fetcher = SandboxedFetcher([Path(r) for r in config.roots], css_filter=self._watch_css)
        self.font_config = FontConfiguration()
        self.stylesheets = [CSS(string=ENGINE_CSS, font_config=self.font_config)]
        self.unshareable_stylesheets = False
        for path in config.stylesheets:
            text = Path(path).read_text(encoding="utf-8")
            self.unshareable_stylesheets |= bool(UNSHAREABLE.search(text))
            self.stylesheets.append(CSS(string=text, base_url=Path(path).as_uri(), url_fetcher=self.fetcher,
                                        font_config=self.font_config))
        self.apart: set[tuple] = set()    # signatures whose letters must be laid out one by one
        from maintdesk.letters.pdf.stamping import OVERLAY_CSS, Stamper

        self.overlay_stylesheets = self.stylesheets + [CSS(string=OVERLAY_CSS, font_config=self.font_config)]
        self.stamper = Stamper(self._stamp_layout) if config.stamp else None
        # Everything built so far lives as long as the worker: keep it out of the collector's way.
        gc.collect()
        gc.freeze()
        self.warm = False

    def _watch_css(self, css: str) -> str:
        if UNSHAREABLE.search(css):
            self.fetched_unshareable = True
        return css

    def take_warnings(self) -> list[str]:
        messages, self.collector.messages = self.collector.messages, []
        return list(dict.fromkeys(messages))

    def render(self, letters: list, out_dir: Path, token: str, want_pieces: bool) -> tuple[list, list]:
        parsed = [split_letter(Letter(i, html, name, company=company)) for i, html, name, company in letters]
        done, pieces = [], []
        for run in runs(parsed):
            for segment, data, pages in self._render_segments(run):
                done += self._split(data, segment, out_dir, token)
                if want_pieces:
                    piece = out_dir / f".maintdesk-{token}-piece-{segment[0].index}.tmp"
                    piece.write_bytes(data)
                    pieces.append((segment[0].index, str(piece), pages))
            gc.collect()
        if not self.warm:
            # The first layout filled WeasyPrint's and Pango's caches: freeze them too, so later
            # collections only look at each run's own garbage.
            gc.freeze()
            self.warm = True
        return done, pieces

    def _render_segments(self, run: list[Letter]) -> Iterator[tuple[list[Letter], bytes, int]]:
        """The run's letters in order, as (consecutive letters, their PDF, its pages): stamped over
        their shared letter where the template marks its own regions (`stamping`), else laid out
        whole. The collector is paused during layout and painting: it would walk the growing box
        tree again and again (measured: ~10 % less time per letter); the caller collects after."""
        from maintdesk.letters.pdf.cutting import cut

        stamped: dict[int, tuple[int, int]] = {}
        composed = None
        if self.stamper is not None and run[0].signature is not None:
            cuts = [cut(letter.html) for letter in run]
            chosen = [n for n, wanted in enumerate(self.stamper.plan(cuts, [letter.company for letter in run]))
                      if wanted]
            if chosen:
                gc.disable()
                try:
                    result = self.stamper.render(run[0].head, run[0].body_tag, [run[n].lang for n in chosen],
                                                 [cuts[n] for n in chosen])
                finally:
                    gc.enable()
                composed = result.pdf
                stamped = {chosen[m]: pages for m, pages in result.ranges.items()}
        position = 0
        while position < len(run):
            end = position
            while end < len(run) and (end in stamped) == (position in stamped):
                end += 1
            segment = run[position:end]
            if position in stamped:
                ranges = [stamped[n] for n in range(position, end)]
                yield segment, *_pages_of(composed, ranges, segment)
            else:
                gc.disable()
                try:
                    data, pages = self._render_run(segment)
                finally:
                    gc.enable()
                yield segment, data, pages
            position = end

    def _render_run(self, run: list[Letter]) -> tuple[bytes, int]:
        """Lay out letters that share head and styles as one document; verify where each one is."""
        first = run[0]
        if first.signature is None:  # not a document we can wrap: render it as it is
            document = self._layout(first.html)
            first.pages = (0, len(document.pages))
            return document.write_pdf(), len(document.pages)
        if len(run) > 1 and (not self.patched or self.unshareable_stylesheets or first.signature in self.apart
                             or any(UNSHAREABLE.search(letter.html) for letter in run)):
            return self._render_separately(run)
        document = self._layout(wrap(first, run))
        ranges = [(0, len(document.pages))] if len(run) == 1 else _letter_ranges(document, len(run))
        if ranges is None or (len(run) > 1 and self.fetched_unshareable):
            # WORKAROUND: a fetched stylesheet with @page :first (counting the whole document), a
            # template with unbalanced tags (swallowing the next letter's wrapper), a letter that
            # does not set a string the previous one set: lay such letters out one by one (and
            # remember the template).
            del document
            self.apart.add(first.signature)
            return self._render_separately(run)
        for letter, pages in zip(run, ranges):
            letter.pages = pages
        return document.write_pdf(), len(document.pages)

    def _render_separately(self, run: list[Letter]) -> tuple[bytes, int]:
        documents = []
        offset = 0
        for letter in run:
            document = self._layout(wrap(letter, [letter]))
            letter.pages = (offset, offset + len(document.pages))
            offset += len(document.pages)
            documents.append(document)
        combined = documents[0].copy([page for document in documents for page in document.pages])
        return combined.write_pdf(), offset

    def _layout(self, html: str):
        self.fetched_unshareable = False
        return self._stamp_layout(html)[0]

    def _stamp_layout(self, html: str, overlay: bool = False):
        """Lay out a document (a shared letter or an overlay document, see `stamping`); returns it
        and the parsed tree its boxes point into."""
        from weasyprint import HTML

        page_counters.PAGE_COUNTERS.clear()
        page_counters.CARRIES_OVER.clear()
        source = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
        document = source.render(stylesheets=self.overlay_stylesheets if overlay else self.stylesheets,
                                 font_config=self.font_config)
        return document, source.etree_element

    def _split(self, data: bytes, run: list[Letter], out_dir: Path, token: str) -> list:
        """One file per letter from the run's PDF (pikepdf copies the shared font subset)."""
        import pikepdf

        done = []
        with pikepdf.open(io.BytesIO(data)) as source:
            for letter in run:
                start, stop = letter.pages
                with pikepdf.new() as target:
                    target.pages.extend(source.pages[start:stop])
                    for key in ("/Producer", "/Creator"):
                        if key in source.docinfo:
                            target.docinfo[key] = source.docinfo[key]
                    if letter.title:
                        target.docinfo["/Title"] = letter.title
                    if "/Lang" in source.Root:
                        target.Root.Lang = source.Root.Lang
                    buffer = io.BytesIO()
                    target.save(buffer)
                blob = buffer.getvalue()
                tmp = out_dir / f".maintdesk-{token}-{letter.index}.tmp"
                tmp.write_bytes(blob)
                done.append((letter.index, str(tmp), hashlib.sha256(blob).hexdigest(), stop - start))
        return done


def _pages_of(data: bytes, ranges: list[tuple[int, int]], letters: list[Letter]) -> tuple[bytes, int]:
    """The given page ranges of a PDF as a PDF of their own (the whole PDF when they cover it), and
    each letter's pages within it."""
    import pikepdf

    offset = 0
    for letter, (start, stop) in zip(letters, ranges):
        letter.pages = (offset, offset + stop - start)
        offset += stop - start
    with pikepdf.open(io.BytesIO(data)) as source:
        if _consecutive(len(source.pages), ranges):
            return data, offset
        with pikepdf.new() as target:
            for start, stop in ranges:
                target.pages.extend(source.pages[start:stop])
            buffer = io.BytesIO()
            target.save(buffer)
    return buffer.getvalue(), offset


def _consecutive(total: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether `ranges` follow each other from page 0 to the last page."""
    return [start for start, _ in ranges] == [0] + [stop for _, stop in ranges[:-1]] and ranges[-1][1] == total


def _letter_ranges(document, count: int) -> list[tuple[int, int]] | None:
    """Pages of each letter, from the wrapper marks on each page; None if they are not in order
    or if the page counters did not follow them."""
    owners = [owner_of(getattr(page, "_page_box", None)) for page in document.pages]
    ranges = []
    start = 0
    for k in range(count):
        stop = start
        while stop < len(owners) and owners[stop] == k:
            stop += 1
        if stop == start:
            return None
        ranges.append((start, stop))
        start = stop
    if start != len(owners):
        return None
    expected = [(n - start + 1, stop - start) for start, stop in ranges for n in range(start, stop)]
    if page_counters.PAGE_COUNTERS != expected or page_counters.CARRIES_OVER != [False]:
        return None
    return ranges
