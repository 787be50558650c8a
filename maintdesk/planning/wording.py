"""The words of the findings in every language: a finding's message and fix, made once per language.

The checks compose their messages from pieces (a count, a delivery method, a moment, a list of
units, a rule's own text). Here each piece is a *phrase*: a text that can be written in any
language of `maintdesk.planning.finding_words.WORDS`. `say` writes a message and its fix in every
language at once, where the finding is made; English is the manager's (GUI and command line), the
others are for the documents read by owners, auditors and courts (the proof of notice).

A rule file's own words (the statute paraphrased in `rules/jurisdictions/*.toml`) are written in
the file's language; in another language they are quoted as written (`quote`), and the finding's
text lists them (`"quoted": [the passages]`), so that a document can print them in their language.

    say(phrase("slots/missing", n=3), phrase("slots/missing.fix"))
      → Texts(en={"message": "3 units have no visit slot: …", "fix": "assign slots: …"}, fr=…, de=…, es=…)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton

from maintdesk.i18n import plural
from maintdesk.letters.localize import Localizer
from maintdesk.planning.finding_words import WORDS
from maintdesk.records.models import LANGUAGES

Phrase = Callable[[str], str]  # a text, written in the language asked for


def languages() -> tuple[str, ...]:
    """Every language the findings are written in: the letters' languages, English first."""
    return tuple(dict.fromkeys(("en", *LANGUAGES)))


def words(key: str, lang: str) -> str | tuple[str, ...]:
    entry = WORDS[key]
    return entry.get(lang) or entry["en"]


def _written(value: Any, lang: str) -> Any:
    return value(lang) if callable(value) else value


def _quotes(value: Any) -> list[str]:
    """The rule files' passages a phrase quotes."""
    return list(getattr(value, "quotes", lambda: [])())


@dataclass(frozen=True)
class _Phrase:
    key: str
    values: dict[str, Any]

    def __call__(self, lang: str) -> str:
        form = words(self.key, lang)
        if isinstance(form, tuple):
            form = plural(lang, self.values["n"], *form)
        return form.format(**{name: _written(value, lang) for name, value in self.values.items()})

    def quotes(self) -> list[str]:
        return [text for value in self.values.values() for text in _quotes(value)]


def phrase(key: str, **values: Any) -> _Phrase:
    """The catalog's text `key` with `values` (texts, numbers, times, or phrases) filled in; a
    text of several forms takes the form of the number `n`."""
    return _Phrase(key, values)


@dataclass(frozen=True)
class _Joined:
    items: tuple[Any, ...]
    separator: str | None  # the same in every language; None: the catalog's "and" list

    def __call__(self, lang: str) -> str:
        texts = [_written(item, lang) for item in self.items]
        if self.separator is not None:
            return self.separator.join(texts)
        return and_list(texts, lang)

    def quotes(self) -> list[str]:
        return [text for item in self.items for text in _quotes(item)]


def joined(items: Iterable[Any], separator: str) -> _Joined:
    """The items written one after the other, `separator` between them ("; ", ", ")."""
    return _Joined(tuple(items), separator)


def listed(items: Iterable[Any]) -> _Joined:
    """'1A, 1B and 2A' in each language ('1A, 1B et 2A'); long lists end '… and 12 more'."""
    return _Joined(tuple(items), None)


def and_list(texts: Sequence[str], lang: str, limit: int = 8) -> str:
    if len(texts) <= 1:
        return "".join(texts)
    if len(texts) > limit:
        return phrase("list.more", head=", ".join(texts[:limit]), n=len(texts) - limit)(lang)
    return phrase("list.and", head=", ".join(texts[:-1]), last=texts[-1])(lang)


def either(items: Iterable[Any]) -> Phrase:
    """'by hand or by registered letter' in each language."""
    items = tuple(items)
    return lambda lang: words("list.or", lang).join(_written(item, lang) for item in items)  # type: ignore[union-attr]


@dataclass(frozen=True)
class _Quote:
    text: str

    def __call__(self, lang: str) -> str:
        if lang == "en" or not self.text:
            return self.text
        return str(words("quote", lang)).format(text=self.text)

    def quotes(self) -> list[str]:
        return [self.text] if self.text else []


def quote(text: str) -> _Quote:
    """A rule file's own words: as written in English, in quotation marks in the other languages."""
    return _Quote(text)


def place(rule_id: str, name: str) -> Phrase:
    """A jurisdiction's name: a country's as each language writes it ('Deutschland', 'Alemania'),
    a region's or a city's as its rule file does ('Ontario', 'New York City')."""
    def write(lang: str) -> str:
        if lang == "en" or len(rule_id) != 2:
            return name
        return Locale.parse(lang).territories.get(rule_id.upper(), name)
    return write


def capital(value: Any) -> Phrase:
    """The phrase with its first letter in capitals (a sentence that begins with it)."""
    def write(lang: str) -> str:
        text = _written(value, lang)
        return f"{text[:1].upper()}{text[1:]}"
    write.quotes = lambda: _quotes(value)  # type: ignore[attr-defined]
    return write


def method(code: str) -> _Phrase:
    """'by hand', 'by post', … : how a notice is delivered."""
    return phrase(f"method.{code}")


def language_name(code: str) -> _Phrase:
    """'French', 'français', 'Französisch', 'francés'."""
    return phrase(f"language.{code}")


def lead(parts: Sequence[Any]) -> Phrase:
    """'3 days + 72 h': notice periods (maintdesk.planning.rules.Duration) in each language."""
    def write(lang: str) -> str:
        texts = [plural(lang, p.amount, *words(f"unit.{p.unit}", lang)) for p in parts if p.amount]  # type: ignore[misc]
        return " + ".join(texts) or str(words("lead.none", lang))
    return write


def moment(at: datetime, zone_name: str, english: Callable[[], str]) -> Phrase:
    """A moment as the checks write it, with the zone: 'Tue 12 May 2026 09:00 (Europe/Paris)';
    'mar. 12 mai 2026 à 9 h (Europe/Paris)'. `english` writes the English one."""
    def write(lang: str) -> str:
        if lang == "en":
            return english()
        loc = Localizer(lang, "", zone_name)
        return phrase("moment", day=day_of(loc.local(at).date())(lang), time=loc.time(at), zone=zone_name)(lang)
    return write


def span(start: datetime, end: datetime, zone_name: str, english: Callable[[], str]) -> Phrase:
    """'Tue 12 May 2026 09:00–09:45' (the end's date only when it differs)."""
    def write(lang: str) -> str:
        if lang == "en":
            return english()
        loc = Localizer(lang, "", zone_name)
        a, b = loc.local(start), loc.local(end)
        if a.date() == b.date():
            return f"{day_of(a.date())(lang)} {loc.time_range(start, end)}"
        return f"{day_of(a.date())(lang)} {loc.time(start)} – {day_of(b.date())(lang)} {loc.time(end)}"
    return write


def day_of(day: date, english: Callable[[], str] | None = None) -> Phrase:
    """'Sat 5 Dec 2026' ('sam. 5 déc. 2026', 'Sa., 5. Dez. 2026', 'sáb, 5 dic 2026')."""
    def write(lang: str) -> str:
        if lang == "en" and english is not None:
            return english()
        return format_skeleton("yMMMEd", day, locale=lang)
    return write


def weekday(day: date, english: str) -> Phrase:
    """'Saturday' ('samedi', 'Samstag', 'sábado')."""
    return lambda lang: english if lang == "en" else format_date(day, "EEEE", locale=lang)


def clock(at: time) -> Phrase:
    """A time of day for hours of entry: '08:00' ('8 h' in French)."""
    def write(lang: str) -> str:
        if lang == "fr":
            return f"{at.hour}\u00a0h" + (f"\u00a0{at.minute:02d}" if at.minute else "")
        return f"{at:%H:%M}"
    return write


@dataclass(frozen=True)
class Texts:
    """A finding's message and fix in every language: {lang: {"message", "fix"[, "quoted"]}}, "quoted"
    listing the rule files' passages quoted as written in that language's text."""

    by_language: dict[str, dict[str, Any]]

    @property
    def message(self) -> str:
        return self.by_language["en"]["message"]

    @property
    def fix(self) -> str:
        return self.by_language["en"]["fix"]


def say(message: Phrase, fix: Phrase | None = None) -> Texts:
    """`message` and `fix` in every language; "quoted": the rule files' passages they quote as written."""
    quoted = list(dict.fromkeys(_quotes(message) + _quotes(fix)))
    texts: dict[str, dict[str, Any]] = {}
    for lang in languages():
        text: dict[str, Any] = {"message": message(lang), "fix": fix(lang) if fix else ""}
        if quoted and lang != "en":
            text["quoted"] = quoted
        texts[lang] = text
    return Texts(texts)
