"""Typography per language, in one place: applied to every document MaintDesk fills in.

Templates are written with ordinary spaces; `typeset_html` and `typeset_text` put in the spaces a
language's typography wants, so that a line never breaks between a word and the sign after it, or
between a number and its unit. French (Imprimerie nationale usage):
- a no-break space before ":" and a narrow no-break space before ";", "!", "?" and "»", and after
  "«" (added where the template has no space, except in a web address);
- a no-break space between a number and its unit ("7 h", "35 minutes", "3 jours", "20 %");
- a narrow no-break space between groups of thousands ("1 000").
German: straight double quotes become „…“ (the opening one where a word follows it after a space,
a bracket or the start of a text, the closing one elsewhere), and a no-break space goes between a
number and its unit ("8:30 Uhr", "35 Minuten", "20 %"). Spanish: a no-break space between a number
and its unit ("8:30 h", "35 minutos"). Other languages are left as written. An element marked `lang="…"` takes the typography of its own
language, and so does everything inside it (an update text the manager wrote only in English, in a
French letter, stays as written; the French column of a bilingual poster gets French spaces, even
on an English page). Only text is touched: never tags, attributes, styles or scripts.
"""

from __future__ import annotations

import re
from functools import lru_cache

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
_ANY_SPACE = f"[ {NBSP}{NARROW_NBSP}]"

_UNITS = (r"h|min|minutes?|heures?|jours?|semaines?|mois|ans?|%|€|°C|m|m²|m2|cm|mm|km|kg|l|"
          r"logements?|étages?|avis|locataires?|pages?")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
_PRIVATE = 0xF0000    # a private-use plane (65,534 characters): never in a template or a tenant's text
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_OPENING = re.compile(r"<([a-zA-Z][\w-]*)")
_CLOSING = re.compile(r"</([a-zA-Z][\w-]*)")
_LANG = re.compile(r"""\slang\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_MARKUP = re.compile(r"(<(?:style|script)\b.*?</(?:style|script)\s*>|<!--.*?-->|<[^>]*>)", re.IGNORECASE | re.DOTALL)


_FR_RULES = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    # A space (any kind, or none after a letter) before a colon: one no-break space.
    (rf"{_ANY_SPACE}+:", NBSP + ":"),
    (r"(?<=[^\W\d_])(:)(?=[\s)]|$)", NBSP + r"\1"),
    # Before ; ! ? » and after «: one narrow no-break space.
    (rf"{_ANY_SPACE}+([;!?»])", NARROW_NBSP + r"\1"),
    (r"(?<=[^\W\d_])([;!?»])(?=[\s)]|$)", NARROW_NBSP + r"\1"),
    (rf"«{_ANY_SPACE}*", "«" + NARROW_NBSP),
    # A number and its unit; groups of thousands.
    (rf"(\d){_ANY_SPACE}+(?=(?:{_UNITS})(?![^\W_]))", r"\1" + NBSP),
    (rf"(?<![\d,.])(\d{{1,3}})(?:{_ANY_SPACE})(?=\d{{3}}(?!\d))", r"\1" + NARROW_NBSP),
))


def _french(text: str) -> str:
    for pattern, replacement in _FR_RULES:
        text = pattern.sub(replacement, text)
    return text


_UNITS_DE = r"Uhr|h|Min\.?|Minuten?|Stunden?|Tagen?|Wochen?|Monaten?|Jahren?|%|€|°C|m|m²|cm|mm|km|kg|l|Seiten?"
_UNITS_ES = r"h|min|minutos?|horas?|días?|semanas?|meses|mes|años?|%|€|°C|m|m²|cm|mm|km|kg|l|páginas?"
_QUOTE_ENTITY = re.compile(r"&(?:#34|#x22|quot);", re.IGNORECASE)


def _units(units: str):
    pattern = re.compile(rf"(\d){_ANY_SPACE}+(?=(?:{units})(?![^\W_]))")

    def rule(text: str) -> str:
        return pattern.sub(r"\1" + NBSP, text)
    return rule


_GERMAN_UNITS = _units(_UNITS_DE)
_GERMAN_OPENING = re.compile(r'(?<=[\s(\[/–—])"|^"(?=[^\W_])')


def _german(text: str) -> str:
    text = _GERMAN_UNITS(text)
    text = _GERMAN_OPENING.sub("„", text)
    return text.replace('"', "“")


_RULES = {"fr": _french, "de": _german, "es": _units(_UNITS_ES)}


def _around_entities(text: str, rule) -> str:
    """`rule` applied to text whose character references ("&amp;", "&#39;") are held aside, so that
    their ";" is never taken for a sign (each stands in as one private-use character)."""
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(match.group(0))
        return chr(_PRIVATE + len(held) - 1)

    text = _ENTITY.sub(hold, text)
    if not held:
        return rule(text)
    return re.sub(f"[{chr(_PRIVATE)}-{chr(_PRIVATE + len(held) - 1)}]", lambda m: held[ord(m.group(0)) - _PRIVATE],
                  rule(text))


def typeset_text(text: str, language: str) -> str:
    """Plain text (an email's text part, a subject) with the language's spaces."""
    rule = _RULES.get(language)
    return rule(text) if rule else text


def typeset_html(document: str, language: str) -> str:
    """An HTML document with the language's spaces in its text only; an element marked `lang="…"`
    (and all it holds) with the spaces of its own language."""
    if language not in _RULES and not any(_RULES.get(_base(code)) for code in _LANG.findall(document)):
        return document
    pieces = _MARKUP.split(document)
    # Open elements from the first one marked lang="…" inwards, each with the language its text is in
    # (its own mark, else its parent's); outside them the text is in the document's `language`.
    inside: list[tuple[str, str]] = []
    for index, piece in enumerate(pieces):
        if index % 2:   # markup
            opening = _OPENING.match(piece)
            if opening and not piece.endswith("/>") and opening.group(1).lower() not in _VOID:
                lang = _LANG.search(piece)
                if inside or lang:
                    inside.append((opening.group(1).lower(), _base(lang.group(1)) if lang else inside[-1][1]))
            elif inside and (closing := _CLOSING.match(piece)) and closing.group(1).lower() == inside[-1][0]:
                inside.pop()
        elif piece and (code := inside[-1][1] if inside else language) in _RULES:
            pieces[index] = _typeset_piece(piece, code)
    return "".join(pieces)


@lru_cache(maxsize=8192)
def _typeset_piece(piece: str, language: str) -> str:
    """One run of text between tags. Kept: most of a batch's letters share most of their text, and
    typesetting it again for each tenant took ~40 % of preparing a building's notices."""
    rule = _RULES[language]
    if rule is _german:  # an escaped quote (from a manager's text) is a quote too; „ and “ need no escaping
        piece = _QUOTE_ENTITY.sub('"', piece)
    return _around_entities(piece, rule)


def _base(code: str) -> str:
    """'fr' for 'fr', 'fr-CA' or 'FR_ca'."""
    return code.replace("_", "-").split("-")[0].lower()
