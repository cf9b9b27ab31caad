"""The client's address as rate limits count it: the socket's, or the one our proxy saw.

Behind our TLS proxy (``BEHIND_TLS_PROXY``) the socket's address is the proxy's,
and the client's is the last entry of ``X-Forwarded-For``: the one the proxy
appended. Earlier entries come from the client and prove nothing, so taking the
first would let anyone pick their own address and step round a limit.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 (a key, not a bind)
