"""Plural forms by the rule of each language (maintdesk/i18n.py), in messages and in letters."""

import pytest

from maintdesk.i18n import english, plural
from maintdesk.letters.templates import LetterTemplates
from maintdesk.paths import AppPaths


@pytest.mark.parametrize(("language", "n", "expected"), [
    ("en", 0, "0 errors"), ("en", 1, "1 error"), ("en", 2, "2 errors"), ("en", 1500, "1,500 errors"),
    ("fr", 0, "0 erreur"), ("fr", 1, "1 erreur"), ("fr", 2, "2 erreurs"), ("fr", 1_000_000, "1\u202f000\u202f000 erreurs"),
    ("de", 0, "0 Fehler"), ("de", 1, "1 Fehler"), ("es", 1, "1 error"), ("es", 0, "0 errores"),
])
def test_the_rule_of_each_language(language, n, expected):
    forms = {"en": ("{n} error", "{n} errors"), "fr": ("{n} erreur", "{n} erreurs"),
             "de": ("{n} Fehler", "{n} Fehler"), "es": ("{n} error", "{n} errores")}[language]
    assert plural(language, n, *forms) == expected


def test_a_phrase_agrees_with_its_number():
    assert english(1, "{n} slot falls outside", "{n} slots fall outside") == "1 slot falls outside"
    assert english(3, "{n} slot falls outside", "{n} slots fall outside") == "3 slots fall outside"


def test_letter_templates_have_plural_in_the_letters_language():
    env = LetterTemplates(AppPaths.default().templates_dir).env
    text = env.from_string('{{ plural(lang, n, "{n} erreur", "{n} erreurs") }}')
    assert [text.render(lang="fr", n=n) for n in (0, 1, 2)] == ["0 erreur", "1 erreur", "2 erreurs"]


def test_the_proof_of_notice_counts_findings_with_plural_forms(demo, paths, tmp_path):
    """The French proof of notice: "0 erreur, 1 avertissement, 2 remarques", as the counts say."""
    from maintdesk.archive.export import select_records
    from maintdesk.archive.proof_of_notice import TEMPLATE, report_context
    from maintdesk.letters.htmltext import html_to_text
    from maintdesk.letters.issuing import BatchRequest, issue_print_batch
    from maintdesk.timeutil import utc_now

    issue_print_batch(demo, paths.database, paths, BatchRequest(work_order_id=1, kind="initial", out_dir=tmp_path))
    records = [r for r in select_records(demo, paths.database) if r.notice.work_order_id == 1]
    context = report_context(demo, paths, demo.get_work_order(1), records, utc_now())
    assert context["lang"] == "fr"
    counts = context["check"]["counts"]
    text = " ".join(html_to_text(LetterTemplates(paths.templates_dir).render_page(TEMPLATE, context)).split())
    expected = ", ".join(plural("fr", counts[key], f"{{n}} {one}", f"{{n}} {many}") for key, one, many in (
        ("error", "erreur", "erreurs"), ("warning", "avertissement", "avertissements"),
        ("info", "remarque", "remarques")))
    assert f"({expected})" in text
