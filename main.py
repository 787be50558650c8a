"""MaintDesk desktop program: python main.py [--db PATH] [--demo] [--basedir DIR]."""

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the packaged program starts its PDF workers as itself (spawn)
    # Imported here, not at the top: PDF worker processes start by importing this file, and
    # must not load Qt.
    from ui.app import run

    raise SystemExit(run())
