"""Printing a PDF: each page rendered at the printer's resolution onto the page."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget


def print_pdf(parent: QWidget, document: QPdfDocument) -> bool:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFromTo(1, document.pageCount())
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    return paint_pages(printer, document)


def paint_pages(printer: QPrinter, document: QPdfDocument) -> bool:
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        first = max(1, printer.fromPage() or 1)
        last = min(document.pageCount(), printer.toPage() or document.pageCount())
        for number in range(first, last + 1):
            if number > first:
                printer.newPage()
            target = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
            size = document.pagePointSize(number - 1).scaled(
                target.size().toSizeF(), Qt.AspectRatioMode.KeepAspectRatio).toSize()
            image = document.render(number - 1, QSize(size.width(), size.height()))
            painter.drawImage(QRect(0, 0, size.width(), size.height()), image)
    finally:
        painter.end()
    return True
