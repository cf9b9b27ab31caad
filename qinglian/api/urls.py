"""The API object: one NinjaAPI, one error shape."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from qinglian.api.appeals import router as appeals_router
from qinglian.api.directory import router as directory_router
from qinglian.api.finance import router as finance_router
from qinglian.api.matters import router as matters_router
from qinglian.api.meetings import router as meetings_router
from qinglian.api.powers import router as powers_router
from qinglian.core.errors import DomainError

api = NinjaAPI(
    title="Qinglian API",
    version="1",
    description="Village affairs, open to villagers; supervision tools for staff.",
    urls_namespace="api",
    docs_url=None,  # Swagger UI needs inline scripts; the schema is at openapi.json
)
api.add_router("/", directory_router)
api.add_router("/", finance_router)
api.add_router("/", matters_router)
api.add_router("/", appeals_router)
api.add_router("/", powers_router)
api.add_router("/", meetings_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=422)


# Wrappers of the request's parts in django-ninja's error locations, not field names.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file", "payload"}


@api.exception_handler(ValidationError)
def malformed_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input of the wrong shape (a missing field, text for a number) answers as a
    ``DomainError`` does: 422 with a message and the first field at fault."""
    first = exc.errors[0] if exc.errors else {}
    names = [str(part) for part in first.get("loc", ()) if str(part) not in _LOCATIONS]
    field = next((name for name in reversed(names) if not name.isdigit()), None)
    return api.create_response(
        request,
        {"detail": _("This value is missing or not of the right type."), "field": field},
        status=422,
    )


urlpatterns = [path("v1/", api.urls)]
