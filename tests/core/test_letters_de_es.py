"""German and Spanish letters for every kind (read back from the PDFs), the wording rules in every
language, and the times, quotes and dates each language writes."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from maintdesk.cli.app import main
from maintdesk.imports.values import language as import_language
from maintdesk.letters.context import NoticeFacts, notice_context
from maintdesk.letters.localize import Localizer
from maintdesk.letters.samples import sample_facts
from maintdesk.letters.templates import LetterTemplates, RenderedNotice, template_name
from maintdesk.letters.typography import NARROW_NBSP, NBSP, typeset_html, typeset_text
from maintdesk.paths import BUILTIN_TEMPLATES_DIR
from maintdesk.records.models import LANGUAGES, ActionItem
from maintdesk.records.store import Store

SALUTATION = {"de": ("Sehr geehrte Frau ", "Sehr geehrter Herr ", "Sehr geehrte Damen und Herren,"),
              "es": ("Estimada Sra. ", "Estimado Sr. ", "Estimado/a ")}
CLOSING = {"de": "Mit freundlichen Grüßen", "es": "Atentamente,"}
ENGLISH_WORDS = ("Dear", "Kind regards", "Reference", "Your home", "Questions", "Urgent repair")  # the template's words;
# the demo's own texts are in English and French only, and a German letter falls back to them
# The question whether the slot suits the tenant, in each language.
SLOT_QUESTION = {"en": "impossible for you", "fr": "ne vous convient pas", "de": "passt Ihnen dieser Termin nicht",
                 "es": "no le viene bien"}
# (kind, work order of the demo, CLI --kind): every kind once, building-wide work through work order 2.
DEMO_KINDS = [("initial-unit", 1, "initial"), ("initial-building", 2, "initial"), ("emergency", 3, "emergency"),
              ("update", 3, "update"), ("reminder", 1, "reminder"), ("final-reminder", 1, "final-reminder"),
              ("postponed", 1, "postponed"), ("cancelled", 1, "cancelled"), ("completed", 1, "completed")]


def flat(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").replace(NARROW_NBSP, " ").split())


def pdf_text(path: Path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert main(["--db", str(db), "init", "--demo"], out=io.StringIO()) == 0
    return db


def first_tenant(db: Path, work_id: int) -> int:
    store = Store.open(db)
    try:
        work = store.get_work_order(work_id)
        return store.tenants_of_unit(store.affected_units(work)[0].id)[0].id
    finally:
        store.close()


def render_draft(db: Path, work_id: int, kind: str, out: Path, *extra: str) -> Path:
    args = ["--db", str(db), "notices", "render", str(work_id), "--kind", kind, "--draft", "--out", str(out),
            "--tenant", str(first_tenant(db, work_id)), *extra]
    if kind == "update":
        args += ["--message", "The pump is in.", "--message-de", "Die Pumpe ist eingebaut.",
                 "--message-es", "La bomba ya está instalada."]
    assert main(args, out=io.StringIO()) == 0
    pdfs = [p for p in sorted(out.glob("*.pdf")) if not p.name.endswith("-all.pdf")]
    assert len(pdfs) == 1, pdfs
    return pdfs[0]


@pytest.mark.parametrize("lang", ["de", "es"])
def test_a_german_and_a_spanish_letter_render_for_every_kind(demo_db, tmp_path, lang):
    for name, work_id, kind in DEMO_KINDS:
        text = pdf_text(render_draft(demo_db, work_id, kind, tmp_path / f"{lang}-{name}", "--lang", lang))
        assert any(s in text for s in SALUTATION[lang]), (name, text[:400])
        assert CLOSING[lang] in text, name
        assert {"de": "ENTWURF", "es": "BORRADOR"}[lang] in text, name
        for word in ENGLISH_WORDS:
            assert not re.search(rf"\b{word}\b", text), (name, word)
        if kind == "update":
            assert {"de": "Die Pumpe ist eingebaut.", "es": "La bomba ya está instalada."}[lang] in text


def test_a_tenant_stored_in_german_gets_a_german_letter(demo_db, tmp_path):
    store = Store.open(demo_db)
    try:
        tenant = store.get_tenant(first_tenant(demo_db, 1))
        store.save_tenant(replace(tenant, language="de"), opened=tenant)
    finally:
        store.close()
    text = pdf_text(render_draft(demo_db, 1, "reminder", tmp_path / "stored"))
    assert "Sehr geehrte" in text and "Erinnerung" in text and "Uhr" in text
    assert not re.search(r"\b\d\d:\d\d\b", text), "a German time written 08:30"


# --- The wording rules, in every language (the email's text and the letter) ---------------------

@pytest.fixture(scope="module")
def templates() -> LetterTemplates:
    return LetterTemplates(BUILTIN_TEMPLATES_DIR)


def render(templates: LetterTemplates, facts: NoticeFacts) -> RenderedNotice:
    return templates.render(template_name(facts.kind, facts.language, facts.work.scope), notice_context(facts))


def facts_for(lang: str, kind: str, scope: str = "units", **work_changes) -> NoticeFacts:
    facts = sample_facts(lang, kind, scope)
    return replace(facts, work=replace(facts.work, **work_changes)) if work_changes else facts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_slot_question_is_asked_only_where_the_letter_shows_the_tenants_slot(templates, lang):
    assert SLOT_QUESTION[lang] in render(templates, facts_for(lang, "initial")).email_text
    for kind, scope in (("emergency", "units"), ("initial", "building"), ("update", "units")):
        notice = render(templates, facts_for(lang, kind, scope))
        assert SLOT_QUESTION[lang] not in flat(notice.email_text), (kind, scope)
        assert SLOT_QUESTION[lang] not in flat(notice.letter_html), (kind, scope)
    no_slot = facts_for(lang, "reminder", slots=[])
    assert SLOT_QUESTION[lang] not in render(templates, no_slot).email_text


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["emergency", "update", "initial", "reminder"])
def test_the_update_information_is_printed_once(templates, lang, kind):
    info = {"en": "Next update in the lobby at 6 p.m.", "fr": "Prochain point affiché dans le hall à 18 h.",
            "de": "Nächste Information um 18 Uhr im Eingang.", "es": "Próxima información a las 18:00 h en el portal."}
    facts = facts_for(lang, kind, updates_info={lang: info[lang]})
    notice = render(templates, facts)
    assert flat(notice.email_text).count(flat(typeset_text(info[lang], lang))[:20]) == 1, notice.email_text
    label = {"en": "Next update", "fr": "Prochain point", "de": "Nächste Information", "es": "Próxima información"}
    assert flat(notice.email_text).count(label[lang]) <= 1


@pytest.mark.parametrize("lang, title, prefix", [
    ("en", "Emergency repair of a leak on the hot-water riser", "Urgent repair"),
    ("fr", "Réparation urgente d'une fuite sur la colonne", "Intervention d'urgence"),
    ("de", "Dringende Reparatur eines Lecks am Steigstrang", "Dringende Reparatur"),
    ("es", "Reparación urgente de una fuga en la bajante", "Reparación urgente"),
])
def test_a_title_that_names_the_kind_is_not_prefixed_again(templates, lang, title, prefix):
    plain = render(templates, facts_for(lang, "emergency"))
    assert plain.subject.startswith(prefix), plain.subject
    repeated = render(templates, facts_for(lang, "emergency", title={lang: title}))
    assert repeated.subject.startswith(title), repeated.subject
    assert prefix.casefold() not in repeated.subject.casefold().replace(title.casefold(), "")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["reminder", "final-reminder"])
def test_every_reminder_keeps_the_numbered_action_list(templates, lang, kind):
    actions = [ActionItem({lang: f"Action {word} for the tenant."}) for word in ("alpha", "beta", "gamma")]
    text = flat(render(templates, facts_for(lang, kind, actions=actions)).email_text)
    positions = [text.find(f"{n}. Action {word}") for n, word in ((1, "alpha"), (2, "beta"), (3, "gamma"))]
    assert -1 not in positions and positions == sorted(positions), text


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es"])
def test_the_reminder_pdf_keeps_the_action_list_and_the_emergency_pdf_asks_no_slot_question(demo_db, tmp_path, lang):
    final = pdf_text(render_draft(demo_db, 1, "final-reminder", tmp_path / "final", "--lang", lang))
    assert re.search(r"\b1\. .+\b2\. ", final), final
    emergency = pdf_text(render_draft(demo_db, 3, "emergency", tmp_path / "emergency", "--lang", lang))
    assert SLOT_QUESTION[lang] not in emergency


# --- Times, quotes, dates -----------------------------------------------------------------------

MORNING = datetime(2026, 12, 4, 7, 30, tzinfo=timezone.utc)   # 8:30 in Berlin and Madrid, 2:30 in New York


def test_german_times_read_8_30_uhr_and_a_period_names_uhr_once():
    loc = Localizer("de", "DE", "Europe/Berlin")
    assert loc.time(MORNING) == f"8:30{NBSP}Uhr"
    assert loc.time(MORNING.replace(hour=8, minute=0)) == f"9:00{NBSP}Uhr"
    span = loc.span(MORNING, MORNING.replace(hour=8, minute=5))
    assert span["text"] == f"Freitag, 4. Dezember 2026, 8:30–9:05{NBSP}Uhr"
    assert span["times"] == f"8:30–9:05{NBSP}Uhr"


def test_spanish_times_read_8_30_h_on_the_24_hour_clock():
    loc = Localizer("es", "ES", "Europe/Madrid")
    assert loc.time(MORNING) == f"8:30{NBSP}h"
    assert loc.span(MORNING, MORNING.replace(hour=12, minute=0))["text"] == f"viernes, 4 de diciembre de 2026, 8:30–13:00{NBSP}h"


def test_us_english_times_read_9_00_a_m_and_canada_and_britain_keep_their_own():
    assert Localizer("en", "US", "America/New_York").time(MORNING) == f"2:30{NBSP}a.m."
    assert Localizer("en", "US", "America/New_York").time(MORNING.replace(hour=19, minute=0)) == f"2:00{NBSP}p.m."
    assert Localizer("en", "CA", "America/Toronto").time(MORNING) in ("2:30 a.m.", f"2:30{NARROW_NBSP}a.m.")
    assert Localizer("en", "GB", "Europe/London").time(MORNING) == "07:30"
    assert Localizer("fr", "FR", "Europe/Paris").time(MORNING) == f"8{NBSP}h{NBSP}30"


def test_german_text_gets_low_high_quotes_and_units_that_stay_with_their_numbers():
    assert typeset_text('Bitte "Heizung" lesen: 35 Minuten ("kurz").', "de") == \
        f"Bitte „Heizung“ lesen: 35{NBSP}Minuten („kurz“)."
    html = '<p title="a &#34;b&#34;">Der &#34;Hahn&#34; und "<b>fett</b>".</p>'
    assert typeset_html(html, "de") == '<p title="a &#34;b&#34;">Der „Hahn“ und „<b>fett</b>“.</p>'
    assert typeset_text('Der "Hahn"', "en") == 'Der "Hahn"'
    assert typeset_text("35 minutos", "es") == f"35{NBSP}minutos"


def test_a_german_letter_prints_german_quotes(templates):
    facts = facts_for("de", "initial", description={"de": 'Der Monteur prüft das "Ventil".'})
    notice = render(templates, facts)
    assert "„Ventil“" in notice.letter_html and "„Ventil“" in notice.email_text


@pytest.mark.parametrize("lang, pattern", [
    ("en", r"^Paris, \d{1,2} \w+ \d{4}$"),
    ("fr", r"^Paris, le \d{1,2} \w+ \d{4}$"),
    ("de", r"^Paris, \d{1,2}\. \w+ \d{4}$"),
    ("es", r"^Paris, \d{1,2} de \w+ de \d{4}$"),
])
def test_place_and_date_as_each_language_writes_them(lang, pattern):
    assert re.match(pattern, notice_context(sample_facts(lang))["today"]["place_date"])


@pytest.mark.parametrize("raw, code", [("Deutsch", "de"), ("German", "de"), ("de", "de"), ("Español", "es"),
                                       ("Spanish", "es"), ("es", "es"), ("Français", "fr"), ("English", "en")])
def test_imported_language_values(raw, code):
    assert import_language(raw) == code


@pytest.mark.parametrize("jurisdiction, zone, country", [("DE", "Europe/Berlin", "DE"),
                                                         ("US-WA", "America/Los_Angeles", "US")])
def test_the_checks_read_german_and_spanish_letters(store, paths, jurisdiction, zone, country):
    """The visit's time is found in "10:00–10:45 Uhr" too, and the German and Spanish closings count
    as apology and thanks."""
    from zoneinfo import ZoneInfo

    from maintdesk.planning.checks import check_work_order
    from maintdesk.records.models import Property, Slot, Tenant, Unit, WorkOrder

    def at(hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 5, 12, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)

    prop = store.save_property(Property(name="Haus", address_line1="Hauptstraße 1", city="Stadt", country=country,
                                        timezone=zone, jurisdiction=jurisdiction, manager_name="Sam Diaz",
                                        manager_email="sam@example.org", manager_phone="+12065550123"))
    unit = store.save_unit(Unit(prop.id, "3B", 3))
    for lang in ("de", "es"):
        store.save_tenant(Tenant(unit.id, f"Mieter {lang}", salutation="Frau", language=lang))
    texts = {"title": {"de": "Reparatur des Heizkessels", "es": "Reparación de la caldera"},
             "description": {"de": "Der Heizkessel wird repariert.", "es": "Se repara la caldera."},
             "reason": {"de": "Er ist undicht.", "es": "Tiene una fuga."},
             "impact": {"de": "Kein Warmwasser.", "es": "No hay agua caliente."},
             "alternatives": {"de": "Duschen im Fitnessraum.", "es": "Duchas en el gimnasio."}}
    work = store.save_work_order(WorkOrder(
        prop.id, texts.pop("title"), at(8), at(17), status="scheduled", category="heating", **texts,
        contact_name="Sam Diaz", contact_email="sam@example.org", contact_phone="+12065550123",
        slots=[Slot(unit.id, at(10), at(10, 45))],
        actions=[ActionItem({"de": "Räumen Sie den Schrank aus.", "es": "Vacíe el armario."})]))
    report = check_work_order(store, paths, work.id, datetime(2026, 5, 1, 8, tzinfo=timezone.utc))
    assert report.languages == ["de", "es"]
    found = [f"{f.code}: {f.message}" for f in report.findings if f.code.startswith(("completeness/", "content/"))]
    assert not found, found
