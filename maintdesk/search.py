"""Search text the way people type it: case- and accent-insensitive ("lefevre" finds "Lefèvre")."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def matches(haystack_folded: str, query: str) -> bool:
    """Every word of the query appears somewhere in the (already folded) haystack."""
    return all(word in haystack_folded for word in fold(query).split())
