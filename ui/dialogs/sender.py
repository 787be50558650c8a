"""Add or edit a sender: the letterhead, paper and signer a building's letters and emails come from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from maintdesk.errors import Problem, ValidationError
from maintdesk.records.models import LANGUAGES, SenderProfile
from maintdesk.records.store import Store
from ui.labels import LANGUAGE_LABELS
from ui.widgets.forms import FormDialog

WINDOW_LAYOUT_LABELS = {
    "din5008": "A4, window on the left (DIN 5008)",
    "nf-z11-001": "A4, window on the right (French NF Z 11-001)",
    "us-10": "US Letter, #10 window envelope",
    "canada": "Letter, Canadian #10 window envelope",
}
TIME_FORMAT_LABELS = {  # French and German letters keep their own 24-hour forms ("14 h 30", "14:30 Uhr")
    "locale": "As the letter's language and country write it",
    "24h": "24-hour clock in English and Spanish letters (14:30)",
    "12h": "12-hour clock in English and Spanish letters (2:30 p.m.)",
}
LINE_FIELDS = (  # (field, label, placeholder)
    ("label", "Sender name in MaintDesk", "e.g. Paris office"),
    ("name", "Name on the letterhead", "Horizon Gestion Immobilière"),
    ("phone", "Phone", "with the country code: +33 1 40 21 35 00"),
    ("email", "Email", ""),
    ("website", "Website", ""),
    ("signer_name", "Letters signed by", ""),
    ("email_from", "Send emails from", "else the email above"),
    ("reply_to", "Replies go to", ""),
)


class SenderDialog(FormDialog):
    def __init__(self, store: Store, sender: SenderProfile | None = None, parent: QWidget | None = None):
        editing = sender is not None and sender.id is not None
        super().__init__("Edit sender" if editing else "Add sender", parent=parent)
        self.save_function = lambda _form: self._save()
        self.store = store
        self.sender = sender or SenderProfile(label="")
        s = self.sender
        for name, label, placeholder in LINE_FIELDS[:2]:
            self.line(name, label, getattr(s, name), placeholder)
        self.text("address", "Address", s.address, lines=3)
        for name, label, placeholder in LINE_FIELDS[2:6]:
            self.line(name, label, getattr(s, name), placeholder)
        for code in LANGUAGES:
            self.line(f"title_{code}", f"Signer's title ({LANGUAGE_LABELS[code]})", s.signer_titles.get(code, ""),
                      "left out of letters in this language when empty")
            self.aliases[f"signer_titles.{code}"] = f"title_{code}"
        for name, label, placeholder in LINE_FIELDS[6:]:
            self.line(name, label, getattr(s, name), placeholder)
        self.logo = QLineEdit(s.logo_path)
        self.logo.setPlaceholderText("MaintDesk's logo")
        browse = QPushButton("Choose…")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._choose_logo)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.logo, 1)
        line.addWidget(browse)
        self.add_field("logo_path", "Logo file", row)
        self.combo("window_layout", "Paper and window", [(text, code) for code, text in WINDOW_LAYOUT_LABELS.items()],
                   s.window_layout)
        self.combo("default_language", "Language of its buildings",
                   [(LANGUAGE_LABELS[code], code) for code in LANGUAGES], s.default_language)
        self.combo("time_format", "Times", [(text, code) for code, text in TIME_FORMAT_LABELS.items()], s.time_format)
        self.setMinimumWidth(560)

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Logo for the letterhead", str(Path.home()),
                                              "Images (*.png *.jpg *.jpeg *.svg)")
        if path:
            self.logo.setText(path)

    def typed_sender(self) -> SenderProfile:
        names = ("label", "name", "address", "phone", "email", "website", "signer_name", "email_from", "reply_to",
                 "window_layout", "default_language", "time_format")
        titles = {code: self.value(f"title_{code}") for code in LANGUAGES if self.value(f"title_{code}").strip()}
        return replace(self.sender, **{n: self.value(n) for n in names}, signer_titles=titles,
                       logo_path=self.logo.text().strip())

    def _save(self) -> SenderProfile:
        typed = self.typed_sender()
        if typed.logo_path and not Path(typed.logo_path).expanduser().is_file():
            raise ValidationError([Problem("logo_path", f"no file at {typed.logo_path}")])
        self.sender = self.store.save_sender(typed)
        return self.sender
