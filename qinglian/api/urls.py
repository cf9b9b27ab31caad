"""The API object: one NinjaAPI, one error shape."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from qinglian.api.directory import router as directory_router
from qinglian.api.finance import router as finance_router
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


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=422)


urlpatterns = [path("v1/", api.urls)]
