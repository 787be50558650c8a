"""Passwords and tokens in the OS keyring (Windows Credential Locker, macOS Keychain, Secret Service).

Never in a settings file or the database. When the system has no usable keyring, nothing is stored
and the caller falls back to an environment variable or asks. `keyrings.alt` must stay out of the
dependencies: it silently becomes the default backend and writes secrets base64-encoded to a file.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)


def _keyring():  # the keyring module, or None when this system has no usable backend
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken backend configuration must not stop sending
        log.warning("the system keyring cannot be used: %s", exc)
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


def keyring_available() -> bool:
    return _keyring() is not None


def read_secret(service: str, user: str) -> str | None:
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        return keyring.get_password(service, user) or None
    except Exception as exc:
        log.warning("reading from the system keyring failed: %s", exc)
        return None


def secret_or_env(service: str, user: str, variable: str) -> str | None:
    """The keyring's secret, else the environment variable's value, else None."""
    return read_secret(service, user) or os.environ.get(variable) or None


def store_secret(service: str, user: str, secret: str) -> bool:
    """Keeps the secret in the keyring; False (nothing stored anywhere) when there is none."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(service, user, secret)
    except Exception as exc:
        log.warning("the secret could not be saved in the system keyring: %s", exc)
        return False
    return True


def forget_secret(service: str, user: str) -> None:
    keyring = _keyring()
    if keyring is None:
        return
    try:
        keyring.delete_password(service, user)
    except Exception:  # nothing stored: nothing to forget
        pass
