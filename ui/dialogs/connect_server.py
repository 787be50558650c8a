"""Connect to an office database…: the server, the database, the person's user name and password,
TLS; the password is kept in the system keyring when asked (never in a file). A failure is one
sentence under the fields, and everything typed stays as it was."""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget,
)

from maintdesk.errors import UserFacingError
from maintdesk.records.location import KEYRING_SERVICE, ServerLocation, database_location
from maintdesk.records.store import Store
from maintdesk.secrets import keyring_available, read_secret, store_secret

SSL_MODES = ("prefer", "require", "verify-full", "disable")
LAST_ADDRESS = "office/last_address"


class ConnectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Connect to an office database")
        self.setMinimumWidth(480)
        self.store: Store | None = None
        self.location: ServerLocation | None = None
        self.host = QLineEdit()
        self.host.setPlaceholderText("db.office.example")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("maintdesk")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keyring if asked")
        self.sslmode = QComboBox()
        self.sslmode.addItems(SSL_MODES)
        self.remember = QCheckBox("Keep the password in the system keyring")
        self.remember.setChecked(keyring_available())
        self.remember.setEnabled(keyring_available())
        self.error = QLabel()
        self.error.setObjectName("connectError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        form = QFormLayout(self)
        intro = QLabel("An office's shared database on a PostgreSQL server. Ask the person who manages it for "
                       "the server's name, the database and your user name.")
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow("Server:", self.host)
        form.addRow("Port:", self.port)
        form.addRow("Database:", self.database)
        form.addRow("User name:", self.user)
        form.addRow("Password:", self.password)
        form.addRow("TLS (sslmode):", self.sslmode)
        form.addRow(self.remember)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton("Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.try_connect)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._fill(QSettings().value(LAST_ADDRESS, "", str))

    def _fill(self, address: str) -> None:
        if not address:
            return
        parts = urlsplit(address)
        self.host.setText(parts.hostname or "")
        self.port.setValue(parts.port or 5432)
        self.database.setText(parts.path.strip("/"))
        self.user.setText(parts.username or "")
        mode = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p).get("sslmode", "prefer")
        self.sslmode.setCurrentText(mode if mode in SSL_MODES else "prefer")

    def address(self) -> str:
        """The URL typed, without the password."""
        user = quote(self.user.text().strip())
        host = self.host.text().strip()
        host = f"[{host}]" if ":" in host else host
        query = urlencode({"sslmode": self.sslmode.currentText()})
        return f"postgresql://{user + '@' if user else ''}{host}:{self.port.value()}/" \
               f"{quote(self.database.text().strip())}?{query}"

    def try_connect(self) -> bool:
        """Opens the database; on success keeps the password if asked and accepts, else shows why."""
        self.error.hide()
        if not self.host.text().strip() or not self.database.text().strip() or not self.user.text().strip():
            missing = [name for name, field in (("the server", self.host), ("the database", self.database),
                                                ("your user name", self.user)) if not field.text().strip()]
            return self._fail(f"Give {', '.join(missing)} to connect")
        typed = self.password.text()
        try:
            location = database_location(self.address())
            assert isinstance(location, ServerLocation)
            password = typed or read_secret(KEYRING_SERVICE, location.keyring_user)
            location = ServerLocation(location.url, password=password or None)
            store = Store.open(location, create=False)
        except UserFacingError as exc:
            return self._fail(exc.summary)
        if typed and self.remember.isChecked() and not store_secret(KEYRING_SERVICE, location.keyring_user, typed):
            self.error.setText("This computer has no usable system keyring: the password was not kept; you will "
                               "be asked for it next time")
        QSettings().setValue(LAST_ADDRESS, location.url)
        self.store, self.location = store, location
        self.accept()
        return True

    def _fail(self, sentence: str) -> bool:
        self.error.setText(sentence)
        self.error.show()
        return False
