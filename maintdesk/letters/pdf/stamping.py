"""Letters that differ only in marked regions: the shared letter is laid out once, each tenant's
regions are laid out on their own and stamped over it. Runs inside a PDF worker process.

A template marks the parts of a letter that change from one tenant to the next with the attribute
`data-md-own` (the address, the greeting, the visit slot, the reference). Everything else (the
letterhead, the body text, the actions, the signature) is the same for every tenant of a batch
who shares language, paper and print size. For a run of such letters:

1. `cut` parses each letter and empties its own regions; what is left is the letter's *shared
   letter*, and its text is the key that groups tenants.
2. `SharedLayouts.get` lays out each shared letter once (cached for the worker's life) and
   measures where each emptied region ended up: page, content box position and size.
3. `Stamper.render` lays out, in one WeasyPrint document, one page per page of every letter that
   holds only the letter's own regions, each absolutely placed on its measured content box, inside
   copies of its ancestors (same tags and classes, so the template's selectors and inherited text
   styles apply; their boxes are neutralised by `OVERLAY_CSS`).
4. pikepdf puts each shared page under its tenant's page as a form XObject.

Correct by construction as long as a region's content fits its box: the layout of everything else
cannot depend on it. That is checked for every letter after layout; a region whose content is
taller than its emptied box (a name too long for one line), a region WeasyPrint did not lay out
as one empty block box, or a shared letter whose regions cannot be measured sends the letter back
to the caller, which lays it out whole. A region therefore needs a definite height in the
template: `height`, or `min-height` so that the whole layout can still grow it.

Measured on the built-in initial notice (1,000 letters, 2 workers; see bench/RESULTS.md):
~8 ms of worker CPU per letter instead of ~40 ms for the whole layout.
"""

from __future__ import annotations

import html as html_text
import io
from collections import OrderedDict
from dataclasses import dataclass, field

from maintdesk.letters.pdf.cutting import OWN, Cut, Own, copies, nest, own_elements

PLACE = "data-md-place"          # a region in an overlay document: "letter:region:page"
OVERLAY_PAGE = "data-md-overlay" # a page of an overlay document: "letter:page"
TOLERANCE = 0.01                 # CSS px: rounding between the shared and the overlay layout
CACHE_SIZE = 16                  # shared letters kept per worker


# In an overlay document each region is a block of no height (its content overflows it), in the
# flow, inside copies of its ancestors (`md-chain`, shared by the regions of a page), moved to its
# measured place by relative positioning (absolute boxes cost WeasyPrint ~1 ms each). The copied
# ancestors only carry the template's selectors and inherited text styles: no box of theirs may
# paint, move a region or start a page.
# Class selectors, not attribute ones: cssselect2 tests attribute selectors on every element.
OVERLAY_CSS = """
html, body { margin: 0 !important; padding: 0 !important; border: 0 none !important;
  background: transparent none !important; box-shadow: none !important; }
html::before, html::after, body::before, body::after { content: none !important; display: none !important; }
.md-overlay-page { display: block !important; position: relative !important; float: none !important;
  margin: 0 !important; padding: 0 !important; border: 0 none !important; background: transparent none !important;
  break-before: page !important; overflow: hidden !important; transform: none !important; }
.md-chain { display: block !important; position: static !important; float: none !important;
  margin: 0 !important; padding: 0 !important; border: 0 none !important; background: transparent none !important;
  box-shadow: none !important; outline: none !important; width: auto !important; height: auto !important;
  min-width: 0 !important; max-width: none !important; min-height: 0 !important; max-height: none !important;
  transform: none !important; overflow: visible !important; columns: auto !important; page: auto !important;
  break-before: auto !important; break-after: auto !important; break-inside: auto !important;
  string-set: none !important; bookmark-level: none !important; opacity: 1 !important; }
.md-place { display: flow-root !important; float: none !important; margin: 0 !important; padding: 0 !important;
  border: 0 none !important; background: transparent none !important; box-shadow: none !important;
  outline: none !important; transform: none !important; height: 0 !important; min-height: 0 !important;
  overflow: visible !important;
  max-height: none !important; min-width: 0 !important; max-width: none !important;
  box-sizing: content-box !important; break-before: auto !important; page: auto !important;
  string-set: none !important; }
.md-chain::before, .md-chain::after, .md-chain::marker, .md-overlay-page::before, .md-overlay-page::after,
.md-place::marker { content: none !important; display: none !important; }
"""
_MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner", "bottom-left-corner",
                 "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner", "left-top", "left-middle",
                 "left-bottom", "right-top", "right-middle", "right-bottom")


@dataclass(frozen=True)
class Region:
    own: int          # which marked element, in document order
    page: int
    x: float          # content box, CSS px from the page's top-left corner
    y: float
    width: float
    height: float


@dataclass
class SharedLetter:
    usable: bool
    pdf: bytes = b""
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    owns: list[Own] = field(default_factory=list)
    ancestors: list[tuple[str, str]] = field(default_factory=list)   # opening tag (classed md-chain), closing tag
    failures: int = 0   # letters of this group whose regions did not fit; stamping stops after a few


class SharedLayouts:
    """Shared letters laid out and measured once per worker, most recently used kept."""

    def __init__(self, layout, size: int = CACHE_SIZE):
        self.layout = layout
        self.size = size
        self.cache: OrderedDict[str, SharedLetter] = OrderedDict()

    def known(self, key: str) -> bool:
        return key in self.cache

    def get(self, letter: Cut) -> SharedLetter:
        shared = self.cache.get(letter.key)
        if shared is None:
            shared = self._lay_out(letter.key, len(letter.contents))
            self.cache[letter.key] = shared
            while len(self.cache) > self.size:
                self.cache.popitem(last=False)
        self.cache.move_to_end(letter.key)
        return shared

    def _lay_out(self, key: str, count: int) -> SharedLetter:
        from weasyprint.formatting_structure import boxes

        document, root = self.layout(key)
        body = root.find("body")
        owned = own_elements(body, []) if body is not None else []
        if len(owned) != count:   # the HTML parser saw the marked elements differently from `cut`
            return SharedLetter(False)
        index = {id(element): k for k, (element, _) in enumerate(owned)}
        regions: list[Region] = []
        for number, page in enumerate(document.pages):
            page_box = getattr(page, "_page_box", None)
            if page_box is None:
                return SharedLetter(False)
            for box, in_margin in _descendants(page_box, stop=_marked(OWN)):
                k = index.get(id(getattr(box, "element", None)))
                if k is None or "::" in (getattr(box, "element_tag", "") or ""):
                    continue
                # An emptied region must be one childless block box: not inline, not split over pages
                # (except a running element, repeated in the margin boxes of each page).
                if not isinstance(box, boxes.BlockBox) or box.children:
                    return SharedLetter(False)
                if any(r.own == k and (r.page == number or not in_margin) for r in regions):
                    return SharedLetter(False)
                regions.append(Region(k, number, box.content_box_x(), box.content_box_y(), box.width, box.height))
        if {r.own for r in regions} != set(range(count)):
            return SharedLetter(False)
        owns, ancestors = copies(owned)
        return SharedLetter(True, document.write_pdf(), [(p.width, p.height) for p in document.pages], regions,
                            owns, ancestors)


@dataclass
class Stamped:
    """The composed PDF and where each stamped letter's pages are in it (by position in the list
    given); a letter missing from `ranges` did not come out as measured and must be laid out whole."""
    pdf: bytes
    ranges: dict[int, tuple[int, int]]


class Stamper:
    def __init__(self, layout):
        """`layout(html, overlay=False) -> (Document, parsed root)` lays out a document with the
        worker's fetcher, fonts and stylesheets (plus OVERLAY_CSS for an overlay)."""
        self.layout = layout
        self.shared = SharedLayouts(layout)

    def plan(self, cuts: list[Cut | None], in_company: list[bool]) -> list[bool]:
        """Which letters to stamp: those whose shared letter is usable and serves at least two
        letters of the batch (`in_company`, from `letters_in_company`), or here, or is laid out
        already; one letter alone is faster laid out whole."""
        counts: dict[str, int] = {}
        for c in cuts:
            if c is not None:
                counts[c.key] = counts.get(c.key, 0) + 1
        wanted = []
        for c, company in zip(cuts, in_company):
            if c is None or not (company or counts[c.key] > 1 or self.shared.known(c.key)):
                wanted.append(False)
                continue
            shared = self.shared.get(c)
            wanted.append(shared.usable and shared.failures < 3)
        return wanted

    def render(self, head: str, body_tag: str, langs: list[str], cuts: list[Cut]) -> Stamped:
        """Lay out the regions of `cuts` (stampable letters, see `plan`) and compose the PDF."""
        shareds = [self.shared.get(c) for c in cuts]
        sizes: dict[tuple[float, float], int] = {}
        places: dict[tuple[int, int], int] = {}       # (shared letter, region) → its md-at-N rule
        rules: list[str] = []
        pages_html, expected = [], []
        for n, (c, shared, lang) in enumerate(zip(cuts, shareds, langs)):
            lang_attribute = f' lang="{html_text.escape(lang)}"' if lang else ""
            for p, size in enumerate(shared.page_sizes):
                name = sizes.setdefault(size, len(sizes))
                parts = [f'<div class="md-overlay-page" {OVERLAY_PAGE}="{n}:{p}"{lang_attribute} '
                         f'style="page: md-overlay-{name}; width: {size[0]}px; height: {size[1]}px">']
                items = []
                for r, region in enumerate(shared.regions):
                    if region.page != p:
                        continue
                    rule = places.get((id(shared), r))
                    if rule is None:
                        rule = places[(id(shared), r)] = len(rules)
                        rules.append(f".md-at-{rule} {{ position: relative !important; left: {region.x}px !important; "
                                     f"top: {region.y}px !important; width: {region.width}px !important; }}")
                    own = shared.owns[region.own]
                    classes = html_text.escape(f"{own.classes} md-place md-at-{rule}".strip(), quote=True)
                    items.append((own.path, f'<{own.tag} class="{classes}" {PLACE}="{n}:{region.own}:{p}"'
                                            f'{own.attributes}>{c.contents[region.own]}</{own.tag}>'))
                parts.append(nest(items, shared.ancestors))
                parts.append("</div>")
                pages_html.append("".join(parts))
                expected.append((n, p))
        page_rules = "".join(
            f"@page md-overlay-{name} {{ size: {w}px {h}px; margin: 0 !important; padding: 0 !important; "
            f"border: 0 none !important; background: transparent none !important; "
            + "".join(f"@{box} {{ content: none !important; }}" for box in _MARGIN_BOXES) + "}"
            for (w, h), name in sizes.items())
        style = f"<style>{page_rules}{''.join(rules)}</style>"
        document, _ = self.layout(f"{head}{body_tag}{style}{''.join(pages_html)}</body></html>", overlay=True)
        failed = _misplaced(document, expected, shareds)
        for n in failed:
            shareds[n].failures += 1
        overlay = document.write_pdf()
        del document
        ranges, start = {}, 0
        for n, shared in enumerate(shareds):
            if n not in failed:
                ranges[n] = (start, start + len(shared.page_sizes))
            start += len(shared.page_sizes)
        return Stamped(_underlay(overlay, expected, shareds), ranges)


def _misplaced(document, expected: list[tuple[int, int]], shareds: list[SharedLetter]) -> set[int]:
    """Letters whose overlay did not come out as measured: a page too many or missing, a region
    elsewhere than its box in the shared letter, or taller (its content would have moved the rest)."""
    if len(document.pages) != len(expected):
        return set(range(len(shareds)))
    boxes_of = {(n, r.own, r.page): r for n, shared in enumerate(shareds) for r in shared.regions}
    failed: set[int] = set()
    seen: set[tuple[int, int, int]] = set()
    for number, page in enumerate(document.pages):
        n, p = expected[number]
        page_marks = set()
        for box, _ in _descendants(page._page_box, stop=_marked(PLACE)):
            element = getattr(box, "element", None)
            if element is None or "::" in (getattr(box, "element_tag", "") or ""):
                continue
            mark = element.get(OVERLAY_PAGE)
            if mark is not None:
                page_marks.add(mark)
            place = element.get(PLACE)
            if place is None:
                continue
            where = tuple(int(part) for part in place.split(":"))
            region = boxes_of.get(where)
            if (region is None or where in seen or where[:1] + where[2:] != (n, p)
                    or abs(box.content_box_x() - region.x) > TOLERANCE
                    or abs(box.content_box_y() - region.y) > TOLERANCE
                    or _content_height(box) > region.height + TOLERANCE):
                failed.add(where[0])
            seen.add(where)
        if page_marks != {f"{n}:{p}"}:
            failed.add(n)
    return failed | {where[0] for where in boxes_of if where not in seen}


def _content_height(box) -> float:
    """How far a region's content reaches below its top (the region itself has no height)."""
    top = box.content_box_y()
    bottom = max((child.position_y + child.margin_height() for child in getattr(box, "children", ())), default=top)
    return bottom - top


def _underlay(overlay: bytes, expected: list[tuple[int, int]], shareds: list[SharedLetter]) -> bytes:
    """Each shared page as a form XObject under its overlay page (copied once per document)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(overlay)) as target:
        forms: dict[tuple[int, int], object] = {}
        sources: dict[int, pikepdf.Pdf] = {}
        try:
            for number, (n, p) in enumerate(expected):
                key = (id(shareds[n]), p)
                if key not in forms:
                    source = sources.get(id(shareds[n]))
                    if source is None:
                        source = sources[id(shareds[n])] = pikepdf.open(io.BytesIO(shareds[n].pdf))
                    forms[key] = target.copy_foreign(source.pages[p].as_form_xobject())
                target.pages[number].add_underlay(forms[key])
            buffer = io.BytesIO()
            target.save(buffer)
        finally:
            for source in sources.values():
                source.close()
    return buffer.getvalue()


def _descendants(box, in_margin: bool = False, stop=lambda box: False):
    """Every box under `box` (absolutely placed ones unwrapped) with whether it lies in a page
    margin box; the children of a box for which `stop(box)` is true are not visited."""
    from weasyprint.formatting_structure import boxes

    stack = [(box, in_margin)]
    while stack:
        current, margin = stack.pop()
        current = getattr(current, "_box", current)   # an AbsolutePlaceholder → the box it stands for
        yield current, margin
        if stop(current):
            continue
        margin = margin or isinstance(current, boxes.MarginBox)
        stack.extend((child, margin) for child in reversed(getattr(current, "children", ())))


def _marked(attribute: str):
    """stop= for `_descendants`: a box of an element carrying `attribute` (not a pseudo-element's)."""
    def stop(box) -> bool:
        element = getattr(box, "element", None)
        return (element is not None and element.get(attribute) is not None
                and "::" not in (getattr(box, "element_tag", "") or ""))
    return stop


def share_forms(pdf) -> int:
    """Make identical form XObjects one object (a shared letter is copied into every chunk that
    uses it; the merged print file needs it once). Returns how many references were redirected."""
    import hashlib

    import pikepdf

    memo: dict[tuple[int, int], bytes] = {}

    def digest(obj) -> bytes:
        if not isinstance(obj, pikepdf.Object):   # numbers and booleans come back as Python values
            return b"V" + repr(obj).encode()
        if obj.is_indirect:
            key = obj.objgen
            if key in memo:
                return memo[key]
            memo[key] = b"cycle"
        h = hashlib.sha256()
        if isinstance(obj, pikepdf.Stream):
            h.update(b"S" + obj.read_raw_bytes())
            h.update(digest(pikepdf.Dictionary({k: v for k, v in obj.items() if k != "/Length"})))
        elif isinstance(obj, pikepdf.Dictionary):
            for k in sorted(obj.keys()):
                h.update(b"K" + k.encode() + digest(obj[k]))
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                h.update(b"A" + digest(item))
        else:
            h.update(b"V" + repr(obj).encode())
        value = h.digest()
        if obj.is_indirect:
            memo[obj.objgen] = value
        return value

    canonical: dict[bytes, object] = {}
    redirected = 0
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if resources is not None else None
        if xobjects is None:
            continue
        for name in list(xobjects.keys()):
            form = xobjects[name]
            if not form.is_indirect or form.get("/Subtype") != "/Form":
                continue
            keep = canonical.setdefault(digest(form), form)
            if keep.objgen != form.objgen:
                xobjects[name] = keep
                redirected += 1
    return redirected
