"""The proof of notice in its readers' language: the building's office's, every word of its frame."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from pypdf import PdfReader

from maintdesk.archive.export import export_records
from maintdesk.letters import issuing

DEMO_WEEK = datetime(2026, 3, 3, 9, tzinfo=timezone.utc)  # the demo fixture's Tuesday: before its work starts


def proof_text(demo, paths, tmp_path, work_order_id: int) -> str:
    issuing.issue_print_batch(demo, paths.database, paths,
                              issuing.BatchRequest(work_order_id, "initial", tmp_path / "letters"), now=DEMO_WEEK)
    export_records(demo, paths.database, paths, tmp_path / "records.zip", now=DEMO_WEEK)
    with zipfile.ZipFile(tmp_path / "records.zip") as archive:
        [name] = [n for n in archive.namelist() if n.startswith("proof-of-notice/wo")]
        archive.extract(name, tmp_path)
    pages = PdfReader(tmp_path / name).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages).replace("\u00a0", " ").replace("\u202f", " ")


ENGLISH_FRAME = ("Proof of notice", "Status", "scheduled", "Channel", "print ·", "generated", "Language: ",
                 "not legal advice", "Each notice as archived", "Notices issued", "warning", "matches the fingerprint")


def test_the_paris_proof_of_notice_is_french_in_every_word_of_its_own(demo, paths, tmp_path):
    text = proof_text(demo, paths, tmp_path, 1)
    assert "Preuve d'information" in text and "Statut : planifiée" in text and "Langue : français" in text
    assert "Canal : courrier" in text and "État : émis" in text and "ne constitue pas un avis juridique" in text
    assert [word for word in ENGLISH_FRAME if word in text] == []


@pytest.mark.parametrize("language, words", [
    ("de", ("Nachweis der Ankündigung", "Status: geplant", "Sprache: Französisch", "Weg: Brief", "keine Rechtsberatung")),
    ("es", ("Prueba de notificación", "Estado: programada", "Idioma: francés", "Vía: carta", "asesoramiento jurídico")),
])
def test_an_office_writing_german_or_spanish_gets_its_report_in_that_language(demo, paths, tmp_path, language, words):
    paris = demo.get_property(1)
    demo.save_sender(replace(demo.sender_of(paris), default_language=language))
    text = proof_text(demo, paths, tmp_path, 1)
    assert all(word in text for word in words), text[:600]
    same_word = {"de": {"Status"}}.get(language, set())  # "Status" is German too
    assert [word for word in ENGLISH_FRAME if word in text and word not in same_word] == []
