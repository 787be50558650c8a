"""The checks' findings in every language: the catalog is whole, and each finding carries its words."""

from __future__ import annotations

import string
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from maintdesk.planning.checks import check_work_order
from maintdesk.planning.finding_words import WORDS
from maintdesk.planning.wording import languages
from maintdesk.records.models import LANGUAGES

BEFORE_THE_WORK = datetime(2026, 3, 3, 9, tzinfo=timezone.utc)
THE_DAY_BEFORE = datetime(2026, 3, 8, 9, tzinfo=timezone.utc)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(WORDS))
def test_every_text_is_written_in_every_language_with_the_same_placeholders(key):
    entry = WORDS[key]
    assert set(entry) == set(languages()) and set(LANGUAGES) <= set(entry), key
    english = entry["en"]
    for lang, text in entry.items():
        forms = text if isinstance(text, tuple) else (text,)
        assert isinstance(text, tuple) == isinstance(english, tuple), (key, lang)
        assert all(form.strip() or key == "list.or" for form in forms), (key, lang)
        wanted = placeholders(english[0] if isinstance(english, tuple) else english)
        assert all(placeholders(form) == wanted for form in forms), (key, lang, text)


def findings_of(demo, paths, at):
    return [f for work_id in (1, 2, 3) for f in check_work_order(demo, paths, work_id, at=at).findings]


def test_each_finding_the_demo_makes_carries_its_message_and_fix_in_every_language(demo, paths):
    findings = findings_of(demo, paths, BEFORE_THE_WORK)
    demo.save_work_terms(replace(demo.get_work_terms(1), print_delivery="mail"))  # the French law wants more
    findings += findings_of(demo, paths, BEFORE_THE_WORK) + findings_of(demo, paths, THE_DAY_BEFORE)
    codes = set()
    for finding in findings:
        texts = finding.view()["texts"]
        assert set(texts) == set(languages()), finding.code
        assert texts["en"]["message"] == finding.message and texts["en"]["fix"] == finding.fix
        for lang in LANGUAGES:
            assert texts[lang]["message"] and bool(texts[lang]["fix"]) == bool(finding.fix), (finding.code, lang)
            if lang != "en":
                assert texts[lang]["message"] != finding.message, (finding.code, lang)
        codes.add(finding.code)
    assert {"FR/notification/method", "FR/emergency", "plan/emergency-not-sent", "slots/missing",
            "CA-ON/not-applicable"} <= codes


def test_a_french_finding_reads_french_and_quotes_the_rule_file_as_written(demo, paths):
    demo.save_work_terms(replace(demo.get_work_terms(1), print_delivery="mail"))
    found = {f.code: f.view()["texts"] for f in check_work_order(demo, paths, 1, at=BEFORE_THE_WORK).findings}
    french, german = found["FR/notification/method"]["fr"], found["FR/notification/method"]["de"]
    assert french["message"].startswith("22 locataires ne recevraient l'avis que par courrier ; France l'exige en "
                                        "main propre ou par lettre recommandée : « before the works start")
    assert french["quoted"][0].startswith("before the works start") and "quoted" not in found["FR/notification/method"]["en"]
    assert french["fix"].startswith("remettez-le en main propre ou par lettre recommandée au plus tard le ")
    assert german["message"].startswith("22 Mietparteien würden die Ankündigung nur per Post erhalten; Frankreich "
                                        "verlangt sie")


def test_the_days_a_rule_closes_are_named_in_each_language(demo, paths):
    emergency = demo.get_work_order(3)  # the urgent repair in Paris, now until Saturday
    demo.save_work_order(replace(emergency, window_end=datetime(2026, 3, 7, 17, tzinfo=timezone.utc)))
    found = {f.code: f.view()["texts"] for f in check_work_order(demo, paths, 3, at=BEFORE_THE_WORK).findings}
    days = found["FR/off-days-urgent/days"]
    assert "(Saturday)" in days["en"]["message"] and "(samedi)" in days["fr"]["message"]
    assert "(Samstag)" in days["de"]["message"] and "(sábado)" in days["es"]["message"]
    assert " et " in days["fr"]["message"] and " und " in days["de"]["message"]

