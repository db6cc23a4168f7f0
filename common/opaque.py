"""Opaque tokens for links: a value sealed (encrypted and authenticated, with its time) by a
key made from SECRET_KEY for one purpose. Unlike django.core.signing, whose payload is
readable base64, nobody can read what a sealed link points at from logs or browser history.
(cryptography is installed with allauth's two-factor sign-in.)"""

import base64
import json

from cryptography.fernet import Fernet, InvalidToken
from django.utils.crypto import salted_hmac


def _fernet(purpose: str) -> Fernet:
    key = salted_hmac(f"common.opaque:{purpose}", "key", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value, *, purpose: str) -> str:
    """`value` (anything JSON holds) as a URL-safe token only this site can open."""
    token = _fernet(purpose).encrypt(json.dumps(value).encode())
    return token.decode().rstrip("=")


def unseal(token: str, *, purpose: str, max_age: int):
    """What `seal` sealed for `purpose` at most `max_age` seconds ago, or None for a forged,
    damaged or expired token."""
    if not token or len(token) > 1000:
        return None
    try:
        data = _fernet(purpose).decrypt((token + "=" * (-len(token) % 4)).encode(), ttl=max_age)
        return json.loads(data)
    except (InvalidToken, ValueError, UnicodeError):
        return None
