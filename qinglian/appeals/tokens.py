"""Receipts and secrets: what a villager keeps to follow a case without an account.

- The receipt is 12 random digits: it names the case, it opens nothing.
- The secret is 20 random digits (about 66 bits), typed on a phone's number pad
  and shown in groups of four. It is stored only as HMAC-SHA256 under a key
  derived from ``PII_HASH_KEY``, which lives in the server's environment, not in
  the database: a copy of the database alone does not reveal or test secrets,
  and checking one costs a microsecond (no slow hash on the hot path; guessing
  is stopped by the size of the space and by rate limits).
- A client may send a submission key (a random string it makes, such as a UUID)
  so that a double tap or a retry after a lost answer makes one case. The secret
  of such a submission is derived from the key, so the retry gets the same
  receipt and secret back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings

RECEIPT_DIGITS = 12
SECRET_DIGITS = 20
SUBMISSION_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,100}$")


def _key() -> bytes:
    return hmac.new(
        settings.PII_HASH_KEY.encode(), b"qinglian appeals: secrets v1", hashlib.sha256
    ).digest()


def _mac(label: str, value: str) -> str:
    return hmac.new(_key(), f"{label}\0{value}".encode(), hashlib.sha256).hexdigest()


def receipt_new() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))


def digits_only(text: str) -> str:
    """What a villager typed, without the spaces and dashes they may have added."""
    return "".join(ch for ch in text if ch.isdigit())


def secret_new(submission_key: str | None = None) -> str:
    if submission_key is None:
        return "".join(secrets.choice("0123456789") for _ in range(SECRET_DIGITS))
    number = int.from_bytes(bytes.fromhex(_mac("secret", submission_key)), "big")
    return str(number % 10**SECRET_DIGITS).zfill(SECRET_DIGITS)


def secret_hash(receipt: str, secret: str) -> str:
    return _mac("secret-check", f"{receipt}:{digits_only(secret)}")


def secret_matches(receipt: str, secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(secret_hash(receipt, secret), stored_hash)


def submission_hash(submission_key: str) -> str:
    return _mac("submission", submission_key)


def content_digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def grouped(digits: str) -> str:
    """``12345678…`` as ``1234 5678 …`` for reading aloud and copying onto paper."""
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
