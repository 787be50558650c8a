"""Settings: the organization as letters print it, and the office's SMTP server with a test email."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from maintdesk.mail import settings as mail_settings
from maintdesk.errors import UserFacingError, ValidationError
from maintdesk.mail.trial_email import send_test_email
from maintdesk.records.models import Organization
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from ui.messages import show_crash
from ui.tasks.runner import Task, start

ORG_FIELDS = (  # (field, label, multi-line)
    ("name", "Organization", False), ("address", "Address", True), ("phone", "Phone", False),
    ("email", "Email", False), ("website", "Website", False), ("sender_name", "Letters signed by", False),
    ("sender_title", "Signer's title", False), ("sender_email", "Sender email", False),
    ("reply_to", "Replies go to", False),
)


class SettingsPage(QScrollArea):
    def __init__(self, store: Store, paths: AppPaths, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.paths, self.db_path = store, paths, db_path
        self.setWidgetResizable(True)
        body = QWidget()
        self.setWidget(body)
        heading = QLabel("Settings")
        heading.setObjectName("pageTitle")
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.errors: dict[str, QLabel] = {}
        org_box = QGroupBox("Organization and letterhead")
        org_form = QFormLayout(org_box)
        for name, label, multi in ORG_FIELDS:
            edit: QLineEdit | QPlainTextEdit = QPlainTextEdit() if multi else QLineEdit()
            if multi:
                edit.setFixedHeight(64)
            self.edits[name] = edit
            org_form.addRow(f"{label}:", self._with_error(name, edit))
        self.logo = QLineEdit()
        self.logo.setPlaceholderText("MaintDesk's logo")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(browse)
        logo_widget = QWidget()
        logo_widget.setLayout(logo_row)
        logo_row.setContentsMargins(0, 0, 0, 0)
        org_form.addRow("Logo file:", self._with_error("logo_path", logo_widget))
        self.language = QComboBox()
        self.language.addItem("English", "en")
        self.language.addItem("French", "fr")
        org_form.addRow("Default language:", self._with_error("default_language", self.language))
        self.paper = QComboBox()
        self.paper.addItem("A4 (DIN 5008 window envelope)", "A4")
        self.paper.addItem("US Letter (#10 window envelope)", "Letter")
        org_form.addRow("Paper:", self._with_error("paper_size", self.paper))
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save_organization)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save_organization)
        self.org_status = QLabel()
        org_form.addRow(self.save_button, self.org_status)

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
        self.smtp_save = QPushButton("Save server")
        self.smtp_save.clicked.connect(self.save_smtp)
        self.test_button = QPushButton("Send test email")
        self.test_button.clicked.connect(self.send_test)
        self.smtp_status = QLabel()
        self.smtp_status.setWordWrap(True)
        for label, widget in (("Server:", self.host), ("Port:", self.port), ("Security:", self.security),
                              ("User name:", self.username), ("Password:", self.password),
                              ("Send a test to:", self.test_to)):
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
        layout.addWidget(smtp_box)
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

    def _text(self, name: str) -> str:
        edit = self.edits[name]
        return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()

    def refresh(self) -> None:
        org = self.store.get_organization()
        for name, _, _ in ORG_FIELDS:
            edit = self.edits[name]
            value = getattr(org, name)
            edit.setPlainText(value) if isinstance(edit, QPlainTextEdit) else edit.setText(value)
        self.logo.setText(org.logo_path)
        self.language.setCurrentIndex(max(0, self.language.findData(org.default_language)))
        self.paper.setCurrentIndex(max(0, self.paper.findData(org.paper_size)))
        for error in self.errors.values():
            error.hide()
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

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Logo for the letterhead", str(Path.home()),
                                              "Images (*.png *.jpg *.jpeg *.svg)")
        if path:
            self.logo.setText(path)

    def organization(self) -> Organization:
        values = {name: self._text(name) for name, _, _ in ORG_FIELDS}
        return replace(self.store.get_organization(), **values, logo_path=self.logo.text().strip(),
                       default_language=self.language.currentData(), paper_size=self.paper.currentData())

    def save_organization(self) -> bool:
        for error in self.errors.values():
            error.hide()
        org = self.organization()
        if org.logo_path and not Path(org.logo_path).expanduser().is_file():
            self._field_error("logo_path", f"no file at {org.logo_path}")
            return False
        try:
            self.store.save_organization(org)
        except ValidationError as exc:
            for problem in exc.problems:
                self._field_error(problem.field, problem.message)
            self.org_status.setText("Not saved: see the messages above.")
            return False
        self.org_status.setText("Saved. New letters use these details.")
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
        org, to = self.organization(), self.test_to.text()

        def work():
            yield send_test_email(settings, password, org, to)

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
