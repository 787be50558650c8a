"""A run of letters as one document: each letter's body in a marked wrapper, and back again.

`split_letter` cuts a complete HTML document into head, body tag and body; letters with the same
signature share one layout, each in `<div class="md-letter" data-md-letter="k">` (a data
attribute, not an id: ids are anchors, measured +17 % layout work). `owner_of` finds the letter
a laid-out page belongs to from those marks.
"""

from __future__ import annotations

import html as html_text
import re
from dataclasses import dataclass, field

WRAPPER = "md-letter"            # class of the <div> around each letter's body in a shared layout
MARK = "data-md-letter"          # attribute on the wrapper of letter k in a chunk

_SKIPPED = r"<!--.*?-->|<style\b.*?</style\s*>|<script\b.*?</script\s*>|<title\b.*?</title\s*>"
_BODY_OPEN = re.compile(_SKIPPED + r"|(<body\b[^>]*>)", re.I | re.S)
_BODY_CLOSE = re.compile(r"</body\s*>", re.I)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_HTML_LANG = re.compile(r"""(<html\b[^>]*?)\s+lang\s*=\s*["']([^"']*)["']""", re.I)
_STYLING = re.compile(r"<style\b.*?</style\s*>|<link\b[^>]*>|<base\b[^>]*>", re.I | re.S)


@dataclass
class Letter:
    index: int
    html: str
    filename: str
    signature: tuple | None = None
    head: str = ""
    body_tag: str = ""
    inner: str = ""
    title: str = ""
    lang: str = ""
    pages: tuple[int, int] = field(default=(0, 0))
    company: bool = False   # another letter of the batch shares its shared letter (see cutting)


def split_letter(letter: Letter) -> Letter:
    """Cut a complete HTML document into head, body tag and body content; its signature says which
    letters may share one layout (same head without the title, same body tag, same styling)."""
    body = next((m for m in _BODY_OPEN.finditer(letter.html) if m.group(1)), None)
    if body is None:
        return letter
    closes = list(_BODY_CLOSE.finditer(letter.html, body.end()))
    end = closes[-1].start() if closes else len(letter.html)
    head = letter.html[:body.start()]
    title = _TITLE.search(head)
    letter.title = html_text.unescape(title.group(1)).strip() if title else ""
    letter.head, letter.body_tag, letter.inner = head, body.group(1), letter.html[body.end():end]
    # The language moves onto the letter's wrapper, so English and French letters share a layout.
    lang = _HTML_LANG.search(head)
    letter.lang = html_text.unescape(lang.group(2)) if lang else ""
    shared_head = _HTML_LANG.sub(lambda m: m.group(1), _TITLE.sub("", head))
    letter.signature = (shared_head, letter.body_tag, tuple(_STYLING.findall(letter.inner)))
    return letter


def _lang_attribute(letter: Letter) -> str:
    return f' lang="{html_text.escape(letter.lang)}"' if letter.lang else ""


def runs(letters: list[Letter]) -> list[list[Letter]]:
    """Consecutive letters with the same signature, in order."""
    runs: list[list[Letter]] = []
    for letter in letters:
        if runs and letter.signature is not None and runs[-1][0].signature == letter.signature:
            runs[-1].append(letter)
        else:
            runs.append([letter])
    return runs


def wrap(first: Letter, run: list[Letter]) -> str:
    """One document: the first letter's head and body tag, each letter's body in a marked <div>."""
    parts = [first.head, first.body_tag]
    parts += [
        f'<div class="{WRAPPER}" {MARK}="{k}"{_lang_attribute(letter)}>{letter.inner}</div>' for k, letter in enumerate(run)
    ]
    return "".join(parts) + "</body></html>"


def owner_of(page_box) -> int | None:
    """The letter a laid-out page belongs to: the one wrapper found near the top of its boxes."""
    found = _marks(page_box, 4)
    return found.pop() if len(found) == 1 else None


def _marks(box, depth: int) -> set[int]:
    element = getattr(box, "element", None)
    mark = element.get(MARK) if element is not None and getattr(box, "element_tag", "") == "div" else None
    if mark is not None:
        return {int(mark)} if mark.isdigit() else {-1}
    found: set[int] = set()
    if depth > 0:
        for child in getattr(box, "children", ()):
            found |= _marks(child, depth - 1)
    return found
