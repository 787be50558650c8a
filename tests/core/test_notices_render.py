"""A real batch: letters rendered to PDF by WeasyPrint, read back with pypdf, recorded in the archive."""

import hashlib
import re
from datetime import datetime, timezone
from pathlib import Path

from pypdf import PdfReader

from maintdesk.letters import issuing
from maintdesk.cli.app import main
from maintdesk.letters.context import notice_context, NoticeFacts
from maintdesk.timeutil import utc_now


DEMO_WEEK = datetime(2026, 3, 3, 9, tzinfo=timezone.utc)  # the demo fixture's Tuesday: before its work starts


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def squeezed(text: str) -> str:
    """Without any white space: a long name may wrap inside the address window."""
    return "".join(text.split())


def test_a_batch_gives_one_pdf_per_tenant_and_a_merged_print_file(demo, paths, tmp_path):
    out = tmp_path / "letters"
    batch = issuing.issue_print_batch(demo, paths.database, paths,
                                      issuing.BatchRequest(work_order_id=1, kind="initial", out_dir=out))
    work = demo.get_work_order(1)
    tenants = [row.tenant for row in demo.list_tenants(work.property_id)]
    assert len(batch.files) == len(tenants) == len(batch.notices) == 22

    pages = [len(PdfReader(f).pages) for f in batch.files]
    assert batch.merged_path is not None and batch.merged_path.is_file()
    assert len(PdfReader(batch.merged_path).pages) == sum(pages) == batch.merged_pages
    large = {t.id for t in tenants if t.large_print}
    assert large, "the demo has large-print tenants"
    for notice, count in zip(batch.notices, pages):
        assert count == (2 if notice.tenant_id in large else 1), "a letter fits one page; large print two"

    units = {u.id: u for u in demo.list_units(work.property_id)}
    slots = {s.unit_id: s for s in work.slots}
    prop = demo.get_property(work.property_id)
    for notice, path in zip(batch.notices, batch.files):
        tenant = demo.get_tenant(notice.tenant_id)
        text = flat(pdf_text(path))
        assert squeezed(tenant.name) in squeezed(text)
        others = [t.name for t in tenants if t.id != tenant.id and t.name not in tenant.name]
        assert not [name for name in others if squeezed(name) in squeezed(text)], f"{path.name} names another tenant"
        unit = units[tenant.unit_id]
        if tenant.mailing_address:  # letters go to the tenant's own postal address
            assert flat(tenant.mailing_address.splitlines()[0]) in text
        else:
            assert f"{'Appt' if tenant.language == 'fr' else 'Apt'} {unit.label}" in text
        facts = NoticeFacts(demo.sender_of(prop), prop, unit, tenant, work, "initial", tenant.language,
                            notice.id, utc_now())
        slot = notice_context(facts)["slot"]
        times = [" ".join(slot[end]["time"].split()) for end in ("start", "end")]   # as flat as the text
        assert times[0] in text and times[1] in text and "UTC+1" in text
        assert f"WO-1/N-{notice.id}" in text
        positions = [text.find(flat(a)) for a in notice_context(facts)["actions"]]
        assert -1 not in positions and positions == sorted(positions), "actions appear in order"
        assert notice.pdf_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert slots[unit.id]

    assert re.fullmatch(r"residence-les-tilleuls-1a-lea-lefevre-initial\.pdf", batch.files[0].name)
    stored = demo.list_notices(1)
    assert [n.id for n in stored] == [n.id for n in batch.notices]
    assert {n.state for n in stored} == {"generated"} and {n.channel for n in stored} == {"print"}
    archived = paths.database.parent / "notices" / stored[0].pdf_path
    assert archived.read_bytes() == batch.files[0].read_bytes()


def test_page_numbers_restart_for_each_letter_in_the_print_file(demo, paths, tmp_path):
    long_name = demo.list_tenants(1)[0].tenant
    long_name.large_print = True  # a large-print letter runs to two pages
    demo.save_tenant(long_name)
    batch = issuing.issue_print_batch(
        demo, paths.database, paths,
        issuing.BatchRequest(work_order_id=1, kind="initial", out_dir=tmp_path / "out",
                             tenant_ids=frozenset({long_name.id, demo.list_tenants(1)[1].tenant.id})))
    merged = PdfReader(batch.merged_path)
    footers = [flat(page.extract_text()) for page in merged.pages]
    assert len(footers) == 3
    assert "Page 1 / 2" in footers[0] and "Page 2 / 2" in footers[1] and "Page 1 / 1" in footers[2]


def test_a_tenant_in_large_print_gets_bigger_type(demo, paths, tmp_path):
    rows = demo.list_tenants(1)
    big, normal = rows[0].tenant, rows[1].tenant
    big.large_print = True
    demo.save_tenant(big)
    batch = issuing.issue_print_batch(
        demo, paths.database, paths,
        issuing.BatchRequest(1, "reminder", tmp_path / "out", tenant_ids=frozenset({big.id, normal.id})),
        now=DEMO_WEEK)
    sizes = {}
    for notice, path in zip(batch.notices, batch.files):
        html = notice.body_html
        sizes[notice.tenant_id] = "large-print" in html
    assert sizes == {big.id: True, normal.id: False}


def test_the_cli_renders_a_batch_and_a_crew_sheet(paths, tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    assert main(["--db", str(db), "init", "--demo"]) == 0
    out = tmp_path / "out"
    assert main(["--db", str(db), "notices", "render", "2", "--kind", "reminder", "--out", str(out), "--lang", "fr"]) == 0
    printed = capsys.readouterr().out
    assert "print file:" in printed
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 11  # the 10 tenants who read paper + the merged file
    assert "17 tenants get this notice by email only: `maintdesk notices email 2 --kind reminder` sends theirs" in printed
    assert "Rappel" in pdf_text(pdfs[0])
    sheet = tmp_path / "sheet.pdf"
    assert main(["--db", str(db), "work", "sheet", "1", "--out", str(sheet)]) == 0
    text = flat(pdf_text(sheet))
    assert "Feuille de route" in text and "Clé chez la gardienne" in text
    assert text.find("1A") < text.find("6D")


def test_rendering_a_work_order_without_tenants_is_bad_input(paths, tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    main(["--db", str(db), "init", "--demo"])
    capsys.readouterr()
    code = main(["--db", str(db), "notices", "render", "1", "--kind", "initial", "--out", str(tmp_path / "o"),
                 "--tenant", "9999"])
    assert code == 2
    assert "tenant 9999 is not an active tenant" in capsys.readouterr().err


def test_five_actions_and_long_names_fit_one_page_in_both_languages_and_paper_sizes(paths, tmp_path):
    from maintdesk.letters import pdf
    from maintdesk.letters.samples import sample_facts
    from maintdesk.letters.templates import template_name
    from maintdesk.records.models import NOTICE_KINDS

    templates = issuing.templates_for(paths)
    jobs = []
    for paper in ("A4", "Letter"):
        for language in ("en", "fr"):
            for kind in NOTICE_KINDS:
                for scope in (("units", "building") if kind == "initial" else ("units",)):
                    facts = sample_facts(language, kind, scope, paper)
                    assert len(facts.work.actions) == 5
                    notice = templates.render(template_name(kind, language, scope), notice_context(facts))
                    jobs.append(pdf.LetterJob(notice.letter_html, f"{paper}-{language}-{kind}-{scope}.pdf"))
    result = pdf.render_batch(jobs, tmp_path, resource_roots=[paths.templates_dir, paths.assets_dir],
                              base_url=paths.templates_dir, stylesheets=[issuing.stylesheet_for(paths)],
                              merged_name=None)
    too_long = [letter.filename for letter in result.letters if letter.pages != 1]
    assert too_long == []
    sizes = {round(float(PdfReader(letter.path).pages[0].mediabox.width)) for letter in result.letters}
    assert sizes == {595, 612}  # A4 and US Letter widths in points


def test_english_and_french_letters_of_one_batch_share_one_layout(demo, paths, tmp_path):
    """A bilingual building interleaves languages; they must not each get a layout of their own."""
    import pikepdf

    batch = issuing.issue_print_batch(demo, paths.database, paths,
                                      issuing.BatchRequest(work_order_id=2, kind="reminder", out_dir=tmp_path / "o"),
                                      now=DEMO_WEEK)
    languages = [n.language for n in batch.notices]
    assert "en" in languages and "fr" in languages
    with pikepdf.open(batch.merged_path) as merged:
        descriptors = sum(1 for obj in merged.objects
                          if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor")
    # 27 letters laid out alone would carry 27 sets of font subsets (3 fonts each). Stamped letters
    # share their shared letter's fonts (kept once in the print file) and their chunk's own subset.
    assert descriptors < 3 * len(batch.files) // 2
    assert batch.merged_path.stat().st_size < sum(path.stat().st_size for path in batch.files) / 3
    for notice, path in zip(batch.notices, batch.files):
        text = flat(pdf_text(path))
        assert ("Reminder:" in text) == (notice.language == "en")
        assert ("Rappel :" in text) == (notice.language == "fr")


def test_a_letter_to_a_mailing_address_still_names_the_building_and_the_unit(demo, paths, tmp_path):
    """The window shows the tenant's mailing address; the letter still says which home the work is in."""
    away = next(r for r in demo.list_tenants(1) if r.tenant.mailing_address.strip())
    at_home = next(r for r in demo.list_tenants(1) if not r.tenant.mailing_address.strip() and r.unit_label != away.unit_label)
    batch = issuing.issue_print_batch(demo, paths.database, paths, issuing.BatchRequest(
        work_order_id=1, kind="initial", out_dir=tmp_path / "letters",
        tenant_ids=frozenset({away.tenant.id, at_home.tenant.id})))
    by_tenant = dict(zip((n.tenant_id for n in batch.notices), batch.files))
    words = {"fr": ("Immeuble", "Logement", "Appt"), "en": ("Building", "Your home", "Apt")}
    for row in (away, at_home):
        text = flat(pdf_text(by_tenant[row.tenant.id]))
        building, home, unit = words[row.tenant.language]
        assert f"{building} {row.property_name}" in text
        assert f"{home} {unit} {row.unit_label}" in text
    away_text = flat(pdf_text(by_tenant[away.tenant.id]))
    assert away.tenant.mailing_address.splitlines()[0] in away_text  # the window: the mailing address


def test_a_broken_user_template_is_bad_input_named_with_its_line(tmp_path, capsys):
    """docs/cli.md: a broken file exits 2 with one line naming it; nothing is issued."""
    base = tmp_path / "base"
    assert main(["--basedir", str(base), "init", "--demo"]) == 0
    mine = base / "data" / "letter_templates" / "en"
    mine.mkdir(parents=True)
    (mine / "reminder.html.j2").write_text('{% extends "layout/letter.html.j2" %}\n{% block body %}\n{{ work.title \n'
                                           '{% endblock %}\n', encoding="utf-8")
    capsys.readouterr()
    status = main(["--basedir", str(base), "notices", "render", "2", "--kind", "reminder", "--lang", "en",
                   "--out", str(tmp_path / "out")])
    said = capsys.readouterr()
    assert status == 2
    assert said.err.startswith("maintdesk: error: template en/reminder.html.j2, line 4: expected token")
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_user_template_that_loops_without_end_stops_with_its_name_and_line(tmp_path, capsys):
    import time

    base = tmp_path / "base"
    assert main(["--basedir", str(base), "init", "--demo"]) == 0
    mine = base / "data" / "letter_templates" / "en"
    mine.mkdir(parents=True)
    (mine / "reminder.html.j2").write_text(
        '{% extends layout %}{% block subject %}Reminder{% endblock %}\n{% block body %}\n'
        '{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}\n'
        '{% endblock %}\n', encoding="utf-8")
    capsys.readouterr()
    started = time.monotonic()
    status = main(["--basedir", str(base), "notices", "render", "2", "--kind", "reminder", "--lang", "en", "--draft",
                   "--out", str(tmp_path / "out")])
    said = capsys.readouterr()
    assert time.monotonic() - started < 60
    assert status == 2 and len(said.err.strip().splitlines()) == 1, said.err
    assert said.err.startswith("maintdesk: error: template en/reminder.html.j2, line 3: took longer than 5 s")
    assert "user template" in said.err
