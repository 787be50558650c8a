"""Letter templates: every kind in both languages, escaping, the sandbox, and clear template errors."""

from datetime import datetime, timezone
from pathlib import Path

import pytest
from markupsafe import escape

from maintdesk.letters.context import NoticeFacts, notice_context
from maintdesk.letters.samples import sample_facts
from maintdesk.letters.templates import LetterTemplates, TemplateError, template_name
from maintdesk.records.models import LANGUAGES, NOTICE_KINDS
from maintdesk.paths import BUILTIN_TEMPLATES_DIR


@pytest.fixture
def templates() -> LetterTemplates:
    return LetterTemplates(BUILTIN_TEMPLATES_DIR)


def render(templates: LetterTemplates, facts: NoticeFacts):
    return templates.render(template_name(facts.kind, facts.language, facts.work.scope), notice_context(facts))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_every_template_renders_for_every_demo_work_order(demo, templates, language, kind):
    for work in demo.list_work_orders():
        prop = demo.get_property(work.property_id)
        unit = demo.affected_units(work)[0]
        tenant = demo.tenants_of_unit(unit.id)[0]
        facts = NoticeFacts(demo.sender_of(prop), prop, unit, tenant, work, kind, language, 77, datetime.now(timezone.utc),
                            work.previous_window)
        notice = render(templates, facts)
        title = notice_context(facts)["work"]["title"]
        assert title in notice.subject
        assert str(escape(title)) in notice.letter_html and title in notice.email_text
        assert prop.timezone not in notice.subject  # the subject names service and date, not the zone
        assert "UTC" in notice.letter_html  # the schedule always names the time zone
        assert "WO-%d/N-77" % work.id in notice.letter_html
        assert notice.letter_html.lstrip().startswith("<!DOCTYPE html>")
        assert f'<html lang="{language}">' in notice.letter_html


def test_slot_letter_names_the_tenants_own_slot_with_its_time_zone(demo, templates):
    work = demo.get_work_order(1)  # radiators in every flat, with slots
    prop = demo.get_property(work.property_id)
    unit = demo.affected_units(work)[3]
    tenant = demo.tenants_of_unit(unit.id)[0]
    facts = NoticeFacts(demo.sender_of(prop), prop, unit, tenant, work, "initial", "fr", 5, datetime.now(timezone.utc))
    context = notice_context(facts)
    notice = render(templates, facts)
    slot = context["slot"]
    assert slot["start"]["time"] in notice.letter_html and slot["end"]["time"] in notice.letter_html
    assert "heure normale d’Europe centrale, UTC+1" in notice.letter_html
    assert slot["start"]["date_short"] in notice.subject
    for number, action in enumerate(context["actions"], start=1):
        assert f"{number}. {action}" in notice.email_text


def test_a_name_with_markup_prints_exactly_as_typed(templates):
    notice = render(templates, sample_facts("en"))
    assert "&lt;b&gt;Léa &amp; Co&lt;/b&gt;" in notice.letter_html
    assert "<b>Léa" not in notice.letter_html
    assert "<b>Léa & Co</b> Bérénice" in notice.email_text  # the plain text shows the name as typed


def test_the_french_letter_is_written_in_french(templates):
    notice = render(templates, sample_facts("fr"))
    assert notice.subject.startswith("Intervention prévue dans votre logement")
    assert "Madame," in notice.letter_html
    assert "salutations distinguées" in notice.letter_html
    assert "Mardi 12 mai 2026, de 11\u00a0h à 11\u00a0h\u00a045" in notice.letter_html   # French times
    assert "heure d’été d’Europe centrale, UTC+2" in notice.letter_html


def test_building_wide_work_uses_the_building_notice(templates):
    notice = render(templates, sample_facts("en", scope="building"))
    assert notice.subject.startswith("Planned maintenance: Annual radiator servicing on")
    assert "How to prepare" in notice.letter_html


def test_postponement_names_old_and_new_dates(templates):
    notice = render(templates, sample_facts("en", kind="postponed"))
    assert "Tuesday, 5 May 2026" in notice.letter_html  # the old window
    assert "Tuesday, 12 May 2026" in notice.letter_html  # the new one
    assert notice.subject.startswith("Postponed:")


def test_missing_alternatives_are_stated_plainly(templates):
    notice = render(templates, sample_facts("en"))
    assert "None: there is no alternative arrangement" in notice.letter_html


def test_a_window_across_a_daylight_saving_change_names_both_zones(templates):
    facts = sample_facts("en", scope="building")
    work = facts.work
    work.window_start = datetime(2026, 3, 28, 20, 0, tzinfo=timezone.utc)  # Sat 21:00 CET
    work.window_end = datetime(2026, 3, 29, 10, 0, tzinfo=timezone.utc)  # Sun 12:00 CEST
    context = notice_context(facts)
    assert context["work"]["window"]["start"]["time"] == "21:00"
    assert context["work"]["window"]["end"]["time"] == "12:00"
    assert context["work"]["window"]["duration"] == "14 hours"
    assert "UTC+1 → Central European Summer Time, UTC+2" in context["work"]["window"]["time_zone"]


def write_template(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_user_template_overrides_the_builtin_one(tmp_path):
    write_template(tmp_path, "en/reminder.html.j2",
                   '{% extends layout %}{% block subject %}Our own reminder: {{ work.title }}{% endblock %}'
                   '{% block body %}<p>Custom body for {{ tenant.name }}</p>{% endblock %}')
    templates = LetterTemplates(BUILTIN_TEMPLATES_DIR, tmp_path)
    notice = render(templates, sample_facts("en", kind="reminder"))
    assert notice.subject == "Our own reminder: Annual radiator servicing"
    assert templates.origin("en/reminder.html.j2") == "user"
    assert templates.origin("en/completed.html.j2") == "built-in"
    # the other kinds still come from the built-in set
    assert render(templates, sample_facts("en", kind="completed")).subject.startswith("Completed:")


def test_a_syntax_error_names_the_template_and_line(tmp_path):
    write_template(tmp_path, "en/reminder.html.j2",
                   "{% extends layout %}\n{% block subject %}Reminder{% endblock %}\n{% block body %}\n"
                   "<p>{% if tenant.name %}Hello</p>\n{% endblock %}\n")
    templates = LetterTemplates(BUILTIN_TEMPLATES_DIR, tmp_path)
    with pytest.raises(TemplateError) as caught:
        render(templates, sample_facts("en", kind="reminder"))
    assert caught.value.template == "en/reminder.html.j2"
    assert caught.value.line == 5
    assert caught.value.summary.startswith("template en/reminder.html.j2, line 5:")


def test_an_undefined_variable_names_the_template_and_line(tmp_path):
    write_template(tmp_path, "fr/reminder.html.j2",
                   "{% extends layout %}\n{% block subject %}Rappel{% endblock %}\n{% block body %}\n"
                   "<p>Bonjour</p>\n<p>{{ tenant.nickname }}</p>\n{% endblock %}\n")
    templates = LetterTemplates(BUILTIN_TEMPLATES_DIR, tmp_path)
    with pytest.raises(TemplateError) as caught:
        render(templates, sample_facts("fr", kind="reminder"))
    assert caught.value.line == 5
    assert "nickname" in caught.value.summary and "fr/reminder.html.j2" in caught.value.summary


@pytest.mark.parametrize("expression", [
    "{{ tenant.__class__.__mro__ }}",
    "{{ ''.__class__.__subclasses__() }}",
    "{{ actions.append('x') }}",
    "{{ '{0.__class__}'.format(tenant) }}",
])
def test_a_template_cannot_reach_python_internals(tmp_path, expression):
    write_template(tmp_path, "en/reminder.html.j2",
                   "{% extends layout %}{% block subject %}R{% endblock %}{% block body %}" + expression + "{% endblock %}")
    templates = LetterTemplates(BUILTIN_TEMPLATES_DIR, tmp_path)
    with pytest.raises(TemplateError) as caught:
        render(templates, sample_facts("en", kind="reminder"))
    assert "en/reminder.html.j2" in caught.value.summary


def test_an_empty_subject_is_refused(tmp_path):
    write_template(tmp_path, "en/reminder.html.j2",
                   "{% extends layout %}{% block subject %} {% endblock %}{% block body %}x{% endblock %}")
    with pytest.raises(TemplateError, match="subject"):
        render(LetterTemplates(BUILTIN_TEMPLATES_DIR, tmp_path), sample_facts("en", kind="reminder"))


def test_every_template_file_has_both_languages():
    english = sorted(p.name for p in (BUILTIN_TEMPLATES_DIR / "en").glob("*.j2"))
    french = sorted(p.name for p in (BUILTIN_TEMPLATES_DIR / "fr").glob("*.j2"))
    assert english == french
    for kind in NOTICE_KINDS:
        for scope in ("units", "building"):
            assert (BUILTIN_TEMPLATES_DIR / template_name(kind, "en", scope)).is_file()
