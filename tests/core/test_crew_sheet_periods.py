"""The crew sheet writes each visit as a period of one day reads in its language."""

from __future__ import annotations

from pypdf import PdfReader

from maintdesk.letters.crew_sheet import write_crew_sheet


def test_a_german_sheet_says_uhr_once_per_visit_and_a_french_one_keeps_its_spaces(demo, paths, tmp_path):
    german = write_crew_sheet(demo, paths, 1, tmp_path / "de.pdf", "de")
    french = write_crew_sheet(demo, paths, 1, tmp_path / "fr.pdf")
    first_page = {lang: PdfReader(sheet.path).pages[0].extract_text().replace("\u00a0", " ").replace("\u202f", " ")
                  for lang, sheet in (("de", german), ("fr", french))}
    assert "8:30–9:05 Uhr" in first_page["de"] and "Uhr–" not in first_page["de"]
    assert "8 h 30 – 9 h 05" in first_page["fr"]
