"""Settings for the channels beyond paper and email: the SMS provider (its token in the keyring) with a
test SMS, the office mailbox read for bounces and replies (IMAP), and each building's quiet hours."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from maintdesk.channels import sms_settings
from maintdesk.channels.sms_text import compose, count_segments
from maintdesk.channels.trial_sms import send_test_sms
from maintdesk.errors import UserFacingError
from maintdesk.mail import mailbox
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from ui.messages import show_crash
from ui.tasks.runner import Task, start


def _buttons(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def _status() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    return label


class SmsSettingsBox(QGroupBox):
    """The SMS provider: Twilio's REST shape (or a compatible service at another address)."""

    def __init__(self, store: Store, paths: AppPaths, parent: QWidget | None = None):
        super().__init__("SMS provider", parent)
        self.store, self.paths = store, paths
        self.task: Task | None = None
        form = QFormLayout(self)
        self.provider = QComboBox()
        self.provider.addItem("Twilio (REST API)", "twilio")
        self.base_url = QLineEdit(sms_settings.DEFAULT_URL)
        self.account = QLineEdit()
        self.account.setPlaceholderText("AC…  (the account SID)")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("kept in the system keyring, never in the database")
        self.sender = QLineEdit()
        self.sender.setPlaceholderText("+33756000001 or a sender name (at most 11 letters)")
        self.test_to = QLineEdit()
        self.test_to.setPlaceholderText("+33612345678")
        self.test_language = QComboBox()
        for label, code in (("English", "en"), ("French", "fr"), ("German", "de"), ("Spanish", "es")):
            self.test_language.addItem(label, code)
        self.test_language.currentIndexChanged.connect(self._count)
        self.segments = QLabel()
        self.segments.setObjectName("pageHint")
        self.save_button = QPushButton("Save provider")
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton("Send test SMS")
        self.test_button.clicked.connect(self.send_test)
        self.status = _status()
        for label, widget in (("Provider:", self.provider), ("Address:", self.base_url), ("Account SID:", self.account),
                              ("Auth token:", self.token), ("Sender:", self.sender), ("Send a test to:", self.test_to),
                              ("In:", self.test_language), ("Test text:", self.segments)):
            form.addRow(label, widget)
        form.addRow(_buttons(self.save_button, self.test_button))
        form.addRow(self.status)
        self._count()

    def refresh(self) -> None:
        try:
            saved = sms_settings.load(self.paths)
        except UserFacingError as exc:
            self.status.setText(exc.summary)
            return
        if saved is not None:
            self.base_url.setText(saved.base_url)
            self.account.setText(saved.account)
            self.sender.setText(saved.sender)

    def _org(self) -> str:
        return self.store.get_organization().name or "MaintDesk"

    def _count(self) -> None:
        """The test text's length and encoding, shown before it is sent."""
        text = compose("test", self.test_language.currentData(), org=self._org())
        self.segments.setText(count_segments(text).text)
        self.segments.setToolTip(text)

    def settings(self) -> sms_settings.SmsSettings:
        return sms_settings.check(sms_settings.SmsSettings(
            account=self.account.text(), sender=self.sender.text(), provider=self.provider.currentData(),
            base_url=self.base_url.text()))

    def save(self) -> sms_settings.SmsSettings | None:
        try:
            settings = self.settings()
            sms_settings.save(self.paths, settings)
        except UserFacingError as exc:
            self.status.setText(exc.summary)
            return None
        kept = ""
        if self.token.text():
            kept = (" The token is in the system keyring." if sms_settings.remember_token(settings, self.token.text())
                    else " This system has no keyring: the token is used for this session only.")
        self.status.setText(f"Saved: {settings.host}, sender {settings.sender}.{kept}")
        return settings

    def send_test(self) -> None:
        settings = self.save()
        if settings is None:
            return
        try:
            provider = sms_settings.provider_for(settings, self.token.text() or None)
        except UserFacingError as exc:
            self.status.setText(exc.summary)
            return
        to, language, org = self.test_to.text(), self.test_language.currentData(), self._org()

        def work():
            yield send_test_sms(provider, to, org=org, language=language)

        self.task = Task(work, lambda event: isinstance(event, str))
        self.task.signals.finished.connect(lambda reply: self._tested(reply[0].upper() + reply[1:] + "."))
        self.task.signals.failed.connect(lambda error: self._tested(error.summary))
        self.task.signals.crashed.connect(lambda report: (self._tested("The test failed."), show_crash(self, report)))
        self.test_button.setEnabled(False)
        self.status.setText(f"Sending a test SMS through {settings.host}…")
        start(self.task)

    def _tested(self, text: str) -> None:
        self.task = None
        self.test_button.setEnabled(True)
        self.status.setText(text)


class MailboxSettingsBox(QGroupBox):
    """The office mailbox that receives bounces and replies (read only, over IMAP)."""

    def __init__(self, paths: AppPaths, parent: QWidget | None = None):
        super().__init__("Office mailbox (IMAP): bounces and replies", parent)
        self.paths = paths
        form = QFormLayout(self)
        self.host = QLineEdit()
        self.host.setPlaceholderText("imap.example.org")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(993)
        self.security = QComboBox()
        for label, value in (("TLS (port 993)", "ssl"), ("STARTTLS (port 143)", "starttls"), ("None (this computer only)", "none")):
            self.security.addItem(label, value)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keyring, never in the database")
        self.folder = QLineEdit("INBOX")
        self.save_button = QPushButton("Save mailbox")
        self.save_button.clicked.connect(self.save)
        self.status = _status()
        for label, widget in (("Server:", self.host), ("Port:", self.port), ("Security:", self.security),
                              ("User name:", self.username), ("Password:", self.password), ("Folder:", self.folder)):
            form.addRow(label, widget)
        form.addRow(_buttons(self.save_button))
        form.addRow(self.status)

    def refresh(self) -> None:
        try:
            saved = mailbox.load(self.paths)
        except UserFacingError as exc:
            self.status.setText(exc.summary)
            return
        if saved is not None:
            self.host.setText(saved.host)
            self.port.setValue(saved.port)
            self.security.setCurrentIndex(max(0, self.security.findData(saved.security)))
            self.username.setText(saved.username)
            self.folder.setText(saved.folder)

    def save(self) -> mailbox.ImapSettings | None:
        try:
            settings = mailbox.check(mailbox.ImapSettings(
                host=self.host.text(), username=self.username.text(), port=self.port.value(),
                security=self.security.currentData(), folder=self.folder.text()))
            mailbox.save(self.paths, settings)
        except UserFacingError as exc:
            self.status.setText(exc.summary)
            return None
        kept = ""
        if self.password.text():
            kept = (" The password is in the system keyring." if mailbox.remember_password(settings, self.password.text())
                    else " This system has no keyring: the password is used for this session only.")
        self.status.setText(f"Saved: {settings.username} at {settings.where}, folder {settings.folder}. "
                            f"Today reads it with “Read mailbox”.{kept}")
        return settings


class QuietHoursBox(QGroupBox):
    """No SMS at night except for emergencies: each building's quiet hours, in its own time zone."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__("Quiet hours: no SMS at night except emergencies", parent)
        self.store = store
        form = QFormLayout(self)
        self.building = QComboBox()
        self.building.currentIndexChanged.connect(self._show)
        self.enabled = QCheckBox("Hold SMS during these hours (in the building's time zone)")
        self.start = QTimeEdit()
        self.end = QTimeEdit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        self.save_button = QPushButton("Save quiet hours")
        self.save_button.clicked.connect(self.save)
        self.status = _status()
        form.addRow("Building:", self.building)
        form.addRow(self.enabled)
        form.addRow("From:", self.start)
        form.addRow("Until:", self.end)
        form.addRow(_buttons(self.save_button))
        form.addRow(self.status)

    def refresh(self) -> None:
        chosen = self.building.currentData()
        self.building.blockSignals(True)
        self.building.clear()
        for prop in self.store.list_properties():
            self.building.addItem(f"{prop.name} ({prop.timezone})", prop.id)
        self.building.setCurrentIndex(max(0, self.building.findData(chosen)))
        self.building.blockSignals(False)
        self._show()

    def _show(self) -> None:
        prop_id = self.building.currentData()
        self.save_button.setEnabled(prop_id is not None)
        if prop_id is None:
            return
        prop = self.store.get_property(prop_id)
        self.enabled.setChecked(bool(prop.quiet_start))
        self.start.setTime(QTime.fromString(prop.quiet_start or "21:00", "HH:mm"))
        self.end.setTime(QTime.fromString(prop.quiet_end or "08:00", "HH:mm"))

    def save(self) -> bool:
        prop_id = self.building.currentData()
        if prop_id is None:
            return False
        prop = self.store.get_property(prop_id)
        on = self.enabled.isChecked()
        start, end = self.start.time().toString("HH:mm"), self.end.time().toString("HH:mm")
        try:
            self.store.save_property(replace(prop, quiet_start=start if on else "", quiet_end=end if on else ""))
        except UserFacingError as exc:
            self.status.setText(exc.summary)
            return False
        self.status.setText(f"Saved: no SMS at {prop.name} from {start} until {end}, except emergencies." if on
                            else f"Saved: {prop.name} has no quiet hours; SMS go at any time.")
        return True
