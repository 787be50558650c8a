"""Templates: the Jinja2 source beside a live preview on sample data; errors show their line.

Saving writes the user's own copy in the data folder (it overrides the built-in one); "Revert to
built-in" removes that copy. Nothing is saved that does not render.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QTextCursor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from maintdesk.letters import pdf
from maintdesk.letters.issuing import letter_render_options
from maintdesk.letters.context import notice_context
from maintdesk.letters.samples import sample_facts
from maintdesk.letters.templates import LetterTemplates, TemplateError, template_name
from maintdesk.paths import AppPaths
from ui.messages import show_crash
from ui.tasks.runner import Task, start
from ui.scratch import scratch_dir


def preview_target(name: str) -> tuple[str, str, str]:
    """(language, kind, scope) of the notice that shows this template: itself for a kind template,
    else the initial notice of its language (layouts and parts appear in every notice)."""
    language = name.split("/", 1)[0] if name[:3] in ("en/", "fr/") else "en"
    stem = Path(name).name.removesuffix(".html.j2")
    if stem in ("initial-unit", "initial-building"):
        return language, "initial", "building" if stem == "initial-building" else "units"
    if not stem.startswith("_") and "/" in name and name[:3] in ("en/", "fr/"):
        return language, stem, "units"
    return language, "initial", "units"


class TemplatesPage(QWidget):
    def __init__(self, paths: AppPaths, parent: QWidget | None = None):
        super().__init__(parent)
        self.paths = paths
        self.names = QListWidget()
        self.names.setMaximumWidth(260)
        self.names.currentTextChanged.connect(self.open_template)
        self.origin = QLabel()
        self.origin.setObjectName("pageHint")
        self.editor = QPlainTextEdit()
        self.editor.setFont(QFont("DejaVu Sans Mono", 9))
        self.editor.textChanged.connect(lambda: self.timer.start())
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a11d1d;")
        self.save_button = QPushButton("Save as my template")
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save)
        self.revert_button = QPushButton("Revert to built-in")
        self.revert_button.clicked.connect(self.revert)
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.timer = QTimer(self, singleShot=True, interval=700)
        self.timer.timeout.connect(self.preview)
        self.task: Task | None = None
        self.preview_dir = scratch_dir("preview", owner=self)
        self.current = ""

        heading = QLabel("Letter templates")
        heading.setObjectName("pageTitle")
        buttons = QHBoxLayout()
        buttons.addWidget(self.origin, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addLayout(buttons)
        left_column.addWidget(self.editor, 1)
        left_column.addWidget(self.error)
        split = QSplitter()
        split.addWidget(self.names)
        split.addWidget(left)
        split.addWidget(self.view)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(heading)
        layout.addWidget(split, 1)

    def templates(self, drafts: dict[str, str] | None = None) -> LetterTemplates:
        return LetterTemplates(self.paths.templates_dir, self.paths.user_templates_dir, drafts)

    def refresh(self) -> None:
        if self.names.count():
            return
        root = self.paths.templates_dir
        for path in sorted(root.rglob("*.j2")):
            self.names.addItem(str(path.relative_to(root)))
        self.names.setCurrentRow(0)

    def open_template(self, name: str) -> None:
        if not name:
            return
        self.current = name
        templates = self.templates()
        self.editor.blockSignals(True)
        self.editor.setPlainText(templates.source(name))
        self.editor.blockSignals(False)
        self._show_origin(templates)
        self.preview()

    def _show_origin(self, templates: LetterTemplates) -> None:
        mine = templates.origin(self.current) == "user"
        self.origin.setText("Your own version (overrides the built-in one)" if mine else "Built-in template")
        self.revert_button.setEnabled(mine)

    def render(self) -> tuple[str, TemplateError | None]:
        """The preview's HTML with the text being edited, or the template error."""
        language, kind, scope = preview_target(self.current)
        templates = self.templates({self.current: self.editor.toPlainText()})
        try:
            if self.current == "crew-sheet.html.j2" or self.current.startswith(("proof-of-notice", "poster")):
                templates.env.get_template(self.current)  # stand-alone: the syntax is what can be checked here
                return "", None
            notice = templates.render(template_name(kind, language, scope), notice_context(sample_facts(language, kind, scope)))
            return notice.letter_html, None
        except TemplateError as exc:
            return "", exc

    def preview(self) -> None:
        html, error = self.render()
        self.save_button.setEnabled(error is None)
        if error is not None:
            self.error.setText(error.summary)
            if error.line and error.template == self.current:
                block = self.editor.document().findBlockByLineNumber(error.line - 1)
                cursor = QTextCursor(block)
                cursor.select(QTextCursor.SelectionType.LineUnderCursor)
                self.editor.setTextCursor(cursor)
            return
        self.error.setText("")
        if not html or self.task is not None:
            return
        job = pdf.LetterJob(html, "preview.pdf")
        paths = self.paths

        def work():
            yield pdf.render_one(job, self.preview_dir, **letter_render_options(paths))

        self.task = Task(work, lambda event: isinstance(event, pdf.RenderedLetter))
        self.task.signals.finished.connect(self._previewed)
        self.task.signals.failed.connect(lambda exc: self._preview_done(exc.summary))
        self.task.signals.crashed.connect(lambda report: (self._preview_done(""), show_crash(self, report)))
        start(self.task)

    def _preview_done(self, message: str) -> None:
        self.task = None
        if message:
            self.error.setText(message)

    def _previewed(self, letter: pdf.RenderedLetter) -> None:
        self._preview_done("")
        self.document.load(str(letter.path))

    def save(self) -> None:
        html, error = self.render()
        if error is not None:
            self.error.setText(error.summary)
            return
        target = self.paths.user_templates_dir / self.current
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.editor.toPlainText(), encoding="utf-8")
        self._show_origin(self.templates())
        self.error.setText(f"Saved in {target}. New letters use it.")

    def revert(self) -> None:
        (self.paths.user_templates_dir / self.current).unlink(missing_ok=True)
        self.open_template(self.current)
