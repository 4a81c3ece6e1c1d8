"""Encryption at rest for personal data (NIK, identity documents) and
platform secrets (social-media tokens).

Values are encrypted with Fernet (AES-128-CBC with HMAC) under
``FIELD_ENCRYPTION_KEY``. Development derives a key from ``SECRET_KEY`` so the
embedded default works with no configuration; production must set its own
(settings refuse to start without it).
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(key: str, secret_key: str) -> Fernet:
    if not key:
        key = base64.urlsafe_b64encode(
            hashlib.sha256(f"field-encryption:{secret_key}".encode()).digest()
        ).decode()
    return Fernet(key.encode())


def fernet() -> Fernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY, settings.SECRET_KEY)


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


def encrypt_str(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt_str(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("The value cannot be decrypted with the configured key.") from exc


def blind_index(value: str) -> str:
    """A keyed hash of a value for exact-match lookups (find requests by
    NIK) without storing the value in clear."""
    key = (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()
    return hashlib.blake2b(value.encode(), key=key[:64], digest_size=32).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; reads return the clear text.

    Encrypted values cannot be filtered or ordered on; pair the field with a
    ``blind_index`` column where lookups are needed.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_str(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_str(value)


def mask(value: str, visible: int = 4) -> str:
    """``3201••••••••1234``-style masking for NIK and similar numbers."""
    if not value:
        return ""
    if len(value) <= visible * 2:
        return "•" * len(value)
    return value[:visible] + "•" * (len(value) - visible * 2) + value[-visible:]
