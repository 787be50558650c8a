"""Settings: the organization, its senders (a letterhead per office), the SMTP server with a test email,
the SMS provider with a test SMS, the office mailbox, and each building's quiet hours."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox,
    QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from maintdesk.mail import settings as mail_settings
from maintdesk.errors import UserFacingError, ValidationError
from maintdesk.i18n import english
from maintdesk.mail.trial_email import send_test_email
from maintdesk.records.models import LANGUAGES, Organization, SenderProfile
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from ui.dialogs.sender import WINDOW_LAYOUT_LABELS, SenderDialog
from ui.labels import LANGUAGE_LABELS
from ui.pages.channel_settings import MailboxSettingsBox, QuietHoursBox, SmsSettingsBox
from ui.messages import show_crash
from ui.tasks.runner import Task, start


class SettingsPage(QScrollArea):
    def __init__(self, store: Store, paths: AppPaths, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.paths, self.db_path = store, paths, db_path
        self.setWidgetResizable(True)
        body = QWidget()
        self.setWidget(body)
        heading = QLabel("Settings")
        heading.setObjectName("pageTitle")
        self.errors: dict[str, QLabel] = {}
        org_box = QGroupBox("Organization")
        org_form = QFormLayout(org_box)
        self.name = QLineEdit()
        org_form.addRow("Name:", self._with_error("name", self.name))
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_LABELS[code], code)
        org_form.addRow("Default language:", self._with_error("default_language", self.language))
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save_organization)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save_organization)
        self.org_status = QLabel()
        org_form.addRow(self.save_button, self.org_status)

        senders_box = QGroupBox("Senders: the letterhead, paper and signer of each building's letters")
        senders_column = QVBoxLayout(senders_box)
        self.senders = QListWidget()
        self.senders.setObjectName("senders")
        self.senders.setMinimumHeight(60)
        self.senders.setMaximumHeight(110)
        self.senders.itemDoubleClicked.connect(lambda _item: self.edit_sender())
        self.senders.currentItemChanged.connect(lambda *_: self._update_sender_buttons())
        self.add_sender_button = QPushButton("Add…")
        self.add_sender_button.clicked.connect(self.add_sender)
        self.edit_sender_button = QPushButton("Edit…")
        self.edit_sender_button.clicked.connect(self.edit_sender)
        self.delete_sender_button = QPushButton("Delete")
        self.delete_sender_button.clicked.connect(self.delete_sender)
        sender_buttons = QHBoxLayout()
        for button in (self.add_sender_button, self.edit_sender_button, self.delete_sender_button):
            sender_buttons.addWidget(button)
        sender_buttons.addStretch(1)
        self.senders_status = QLabel()
        self.senders_status.setWordWrap(True)
        senders_column.addWidget(self.senders)
        senders_column.addLayout(sender_buttons)
        senders_column.addWidget(self.senders_status)

        smtp_box = QGroupBox("Email server (SMTP)")
        smtp_form = QFormLayout(smtp_box)
        self.host = QLineEdit()
        self.host.setPlaceholderText("smtp.example.org")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(587)
        self.security = QComboBox()
        for label, value in (("STARTTLS (port 587)", "starttls"), ("TLS (port 465)", "ssl"), ("None (local relay)", "none")):
            self.security.addItem(label, value)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keyring, never in the database")
        self.test_to = QLineEdit()
        self.test_to.setPlaceholderText("you@example.org")
        self.test_from = QComboBox()
        self.smtp_save = QPushButton("Save server")
        self.smtp_save.clicked.connect(self.save_smtp)
        self.test_button = QPushButton("Send test email")
        self.test_button.clicked.connect(self.send_test)
        self.smtp_status = QLabel()
        self.smtp_status.setWordWrap(True)
        for label, widget in (("Server:", self.host), ("Port:", self.port), ("Security:", self.security),
                              ("User name:", self.username), ("Password:", self.password),
                              ("Send a test to:", self.test_to), ("From the sender:", self.test_from)):
            smtp_form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.smtp_save)
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        smtp_form.addRow(buttons)
        smtp_form.addRow(self.smtp_status)

        where = QLabel(f"Database: {db_path}\nData folder: {paths.data_dir}")
        where.setObjectName("pageHint")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(heading)
        layout.addWidget(org_box)
        layout.addWidget(senders_box)
        layout.addWidget(smtp_box)
        self.sms_box = SmsSettingsBox(store, paths)
        self.mailbox_box = MailboxSettingsBox(paths)
        self.quiet_box = QuietHoursBox(store)
        for box in (self.sms_box, self.mailbox_box, self.quiet_box):
            layout.addWidget(box)
        layout.addWidget(where)
        layout.addStretch(1)
        self.task: Task | None = None

    def _with_error(self, name: str, field: QWidget) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(field)
        error = QLabel()
        error.setStyleSheet("color: #a11d1d;")
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self.errors[name] = error
        return holder

    def refresh(self) -> None:
        org = self.store.get_organization()
        self.name.setText(org.name)
        self.language.setCurrentIndex(max(0, self.language.findData(org.default_language)))
        for error in self.errors.values():
            error.hide()
        self._fill_senders()
        try:
            smtp = mail_settings.load(self.paths)
        except UserFacingError as exc:
            self.smtp_status.setText(exc.summary)
            smtp = None
        if smtp is not None:
            self.host.setText(smtp.host)
            self.port.setValue(smtp.port)
            self.security.setCurrentIndex(max(0, self.security.findData(smtp.security)))
            self.username.setText(smtp.username)
        for box in (self.sms_box, self.mailbox_box, self.quiet_box):
            box.refresh()

    def organization(self) -> Organization:
        return replace(self.store.get_organization(), name=self.name.text(), default_language=self.language.currentData())

    def save_organization(self) -> bool:
        for error in self.errors.values():
            error.hide()
        try:
            self.store.save_organization(self.organization())
        except ValidationError as exc:
            for problem in exc.problems:
                self._field_error(problem.field, problem.message)
            self.org_status.setText("Not saved: see the messages above.")
            return False
        self.org_status.setText("Saved.")
        return True

    # Senders --------------------------------------------------------------------------------

    def _fill_senders(self, current: int | None = None) -> None:
        users: dict[int | None, list[str]] = {}
        first = None
        for prop in self.store.list_properties():
            users.setdefault(prop.sender_id, []).append(prop.name)
        self.senders.clear()
        chosen = self.test_from.currentData()
        self.test_from.clear()
        for sender in self.store.list_senders():
            first = first or sender.id
            buildings = users.get(sender.id, []) + (users.get(None, []) if sender.id == first else [])
            used = ", ".join(buildings) if buildings else "no building yet"
            item = QListWidgetItem(f"{sender.label} · {WINDOW_LAYOUT_LABELS[sender.window_layout]} · "
                                   f"{LANGUAGE_LABELS[sender.default_language]} · {used}", self.senders)
            item.setData(Qt.ItemDataRole.UserRole, sender)
            if sender.id == current:
                self.senders.setCurrentItem(item)
            self.test_from.addItem(f"{sender.label} ({sender.email_from or sender.email or 'no email address'})", sender)
        self.test_from.setCurrentIndex(max(0, next((i for i in range(self.test_from.count())
                                                    if chosen and self.test_from.itemData(i).id == chosen.id), 0)))
        if not self.senders.count():
            self.senders_status.setText("No sender yet: letters print MaintDesk's logo and the organization's name. "
                                        "Add one for each office that writes to tenants.")
        else:
            self.senders_status.setText(english(self.senders.count(), "{n} sender.", "{n} senders.")
                                        + " Each building chooses its sender in its form (Properties).")
        self._update_sender_buttons()

    def chosen_sender(self) -> SenderProfile | None:
        item = self.senders.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_sender_buttons(self) -> None:
        chosen = self.chosen_sender() is not None
        self.edit_sender_button.setEnabled(chosen)
        self.delete_sender_button.setEnabled(chosen)

    def add_sender(self) -> SenderDialog:
        return self._open_sender(SenderDialog(self.store, None, self))

    def edit_sender(self) -> SenderDialog | None:
        sender = self.chosen_sender()
        return self._open_sender(SenderDialog(self.store, sender, self)) if sender is not None else None

    def _open_sender(self, dialog: SenderDialog) -> SenderDialog:
        dialog.accepted.connect(lambda: (self._fill_senders(dialog.sender.id),
                                         self.senders_status.setText(f"Saved {dialog.sender.label}: new letters "
                                                                     "of its buildings use it.")))
        dialog.open()
        return dialog

    def delete_sender(self) -> bool:
        sender = self.chosen_sender()
        if sender is None:
            return False
        answer = QMessageBox.question(self, "Delete sender", f'Delete the sender "{sender.label}"? '
                                      "Letters already issued keep the letterhead they were printed with.")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.store.delete_sender(sender.id)
        except UserFacingError as exc:
            self.senders_status.setText(exc.summary)
            return False
        self._fill_senders()
        self.senders_status.setText(f"Deleted {sender.label}.")
        return True

    def _field_error(self, name: str, message: str) -> None:
        label = self.errors.get(name)
        if label is None:
            self.org_status.setText(f"{name}: {message}")
            return
        label.setText(message)
        label.show()

    def smtp_settings(self) -> mail_settings.SmtpSettings:
        return mail_settings.check(mail_settings.SmtpSettings(
            host=self.host.text(), port=self.port.value(), security=self.security.currentData(),
            username=self.username.text().strip()))

    def save_smtp(self) -> mail_settings.SmtpSettings | None:
        try:
            settings = self.smtp_settings()
            mail_settings.save(self.paths, settings)
        except UserFacingError as exc:
            self.smtp_status.setText(exc.summary)
            return None
        kept = ""
        if self.password.text():
            kept = (" The password is in the system keyring." if mail_settings.remember_password(settings, self.password.text())
                    else " This system has no keyring: the password is used for this session only.")
        self.smtp_status.setText(f"Saved: {settings.where}.{kept}")
        return settings

    def send_test(self) -> None:
        settings = self.save_smtp()
        if settings is None:
            return
        password = self.password.text() or None
        if settings.username and password is None:
            try:
                password = mail_settings.password_for(settings)
            except UserFacingError as exc:
                self.smtp_status.setText(exc.summary)
                return
        sender, to = self.test_from.currentData(), self.test_to.text()
        if sender is None:
            self.smtp_status.setText("Add a sender with an email address first (Senders, above): tests and "
                                     "notices are sent from a sender's address.")
            return

        def work():
            yield send_test_email(settings, password, sender, to)

        self.task = Task(work, lambda event: isinstance(event, str))
        self.task.signals.finished.connect(lambda reply: self._tested(f"Test email accepted by {settings.where}: {reply}"))
        self.task.signals.failed.connect(lambda error: self._tested(error.summary))
        self.task.signals.crashed.connect(lambda report: (self._tested("The test failed."), show_crash(self, report)))
        self.test_button.setEnabled(False)
        self.smtp_status.setText(f"Sending a test email through {settings.where}…")
        start(self.task)

    def _tested(self, text: str) -> None:
        self.task = None
        self.test_button.setEnabled(True)
        self.smtp_status.setText(text)
