"""A PDF in a window, with Print."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.widgets.printing import print_pdf


class PdfPreviewDialog(QDialog):
    def __init__(self, path: Path, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 760)
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        view = QPdfView()
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        printing = QPushButton("Print…")
        printing.clicked.connect(lambda: print_pdf(self, self.document))
        buttons.addButton(printing, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        where = QLabel(str(path))
        where.setObjectName("pageHint")
        layout.addWidget(where)
        layout.addWidget(view, 1)
        layout.addWidget(buttons)
