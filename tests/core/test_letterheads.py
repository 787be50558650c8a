"""Each building's letters carry its own sender: letterhead, paper, window position, signer; large
print sets every text on the page at 14 pt or more. Read back from the PDFs."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from maintdesk.letters import issuing


DEMO_WEEK = datetime(2026, 3, 3, 9, tzinfo=timezone.utc)  # the demo fixture's Tuesday: before its work starts
MM = 72 / 25.4  # PDF points per millimetre


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def runs(path: Path, first_page_only: bool = True) -> list[tuple[float, float, float, str]]:
    """Every piece of text: (font size in pt, x and y from the page's top-left in mm, text)."""
    found = []
    pages = PdfReader(path).pages
    for page in pages[:1] if first_page_only else pages:
        height = float(page.mediabox.height)

        def visit(text, cm, tm, _font, size):
            if not text.strip():
                return
            a, b, c, d = (tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3],
                          tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((round(size * math.sqrt(abs(a * d - b * c)), 1), x / MM, (height - y) / MM, text.strip()))

        page.extract_text(visitor_text=visit)
    return found


def all_sizes(path: Path) -> set[float]:
    return {size for size, *_ in runs(path, first_page_only=False)}


def print_batch(demo, paths, out: Path, work_order_id: int, kind: str = "initial", tenant_ids=None, language=None):
    return issuing.issue_print_batch(
        demo, paths.database, paths,
        issuing.BatchRequest(work_order_id, kind, out, language=language,
                             tenant_ids=frozenset(tenant_ids) if tenant_ids else None),
        now=DEMO_WEEK)


def first_tenant(demo, work_order_id: int):
    work = demo.get_work_order(work_order_id)
    unit = demo.affected_units(work)[0]
    return next(t for t in demo.tenants_of_unit(unit.id) if t.active)


def test_toronto_letters_carry_the_toronto_sender_and_paris_letters_the_paris_one(demo, paths, tmp_path):
    toronto = first_tenant(demo, 2)
    paris = first_tenant(demo, 1)
    [toronto_pdf] = print_batch(demo, paths, tmp_path / "t", 2, tenant_ids={toronto.id}, language="en").files
    [paris_pdf] = print_batch(demo, paths, tmp_path / "p", 1, tenant_ids={paris.id}, language="fr").files

    toronto_text = flat(" ".join(p.extract_text() for p in PdfReader(toronto_pdf).pages))
    assert "150 King Street West, Suite 1200" in toronto_text and "(416) 555-0142" in toronto_text
    assert "Daniel Okafor Property manager, Horizon Property Management" in toronto_text
    for paris_only in ("Voltaire", "+33", "Camille Rousseau", "Gestion Immobilière"):
        assert paris_only not in toronto_text
    paris_text = flat(" ".join(p.extract_text() for p in PdfReader(paris_pdf).pages))
    assert "8 boulevard Voltaire" in paris_text and "01 40 21 35 00" in paris_text
    assert "Camille Rousseau Gestionnaire d'immeubles, Horizon Gestion Immobilière" in paris_text
    assert "King Street" not in paris_text and "Property manager" not in paris_text

    letter, a4 = PdfReader(toronto_pdf).pages[0].mediabox, PdfReader(paris_pdf).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


@pytest.mark.parametrize("layout, left_from, left_to, top_from, top_to", [
    ("din5008", 19.5, 105, 45, 90),    # DIN 5008 form B: 20 mm from the left, 45 mm from the top
    ("nf-z11-001", 99.5, 190, 50, 95), # the French position: 100 mm from the left, 50 mm from the top
    ("us-10", 21.5, 111, 51, 74),      # #10 window: 0.875 in from the left, 2.042 in from the top
    ("canada", 21.5, 111, 51, 74),
])
def test_the_address_sits_in_the_window_of_the_sender_s_layout(demo, paths, tmp_path, layout, left_from, left_to,
                                                               top_from, top_to):
    prop = demo.get_property(1)
    sender = demo.sender_of(prop)
    demo.save_sender(replace(sender, window_layout=layout))
    tenant = first_tenant(demo, 1)
    [pdf] = print_batch(demo, paths, tmp_path / layout, 1, tenant_ids={tenant.id}).files

    [(_, x, y, _)] = [run for run in runs(pdf) if run[3].startswith(f"{tenant.salutation} {tenant.name}"[:12])]
    assert left_from <= x <= left_to and top_from <= y <= top_to, (x, y)


@pytest.mark.parametrize("work_order_id, kind", [(1, "initial"), (1, "reminder"), (2, "initial"), (3, "emergency")])
def test_large_print_has_no_text_under_14_points_and_the_body_at_16(demo, paths, tmp_path, work_order_id, kind):
    tenant = first_tenant(demo, work_order_id)
    demo.save_tenant(replace(tenant, large_print=True))
    neighbour = next(row.tenant for row in demo.list_tenants(demo.get_work_order(work_order_id).property_id)
                     if row.tenant.id != tenant.id and not row.tenant.large_print and row.tenant.active
                     and row.tenant.unit_id in {u.id for u in demo.affected_units(demo.get_work_order(work_order_id))})
    batch = print_batch(demo, paths, tmp_path / "out", work_order_id, kind, tenant_ids={tenant.id, neighbour.id})
    by_tenant = {notice.tenant_id: path for notice, path in zip(batch.notices, batch.files)}

    large = all_sizes(by_tenant[tenant.id])
    assert min(large) >= 14, sorted(large)
    assert 16 in large  # the body
    assert len(PdfReader(by_tenant[tenant.id]).pages) <= 2
    assert min(all_sizes(by_tenant[neighbour.id])) < 9  # the check can fail: ordinary letters have small print


@pytest.mark.parametrize("language, footer", [("de", "Seite 1 / 1"), ("es", "Página 1 / 1"), ("en", "Page 1 / 1")])
def test_the_page_number_is_in_the_letter_s_language(demo, paths, tmp_path, language, footer):
    tenant = first_tenant(demo, 1)
    [pdf] = print_batch(demo, paths, tmp_path / language, 1, tenant_ids={tenant.id}, language=language).files
    text = flat(PdfReader(pdf).pages[0].extract_text())
    assert footer in text and ("Page " not in text or language == "en")


def test_a_sender_may_ask_for_the_24_hour_clock_in_english_letters(demo, paths, tmp_path):
    toronto = demo.get_property(demo.get_work_order(2).property_id)
    tenant = first_tenant(demo, 2)
    [usual] = print_batch(demo, paths, tmp_path / "usual", 2, tenant_ids={tenant.id}, language="en").files
    assert "9:00 a.m." in flat(PdfReader(usual).pages[0].extract_text())

    demo.save_sender(replace(demo.sender_of(toronto), time_format="24h"))
    [clock] = print_batch(demo, paths, tmp_path / "24h", 2, tenant_ids={tenant.id}, language="en").files
    text = flat(PdfReader(clock).pages[0].extract_text())
    assert "09:00" in text and "13:00" in text and "a.m." not in text and "p.m." not in text
