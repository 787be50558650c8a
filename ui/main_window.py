"""The main window: navigation on the left, the page on the right, a status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QPushButton, QStackedWidget,
    QVBoxLayout, QWidget,
)

from maintdesk import __version__
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from ui.dialogs.connect_server import ConnectDialog
from ui.pages.list_page import ListPage
from ui.pages.properties import PropertiesPage
from ui.pages.records import RecordsPage
from ui.pages.tenants import TenantsPage
from ui.pages.settings import SettingsPage
from ui.pages.templates import TemplatesPage
from ui.pages.today import TodayPage
from ui.pages.work import WorkPage
from ui.server_watch import ServerWatch

NAVIGATION = ("Today", "Properties", "Tenants", "Work", "Outbox & records", "Templates", "Settings")


class MainWindow(QMainWindow):
    # "Start my own database" on the demo's banner: the application closes this window and its
    # database, sets the demo aside and opens an empty database in its place.
    own_database_requested = Signal()
    # "Connect to an office database…" succeeded: the application opens this store in a new window.
    server_opened = Signal(object)

    def __init__(self, store: Store, paths: AppPaths, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        server = getattr(store.db, "location", None)  # an office's server: its address, without the password
        where = server.shown if server is not None else db_path.name
        group = getattr(store.db, "group", None)
        if group:  # who is signed in, and as what: the server enforces what the role may do
            where = f"{store.db.role} ({group}) · {where}"
        self.setWindowTitle(f"MaintDesk — {where}")
        self.setMinimumSize(QSize(900, 560))
        language = store.get_organization().default_language

        self.pages: dict[str, QWidget] = {
            "Today": TodayPage(store, paths, language),
            "Properties": PropertiesPage(store),
            "Tenants": TenantsPage(store),
            "Work": WorkPage(store, paths, language),
            "Outbox & records": RecordsPage(store, db_path, paths),
            "Templates": TemplatesPage(paths),
            "Settings": SettingsPage(store, paths, db_path),
        }
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(190)
        self.stack = QStackedWidget()
        for name in NAVIGATION:
            QListWidgetItem(name, self.navigation)
            self.stack.addWidget(self.pages[name])
        self.navigation.currentRowChanged.connect(self._show_page)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.read_only_banner = QLabel(
            f"Read-only: {db_path} cannot be written (the file or its folder). You can read, print and export; "
            "changes and issuing are refused. Open a copy you may write to work on it.")
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet("background: #fff3cd; color: #664d03; padding: 6px 10px;")
        self.read_only_banner.setVisible(store.read_only)
        outer.addWidget(self.read_only_banner)
        self.demo_banner = self._demo_banner(store.get_organization().demo and not store.read_only)
        outer.addWidget(self.demo_banner)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)
        if store.read_only:
            self.setWindowTitle(f"MaintDesk — {where} (read-only)")
        elif not self.demo_banner.isHidden():
            self.setWindowTitle(f"MaintDesk — {where} (demo data)")
        self._build_menus()
        self._restore_geometry()
        self.navigation.setCurrentRow(0)
        self.show_counts()
        self.watch = ServerWatch.for_store(store, self)
        if self.watch is not None:
            self.watch.changed.connect(self._changed_elsewhere)
            self.watch.lost.connect(lambda: self.statusBar().showMessage(
                "The connection to the office database was lost: other desks' changes are no longer shown; "
                "use File → Refresh or open it again"))

    def _demo_banner(self, shown: bool) -> QWidget:
        banner = QWidget()
        banner.setObjectName("demoBanner")
        banner.setStyleSheet("#demoBanner { background: #e7f1ff; } QLabel { color: #0a3a73; }")
        row = QHBoxLayout(banner)
        row.setContentsMargins(10, 5, 10, 5)
        text = QLabel("Demo data: these buildings, tenants and work orders are made up, to try MaintDesk. "
                      "Nothing here is sent to anyone unless you set up email.")
        text.setWordWrap(True)
        self.own_database_button = QPushButton("Start my own database…")
        self.own_database_button.clicked.connect(self.start_own_database)
        row.addWidget(text, 1)
        row.addWidget(self.own_database_button)
        banner.setVisible(shown)
        return banner

    def start_own_database(self) -> bool:
        answer = QMessageBox.question(
            self, "Start my own database",
            "MaintDesk keeps the demo as demo.sqlite in the same folder (open it later with --db) and opens a "
            "new, empty database in its place, where you add your own buildings. Continue?")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.own_database_requested.emit()
        return True

    def show_counts(self) -> None:
        counts = self.store.counts()
        self.statusBar().showMessage(
            f"{counts['properties']} properties · {counts['tenants']:,} tenants · "
            f"{counts['work_orders']} work orders · {counts['notices']} notices issued"
        )

    def current_page_name(self) -> str:
        return NAVIGATION[self.navigation.currentRow()]

    def show_page(self, name: str) -> None:
        self.navigation.setCurrentRow(NAVIGATION.index(name))

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        page = self.pages[NAVIGATION[row]]
        if hasattr(page, "refresh"):
            page.refresh()
        self.stack.setCurrentWidget(page)
        self.show_counts()

    def _changed_elsewhere(self, tables: set[str]) -> None:
        """Another desk changed the records: the page shown is read again."""
        self._show_page(self.navigation.currentRow())
        self.statusBar().showMessage(self.statusBar().currentMessage() + " · updated with another desk's changes")

    def connect_to_server(self) -> bool:
        dialog = ConnectDialog(self)
        if dialog.exec() != ConnectDialog.DialogCode.Accepted or dialog.store is None:
            return False
        self.server_opened.emit(dialog.store)
        return True

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.connect_action = QAction("&Connect to an office database…", self)
        self.connect_action.triggered.connect(self.connect_to_server)
        file_menu.addAction(self.connect_action)
        file_menu.addSeparator()
        refresh = QAction("&Refresh", self, shortcut=QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.triggered.connect(lambda: self._show_page(self.navigation.currentRow()))
        quit_action = QAction("&Quit", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addActions([refresh, quit_action])

        letters = QAction("&Letters for the selected work order…", self, shortcut=QKeySequence("Ctrl+P"))
        letters.triggered.connect(self._open_letters)
        file_menu.insertAction(quit_action, letters)
        file_menu.insertSeparator(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        find = QAction("&Find…", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(self._focus_search)
        edit_menu.addAction(find)

        go_menu = self.menuBar().addMenu("&Go")
        for number, name in enumerate(NAVIGATION, start=1):
            action = QAction(name, self, shortcut=QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda checked=False, n=name: self.show_page(n))
            go_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About MaintDesk", self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, "About MaintDesk",
            f"MaintDesk {__version__}\nPlan maintenance work and issue the notices every tenant must get.",
        ))
        help_menu.addAction(about)

    def _open_letters(self) -> None:
        self.show_page("Work")
        self.pages["Work"].open_letters()

    def _focus_search(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, TodayPage):
            page = page.upcoming
        if isinstance(page, ListPage):
            page.focus_search()

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 720)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.watch is not None:
            self.watch.close()
            self.watch = None
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
