"""Render assets/logo.svg as the application icon: maintdesk.png (256 px) and maintdesk.ico.

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py assets/logo.svg build/icon
"""

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer


def render(svg: Path, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main(svg: str, folder: str) -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs one
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    if not render(Path(svg), 256).save(str(out / "maintdesk.png")):
        raise SystemExit(f"could not write {out / 'maintdesk.png'}")
    render(Path(svg), 256).save(str(out / "maintdesk.ico"))  # Windows; Qt's ico plugin, when present
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
