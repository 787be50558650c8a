"""The text of an SMS notice, in the tenant's language, and how many segments it takes.

A phone sends a text in GSM-7 (the GSM 03.38 alphabet: 160 characters in one segment, 153 per
segment once it is split; `^{}[]~|€\\` take two places) when every character is in that alphabet,
else in UCS-2 (70 in one, 67 per segment; a character outside the Basic Multilingual Plane, an
emoji, takes two). A notice may take at most MAX_SEGMENTS segments: a longer one is refused with
its count, before anything is sent.

Typographic spaces and dashes from the letters (no-break spaces, en dashes, curly apostrophes)
are written plainly, so that an English or German text stays in GSM-7; French and Spanish keep
their accents (é, è, à, ñ are in GSM-7; ç in lower case, ê, â, ô are not: such a text goes as UCS-2,
so the French words avoid them where a plain word says the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from maintdesk.errors import InvalidInput
from maintdesk.letters.localize import Localizer, readable_phone, utc_offset

MAX_SEGMENTS = 2
SMS_KINDS = ("emergency", "reminder", "final-reminder")  # the notices that also go by SMS

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = set("^{}\\[~]|€\f")
_PLAIN = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2013": "-", "\u2014": "-",
                        "\u2212": "-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2026": "..."})


@dataclass(frozen=True)
class SegmentCount:
    encoding: str   # "GSM-7" or "UCS-2"
    units: int      # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int  # what one segment holds at this length (160/153 or 70/67)

    @property
    def text(self) -> str:
        """'1 segment, GSM-7, 96 of 160 characters' — what the GUI shows before sending."""
        limit = self.per_segment * self.segments
        return (f"{self.segments} segment{'s' if self.segments != 1 else ''}, {self.encoding}, "
                f"{self.units} of {limit} characters")


def plain(text: str) -> str:
    """The text with typographic spaces, dashes and quotes written plainly, on one line."""
    return " ".join(text.translate(_PLAIN).split())


def count_segments(text: str) -> SegmentCount:
    if all(c in _GSM_BASIC or c in _GSM_EXTENSION for c in text):
        units = sum(2 if c in _GSM_EXTENSION else 1 for c in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    if units <= single:
        return SegmentCount(encoding, units, 1, single)
    return SegmentCount(encoding, units, -(-units // multi), multi)


def check_length(text: str, what: str = "the SMS") -> SegmentCount:
    """The count, or InvalidInput when the text needs more than MAX_SEGMENTS segments."""
    if not text.strip():
        raise InvalidInput(f"{what} is empty: there is nothing to send")
    count = count_segments(text)
    if count.segments > MAX_SEGMENTS:
        limit = (153 if count.encoding == "GSM-7" else 67) * MAX_SEGMENTS
        raise InvalidInput(f"{what} is too long: {count.units} characters in {count.encoding} make "
                           f"{count.segments} segments, at most {MAX_SEGMENTS} ({limit} characters) are sent; "
                           "shorten the work order's title")
    return count


# The words, per language: {org} who writes, {what} the work's title, {when} the date and time with
# its zone, {phone} whom to call. Short: a tenant reads an SMS in a few seconds.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "emergency": "{org} URGENT: {what}, {when}. We are on it, sorry for the trouble. Info: {phone}",
        "reminder": "{org} reminder: {what}, {when}. Thank you. Questions: {phone}",
        "final-reminder": "{org}: {what} starts soon, {when}. Questions: {phone}",
        "test": "{org}: test message from MaintDesk. Notices can reach you by SMS.",
    },
    "fr": {
        "emergency": "{org} URGENT : {what}, {when}. Nous intervenons, désolés du dérangement. Infos : {phone}",
        "reminder": "{org} rappel : {what}, {when}. Merci. Questions : {phone}",
        "final-reminder": "{org} : {what} débute sous peu, {when}. Questions : {phone}",
        "test": "{org} : message de test de MaintDesk. Les avis peuvent vous parvenir par SMS.",
    },
    "de": {
        "emergency": "{org} DRINGEND: {what}, {when}. Wir sind dran, entschuldigen Sie die Störung. Info: {phone}",
        "reminder": "{org} Erinnerung: {what}, {when}. Danke. Fragen: {phone}",
        "final-reminder": "{org}: {what} beginnt bald, {when}. Fragen: {phone}",
        "test": "{org}: Testnachricht von MaintDesk. Mitteilungen erreichen Sie per SMS.",
    },
    "es": {
        "emergency": "{org} URGENTE: {what}, {when}. Estamos en ello, disculpe las molestias. Info: {phone}",
        "reminder": "{org} recordatorio: {what}, {when}. Gracias. Preguntas: {phone}",
        "final-reminder": "{org}: {what} empieza pronto, {when}. Preguntas: {phone}",
        "test": "{org}: mensaje de prueba de MaintDesk. Los avisos pueden llegarle por SMS.",
    },
}


def when_text(localizer: Localizer, start: datetime, end: datetime) -> str:
    """'Tue, May 12, 9:00 a.m. - 10:30 a.m. (UTC+2)': the day, the times and the zone, short."""
    times = localizer.time_range(start, end)
    if localizer.local(start).date() != localizer.local(end).date():
        times = f"{localizer.time(start)} - {localizer.date_short(end)} {localizer.time(end)}"
    return plain(f"{localizer.date_short(start)}, {times} ({utc_offset(localizer.local(start))})")


def compose(kind: str, language: str, *, org: str, what: str = "", when: str = "", phone: str = "",
            country: str = "") -> str:
    """The SMS of `kind` in `language` (English when the language has no words), written plainly."""
    words = WORDS.get(language, WORDS["en"])
    if kind not in words:
        raise InvalidInput(f"a {kind} notice is not sent by SMS (only {', '.join(SMS_KINDS)})")
    text = words[kind].format(org=plain(org), what=plain(what), when=when,
                              phone=plain(readable_phone(phone, country)) if phone else "")
    if not phone and "{phone}" in words[kind]:  # no number to call: the sentence that names it is left out
        text = text.rsplit(". ", 1)[0] + "."
    return plain(text)
