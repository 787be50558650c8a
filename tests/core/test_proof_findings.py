"""The findings of the proof of notice in the report's language, read back from the PDF."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone

import pytest
from pypdf import PdfReader

from maintdesk.archive.export import export_records
from maintdesk.letters import issuing
from maintdesk.notices.permit import check_before_issue
from maintdesk.records.store import Store

MONDAY = datetime(2026, 3, 3, 9, tzinfo=timezone.utc)  # the demo fixture's week, before work order 1 starts

# Words of the French proof of work order 1 before its findings were written in French.
ENGLISH = ("scheduled", "print", "generated", "info", "tenants", "by hand", "must leave", "the law asks", "good practice",
           "not legal advice", "notice-law", "Fri 6 Mar", "send by", "Fix")


def issue(demo, paths, tmp_path, work_order_id: int, kind: str) -> None:
    """The letters of `kind`, with the checks as they stood (recorded in every language)."""
    check = check_before_issue(demo, paths, work_order_id, MONDAY)
    request = issuing.BatchRequest(work_order_id, kind, tmp_path / f"letters-{work_order_id}", check=check)
    issuing.issue_print_batch(demo, paths.database, paths, request, now=MONDAY)


def read_proof(demo, paths, tmp_path, work_order_id: int, language: str | None = None) -> str:
    out = tmp_path / f"records-{language}.zip"
    export_records(demo, paths.database, paths, out, now=MONDAY, language=language)
    with zipfile.ZipFile(out) as archive:
        [name] = [n for n in archive.namelist() if n.startswith(f"proof-of-notice/wo{work_order_id}-")]
        pages = PdfReader(io.BytesIO(archive.read(name))).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def english_words(text: str) -> list[str]:
    """English words outside the rules' basis and uncertain readings, which are quoted in English as written."""
    start = min((text.find(label) for label in ("Fondement", "Grundlage", "Fundamento") if label in text),
                default=-1)
    if start >= 0:
        end = min(text.find(label, start) for label in ("Résultat", "Ergebnis", "Resultado") if label in text[start:])
        text = text[:start] + text[end:]
    return [word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?!\w)", text)]


def test_the_french_proof_of_the_paris_work_has_its_findings_in_french(demo, paths, tmp_path):
    issue(demo, paths, tmp_path, 1, "initial")
    text = read_proof(demo, paths, tmp_path, 1)
    assert ("remarque 22 locataires reçoivent le premier avis en main propre : il doit partir au plus tard le "
            "ven. 6 mars 2026 à 8 h 30 (Europe/Paris)") in text
    assert "la loi l'exige avant le début des travaux ; la bonne pratique est de 72 h en main propre" in text
    assert ("Pour y remédier : envoyez-le au plus tard le ven. 6 mars 2026 à 8 h 30 (Europe/Paris) pour respecter "
            "le préavis de 72 h") in text
    assert "Règles : France" in text and "codées le 26 novembre 2026" in text
    assert english_words(text) == []


@pytest.mark.parametrize("language, words", [
    ("de", ("Hinweis 22 Mietparteien erhalten die erste Ankündigung durch persönliche Übergabe; diese muss spätestens "
            "am Fr., 6. März 2026, 8:30 Uhr (Europe/Paris) abgehen", "Abhilfe: versenden Sie sie bis Fr., 6. März ", "Regeln: Frankreich", "erfasst am 26. November 2026")),
    ("es", ("nota 22 inquilinos reciben el primer aviso en mano: debe salir a más tardar el vie, 6 mar 2026, 8:30 h",
            "Solución: envíelo a más tardar el vie, 6 mar 2026, 8:30 h (Europe/Paris) para respetar el preaviso de 72 h", "Reglas: Francia", "codificadas el 26 de noviembre de 2026")),
])
def test_a_german_or_spanish_proof_has_its_findings_in_that_language(demo, paths, tmp_path, language, words):
    issue(demo, paths, tmp_path, 1, "initial")
    text = read_proof(demo, paths, tmp_path, 1, language)
    assert all(word in text for word in words), text[:1500]
    assert english_words(text) == []


def test_a_rule_file_s_own_words_are_quoted_as_written_in_english(demo, paths, tmp_path):
    issue(demo, paths, tmp_path, 3, "emergency")
    text = read_proof(demo, paths, tmp_path, 3)
    # The French statute's rule, as its file words it: English typography inside the French quotation marks.
    assert "remarque La règle indique : « Urgent works still need the " in text
    assert "Les passages entre guillemets sont cités tels qu'ils figurent, en anglais, dans les règles de MaintDesk." in text
    assert "Travaux urgents : " in text and "Cahier des charges de MaintDesk (MISSION.md)" in text


def test_a_report_recorded_in_english_only_is_printed_in_english_under_a_note(demo, paths, tmp_path, monkeypatch):
    issue(demo, paths, tmp_path, 1, "initial")
    recorded = Store.issue_checks

    def as_recorded_before(store, work_order_id):  # a check recorded before findings had every language
        checks = recorded(store, work_order_id)
        for check in checks:
            for finding in check.report["findings"]:
                finding.pop("texts", None)
        return checks

    monkeypatch.setattr(Store, "issue_checks", as_recorded_before)
    text = read_proof(demo, paths, tmp_path, 1)
    assert ("Ces constats ont été enregistrés en anglais, avant que MaintDesk ne les rédige dans chaque langue ; "
            "ils sont reproduits tels quels. remarque 22 tenants get the first notice by hand: it must leave by ") in text
    assert "Pour y remédier : send by " in text


def test_the_command_line_writes_the_proofs_in_the_language_asked_for(db_path, demo, paths, tmp_path):
    from maintdesk.cli.app import main

    issue(demo, paths, tmp_path, 1, "initial")
    out = tmp_path / "records.zip"
    assert main(["--db", str(db_path), "--basedir", str(paths.data_dir.parent), "records", "export",
                 "--out", str(out), "--lang", "es"], out=io.StringIO()) == 0
    with zipfile.ZipFile(out) as archive:
        [name] = [n for n in archive.namelist() if n.startswith("proof-of-notice/wo1-")]
        first_page = PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()
    assert "Prueba de notificación" in first_page and "inquilinos reciben el primer aviso" in first_page
