"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict[str, Any]:
    """The request's CSP nonce under the name django-htmx's script tags look for.

    The nonce is lazy: it enters the Content-Security-Policy header only when a
    template renders it (every page does, through base.html's script tags).
    """
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
