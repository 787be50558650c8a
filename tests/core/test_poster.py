"""The lobby poster: one page on every paper, the building's languages side by side, large type,
read back from the PDFs."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from maintdesk.cli.app import main
from maintdesk.errors import InvalidInput
from maintdesk.letters import poster
from maintdesk.letters.localize import Localizer
from maintdesk.letters.typography import NBSP
from maintdesk.records.models import ActionItem
from test_letterheads import MM, flat, runs

RED, BLUE = b"0.690196 0 0.12549 rg", b"0.082353 0.215686 0.372549 rg"   # #b00020, #15375f
PAPER_MM = {"A4": (210, 297), "Letter": (215.9, 279.4), "A3": (297, 420), "Tabloid": (279.4, 431.8)}


def window_words(store, work_order_id: int) -> list[str]:
    """The window as each language of the building writes it: dates, times and the time zone."""
    work = store.get_work_order(work_order_id)
    prop = store.get_property(work.property_id)
    words = []
    for language in ("en", "fr"):
        span = Localizer(language, prop.country, prop.timezone).span(work.window_start, work.window_end)
        start, end = span["start"], span["end"]
        if span["same_day"]:
            words += [start["date"][:1].upper() + start["date"][1:], f"{start['time']} – {end['time']}"]
        else:
            words += [f"{start['date']}, {start['time']}", f"{end['date']}, {end['time']}"]
        words.append(span["time_zone"])
    return [flat(w) for w in words]


def text_of(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_water_shut_off_poster_is_one_page_on_every_paper_in_english_and_french(demo, paths, tmp_path):
    for paper, (width, height) in PAPER_MM.items():
        made = poster.write_poster(demo, paths, 2, tmp_path / f"{paper}.pdf", paper)
        pages = PdfReader(made.path).pages
        assert len(pages) == 1, paper
        assert (round(float(pages[0].mediabox.width) / MM), round(float(pages[0].mediabox.height) / MM)) == (
            round(width), round(height))
        assert made.languages == ("en", "fr")   # Toronto: 20 tenants read English, 7 French
        text = flat(text_of(made.path))
        for words in ("Water shut-off for riser valve replacement",
                      "Coupure d'eau pour le remplacement d'une vanne de colonne",
                      *window_words(demo, 2),
                      "Keep all taps closed during the shut-off.", "Gardez tous les robinets fermés pendant la coupure.",
                      "No hot or cold water in the whole building.", "Daniel Okafor", "(416) 924-3100"):
            assert words in text, (paper, words)
    # The French column is typeset as French on an English page; the English one is left as written.
    raw = text_of(tmp_path / "A4.pdf")
    assert f"Heure locale{NBSP}:" in raw and "Local time:" in raw


def test_on_a3_and_for_one_language_on_a4_the_body_is_20_pt_or_more_and_the_title_40(demo, paths, tmp_path):
    for paper, languages in (("A3", None), ("A4", ["en"])):
        made = poster.write_poster(demo, paths, 2, tmp_path / f"{paper}.pdf", paper, languages)
        found = [(size, text) for size, _x, _y, text in runs(made.path) if "WO-2" not in text]  # all but the footer
        assert found and min(size for size, _ in found) >= 20, (paper, sorted(found)[:3])
        assert min(size for size, text in found if text in ("Water shut-off for", "riser valve", "replacement",
                                                             "Water shut-off for riser", "valve replacement")) >= 40


def test_a_paris_building_wide_poster_is_french_first_and_red_for_an_emergency(demo, paths, tmp_path):
    leak = demo.get_work_order(3)
    building = demo.save_work_order(replace(leak, id=None, scope="building", all_units=True, affected_unit_ids=[],
                                            slots=[], actions=[ActionItem(a.text) for a in leak.actions]))
    made = poster.write_poster(demo, paths, building.id, tmp_path / "paris.pdf", "A4")
    assert made.languages == ("fr", "en") and len(PdfReader(made.path).pages) == 1
    text = flat(text_of(made.path))
    assert text.index("TRAVAUX URGENTS") < text.index("URGENT WORK")
    assert "Réparation urgente d'une fuite" in text and "Laissez l'accès à votre salle de bains au plombier." in text
    for words in window_words(demo, building.id):
        assert words in text, words
    colours = PdfReader(made.path).pages[0].get_contents().get_data()
    assert RED in colours and BLUE not in colours
    assert BLUE in PdfReader(poster.write_poster(demo, paths, 2, tmp_path / "planned.pdf", "A4").path).pages[0].get_contents().get_data()


def test_very_long_texts_still_make_one_page_with_smaller_type_and_say_so(demo, paths, tmp_path):
    work = demo.get_work_order(2)
    long_en = "The water is off in every flat, the laundry room and the garden taps while the valve is changed. " * 5
    long_fr = "L'eau est coupée dans tous les logements, la buanderie et les robinets du jardin pendant les travaux. " * 5
    work.impact = {"en": long_en, "fr": long_fr}
    work.actions = [ActionItem({"en": f"Step {n}: keep the taps closed and do not use the washing machine or the "
                                      "dishwasher until the notice in the lobby says the water is back.",
                                "fr": f"Étape {n} : gardez les robinets fermés et n'utilisez ni lave-linge ni "
                                      "lave-vaisselle avant l'avis du hall annonçant le retour de l'eau."})
                    for n in range(1, 7)]
    demo.save_work_order(work)
    made = poster.write_poster(demo, paths, 2, tmp_path / "long.pdf", "A4")
    assert len(PdfReader(made.path).pages) == 1
    assert made.scale < 0.75 and "too long for full-size type" in made.summary
    text = flat(text_of(made.path))
    assert "Step 6" in text and "Étape 6" in text   # nothing left out
    assert not list(tmp_path.glob(".poster-*"))      # the trial sizes are gone


def test_a_poster_for_work_inside_the_flats_is_refused_clearly(db_path, demo, paths, tmp_path, capsys):
    with pytest.raises(InvalidInput, match="work order 1 is work inside the flats, not building-wide"):
        poster.write_poster(demo, paths, 1, tmp_path / "flats.pdf", "A4")
    assert not (tmp_path / "flats.pdf").exists()
    code = main(["--db", str(db_path), "notices", "poster", "1", "--out", str(tmp_path / "x.pdf")],
                out=io.StringIO())
    assert code == 2 and "a lobby poster is for building-wide work" in capsys.readouterr().err
