"""MaintDesk desktop program: python main.py [--db PATH] [--demo] [--basedir DIR]."""

from ui.app import run

if __name__ == "__main__":
    raise SystemExit(run())
