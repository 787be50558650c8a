"""Probes of one rendered notice: is each element a tenant needs there, in data and in the text?

A probe looks at the work order's data (is the reason written at all?) and at the rendered letter
(does the text the tenant reads show it?). Dates and times are looked for as the letter writes
them (maintdesk.letters.localize), so a user-edited template that drops the time zone is caught.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime

from maintdesk.letters.htmltext import html_to_text
from maintdesk.letters.templates import RenderedNotice
from maintdesk.letters.localize import Localizer, utc_offset
from maintdesk.planning.wording import Phrase, language_name, phrase
from maintdesk.records.models import Property, WorkOrder, pick_text

VAGUE = {  # regular expressions on the case-folded text
    "en": (r"this weekend", r"next week", r"(?<!as )soon", r"shortly", r"sometime", r"some time next", r"asap",
           r"in the coming days", r"in a few days"),
    "fr": (r"ce week-end", r"la semaine prochaine", r"bientôt", r"prochainement", r"sous peu",
           r"dans les prochains jours", r"dans quelques jours"),
    "de": (r"dieses wochenende", r"nächste woche", r"demnächst", r"\bbald\b", r"in kürze", r"irgendwann",
           r"in den nächsten tagen", r"in ein paar tagen"),
    "es": (r"este fin de semana", r"la próxima semana", r"la semana que viene", r"pronto", r"en breve",
           r"próximamente", r"en los próximos días", r"en unos días"),
}
APOLOGY = {"en": ("apologi", "sorry", "inconvenience"), "fr": ("excus", "désolé", "gêne", "désagrément"),
           "de": ("entschuldig", "bedauern", "unannehmlichkeit"), "es": ("disculp", "lament", "molestia")}
THANKS = {"en": ("thank",), "fr": ("merci", "remerci"), "de": ("dank",), "es": ("gracias", "agradec")}
TENANT_FIELDS = ("title", "description", "reason", "impact", "alternatives", "access_conditions", "updates_info")


def norm(text: str) -> str:
    """Unescaped, every kind of space made one plain space, case-folded."""
    text = html.unescape(text)
    text = re.sub(r"[\s\u00a0\u202f\u2009\u2007]+", " ", text)
    return text.strip().casefold()


@dataclass(frozen=True)
class Probe:
    """One rendered notice in one language, with what it should show."""

    language: str
    rendered: RenderedNotice
    work: WorkOrder
    prop: Property
    start: datetime  # the visit (slot) or the window the letter gives
    end: datetime

    @property
    def loc(self) -> Localizer:
        return Localizer(self.language, self.prop.country, self.prop.timezone)

    @property
    def text(self) -> str:
        return norm(html_to_text(self.rendered.letter_html))

    @property
    def subject(self) -> str:
        return norm(self.rendered.subject)

    def data(self, name: str) -> str:
        return pick_text(getattr(self.work, name), self.language)

    def shows(self, *needles: str) -> bool:
        """True when the letter shows any of the (non-empty) needles."""
        text = self.text
        return any(norm(n) in text for n in needles if n and n.strip())

    def shows_start(self) -> bool:
        """The start time, alone or as the beginning of a one-day period that names its word once
        ("8:30–9:05 Uhr")."""
        return self.shows(self.loc.time(self.start), self.loc.time_range(self.start, self.end))

    def shows_date(self, moment: datetime) -> bool:
        loc = self.loc
        return self.shows(loc.date_long(moment), loc.date_short(moment), loc.date_plain(moment))

    def shows_zone(self) -> bool:
        loc, wall = self.loc, self.loc.local(self.start)
        return self.shows(self.prop.timezone, utc_offset(wall), loc.zone_label(self.start).split(",")[0])

    def contact_phone(self) -> str:
        return self.loc.phone(self.work.contact_phone or self.prop.manager_phone)

    def contact_email(self) -> str:
        return self.work.contact_email or self.prop.manager_email


def element_problem(probe: Probe, element: str) -> Phrase | None:
    """What the notice lacks for a jurisdiction's content element (a phrase: call it with a
    language), or None."""
    loc, start, end = probe.loc, probe.start, probe.end
    start_shown = probe.shows_start()
    if element == "date" and not probe.shows_date(start):
        return phrase("probe/date")
    if element == "start_date" and not probe.shows_date(probe.work.window_start):
        return phrase("probe/start_date")
    if element == "time" and not start_shown:
        return phrase("probe/time", time=loc.time(start))
    if element == "time_window" and not (start_shown and probe.shows(loc.time(end))):
        return phrase("probe/time_window", start=loc.time(start), end=loc.time(end))
    if element == "duration" and not probe.shows(loc.time(end), loc.duration(end - start), loc.date_long(end)):
        return phrase("probe/duration")
    if element == "purpose":
        if not (probe.data("reason") or probe.data("description")):
            return phrase("probe/purpose.data")
        if not probe.shows(probe.data("reason"), probe.data("description")):
            return phrase("probe/purpose")
    if element == "nature":
        if not probe.data("description"):
            return phrase("probe/nature.data")
        if not probe.shows(probe.data("title")):
            return phrase("probe/nature")
    if element == "phone":
        if not probe.contact_phone():
            return phrase("probe/phone.data")
        if not probe.shows(probe.contact_phone()):
            return phrase("probe/phone", phone=probe.contact_phone())
    if element == "modalities":
        if not (probe.data("access_conditions") or probe.data("impact") or probe.work.actions):
            return phrase("probe/modalities.data")
        if not probe.shows_date(start):
            return phrase("probe/modalities")
    return None


def seven_elements(probe: Probe) -> list[tuple[str, Phrase, Phrase]]:
    """(element, what is missing, what would fix it) for MISSION.md's seven elements of a notice,
    in every language of the findings (each a phrase: call it with a language)."""
    loc, lang, found = probe.loc, probe.language, []
    title = probe.data("title")
    date_texts = (loc.date_short(probe.start), loc.date_long(probe.start), loc.date_plain(probe.start))
    if not (norm(title) in probe.subject and any(norm(d) in probe.subject for d in date_texts)):
        found.append(("subject", phrase("seven/subject"),
                      phrase("seven/subject.fix", title=title, date=loc.date_short(probe.start))))
    schedule = probe.shows_date(probe.start) and probe.shows_start()
    if not (schedule and probe.shows(loc.time(probe.end), loc.duration(probe.end - probe.start))):
        found.append(("schedule", phrase("seven/schedule"), phrase("seven/schedule.fix")))
    elif not probe.shows_zone():
        found.append(("schedule", phrase("seven/zone"), phrase("seven/zone.fix")))
    for name in ("impact", "reason"):
        if not probe.data(name):
            found.append((name, phrase(f"seven/{name}.data"),
                          phrase(f"seven/{name}.data.fix", language=language_name(lang))))
        elif not probe.shows(probe.data(name)):
            found.append((name, phrase(f"seven/{name}"), phrase(f"seven/{name}.fix")))
    if not probe.data("alternatives"):
        if not probe.shows("alternative", "solution de remplacement", "aucune solution"):
            found.append(("alternatives", phrase("seven/alternatives.none"), phrase("seven/alternatives.none.fix")))
    elif not probe.shows(probe.data("alternatives")):
        found.append(("alternatives", phrase("seven/alternatives"), phrase("seven/alternatives.fix")))
    if not (probe.contact_phone() or probe.contact_email()):
        found.append(("contact", phrase("seven/contact.none"), phrase("seven/contact.none.fix")))
    elif not probe.shows(probe.contact_phone(), probe.contact_email()):
        found.append(("contact", phrase("seven/contact"), phrase("seven/contact.fix")))
    if not (probe.shows(*APOLOGY[lang]) and probe.shows(*THANKS[lang])):
        found.append(("apology", phrase("seven/apology"), phrase("seven/apology.fix")))
    vague = sorted({m.group(0) for f in TENANT_FIELDS for w in VAGUE[lang]
                    if (m := re.search(rf"(?<!\w){w}(?!\w)", norm(probe.data(f))))})
    if vague:
        found.append(("vague", phrase("seven/vague", words=", ".join(repr(w) for w in vague)),
                      phrase("seven/vague.fix")))
    return found
