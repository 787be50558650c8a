"""Run as a script on an X display: save the whole screen as a PNG and print how many different
colours a grid of points over it has (a blank screen has one)."""

import sys

from PySide6.QtGui import QGuiApplication


def main(path: str) -> int:
    app = QGuiApplication([sys.argv[0]])
    image = app.primaryScreen().grabWindow(0).toImage()
    image.save(path)
    step = 8
    colours = {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    print(len(colours))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
