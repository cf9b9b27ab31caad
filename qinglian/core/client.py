"""The client's address as the rate limits count it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The socket's address, or behind our TLS proxy the address that proxy saw.

    The proxy appends the address it saw to ``X-Forwarded-For``; anything before it
    came from the client and may be forged, so only the last entry counts.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))
