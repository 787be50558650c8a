"""Sending a work order's notices by email from the GUI: settings, password, and the background task."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from maintdesk.mail import settings as mail_settings, outbox
from maintdesk.errors import InvalidInput, UserFacingError
from maintdesk.notices.issue import Delivery
from maintdesk.paths import AppPaths
from ui.messages import show_error


def smtp_and_password(parent: QWidget, source: AppPaths | mail_settings.SmtpSettings
                      ) -> tuple[mail_settings.SmtpSettings, str | None]:
    """The saved SMTP server (or the one given) and its password (keyring, environment, or asked now)."""
    settings = source if isinstance(source, mail_settings.SmtpSettings) else mail_settings.load(source)
    if settings is None:
        raise InvalidInput("no email server is set up yet: fill in 'Email server (SMTP)' in Settings")
    if not settings.username:
        return settings, None
    try:
        return settings, mail_settings.password_for(settings)
    except UserFacingError:
        typed, ok = QInputDialog.getText(parent, "Email server password",
                                         f"Password for {settings.username} at {settings.where}:",
                                         QLineEdit.EchoMode.Password)
        if not ok or not typed:
            raise InvalidInput(f"no password for {settings.username} at {settings.where}; nothing was sent") from None
        return settings, typed


def outcome_text(outcome: outbox.EmailOutcome) -> str:
    report = outcome.report
    parts = [f"{len(report.sent)} sent by email"]
    if report.failed:
        parts.append(f"{len(report.failed)} refused by the server (see Outbox & records)")
    if report.unknown:
        parts.append(f"{len(report.unknown)} with an unknown outcome (check before resending)")
    if outcome.already:
        parts.append(f"{len(outcome.already)} already had it")
    if outcome.printed:
        parts.append(f"{len(outcome.printed.notices)} printed for tenants on paper")
    return ", ".join(parts) + "."


def eml_note(eml_dir: Path) -> str:
    return (f"No email server is set up: each email is saved as an .eml file (one per tenant, ready to open in "
            f"your mail program) in {eml_dir}. The Outbox records them as exported, not sent.")


def email_delivery(parent: QWidget, settings: mail_settings.SmtpSettings | None, eml_dir: Path) -> Delivery | None:
    """Through the saved server (asking for its password if needed), else into .eml files; None: given up."""
    if settings is None:
        return Delivery(eml_dir=eml_dir)
    try:
        settings, password = smtp_and_password(parent, settings)
    except UserFacingError as exc:
        show_error(parent, exc)
        return None
    return Delivery(settings, password)
