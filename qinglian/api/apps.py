"""api: the HTTP API under /api/v1/ (django-ninja, OpenAPI at /api/v1/openapi.json).

Owns no tables: gathers each app's endpoints; every protected read goes through
the access policy, every write through the owning app's services.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "qinglian.api"
    label = "api"
    verbose_name = _("API")
