"""Stamped letters (maintdesk.letters.pdf.stamping): the shared letter laid out once, each tenant's regions
stamped over it. The output must look exactly like the letter laid out whole: every built-in
template is rendered both ways in real worker processes and the pages are compared as pictures."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from maintdesk.letters import issuing, pdf
from maintdesk.letters.context import notice_context
from maintdesk.letters.samples import sample_facts
from maintdesk.letters.templates import LetterTemplates, template_name
from maintdesk.records.models import Slot
from maintdesk.paths import ASSETS_DIR, BUILTIN_TEMPLATES_DIR
from maintdesk.letters.pdf.cutting import OWN, cut

KINDS = [("initial", "units"), ("initial", "building"), ("emergency", "units"), ("reminder", "units"),
         ("final-reminder", "units"), ("postponed", "units"), ("cancelled", "units"), ("completed", "units"), ("update", "units")]
TENANTS = ["Léa Lefèvre", "Jean-Baptiste Núñez"]


def built_in(**more) -> dict:
    return {"resource_roots": [BUILTIN_TEMPLATES_DIR, ASSETS_DIR], "base_url": BUILTIN_TEMPLATES_DIR,
            "stylesheets": [BUILTIN_TEMPLATES_DIR / "letter.css"], **more}


def notice_html(kind: str, scope: str, language: str, paper: str, *, name: str, number: int,
                large_print: bool = False, slot_minutes: int = 0) -> str:
    facts = sample_facts(language, kind, scope, paper)
    tenant = replace(facts.tenant, name=name, large_print=large_print)
    work = facts.work
    if work.slots:
        start = work.window_start + timedelta(minutes=slot_minutes)
        work = replace(work, slots=[Slot(facts.unit.id, start, start + timedelta(minutes=40))])
    facts = replace(facts, tenant=tenant, work=work, notice_id=500 + number)
    return LetterTemplates(BUILTIN_TEMPLATES_DIR).render(template_name(kind, language, scope),
                                                          notice_context(facts)).letter_html


def stamped(path: Path) -> bool:
    """Whether a letter's first page was composed over a shared letter (a form XObject under it)."""
    with pikepdf.open(path) as document:
        xobjects = document.pages[0].obj.get("/Resources", {}).get("/XObject", {})
        return any(xobjects[name].get("/Subtype") == "/Form" for name in xobjects.keys())


def pictures(path: Path, folder: Path, stem: str) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(folder / stem)], check=True)
    return [Image.open(png).convert("L") for png in sorted(folder.glob(f"{stem}-*.png"))]


def differing_pages(a: Path, b: Path, folder: Path) -> list[int]:
    left, right = pictures(a, folder, a.stem + "-a"), pictures(b, folder, b.stem + "-b")
    assert len(left) == len(right), (a.name, len(left), len(right))
    return [n for n, (x, y) in enumerate(zip(left, right)) if ImageChops.difference(x, y).getbbox() is not None]


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory) -> tuple[list[pdf.RenderedLetter], list[pdf.RenderedLetter], Path]:
    """Every kind × language × paper (and large print) for two tenants, stamped and laid out whole."""
    jobs = []
    variants = [(kind, scope, language, paper, False) for kind, scope in KINDS for language in ("en", "fr")
                for paper in ("A4", "Letter")]
    variants += [("initial", "units", language, paper, True) for language in ("en", "fr") for paper in ("A4", "Letter")]
    for kind, scope, language, paper, large in variants:
        for number, name in enumerate(TENANTS):
            html = notice_html(kind, scope, language, paper, name=name, number=number, large_print=large,
                               slot_minutes=50 * number)
            jobs.append(pdf.LetterJob(html, f"{kind}-{scope}-{language}-{paper}-{int(large)}-{number}.pdf"))
    base = tmp_path_factory.mktemp("stamp")
    fast = pdf.render_batch(jobs, base / "stamped", merged_name="all.pdf", **built_in())
    whole = pdf.render_batch(jobs, base / "whole", merged_name="all.pdf", stamp=False, **built_in())
    return fast.letters, whole.letters, base


def test_every_built_in_letter_is_stamped(both_ways):
    fast, whole, _ = both_ways
    assert [letter.filename for letter in fast if not stamped(letter.path)] == []
    assert not any(stamped(letter.path) for letter in whole)


def test_stamped_letters_look_exactly_like_letters_laid_out_whole(both_ways):
    fast, whole, base = both_ways
    folder = base / "png"
    folder.mkdir(exist_ok=True)
    different = {a.filename: pages for a, b in zip(fast, whole) if (pages := differing_pages(a.path, b.path, folder))}
    assert different == {}
    assert [a.pages for a in fast] == [b.pages for b in whole]


def test_each_stamped_letter_holds_its_own_tenant_and_no_other(both_ways):
    fast, _, _ = both_ways
    for letter in fast:
        text = " ".join(PdfReader(letter.path).pages[0].extract_text().split())
        mine = TENANTS[int(letter.filename[-5])]
        other = TENANTS[1 - int(letter.filename[-5])]
        if "building" not in letter.filename or mine.split()[-1] in text:
            assert mine in text, letter.filename
        assert other not in text, letter.filename
        assert "Page 1 /" in text
        assert f"N-{500 + int(letter.filename[-5])}" in text  # the footer and the info block's reference


def test_merged_file_keeps_each_shared_letter_once(both_ways):
    _, _, base = both_ways
    with pikepdf.open(base / "stamped" / "all.pdf") as merged, pikepdf.open(base / "whole" / "all.pdf") as whole:
        assert len(merged.pages) == len(whole.pages)
        forms = {page.obj.Resources.XObject[name].objgen for page in merged.pages
                 for name in page.obj.Resources.get("/XObject", {}).keys()
                 if page.obj.Resources.XObject[name].get("/Subtype") == "/Form"}
    # Two tenants per shared letter: half as many distinct forms as pages (plus a second page or so).
    assert len(forms) <= len(whole.pages) // 2 + 4


def test_a_region_too_small_for_its_content_is_laid_out_whole(tmp_path):
    """A name too long for the greeting's one line would push the letter down: that letter is laid
    out whole (the greeting grows), the others are still stamped, and all look as laid out whole."""
    long_name = "Marie-Bérénice Anne-Sophie de La Rochefoucauld-Montmorency-Laval d'Harcourt " * 2
    names = ["Léa Lefèvre", long_name.strip(), "Zoé Núñez"]
    jobs = [pdf.LetterJob(notice_html("reminder", "units", "en", "A4", name=name, number=n, large_print=True),
                          f"letter-{n}.pdf") for n, name in enumerate(names)]
    fast = pdf.render_batch(jobs, tmp_path / "fast", merged_name="all.pdf", **built_in())
    whole = pdf.render_batch(jobs, tmp_path / "whole", merged_name="all.pdf", stamp=False, **built_in())
    assert [stamped(letter.path) for letter in fast.letters] == [True, False, True]
    folder = tmp_path / "png"
    folder.mkdir()
    for a, b in zip(fast.letters, whole.letters):
        assert differing_pages(a.path, b.path, folder) == [], a.filename
    assert differing_pages(fast.merged_path, whole.merged_path, folder) == []
    assert "Laval d'Harcourt" in " ".join(PdfReader(fast.letters[1].path).pages[0].extract_text().split())


def test_a_region_without_a_set_height_is_never_stamped(tmp_path):
    style = ("@page { size: A5; margin: 15mm } body { font: 10pt 'DejaVu Sans' }"
             ".name { color: #15375f } .fixed { height: 14pt }")
    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>{style}</style></head><body>'
            '<div class="letter"><p class="{cls}" {own}>Dear {name},</p><p>{text}</p></div></body></html>')
    text = "The water will be off on Tuesday from 9:00 to 12:00. " * 12
    for cls, expect in (("name", False), ("name fixed", True)):
        jobs = [pdf.LetterJob(page.format(style=style, cls=cls, own=OWN, name=name, text=text), f"{n}.pdf")
                for n, name in enumerate(TENANTS * 2)]
        result = pdf.render_batch(jobs, tmp_path / cls.replace(" ", "-"), merged_name=None,
                                  resource_roots=[tmp_path], base_url=tmp_path)
        assert {stamped(letter.path) for letter in result.letters} == {expect}, cls
        for n, letter in enumerate(result.letters):
            assert f"Dear {(TENANTS * 2)[n]}," in PdfReader(letter.path).pages[0].extract_text()


def test_cut_empties_the_marked_regions_and_keeps_the_rest():
    html = ('<!DOCTYPE html><html><head><title>For Léa</title></head><body><div class="a">'
            f'<p {OWN} class="g">Dear <b>Léa</b> &amp; co,</p><br><img src="x.png">'
            f'<div {OWN}="yes"><div>nested <span {OWN}>inner</span></div></div><p>Same for all.</p>'
            '</div></body></html>')
    result = cut(html)
    assert result is not None
    assert result.contents == ("Dear <b>Léa</b> &amp; co,", f"<div>nested <span {OWN}>inner</span></div>")
    assert "Léa" not in result.key and "nested" not in result.key and "<title></title>" in result.key
    assert f'<p {OWN} class="g"></p><br><img src="x.png"><div {OWN}="yes"></div><p>Same for all.</p>' in result.key
    other = cut(html.replace("Léa", "Zoé"))
    assert other is not None and other.key == result.key


@pytest.mark.parametrize("html", [
    "<html><body><p>No region here.</p></body></html>",
    f"<html><body><div {OWN}><div>unclosed</div></body></html>",
    f"<html><body><div {OWN}>a</span></div></body></html>",
    "<html><body><p data-md-owner>not the attribute</p></body></html>",
])
def test_cut_refuses_letters_it_cannot_cut_safely(html):
    assert cut(html) is None


def test_cut_skips_raw_text_and_comments():
    html = (f"<html><body><!-- <div {OWN}> --><script>var s = '<div {OWN}>';</script>"
            f"<div {OWN}>mine</div></body></html>")
    result = cut(html)
    assert result is not None and result.contents == ("mine",)


def test_the_print_stylesheet_is_the_one_issuing_uses():
    """The comparison above uses letter.css as issuing does; if issuing ever picks another
    stylesheet for built-in templates, this suite must follow."""
    from maintdesk.paths import AppPaths

    assert issuing.stylesheet_for(AppPaths.under(Path("/nonexistent"))).name == "letter.css"
