"""Dates, times, durations, time zones and phone numbers as a letter's reader expects them.

The locale is the letter's language in the property's country when Babel knows it (en_GB writes
"08:30"); every time is shown in the property's time zone and the zone itself is always named.
Times as each language's letters write them, whatever Babel's pattern:
- French "8 h 30" and "9 h" in every country;
- German "8:30 Uhr", and a period of one day "8:30–9:05 Uhr" (the word once, after the end);
- Spanish "8:30 h" on the 24-hour clock: Spanish administrative letters add the "h" so that a
  bare "8:30" is not read as a number (and "8:30–9:05 h" for a period); where Babel's locale
  keeps the 12-hour clock (es_US, es_MX) "8:30 a. m." as written there;
- English in the US "9:00 a.m." in lower case with a no-break space, as AP and Chicago write it
  (Babel's en_US has "9:00 AM"); elsewhere as the locale writes it (en_CA "9:00 a.m." with a
  narrow no-break space, en_GB "08:30").
A sender may ask for one clock whatever the locale (`clock` "24h" or "12h"): English and Spanish
letters then write "14:30" / "14:30 h" or "2:30 p.m." / "2:30 p. m."; French and German letters
keep their own 24-hour forms, as those languages' letters always do.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_skeleton, format_time, format_timedelta

from maintdesk.timeutil import zone

_TWELVE_HOUR = re.compile(r"[\s\u00a0\u202f]*(?:AM|PM|a\.\s?m\.|p\.\s?m\.)$", re.IGNORECASE)


class Localizer:
    def __init__(self, language: str, country: str, zone_name: str, clock: str = "locale"):
        self.language = language
        self.clock = clock
        self.country = country
        self.zone_name = zone_name
        self.zone = zone(zone_name)
        try:
            self.locale = Locale.parse(f"{language}_{country}")
        except (UnknownLocaleError, ValueError):
            self.locale = Locale.parse(language)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def date_long(self, moment: datetime) -> str:
        return format_date(self.local(moment), "full", locale=self.locale)

    def date_short(self, moment: datetime) -> str:
        return format_skeleton("MMMEd", self.local(moment), locale=self.locale)

    def date_plain(self, moment: datetime) -> str:
        return format_date(self.local(moment), "long", locale=self.locale)

    def time(self, moment: datetime) -> str:
        """One moment's time as the letter writes it (see the module's text)."""
        if self.language == "fr":
            at = self.local(moment)
            return f"{at.hour}\u00a0h" + (f"\u00a0{at.minute:02d}" if at.minute else "")
        clock, word = self._clock(moment)
        return f"{clock}\u00a0{word}" if word else clock

    def time_range(self, start: datetime, end: datetime) -> str:
        """'9:00 – 9:45' within one day; German and Spanish say the word once: '8:30–9:05 Uhr'."""
        (first, word), (last, end_word) = self._clock(start), self._clock(end)
        if word and word == end_word and self.language in ("de", "es"):
            return f"{first}–{last}\u00a0{word}"
        return f"{self.time(start)} – {self.time(end)}"

    def _clock(self, moment: datetime) -> tuple[str, str]:
        """The time and the word after it, if the language puts one: ('8:30', 'Uhr')."""
        at = self.local(moment)
        if self.language == "de":
            return f"{at.hour}:{at.minute:02d}", "Uhr"
        if self.clock == "24h" and self.language in ("en", "es"):
            return (f"{at.hour:02d}:{at.minute:02d}", "") if self.language == "en" else (f"{at.hour}:{at.minute:02d}", "h")
        if self.clock == "12h" and self.language in ("en", "es"):
            morning = at.hour < 12
            words = ("a.m.", "p.m.") if self.language == "en" else ("a.\u00a0m.", "p.\u00a0m.")
            return f"{at.hour % 12 or 12}:{at.minute:02d}", words[0] if morning else words[1]
        written = format_time(at, "short", locale=self.locale)
        if self.language == "es" and not _TWELVE_HOUR.search(written):
            return f"{at.hour}:{at.minute:02d}", "h"
        if self.language == "en" and (half := re.search(r"[\s\u202f]*(AM|PM)$", written)):  # en_US; en_CA already "a.m."
            return written[:half.start()].rstrip(), "a.m." if at.hour < 12 else "p.m."
        return written, ""

    def zone_label(self, moment: datetime) -> str:
        """'Central European Standard Time, UTC+1': the zone in force at that moment, with its offset."""
        name = format_datetime(self.local(moment), "zzzz", locale=self.locale)
        return f"{name}, {utc_offset(self.local(moment))}"

    def duration(self, delta: timedelta) -> str:
        minutes = int(delta.total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        parts = [
            format_timedelta(timedelta(**{unit: amount}), locale=self.locale, threshold=1)
            for unit, amount in (("days", days), ("hours", hours), ("minutes", minutes)) if amount
        ]
        return " ".join(parts) or format_timedelta(timedelta(0), locale=self.locale)

    def moment(self, moment: datetime) -> dict[str, str]:
        return {
            "date": self.date_long(moment),
            "date_short": self.date_short(moment),
            "time": self.time(moment),
            "iso": self.local(moment).isoformat(),
        }

    def span(self, start: datetime, end: datetime) -> dict[str, object]:
        """A period: both ends, the duration, the zone, and one sentence-ready text."""
        same_day = self.local(start).date() == self.local(end).date()
        if same_day:
            text = f"{self.date_long(start)}, {self.time_range(start, end)}"
        else:
            text = f"{self.date_long(start)}, {self.time(start)} – {self.date_long(end)}, {self.time(end)}"
        zone_text = self.zone_label(start)
        if self.zone_label(end) != zone_text:  # the period crosses a daylight-saving change
            zone_text = f"{zone_text} → {self.zone_label(end)}"
        return {
            "start": self.moment(start),
            "end": self.moment(end),
            "same_day": same_day,
            "times": self.time_range(start, end),  # both times, as one day's period reads: "8:30–9:05 Uhr"
            "duration": self.duration(end - start),
            "time_zone": zone_text,
            "text": text,
            "text_with_zone": f"{text} ({zone_text})",
        }

    def phone(self, e164: str) -> str:
        """A stored +E.164 number as people write it: national form at home, international abroad;
        with no-break spaces, so that a line never breaks inside it ("01 43 | 55 12 34")."""
        return readable_phone(e164, home_country=self.country).replace(" ", "\u00a0")


def utc_offset(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "−"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def readable_phone(e164: str, home_country: str = "") -> str:
    """A stored +E.164 number as people read it: '+33 1 43 55 12 34', or '01 43 55 12 34' when the
    number belongs to `home_country`."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    home = bool(home_country) and phonenumbers.region_code_for_number(number) == home_country
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
