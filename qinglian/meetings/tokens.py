"""Attendance tokens: the one-use codes with which attendees score the cadres.

- A code is 10 random digits, printed on a slip in groups (``1234 5678 90``) and
  in the slip's QR code as ``/v/<village>/meetings/<meeting>/score/?t=<code>``.
  The code sits in the address on purpose: it is a one-use voting code that
  protects nothing once used, and putting it in the QR code saves typing on a
  phone. Whoever photographs a slip could vote with it first, exactly as with a
  paper ballot; the slip is handed out at the door, one per attendee.
- Only HMAC-SHA256 of ``<meeting id>:<code>`` under a key derived from
  ``PII_HASH_KEY`` is stored (as ``appeals/tokens.py`` does for secrets): the codes
  are shown once, on the printable page made when they are issued.
- Guessing is stopped by the space (10^10 codes for a few dozen valid ones) and
  by the scoring page's rate limit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

CODE_DIGITS = 10


def _key() -> bytes:
    return hmac.new(
        settings.PII_HASH_KEY.encode(), b"qinglian meetings: tokens v1", hashlib.sha256
    ).digest()


def code_new() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def code_hash(meeting_id: int, code: str) -> str:
    message = f"{meeting_id}:{digits_only(code)}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def grouped(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
