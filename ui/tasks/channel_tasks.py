"""Background work for SMS and the office mailbox: sending the queued SMS, asking the provider what
became of those sent, reading the mailbox for bounces and replies. Each opens its own database
connection, as every task does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from maintdesk.channels import sms_settings
from maintdesk.channels.sms_outbox import SmsReport, iter_sms_retry
from maintdesk.channels.sms_provider import SmsProvider
from maintdesk.channels.sms_status import StatusReport, iter_refresh_status
from maintdesk.errors import InvalidInput
from maintdesk.mail import mailbox
from maintdesk.mail.inbox import InboxReport, iter_read_mailbox
from maintdesk.paths import AppPaths
from maintdesk.records.location import Location
from maintdesk.records.store import Store
from ui.tasks.issuing import _with_store
from ui.tasks.runner import Task


def saved_provider(paths: AppPaths) -> SmsProvider:
    """The SMS provider of the settings with its token; InvalidInput saying what is missing."""
    settings = sms_settings.load(paths)
    if settings is None:
        raise InvalidInput("no SMS provider is set up yet: fill in 'SMS provider' in Settings")
    return sms_settings.provider_for(settings)


def sms_outbox_task(database: Location, provider: SmsProvider) -> Task:
    """Asks what became of the SMS sent, then sends the queued ones (an unknown one only if the
    provider does not have it). Its result is (StatusReport, SmsReport)."""

    def run(store: Store) -> Iterator[Any]:
        status = sent = None
        for event in iter_refresh_status(store, provider):
            if isinstance(event, StatusReport):
                status = event
            else:
                yield event
        for event in iter_sms_retry(store, provider):
            if isinstance(event, SmsReport):
                sent = event
            else:
                yield event
        yield (status, sent)

    return Task(_with_store(database, run), lambda event: isinstance(event, tuple))


def mailbox_task(database: Location, paths: AppPaths) -> Task:
    settings = mailbox.load(paths)
    if settings is None:
        raise InvalidInput("no office mailbox is set up yet: fill in 'Office mailbox (IMAP)' in Settings")
    password = mailbox.password_for(settings)

    def run(store: Store) -> Iterator[Any]:
        yield from iter_read_mailbox(store, settings, password)

    return Task(_with_store(database, run), lambda event: isinstance(event, InboxReport))


def sms_summary(status: StatusReport, sent: SmsReport) -> str:
    """One line for the status bar after `sms_outbox_task`."""
    parts = [f"{len(status.delivered)} delivered", f"{len(status.failed)} not delivered",
             f"{len(sent.sent)} sent now"]
    if sent.held:
        parts.append(f"{len(sent.held)} waiting for the end of the quiet hours")
    return "SMS: " + ", ".join(parts) + "."
