"""Typography per language: French spaces that do not break, "8 h 30", read back from real PDFs."""

from __future__ import annotations

import email
import io
import re
from datetime import datetime, timezone
from email import policy
from pathlib import Path

from pypdf import PdfReader

from maintdesk.cli.app import main
from maintdesk.letters.localize import Localizer
from maintdesk.letters.typography import NARROW_NBSP, NBSP, typeset_html, typeset_text

BREAKABLE_BEFORE_SIGN = re.compile(r"[^\s] [:;!?»]")   # an ordinary space before a French high sign


def test_french_spaces_go_into_text_and_never_into_markup():
    page = ('<style>a:hover { color: red; }</style><p class="a:b" title="x : y">Quand : de 7 h à 22 h ; '
            "durée : 35 minutes ! Voir https://example.org/a?b=c « Avis » Accès: 1 000 logements, 08:30</p>")
    out = typeset_html(page, "fr")
    assert '<style>a:hover { color: red; }</style><p class="a:b" title="x : y">' in out
    assert f"Quand{NBSP}: de 7{NBSP}h à 22{NBSP}h{NARROW_NBSP}; durée{NBSP}: 35{NBSP}minutes{NARROW_NBSP}!" in out
    assert "https://example.org/a?b=c" in out and f"«{NARROW_NBSP}Avis{NARROW_NBSP}»" in out
    assert f"Accès{NBSP}: 1{NARROW_NBSP}000{NBSP}logements, 08:30" in out
    assert typeset_html(page, "en") == page   # English is left as written
    # Character references stay whole; an element in another language keeps its own typography.
    assert typeset_html("<p>Léa &amp; Co ; d&#39;eau : x</p>", "fr") == f"<p>Léa &amp; Co{NARROW_NBSP}; d&#39;eau{NBSP}: x</p>"
    assert typeset_html('<p>A : b</p><div lang="en"><p>Note: done</p><br></div><p>c ; d</p>', "fr") == (
        f'<p>A{NBSP}: b</p><div lang="en"><p>Note: done</p><br></div><p>c{NARROW_NBSP}; d</p>')
    assert typeset_text("Pourquoi: travaux\nDurée : 35 minutes?", "fr") == (
        f"Pourquoi{NBSP}: travaux\nDurée{NBSP}: 35{NBSP}minutes{NARROW_NBSP}?")


def test_an_element_marked_french_gets_french_spaces_even_on_an_english_page():
    page = ('<html lang="en"><body><div class="columns"><section lang="en"><h2>When: 9:00</h2><p>Note ; done!</p></section>'
            '<section lang="fr-CA"><h2>Quand : 9 h</h2><ol><li>Durée: 35 minutes ; merci !</li></ol>'
            '<p lang="en">Keep: as is</p><p>Voir « ceci »</p></section></div><p>Back: English</p></body></html>')
    out = typeset_html(page, "en")
    assert '<section lang="en"><h2>When: 9:00</h2><p>Note ; done!</p></section>' in out
    assert f"<h2>Quand{NBSP}: 9{NBSP}h</h2><ol><li>Durée{NBSP}: 35{NBSP}minutes{NARROW_NBSP}; merci{NARROW_NBSP}!</li></ol>" in out
    assert '<p lang="en">Keep: as is</p>' in out and f"Voir «{NARROW_NBSP}ceci{NARROW_NBSP}»" in out
    assert "<p>Back: English</p>" in out   # the French section has closed: English again
    assert typeset_html(page.replace('lang="fr-CA"', 'lang="en"'), "en") == page.replace('lang="fr-CA"', 'lang="en"')


def test_french_times_read_8_h_30_in_france_and_in_quebec():
    morning = datetime(2026, 6, 2, 6, 30, tzinfo=timezone.utc)   # 8:30 in Paris, 2:30 in Montreal
    assert Localizer("fr", "FR", "Europe/Paris").time(morning) == f"8{NBSP}h{NBSP}30"
    assert Localizer("fr", "CA", "America/Toronto").time(morning) == f"2{NBSP}h{NBSP}30"
    assert Localizer("fr", "FR", "Europe/Paris").time(morning.replace(minute=0)) == f"8{NBSP}h"
    assert Localizer("en", "CA", "America/Toronto").time(morning) in ("2:30 a.m.", f"2:30{NARROW_NBSP}a.m.")


def test_a_french_letter_and_its_email_keep_their_signs_with_their_words(tmp_path: Path):
    db = str(tmp_path / "demo.sqlite")
    assert main(["--db", db, "init", "--demo"], out=io.StringIO()) == 0
    out = tmp_path / "letters"
    assert main(["--db", db, "notices", "render", "1", "--kind", "initial", "--draft", "--out", str(out)], out=io.StringIO()) == 0
    french = [p for p in sorted(out.glob("*.pdf")) if not p.name.endswith("-all.pdf")]
    texts = {p.name: "\n".join(page.extract_text() for page in PdfReader(p).pages) for p in french}
    french_texts = [t for t in texts.values() if "Madame" in t or "Monsieur" in t]
    assert french_texts, list(texts)
    for text in french_texts:
        assert not BREAKABLE_BEFORE_SIGN.search(text), BREAKABLE_BEFORE_SIGN.search(text).group(0)
        assert re.search(rf"\d{NBSP}h({NBSP}\d\d)?\b", text), "no French time like 8 h 30"
        assert not re.search(r"\b\d\d:\d\d\b", text), "a time written 08:30 in a French letter"
    eml = tmp_path / "eml"
    assert main(["--db", db, "notices", "email", "1", "--kind", "initial", "--eml-dir", str(eml)], out=io.StringIO()) == 0
    checked = 0
    for path in sorted(eml.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        text = message.get_body(("plain",)).get_content()
        if "Madame" in text or "Monsieur" in text:
            checked += 1
            for part in (text, str(message["Subject"])):
                assert not BREAKABLE_BEFORE_SIGN.search(part), BREAKABLE_BEFORE_SIGN.search(part).group(0)
    assert checked > 0
