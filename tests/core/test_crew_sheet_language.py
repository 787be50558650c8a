"""The crew sheet in the crew's language: the work order's choice, else the building's (its sender's)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pypdf import PdfReader

from maintdesk.letters.crew_sheet import write_crew_sheet


def sheet_text(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages).replace("\u00a0", " ")


def test_each_building_s_crew_sheet_is_in_its_own_language(demo, paths, tmp_path):
    toronto = write_crew_sheet(demo, paths, 2, tmp_path / "toronto.pdf")
    paris = write_crew_sheet(demo, paths, 1, tmp_path / "paris.pdf")
    assert "Crew sheet" in sheet_text(toronto.path) and "Feuille de route" not in sheet_text(toronto.path)
    assert "Feuille de route" in sheet_text(paris.path) and "Crew sheet" not in sheet_text(paris.path)


@pytest.mark.parametrize("language, words", [
    ("de", ("Einsatzplan", "Uhrzeit", "Internes Dokument", "Seite 1 /")),
    ("es", ("Hoja de ruta", "Vivienda", "Documento interno", "Página 1 /")),
])
def test_the_work_order_chooses_the_crew_s_language(demo, paths, tmp_path, language, words):
    demo.save_work_order(replace(demo.get_work_order(1), crew_language=language))
    text = sheet_text(write_crew_sheet(demo, paths, 1, tmp_path / f"{language}.pdf").path)
    assert all(word in text for word in words), text[:400]
    assert "Feuille de route" not in text and "Crew sheet" not in text


def test_the_command_line_asks_for_a_language(db_path, demo, paths, tmp_path):
    from maintdesk.cli.app import main

    out = tmp_path / "sheet.pdf"
    assert main(["--db", str(db_path), "--basedir", str(paths.data_dir.parent), "work", "sheet", "2",
                 "--out", str(out), "--lang", "de"]) == 0
    assert "Einsatzplan" in sheet_text(out)
