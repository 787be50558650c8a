"""The PDF engine: real WeasyPrint in real worker processes; every PDF is read back with pypdf.

A batch of six letters is rendered once per module and looked at from several sides; the
sandbox, the time limit and the odd templates get their own small batches.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import time
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from maintdesk.errors import UserFacingError
from maintdesk.letters.pdf import (
    BatchResult,
    LetterJob,
    PdfRenderError,
    Progress,
    RenderedLetter,
    default_workers,
    iter_render_batch,
    render_batch,
    render_one,
)

NAMES = ["Léa Lefèvre", "Jérôme Dvořák", "Zoë Ní Bhriain", "Inès Åkesson", "Noël Çelik", "Renée Gonçalves"]
LONG = 2          # this tenant's letter runs over two pages
LARGE_PRINT = 4   # this one has its own styling (another head), so it is laid out apart

STYLE = """
@page a4 { size: A4; margin: 25mm 20mm;
           @bottom-left { content: "Ref. " string(reference); font-size: 9pt; }
           @bottom-right { content: "Page " counter(page) " / " counter(pages); font-size: 9pt; } }
body { margin: 0; font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }
.letter { page: a4; position: relative; display: flow-root; }
.reference { string-set: reference content(); height: 0; overflow: hidden; }
.window { position: absolute; top: 20mm; left: -5mm; width: 85mm; }
.subject { margin-top: 60mm; font-weight: bold; }
"""

PARAGRAPH = ("The annual maintenance of the heating system takes place next week; please make the "
             "radiators and the boiler cupboard easy to reach. ")


def letter(name: str, *, paragraphs: int = 3, extra_style: str = "", body: str = "", head: str = "",
           reference: str | None = None) -> str:
    text = "".join(f"<p>{PARAGRAPH * 3}</p>" for _ in range(paragraphs))
    ref = f'<div class="reference">{reference or "N-" + name[:3]}</div>' if reference != "" else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Notice for {name}</title>'
            f"<style>{STYLE}{extra_style}</style>{head}</head><body><div class=\"letter\">{ref}"
            f'<div class="window">{name}<br>14 rue des Tilleuls<br>75011 Paris</div>'
            f'<div class="subject">Heating maintenance — {name}</div>{text}{body}</div></body></html>')


def make_png(path: Path) -> Path:
    Image.new("RGB", (40, 30), (47, 75, 110)).save(path)
    return path


@pytest.fixture(scope="module")
def roots(tmp_path_factory) -> tuple[Path, Path]:
    """(templates folder, assets folder) with a 40×30 PNG logo."""
    base = tmp_path_factory.mktemp("roots")
    templates, assets = base / "templates", base / "assets"
    templates.mkdir()
    assets.mkdir()
    make_png(assets / "logo.png")
    return templates, assets


def options(roots: tuple[Path, Path], **more) -> dict:
    templates, assets = roots
    return {"resource_roots": [templates, assets], "base_url": templates, **more}


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


# ---------------------------------------------------------------------------------------------
# A batch of six letters
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def batch(roots, tmp_path_factory) -> tuple[list, Path]:
    out = tmp_path_factory.mktemp("batch")
    jobs = []
    for i, name in enumerate(NAMES):
        html = letter(name, paragraphs=14 if i == LONG else 3,
                      extra_style="body { font-size: 13pt; }" if i == LARGE_PRINT else "",
                      body='<img src="../assets/logo.png" alt="">' if i == 0 else "")
        jobs.append(LetterJob(html, f"letter-{i}.pdf"))
    events = list(iter_render_batch(jobs, out, **options(roots)))
    return events, out


def test_a_batch_gives_one_file_per_letter_and_a_merged_file(batch):
    events, out = batch
    result = events[-1]
    assert isinstance(result, BatchResult)
    assert [letter.filename for letter in result.letters] == [f"letter-{i}.pdf" for i in range(6)]
    assert sorted(p.name for p in out.iterdir()) == sorted([f"letter-{i}.pdf" for i in range(6)] + ["all-letters.pdf"])
    for letter in result.letters:
        assert isinstance(letter, RenderedLetter)
        assert letter.path == out / letter.filename
        assert letter.sha256 == hashlib.sha256(letter.path.read_bytes()).hexdigest()
        assert letter.pages == len(PdfReader(letter.path).pages)
    assert [letter.pages for letter in result.letters] == [1, 1, 2, 1, 1, 1]
    assert result.merged_path == out / "all-letters.pdf"
    assert result.merged_pages == len(PdfReader(result.merged_path).pages) == sum(l.pages for l in result.letters)


def font_programs(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return sum(1 for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                   and obj.get("/Type") == "/FontDescriptor")


def test_letters_with_the_same_template_share_one_layout(batch):
    # Letters 0-3 share a head, 4 (large print) and 5 follow apart: three layouts, so the merged
    # file carries three sets of font subsets where six separate layouts would carry six.
    _, out = batch
    per_run = font_programs(out / "letter-5.pdf")
    assert per_run >= 1
    assert font_programs(out / "all-letters.pdf") == 3 * per_run


def test_each_letter_file_holds_its_own_name_and_no_other(batch):
    events, out = batch
    for i, name in enumerate(NAMES):
        text = text_of(out / f"letter-{i}.pdf")
        assert name in text
        assert [other for other in NAMES if other != name and other in text] == []


def test_the_merged_file_holds_every_letter_in_job_order(batch):
    events, out = batch
    text = text_of(out / "all-letters.pdf")
    positions = [text.index(f"Heating maintenance — {name}") for name in NAMES]
    assert positions == sorted(positions)


def test_page_numbers_restart_for_each_letter(batch):
    events, out = batch
    long_letter = page_texts(out / f"letter-{LONG}.pdf")
    assert "Page 1 / 2" in long_letter[0] and "Page 2 / 2" in long_letter[1]
    merged = page_texts(out / "all-letters.pdf")
    assert ["Page 1 / 2" in merged[2], "Page 2 / 2" in merged[3]] == [True, True]
    for index in (0, 1, 4, 5, 6):   # the one-page letters, before and after the long one
        assert "Page 1 / 1" in merged[index], merged[index]


def test_each_footer_shows_its_own_letter_reference(batch):
    _, out = batch
    merged = page_texts(out / "all-letters.pdf")
    owners = [0, 1, 2, 2, 3, 4, 5]
    for page, owner in zip(merged, owners):
        assert f"Ref. N-{NAMES[owner][:3]}" in page


def test_progress_counts_up_to_the_total(batch):
    events, _ = batch
    progress = [event for event in events if isinstance(event, Progress)]
    assert progress[0] == Progress(0, 6)
    assert progress[-1] == Progress(6, 6)
    assert [p.done for p in progress] == sorted(p.done for p in progress)
    assert all(p.total == 6 for p in progress)
    assert isinstance(events[-1], BatchResult) and not any(isinstance(e, BatchResult) for e in events[:-1])


def test_files_are_written_atomically(batch):
    _, out = batch
    assert list(out.glob("*.tmp")) == [] and list(out.glob(".*")) == []


def test_an_asset_under_the_roots_is_embedded(batch):
    _, out = batch
    images = [image for page in PdfReader(out / "letter-0.pdf").pages for image in page.images]
    assert [(image.image.width, image.image.height) for image in images] == [(40, 30)]


# ---------------------------------------------------------------------------------------------
# The sandbox
# ---------------------------------------------------------------------------------------------

def embedded_files(path: Path) -> list[bytes]:
    """The contents of every embedded file, whether in the name tree or in an annotation."""
    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == "/EmbeddedFile":
                found.append(obj.read_bytes())
    return found


def all_decoded_streams(path: Path) -> bytes:
    with pikepdf.open(path) as pdf:
        return b"".join(obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream))


def test_the_fetcher_refuses_everything_outside_the_roots(tmp_path, caplog):
    templates, assets, outside = tmp_path / "templates", tmp_path / "assets", tmp_path / "outside"
    for folder in (templates, assets, outside):
        folder.mkdir()
    make_png(assets / "logo.png")
    (templates / "notes.txt").write_text("ALLOWED-ATTACHMENT-7f3a", encoding="utf-8")
    (outside / "secret.txt").write_text("TOP-SECRET-4d9c2e", encoding="utf-8")
    (outside / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
        '<text x="0" y="20" font-family="DejaVu Sans">SECRET-SVG-81be</text></svg>', encoding="utf-8")
    (templates / "secret-link.txt").symlink_to(outside / "secret.txt")
    (templates / "secret-link.svg").symlink_to(outside / "secret.svg")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    body = f"""
        <img src="file:///etc/passwd">
        <link rel="stylesheet" href="file:///etc/passwd">
        <a rel="attachment" href="file:///etc/passwd">passwd</a>
        <a rel="attachment" href="secret-link.txt">symlinked attachment</a>
        <a rel="attachment" href="../outside/secret.txt">dot-dot attachment</a>
        <img src="secret-link.svg"> <img src="../outside/secret.svg">
        <img src="http://127.0.0.1:{port}/x.png"> <img src="https://127.0.0.1:{port}/y.png">
        <img src="../assets/logo.png">
        <a rel="attachment" href="notes.txt">allowed attachment</a>
        <p style="background: url(file:///etc/hostname)">styled</p>"""
    jobs = [LetterJob(letter("Léa Lefèvre", body=body, head="<style>@import url(file:///etc/passwd);</style>"),
                      "sandbox.pdf"),
            LetterJob(letter("Noël Çelik", body="<p>relative</p>", head='<base href="file:///etc/">'
                             '<link rel="stylesheet" href="passwd">')
                      .replace("<p>relative</p>", '<img src="passwd"><a rel="attachment" href="passwd">x</a>'),
                      "base-trick.pdf")]
    out = tmp_path / "out"
    with caplog.at_level(logging.WARNING, logger="maintdesk.letters.pdf"):
        result = render_batch(jobs, out, resource_roots=[templates, assets], base_url=templates)
    try:
        with pytest.raises(BlockingIOError):
            listener.accept()   # nobody knocked: no network access was even tried
    finally:
        listener.close()
    assert [letter.pages for letter in result.letters] == [1, 1]
    passwd = Path("/etc/passwd").read_bytes()
    for path in [out / "sandbox.pdf", out / "base-trick.pdf", out / "all-letters.pdf"]:
        raw = path.read_bytes() + all_decoded_streams(path)
        for secret in (b"TOP-SECRET-4d9c2e", b"SECRET-SVG-81be", b"root:x:0:0", passwd[:40]):
            assert secret not in raw, (path.name, secret)
        text = text_of(path)
        assert "SECRET" not in text and "root:" not in text
        assert all(b"TOP-SECRET" not in blob and b"root:" not in blob for blob in embedded_files(path))
        assert all(b"root:" not in content for contents in PdfReader(path).attachments.values()
                   for content in contents)
    # What is inside the roots does get in: the logo and the attachment.
    assert [(i.image.width, i.image.height) for i in PdfReader(out / "sandbox.pdf").pages[0].images] == [(40, 30)]
    assert embedded_files(out / "sandbox.pdf") == [b"ALLOWED-ATTACHMENT-7f3a"]
    assert embedded_files(out / "base-trick.pdf") == []
    refused = "\n".join(result.refused)
    for url in ("file:///etc/passwd", "secret-link.txt", "outside/secret.svg", f"http://127.0.0.1:{port}/x.png"):
        assert url in refused
    # Told once for the batch, not once per fetch.
    told = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(told) == 1 and f"refused {len(result.refused)} resources" in told[0] and len(result.refused) >= 8


def test_the_fetcher_checks_the_resolved_path(tmp_path):
    from maintdesk.letters.pdf.fetcher import SandboxedFetcher

    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.css").write_text("p{}", encoding="utf-8")
    (tmp_path / "outside.css").write_text("p{}", encoding="utf-8")
    (root / "escape.css").symlink_to(tmp_path / "outside.css")
    (root / "inner.css").symlink_to(root / "sub" / "a.css")
    fetcher = SandboxedFetcher([root])
    allowed = {
        (root / "sub" / "a.css").as_uri(): True,
        (root / "inner.css").as_uri(): True,                    # a symlink that stays inside
        (root / "sub" / ".." / "sub" / "a.css").as_uri(): True,
        (root / "escape.css").as_uri(): False,                  # a symlink that leads outside
        (root / ".." / "outside.css").as_uri(): False,
        root.as_uri(): False,                                   # a folder
        (root / "missing.css").as_uri(): False,
        "file:///dev/urandom": False,
        "file://otherhost/etc/passwd": False,
    }
    assert {url: fetcher.allowed_path(url) is not None for url in allowed} == allowed
    response = fetcher.fetch((root / "sub" / "a.css").as_uri())
    assert response.read() == b"p{}" and response.content_type == "text/css"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in ("http://example.org/x.png", "ftp://example.org/x", (root / "escape.css").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 3


# ---------------------------------------------------------------------------------------------
# Time limit, odd templates, one letter, names
# ---------------------------------------------------------------------------------------------

def test_a_letter_over_the_time_limit_stops_the_batch_and_is_named(roots, tmp_path):
    # 5,000 forced page breaks: more than 30 s of layout on this machine.
    hostile = letter("Hostile Template", body='<div style="break-after: page">x</div>' * 5000)
    jobs = [LetterJob(letter("Léa Lefèvre"), "fine.pdf"), LetterJob(hostile, "hostile.pdf"),
            LetterJob(letter("Noël Çelik"), "after.pdf")]
    out = tmp_path / "out"
    started = time.monotonic()
    with pytest.raises(PdfRenderError) as caught:
        render_batch(jobs, out, **options(roots, time_limit=1.0))
    elapsed = time.monotonic() - started
    assert isinstance(caught.value, UserFacingError)
    assert "hostile.pdf" in caught.value.summary and "1 s" in caught.value.summary
    assert elapsed < 1.0 * 2 + 6, elapsed   # the chunk's limit, then the letter's own, plus two starts
    assert not (out / "hostile.pdf").exists() and not (out / "all-letters.pdf").exists()
    assert list(out.glob("*.tmp")) == [] and list(out.glob(".*")) == []


def test_a_letter_that_breaks_the_renderer_is_named(roots, tmp_path):
    # 300 nested floats: WeasyPrint raises RecursionError inside the worker.
    broken = letter("Broken Template", body="<div style='float:left'>" * 300 + "x")
    jobs = [LetterJob(letter("Léa Lefèvre"), "fine.pdf"), LetterJob(broken, "broken.pdf")]
    with pytest.raises(PdfRenderError) as caught:
        render_batch(jobs, tmp_path / "out", **options(roots))
    assert "broken.pdf" in caught.value.summary and "RecursionError" in caught.value.summary
    assert not (tmp_path / "out" / "broken.pdf").exists()
    assert list((tmp_path / "out").glob(".*")) == []


def test_unbalanced_markup_cannot_swallow_the_next_letter(roots, tmp_path):
    # An unclosed <div> nests the next letter inside this one in a shared layout; the engine
    # notices and lays these letters out one by one.
    jobs = [LetterJob(letter(name, body="<div><div>unclosed"), f"u{i}.pdf") for i, name in enumerate(NAMES[:3])]
    result = render_batch(jobs, tmp_path / "out", **options(roots))
    assert [letter.pages for letter in result.letters] == [1, 1, 1]
    for i, name in enumerate(NAMES[:3]):
        text = text_of(tmp_path / "out" / f"u{i}.pdf")
        assert name in text and "Page 1 / 1" in text
        assert [other for other in NAMES[:3] if other != name and other in text] == []
    assert result.merged_pages == 3


def test_render_one_writes_just_that_letter(roots, tmp_path):
    out = tmp_path / "out"
    rendered = render_one(LetterJob(letter("Zoë Ní Bhriain"), "zoe.pdf"), out, **options(roots))
    assert rendered.path == out / "zoe.pdf" and rendered.pages == 1
    assert sorted(p.name for p in out.iterdir()) == ["zoe.pdf"]
    assert "Zoë Ní Bhriain" in text_of(rendered.path)
    assert PdfReader(rendered.path).metadata.title == "Notice for Zoë Ní Bhriain"


@pytest.mark.parametrize("names", [["../x.pdf"], ["a.txt"], [".hidden.pdf"], ["a.pdf", "A.pdf"], ["all-letters.pdf"],
                                   ["sub/a.pdf"], [""]])
def test_unsafe_or_clashing_file_names_are_refused(roots, tmp_path, names):
    jobs = [LetterJob(letter("X"), name) for name in names]
    with pytest.raises(ValueError):
        render_batch(jobs, tmp_path / "out", **options(roots))
    assert not (tmp_path / "out").exists()


def test_an_empty_batch_gives_an_empty_result(roots, tmp_path):
    assert render_batch([], tmp_path / "out", **options(roots)) == BatchResult([], None, 0)


def test_small_batches_use_one_process():
    assert default_workers(1) == default_workers(16) == 1
    assert 1 <= default_workers(1000) <= 2


def merged_page_texts(roots, tmp_path, jobs) -> list[list[str]]:
    """Render and return the text of each page of the merged file."""
    result = render_batch(jobs, tmp_path / "out", **options(roots))
    return page_texts(result.merged_path)


def test_first_page_rules_count_within_each_letter(roots, tmp_path):
    # @page :first counts pages of a document: such letters are laid out one by one.
    first = "@page :first { @top-center { content: 'First page of the letter'; font-size: 9pt; } }"
    jobs = [LetterJob(letter(name, paragraphs=14 if i == 1 else 3, extra_style=first), f"f{i}.pdf")
            for i, name in enumerate(NAMES[:3])]
    pages = merged_page_texts(roots, tmp_path, jobs)
    assert ["First page of the letter" in page for page in pages] == [True, True, False, True]
    assert ["Page 1 / 1" in pages[0], "Page 2 / 2" in pages[2], "Page 1 / 1" in pages[3]] == [True] * 3


def test_a_string_set_by_one_letter_never_shows_on_the_next(roots, tmp_path):
    # The second letter sets no reference: in a shared layout its footer would repeat the first one's.
    jobs = [LetterJob(letter("Léa Lefèvre", reference="SECRET-REF-1"), "a.pdf"),
            LetterJob(letter("Noël Çelik", reference=""), "b.pdf"),
            LetterJob(letter("Inès Åkesson", reference="REF-3"), "c.pdf")]
    pages = merged_page_texts(roots, tmp_path, jobs)
    assert ["SECRET-REF-1" in page for page in pages] == [True, False, False]
    assert "SECRET-REF-1" not in text_of(tmp_path / "out" / "b.pdf")


def test_fixed_boxes_never_repeat_on_other_letters(roots, tmp_path):
    fixed = '<div style="position: fixed; bottom: 0">Account of {}</div>'
    jobs = [LetterJob(letter(name, body=fixed.format(name)), f"x{i}.pdf") for i, name in enumerate(NAMES[:3])]
    pages = merged_page_texts(roots, tmp_path, jobs)
    for page, name in zip(pages, NAMES[:3]):
        assert [other for other in NAMES[:3] if f"Account of {other}" in page] == [name]
