"""Cutting a letter for stamping: its shared letter, and the regions that are the tenant's own.

A template marks with `data-md-own` the parts of a letter that change from one tenant to the next
(the address, the greeting, the visit slot, the reference). `cut` empties them: what is left is
the *shared letter*, and its text is the key that groups tenants; `letters_in_company` says which
letters of a batch share one. `own_elements`, `copies` and `nest` rebuild a region inside copies
of its ancestors for the overlay document (`maintdesk.letters.pdf.stamping`). Runs in the
caller's process and in the workers; needs no WeasyPrint.
"""

from __future__ import annotations

import html as html_text
import re
from dataclasses import dataclass

OWN = "data-md-own"              # marks a region that differs from tenant to tenant
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_RAW = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"}
_TAG = re.compile(r"""<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S)
_OWN_ATTRIBUTE = re.compile(r"""\s%s(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?(?=[\s/>]|$)""" % OWN)
_BODY = re.compile(r"<body\b", re.I)
_TITLE = re.compile(r"(<title\b[^>]*>).*?(</title\s*>)", re.I | re.S)


@dataclass(frozen=True)
class Cut:
    """A letter split into its shared letter (`key`, a complete HTML document) and its regions."""
    key: str
    contents: tuple[str, ...]


@dataclass
class Own:
    """A marked element as an overlay document copies it."""
    path: tuple[int, ...]   # its ancestors below <body>, as indexes into SharedLetter.ancestors
    tag: str
    attributes: str         # its attributes but class and id
    classes: str


def cut(html: str) -> Cut | None:
    """The shared letter and the regions' contents, or None when the letter marks no region or its
    body is not well-formed enough to be cut safely (then it is laid out whole)."""
    body = _BODY.search(html)
    if body is None or OWN not in html:
        return None
    stack: list[tuple[str, bool, int]] = []      # open elements: name, marked, end of its start tag
    spans: list[tuple[int, int]] = []            # contents of the marked elements, outermost only
    inside = 0                                   # how many marked elements are open
    position = body.start()
    while True:
        match = _TAG.search(html, position)
        if match is None:
            break
        position = match.end()
        closing, name = match.group(1), (match.group(2) or "").lower()
        if not name or name in _VOID:
            continue
        if closing:
            if not stack or stack[-1][0] != name:
                if name in ("body", "html") and not inside:
                    break
                return None
            name, marked, content_start = stack.pop()
            if marked:
                inside -= 1
                if not inside:
                    spans.append((content_start, match.start()))
            continue
        if match.group(3).rstrip().endswith("/"):
            continue
        marked = bool(_OWN_ATTRIBUTE.search(match.group(3)))
        if name in _RAW:
            close = re.compile(r"</%s\s*>" % name, re.I).search(html, position)
            if close is None:
                return None
            position = close.end()
            continue
        stack.append((name, marked, match.end()))
        inside += marked
    if not spans or inside:
        return None
    parts, contents, last = [], [], 0
    for start, stop in spans:
        parts.append(html[last:start])
        contents.append(html[start:stop])
        last = stop
    parts.append(html[last:])
    return Cut(_TITLE.sub(r"\1\2", "".join(parts), count=1), tuple(contents))


def letters_in_company(letters: list[str]) -> set[int]:
    """The positions of the letters whose shared letter serves at least one other letter. The
    batch's parent process tells its workers, so that a group cut by a chunk boundary is still
    stamped (~0.1 ms per letter)."""
    groups: dict[str, list[int]] = {}
    for position, html in enumerate(letters):
        letter = cut(html)
        if letter is not None:
            groups.setdefault(letter.key, []).append(position)
    return {position for members in groups.values() if len(members) > 1 for position in members}


def own_elements(parent, chain: list) -> list:
    """(element, its ancestors below <body>) for each marked element, not looking inside one."""
    found = []
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if child.get(OWN) is not None:
            found.append((child, list(chain)))
        else:
            found += own_elements(child, chain + [child])
    return found


def _attributes(element, skip: tuple[str, ...]) -> str:
    return "".join(f' {name}="{html_text.escape(value, quote=True)}"'
                   for name, value in element.attrib.items() if name not in skip)


def copies(owned: list) -> tuple[list[Own], list[tuple[str, str]]]:
    """The marked elements and their ancestors as an overlay document writes them."""
    numbers: dict[int, int] = {}
    ancestors: list[tuple[str, str]] = []
    owns = []
    for element, chain in owned:
        for a in chain:
            if id(a) not in numbers:
                numbers[id(a)] = len(ancestors)
                classes = html_text.escape((a.get("class", "") + " md-chain").strip(), quote=True)
                ancestors.append((f'<{a.tag} class="{classes}"{_attributes(a, ("class", "id", OWN))}>', f"</{a.tag}>"))
        owns.append(Own(tuple(numbers[id(a)] for a in chain), element.tag, _attributes(element, ("class", "id", OWN)),
                        element.get("class", "")))
    return owns, ancestors


def nest(items: list[tuple[tuple[int, ...], str]], ancestors: list[tuple[str, str]]) -> str:
    """Regions (ancestor path, HTML) in document order, inside one copy of each ancestor."""
    out: list[str] = []
    open_path: list[int] = []
    for path, text in items:
        while open_path and list(path[:len(open_path)]) != open_path:
            out.append(ancestors[open_path.pop()][1])
        for a in path[len(open_path):]:
            out.append(ancestors[a][0])
            open_path.append(a)
        out.append(text)
    out += [ancestors[a][1] for a in reversed(open_path)]
    return "".join(out)
