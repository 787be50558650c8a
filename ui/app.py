"""The composition root: arguments, paths, logging, the application, the database, the window.

Start-up order: crash handler → arguments → paths → logging → can a window open here (else one
sentence and exit code 1) → scratch folders of crashed runs removed → QApplication (garbage
collected on its thread only; SIGTERM quits it cleanly) → database (created with demo records when
none exists yet, or with --demo in a scratch folder) → main window. "Start my own database" on the
demo's banner sets the demo aside and opens an empty database in a new window.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from maintdesk import __version__
from maintdesk.records.demo import create_demo, set_demo_aside
from maintdesk.errors import UserFacingError
from maintdesk.letters.issuing import keep_renderer_warm
from maintdesk.paths import APP_AUTHOR, APP_NAME, AppPaths
from maintdesk.records.location import Location, ServerLocation, database_location, is_url
from maintdesk.records.store import Store
from ui import garbage
from ui.main_window import NAVIGATION, MainWindow
from ui import scratch
from ui.messages import install_crash_handler
from ui.platform_check import window_problem
from ui.style import apply_style

log = logging.getLogger("maintdesk")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="maintdesk-gui", description="MaintDesk desktop program")
    parser.add_argument("--db", metavar="PATH", help="open this database file, or an office's server "
                                                     "(postgresql://user@host/database)")
    parser.add_argument("--demo", action="store_true", help="open a fresh demo database in a temporary folder")
    parser.add_argument("--basedir", metavar="DIR", help="keep all data, settings and logs under DIR")
    parser.add_argument("--verbose", action="store_true", help="also print the log on the terminal")
    parser.add_argument("--screenshots", metavar="DIR",
                        help="save a PNG of every page into DIR (1280×800) and exit")
    return parser.parse_args(argv)


def resolve(args: argparse.Namespace) -> tuple[AppPaths, Path, bool]:
    """The paths, the database file, and whether to fill it with demo records when it is new."""
    if args.demo:
        paths = AppPaths.under(scratch.scratch_dir("demo"))
        return paths, paths.database, True
    paths = AppPaths.under(Path(args.basedir)) if args.basedir else AppPaths.default()
    if args.db:  # an office server's URL is opened in run(); its letters stay in the data folder
        return paths, paths.database if is_url(args.db) else Path(args.db), False
    return paths, paths.database, True


def open_store(db_path: Location, seed_demo: bool) -> Store:
    is_new = isinstance(db_path, Path) and not db_path.exists()
    store = Store.open(db_path, create=True)
    if is_new and seed_demo:
        counts = create_demo(store)
        log.info("created a demo database at %s: %s", db_path, counts)
    return store


def setup_logging(paths: AppPaths, verbose: bool = False) -> None:
    """Everything from INFO up goes to the log file; the terminal gets warnings and errors only,
    unless --verbose."""
    paths.ensure()
    terminal = logging.StreamHandler()
    terminal.setLevel(logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[logging.FileHandler(paths.log_dir / "maintdesk.log", encoding="utf-8"), terminal],
    )


def run(argv: Sequence[str] | None = None) -> int:
    install_crash_handler()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    paths, db_path, seed_demo = resolve(args)
    setup_logging(paths, args.verbose)
    log.info("MaintDesk %s starting; database %s", __version__, db_path)

    problem = window_problem()
    if problem:
        print(problem, file=sys.stderr)
        log.info("no window: %s", problem)  # the log file only: the terminal has the sentence already
        return 1
    scratch.remove_stale()

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    garbage.install(app)
    apply_style(app, paths)
    quit_on_terminate(app)
    try:
        # A URL is never a path: postgresql:// opens the office's server, another scheme is refused.
        location = database_location(args.db) if args.db and not args.demo else db_path
        store = open_store(location, seed_demo)
    except UserFacingError as exc:
        QMessageBox.critical(None, "MaintDesk cannot open the database", exc.summary)
        return 1
    if isinstance(location, ServerLocation):  # this desk's letters and exports stay in its data folder
        db_path = paths.database
    session = Session(paths, store, db_path)
    if not args.screenshots:  # the first draft preview should not wait for a PDF worker to start
        keep_renderer_warm(paths, store.get_organization().default_language)
    try:
        if args.screenshots:
            return save_screenshots(app, session.window, Path(args.screenshots))
        return app.exec()
    finally:
        session.store.close()


class Session:
    """The open database and its window; replaced as a whole when the demo makes way for one's own."""

    def __init__(self, paths: AppPaths, store: Store, db_path: Path):
        self.paths = paths
        self.show(store, db_path)

    def show(self, store: Store, db_path: Path) -> None:
        self.store, self.db_path = store, db_path
        self.window = MainWindow(store, self.paths, db_path)
        self.window.own_database_requested.connect(self.start_own_database)
        self.window.server_opened.connect(self.open_server)
        self.window.show()

    def open_server(self, store: Store) -> None:
        """The office database chosen in the window replaces the database open now; this desk's
        letters and exports stay in its data folder."""
        old = self.window
        self.store.close()
        self.show(store, self.paths.database)
        old.close()
        old.deleteLater()

    def start_own_database(self) -> None:
        old = self.window
        target = self.paths.database
        self.store.close()
        demo = self.db_path
        if target.exists() and target.resolve() == demo.resolve():
            demo = set_demo_aside(target)
            log.info("set the demo database aside as %s", demo)
        try:
            store = open_store(target, seed_demo=False)
        except UserFacingError as exc:
            QMessageBox.critical(old, "MaintDesk cannot open the database", exc.summary)
            store, target = Store.open(demo), demo  # the demo again, wherever it now is
        self.show(store, target)
        old.close()
        old.deleteLater()


def quit_on_terminate(app: QApplication) -> None:
    """SIGTERM (a logout, `kill`) closes the program as Quit does. Python runs signal handlers
    only between bytecodes, so a timer lets the interpreter run while Qt's loop waits."""
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)


def save_screenshots(app: QApplication, window: MainWindow, folder: Path) -> int:
    """One PNG per page of the main window, as a person would see it at 1280×800."""
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(1280, 800)
    for number, name in enumerate(NAVIGATION, start=1):
        window.show_page(name)
        app.processEvents()
        slug = name.lower().replace(" & ", "-").replace(" ", "-")
        path = folder / f"{number:02d}-{slug}.png"
        window.grab().save(str(path))
        log.info("saved %s", path)
    return 0
