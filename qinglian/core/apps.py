"""core: what every app stands on.

Domain errors, the append-only audit trail, the working-day calendar, health
checks and the shared page layout. Imports nothing from the other apps.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qinglian.core"
    label = "core"
    verbose_name = _("Core")
