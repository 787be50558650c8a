"""Safe, readable file names: 'Résidence Les Tilleuls' → 'residence-les-tilleuls'."""

from __future__ import annotations

import re
import unicodedata


def slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return cleaned[:limit].rstrip("-") or "x"


def unique_names(names: list[str]) -> list[str]:
    """Adds -2, -3 … before the extension to names that repeat."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        count = seen.get(name, 0) + 1
        seen[name] = count
        result.append(name if count == 1 else f"{stem}-{count}{dot}{ext}")
    return result
