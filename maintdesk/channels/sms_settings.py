"""The SMS provider's settings (sms.json in the settings folder); its auth token lives in the keyring.

The token comes from the OS keyring, else the environment variable MAINTDESK_SMS_TOKEN; it is never
written to the settings file or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from maintdesk import secrets
from maintdesk.channels.phone import mobile_e164
from maintdesk.channels.sms_provider import TwilioProvider
from maintdesk.errors import InvalidInput
from maintdesk.paths import AppPaths
from maintdesk.settings_files import (
    LOOPBACK,
    load_settings,
    raise_problems,
    save_settings,
)

PROVIDERS = ("twilio",)
KEYRING_SERVICE = "MaintDesk SMS"
TOKEN_VARIABLE = "MAINTDESK_SMS_TOKEN"
DEFAULT_URL = "https://api.twilio.com"


@dataclass(frozen=True)
class SmsSettings:
    account: str                  # the account SID (Twilio: AC…)
    sender: str                   # the From: a number in E.164, or an alphanumeric sender ID (max 11)
    provider: str = "twilio"
    base_url: str = DEFAULT_URL
    timeout: float = 20.0
    ca_file: str = ""             # a CA bundle to trust besides the system's

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or self.base_url

    @property
    def keyring_user(self) -> str:
        return f"{self.account}@{self.host}"


def settings_file(paths: AppPaths) -> Path:
    return paths.config_dir / "sms.json"


def check(settings: SmsSettings) -> SmsSettings:
    problems = []
    parts = urlsplit(settings.base_url.strip())
    if settings.provider not in PROVIDERS:
        problems.append(f'SMS provider: "{settings.provider}" is not one of {", ".join(PROVIDERS)}')
    if parts.scheme not in ("https", "http") or not parts.hostname:
        problems.append(f'SMS provider address: "{settings.base_url}" is not an https:// address')
    elif parts.scheme == "http" and parts.hostname not in LOOPBACK:
        problems.append(f"SMS provider address: the token would cross the network unencrypted to {parts.hostname}; "
                        "use https://")
    account = settings.account.strip()
    if not account or any(c.isspace() for c in account):
        problems.append(f'SMS account SID: "{settings.account}" is not an account SID')
    sender = settings.sender.strip()
    if sender.startswith("+") or sender.isdigit():
        try:
            sender = mobile_e164(sender) if sender.startswith("+") else sender
        except InvalidInput as exc:
            if "not a mobile" not in exc.summary:  # a landline sender number is fine for some providers
                problems.append(f"SMS sender: {exc.summary}")
    elif not (0 < len(sender) <= 11 and sender.isascii() and sender.replace(" ", "").isalnum()):
        problems.append(f'SMS sender: "{settings.sender}" is neither a number in +E.164 form nor a sender '
                        "name of at most 11 letters and digits")
    if settings.timeout <= 0:
        problems.append("SMS timeout must be above 0 seconds")
    raise_problems(problems)
    return replace(settings, account=account, sender=sender, base_url=settings.base_url.strip().rstrip("/"))



def load(paths: AppPaths) -> SmsSettings | None:
    return load_settings(settings_file(paths), SmsSettings, check, "SMS")


def save(paths: AppPaths, settings: SmsSettings) -> Path:
    return save_settings(settings_file(paths), check(settings))


def token_for(settings: SmsSettings) -> str:
    """The auth token: keyring, else environment; InvalidInput saying where to put it."""
    token = secrets.secret_or_env(KEYRING_SERVICE, settings.keyring_user, TOKEN_VARIABLE)
    if not token:
        raise InvalidInput(f"no auth token for the SMS account {settings.account}: enter it in Settings "
                           f"(kept in the system keyring) or set {TOKEN_VARIABLE}")
    return token


def remember_token(settings: SmsSettings, token: str) -> bool:
    return secrets.store_secret(KEYRING_SERVICE, settings.keyring_user, token)


def forget_token(settings: SmsSettings) -> None:
    secrets.forget_secret(KEYRING_SERVICE, settings.keyring_user)


def provider_for(settings: SmsSettings, token: str | None = None) -> TwilioProvider:
    """The provider these settings name, ready to send (the token read from the keyring if not given)."""
    return TwilioProvider(settings.base_url, settings.account, token or token_for(settings), settings.sender,
                          settings.timeout, settings.ca_file)
