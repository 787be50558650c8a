"""One cell of a tenant list → the value MaintDesk stores, with what went wrong or what to check.

Phone numbers and postal codes are text: a spreadsheet that stored them as numbers dropped their
leading zeros (0612345678 → 612345678, 01000 → 1000), so they are read back with the property's
country and the user is told what was restored.
"""

from __future__ import annotations

import re
from datetime import date

import phonenumbers

from maintdesk.imports.mapping import (
    ACTIVE_WORDS, CHANNEL_WORDS, INACTIVE_WORDS, LANGUAGE_WORDS, NO_WORDS, YES_WORDS, normal, word_value,
)
from maintdesk.records.validation import normalize_phone

POSTAL_DIGITS = {"FR": 5, "US": 5, "DE": 5, "ES": 5, "IT": 5, "MX": 5, "FI": 5, "BE": 4, "CH": 4, "AT": 4,
                 "DK": 4, "LU": 4, "NO": 4, "AU": 4}
POSTAL_FIRST = {"FR", "DE", "ES", "IT", "BE", "CH", "AT", "DK", "LU", "NO", "NL", "PT", "PL", "SE", "FI", "MX"}
_PHONE_LABEL = re.compile(r"^\s*[A-Za-zÀ-ÿ. ]{1,20}:\s*")
_UNIT_PREFIX = re.compile(r"^(apt|appt|app|apartment|appartement|unit|suite|logement|lgt|porte|lot|no|n°|#)\.?\s*",
                          re.I)


class Bad(ValueError):
    """The cell cannot be used; the message says why."""


def pretty_phone(e164: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone(raw: str, region: str, was_number: bool) -> tuple[str, list[str]]:
    """E.164 and warnings, or Bad. Several numbers in one cell ('Mobile: …, Home: …'): the first."""
    parts = [_PHONE_LABEL.sub("", p).strip() for p in re.split(r"[,;|\n]", raw)]
    parts = [p for p in parts if p]
    if not parts:
        return "", []
    first, warnings = parts[0], []
    if len(parts) > 1:
        warnings.append(f"the cell has {len(parts)} numbers; the first is kept")
    try:
        value = normalize_phone(first, region)
    except ValueError as exc:
        digits = re.sub(r"\D", "", first)
        if first.strip().isdigit() and not first.startswith("0") and len(digits) > 9:
            try:  # an international number whose + was lost: 33612345678
                value = normalize_phone("+" + digits, "")
            except ValueError:
                raise Bad(str(exc)) from None
            warnings.append(f"read as {pretty_phone(value)} (the + was missing); check it")
            return value, warnings
        raise Bad(str(exc)) from None
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    trunk = metadata.national_prefix if metadata is not None else None
    if first.isdigit() and trunk == "0" and not first.startswith("0"):
        why = "the spreadsheet stored it as a number" if was_number else "stored as a number?"
        warnings.append(f"written without its leading 0 ({why}): read as {pretty_phone(value)}; check it")
    return value, warnings


def postal_code(raw: str, country: str) -> tuple[str, list[str]]:
    digits = POSTAL_DIGITS.get(country)
    value = raw.strip()
    if digits and value.isdigit() and len(value) < digits:
        padded = value.zfill(digits)
        return padded, [f"postal code {value} has lost its leading zero (stored as a number?): read as {padded}"]
    return value, []


def address(lines: list[str], city: str, region: str, postal: str, country: str, home_country: str) -> str:
    """The lines of a mailing address in the country's order."""
    out = [line for line in lines if line]
    if country in POSTAL_FIRST:
        locality = " ".join(p for p in (postal, city) if p)
    else:
        locality = " ".join(p for p in (f"{city}," if city and (region or postal) else city, region, postal) if p)
    if locality:
        out.append(locality)
    if country and country != home_country:
        out.append(country)
    return "\n".join(out)


def language(raw: str) -> str:
    value = word_value(raw, LANGUAGE_WORDS)
    if value is None:
        raise Bad(f'"{raw}" is not a language MaintDesk writes in: use en, fr, de or es '
                  '(English, French, Français, German, Deutsch, Spanish, Español …)')
    return value


def channel(raw: str) -> str:
    value = word_value(raw, CHANNEL_WORDS)
    if value is None:
        raise Bad(f'"{raw}" is not a channel: use email, print or both (courriel, papier, les deux …)')
    return value


def active(raw: str) -> bool:
    wanted = normal(raw)
    if wanted in ACTIVE_WORDS or not wanted:
        return True
    if wanted in INACTIVE_WORDS:
        return False
    raise Bad(f'"{raw}" is not a status MaintDesk knows: use Current or Past (actuel, ancien), yes or no')


def yes_no(raw: str) -> bool:
    wanted = normal(raw)
    if wanted in YES_WORDS:
        return True
    if wanted in NO_WORDS:
        return False
    raise Bad(f'"{raw}" is not yes or no')


def day(raw: str) -> date:
    """A day as a spreadsheet writes it: 2026-03-01 (an XLSX date cell reads so), 2026/03/01, or
    01.03.2026; 01/03/2026 only when the day is over 12, as a slashed day could be either order."""
    text = raw.strip()
    found = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if found:
        year, month, number = (int(g) for g in found.groups())
    else:
        found = re.fullmatch(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})", text)
        if found is None:
            raise Bad(f'"{raw}" is not a day such as 2026-03-01')
        first, separator, second, year = int(found[1]), found[2], int(found[3]), int(found[4])
        if separator == "/" and first <= 12 and second <= 12 and first != second:
            raise Bad(f'"{raw}" could be {first} {_MONTHS[second]} or {second} {_MONTHS[first]}: write it as '
                      f"{year}-{second:02d}-{first:02d} or {year}-{first:02d}-{second:02d} (year-month-day)")
        number, month = (first, second) if separator == "." or first > 12 else (second, first)
    try:
        return date(year, month, number)
    except ValueError:
        raise Bad(f'"{raw}" is not a day of the calendar') from None


_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def floor(raw: str) -> int | None:
    wanted = normal(raw)
    if wanted in ("rdc", "rez de chaussee", "ground", "ground floor", "g", "0"):
        return 0
    match = re.fullmatch(r"(-?\d+)\s*(st|nd|rd|th|e|er|eme|re)?( floor| etage)?", wanted)
    if match is None:
        raise Bad(f'"{raw}" is not a floor number')
    return int(match.group(1))


def unit_key(label: str) -> str:
    return "".join(label.split()).casefold()


def bare_unit_key(label: str) -> str:
    """'Apt. 3B', 'Logement 3B', '#3B' → '3b'."""
    return unit_key(_UNIT_PREFIX.sub("", label.strip()))


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


# The first words of the summary lines spreadsheets put under a list (English and French).
SUMMARY_WORDS = ("total", "totals", "grand total", "subtotal", "sub total", "totaux", "total general", "sous total",
                 "somme", "nombre", "sum", "count", "effectif")
_SUMMARY_PREFIXES = SUMMARY_WORDS[:10]  # "Total units:", "Nombre de locataires" (not "Sum", a surname)
_NUMBER = re.compile(r"^[-+]?[\d\s\u00a0\u202f.,']+%?$")


def summary_row(cells: list[str]) -> str | None:
    """Why a row is not a tenant: blank, a total/sum/count line, or nothing but numbers; else None."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        return "a blank row"
    words = [normal(c).replace("-", " ").rstrip(" :") for c in filled]
    for word in words:
        if word in SUMMARY_WORDS or any(word.startswith(w + " ") for w in _SUMMARY_PREFIXES):
            return f'a summary row ("{filled[words.index(word)]}"), not a tenant'
    if all(_NUMBER.match(c) for c in filled):
        return "a row of numbers only (a summary row?), not a tenant"
    return None
