"""Domain errors: what a service refuses, said so that a person can act on it."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A refused change. ``field`` names the input at fault, when there is one.

    Views turn it into a form error on that field; the API turns it into a 422
    answer ``{"detail": message, "field": field}``.
    """

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
