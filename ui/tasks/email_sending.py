"""Sending a work order's notices by email from the GUI: settings, password, and the background task."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from maintdesk.mail import settings as mail_settings, outbox
from maintdesk.errors import InvalidInput, UserFacingError
from maintdesk.paths import AppPaths
from maintdesk.records.store import Store
from ui.tasks.runner import Task


def smtp_and_password(parent: QWidget, paths: AppPaths) -> tuple[mail_settings.SmtpSettings, str | None]:
    """The saved SMTP server and its password (keyring, environment, or asked now)."""
    settings = mail_settings.load(paths)
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


def email_task(db_path: Path, paths: AppPaths, request: outbox.EmailRequest, settings: mail_settings.SmtpSettings,
               password: str | None) -> Task:
    """Emails the notice to those who want email; prints (into request.print_dir) for the others."""

    def work():
        store = Store.open(db_path, create=False)
        try:
            yield from outbox.iter_email_batch(store, db_path, paths, request, settings, password)
        finally:
            store.close()

    return Task(work, lambda event: isinstance(event, outbox.EmailOutcome))


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
