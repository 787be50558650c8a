"""A PDF worker kept warm between batches: the next batch uses it, an edited stylesheet does not."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from pypdf import PdfReader

from maintdesk.letters import pdf
from maintdesk.letters.pdf import pool

LETTER = "<html lang='en'><body><p>Dear Zoé Lefèvre, the boiler is serviced on Tuesday.</p></body></html>"


def options(tmp_path: Path) -> dict:
    css = tmp_path / "letter.css"
    if not css.exists():
        css.write_text("body { font: 11pt 'DejaVu Sans', sans-serif; }", encoding="utf-8")
    return {"resource_roots": [tmp_path], "base_url": tmp_path, "stylesheets": [css]}


def waiting(tmp_path: Path) -> list:
    return pool._warm.get(pool.config_key(pdf.batch.renderer_config(**options(tmp_path))), [])


def test_a_batch_uses_the_warm_worker_and_gives_it_back(tmp_path):
    pdf.keep_warm(**options(tmp_path), sample=LETTER)
    try:
        [warm] = waiting(tmp_path)
        pid = warm.process.pid
        letter = pdf.render_one(pdf.LetterJob(LETTER, "one.pdf"), tmp_path / "out", **options(tmp_path))
        assert "the boiler is serviced" in PdfReader(letter.path).pages[0].extract_text()
        [back] = waiting(tmp_path)
        assert back.process.pid == pid and back.process.is_alive()  # the same process, kept for the next one

        again = pdf.render_one(pdf.LetterJob(LETTER, "two.pdf"), tmp_path / "out", **options(tmp_path))
        assert "the boiler is serviced" in PdfReader(again.path).pages[0].extract_text()
        assert waiting(tmp_path)[0].process.pid == pid
    finally:
        for worker in waiting(tmp_path):
            worker.process.kill()
        pool._warm.clear()


def test_an_edited_stylesheet_is_not_served_by_the_worker_that_parsed_the_old_one(tmp_path):
    pdf.keep_warm(**options(tmp_path))
    try:
        [warm] = waiting(tmp_path)
        time.sleep(0.01)
        (tmp_path / "letter.css").write_text("body { font: 30pt 'DejaVu Sans', sans-serif; }", encoding="utf-8")
        assert waiting(tmp_path) == []  # a new key: the old worker is not taken
        letter = pdf.render_one(pdf.LetterJob(LETTER, "big.pdf"), tmp_path / "out", **options(tmp_path))
        assert warm.process.is_alive()  # it was not used
        assert letter.pages == 1
    finally:
        for workers in pool._warm.values():
            for worker in workers:
                worker.process.kill()
        pool._warm.clear()
        shutil.rmtree(tmp_path / "out", ignore_errors=True)


def test_without_keep_warm_no_worker_outlives_its_batch(tmp_path):
    pdf.render_one(pdf.LetterJob(LETTER, "one.pdf"), tmp_path / "out", **options(tmp_path))
    assert pool._warm == {}
