"""Secrets kept in the database (a shop's payment gateway keys), encrypted at rest.

Fernet (the `cryptography` package: AES-128-CBC + HMAC-SHA256, versioned tokens) with the key
from the environment (`GATEWAY_KEYS_KEY`, or several comma-separated, newest first, to rotate:
MultiFernet decrypts with any and encrypts with the first). A database dump alone never holds a
usable key; `mask` is all a page ever shows of one after it is saved.
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class VaultUnavailable(ImproperlyConfigured):
    """No encryption key is configured: secrets can be neither stored nor read."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _keys() -> tuple[str, ...]:
    keys = tuple(k.strip() for k in settings.GATEWAY_KEYS_KEY.split(",") if k.strip())
    if keys:
        return keys
    if settings.DEBUG:
        # Development only: a key derived from the (development) SECRET_KEY, so `make run` works.
        digest = hashlib.sha256(f"openpo-vault:{settings.SECRET_KEY}".encode()).digest()
        return (base64.urlsafe_b64encode(digest).decode(),)
    raise VaultUnavailable("GATEWAY_KEYS_KEY is not set: payment gateway keys cannot be stored.")


def is_available() -> bool:
    try:
        _keys()
    except VaultUnavailable:
        return False
    return True


def seal(secret: str) -> str:
    """`secret` encrypted, as text for a column."""
    return _fernet(_keys()).encrypt(secret.encode()).decode()


def unseal(token: str) -> str:
    """The secret back from `seal`'s text; VaultUnavailable when no key configured can read it."""
    if not token:
        return ""
    try:
        return _fernet(_keys()).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise VaultUnavailable("A stored secret does not open with GATEWAY_KEYS_KEY.") from error


def mask(secret: str) -> str:
    """What a page shows of a saved secret: its kind prefix and last four characters."""
    if not secret:
        return ""
    prefix = secret.split("-", 1)[0] + "-" if "-" in secret[:12] else ""
    return f"{prefix}••••{secret[-4:]}" if len(secret) > 8 else "••••"
