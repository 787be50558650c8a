"""Plural forms: which form of a word or phrase a number takes, in the language of the text.

The rule of each language is gettext's plural expression as Babel's CLDR tables give it
(English and German: 1 → first form, else second; French: 0 and 1 → first form; Spanish: 1 →
first form). Callers give the forms in the order the rule numbers them; where they give fewer
forms than the language has (French and Spanish number "a million of" apart), the last one
given serves for the rest. `{n}` in a form is replaced by the number, written as the language
writes numbers (1,500 in English, 1 500 in French).

    plural("en", 1, "{n} slot falls outside", "{n} slots fall outside")  → "1 slot falls outside"
    plural("fr", 0, "{n} erreur", "{n} erreurs")                         → "0 erreur"
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache

from babel.messages.plurals import get_plural
from babel.numbers import format_decimal


@lru_cache(maxsize=None)
def _rule(language: str) -> Callable[[int], int]:
    return gettext.c2py(get_plural(language or "en").plural_expr)


def plural_index(language: str, n: int) -> int:
    """The gettext plural index of `n` in `language`."""
    return int(_rule(language)(abs(int(n))))


def plural(language: str, n: int, *forms: str) -> str:
    """The form of `forms` that `n` takes in `language`, with `{n}` filled in."""
    if not forms:
        raise ValueError("plural() needs at least one form")
    form = forms[min(plural_index(language, n), len(forms) - 1)]
    return form.replace("{n}", format_decimal(n, locale=language or "en"))


def english(n: int, one: str, other: str) -> str:
    """`plural("en", n, one, other)`: the messages of the command line and the GUI are English."""
    return plural("en", n, one, other)
