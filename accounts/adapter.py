"""allauth glue: TOTP secrets are encrypted at rest (docs/security.md)."""

from __future__ import annotations

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

_PREFIX = "fernet:"


def _fernet() -> Fernet:
    # A key derived from SECRET_KEY: a database dump alone cannot reveal the secrets.
    digest = hashlib.sha256(("lems-mfa-secret:" + settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class EncryptingMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _PREFIX + _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(_PREFIX):
            return encrypted_text
        try:
            return _fernet().decrypt(encrypted_text[len(_PREFIX) :].encode()).decode()
        except InvalidToken as exc:
            raise ValueError("The stored second-factor secret cannot be decrypted.") from exc
