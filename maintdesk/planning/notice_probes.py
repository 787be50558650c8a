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
LANGUAGE_NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish"}
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


def element_problem(probe: Probe, element: str) -> str | None:
    """What the notice lacks for a jurisdiction's content element, or None."""
    loc, start, end = probe.loc, probe.start, probe.end
    start_shown = probe.shows_start()
    if element == "date" and not probe.shows_date(start):
        return "the letter does not show the date of the visit"
    if element == "start_date" and not probe.shows_date(probe.work.window_start):
        return "the letter does not show the date the work starts"
    if element == "time" and not start_shown:
        return f"the letter does not show the time of the visit ({loc.time(start)})"
    if element == "time_window" and not (start_shown and probe.shows(loc.time(end))):
        return f"the letter does not show both the earliest and the latest time ({loc.time(start)}, {loc.time(end)})"
    if element == "duration" and not probe.shows(loc.time(end), loc.duration(end - start), loc.date_long(end)):
        return "the letter shows neither the end nor the duration of the work"
    if element == "purpose":
        if not (probe.data("reason") or probe.data("description")):
            return "the work order gives no reason and no description: write why the work is done"
        if not probe.shows(probe.data("reason"), probe.data("description")):
            return "the letter does not show the reason for the work"
    if element == "nature":
        if not probe.data("description"):
            return "the work order has no description of the work: say what will be done"
        if not probe.shows(probe.data("title")):
            return "the letter does not name the work"
    if element == "phone":
        if not probe.contact_phone():
            return "no contact phone number: add one to the work order or to the property's manager"
        if not probe.shows(probe.contact_phone()):
            return f"the letter does not show the phone number {probe.contact_phone()}"
    if element == "modalities":
        if not (probe.data("access_conditions") or probe.data("impact") or probe.work.actions):
            return "the work order says nothing of how the work is carried out (access, impact, tenant actions)"
        if not probe.shows_date(start):
            return "the letter does not show when the work is carried out"
    return None


def seven_elements(probe: Probe) -> list[tuple[str, str, str]]:
    """(element, what is missing, what would fix it) for MISSION.md's seven elements of a notice."""
    loc, lang, found = probe.loc, probe.language, []
    title = probe.data("title")
    date_texts = (loc.date_short(probe.start), loc.date_long(probe.start), loc.date_plain(probe.start))
    if not (norm(title) in probe.subject and any(norm(d) in probe.subject for d in date_texts)):
        found.append(("subject", "the subject does not name both the work and its date",
                      f'a subject such as "{title}: {loc.date_short(probe.start)}" (edit the template\'s subject block)'))
    schedule = probe.shows_date(probe.start) and probe.shows_start()
    if not (schedule and probe.shows(loc.time(probe.end), loc.duration(probe.end - probe.start))):
        found.append(("schedule", "the letter does not show the start, and the end or duration",
                      "show the date, start and end times (the built-in templates do)"))
    elif not probe.shows_zone():
        found.append(("schedule", "the letter does not name the time zone", "print the time zone beside the times"))
    for name, what in (("impact", "what tenants can and cannot do during the work"), ("reason", "why the work is done")):
        if not probe.data(name):
            found.append((name, f"the work order does not say {what}", f"fill in the {name} ({LANGUAGE_NAMES[lang]})"))
        elif not probe.shows(probe.data(name)):
            found.append((name, f"the letter does not show the {name}", f"show the work's {name} in the template"))
    if not probe.data("alternatives"):
        if not probe.shows("alternative", "solution de remplacement", "aucune solution"):
            found.append(("alternatives", "no alternatives, and no plain statement that there are none",
                          "fill in the alternatives, or write that there are none"))
    elif not probe.shows(probe.data("alternatives")):
        found.append(("alternatives", "the letter does not show the alternatives", "show them in the template"))
    if not (probe.contact_phone() or probe.contact_email()):
        found.append(("contact", "there is no contact phone or email", "add a contact to the work order or the property"))
    elif not probe.shows(probe.contact_phone(), probe.contact_email()):
        found.append(("contact", "the letter shows no way to reach the contact", "show the contact's phone or email"))
    if not (probe.shows(*APOLOGY[lang]) and probe.shows(*THANKS[lang])):
        found.append(("apology", "the letter does not apologise for the inconvenience and thank the tenant",
                      "add an apology and thanks to the closing"))
    vague = sorted({m.group(0) for f in TENANT_FIELDS for w in VAGUE[lang]
                    if (m := re.search(rf"(?<!\w){w}(?!\w)", norm(probe.data(f))))})
    if vague:
        found.append(("vague", f"vague wording: {', '.join(repr(w) for w in vague)}",
                      "give exact dates and times instead"))
    return found
