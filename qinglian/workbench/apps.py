"""workbench: the staff pages at /work/.

Owns no tables. Lists the user's regions and, within them, the directory's
people; every read goes through the access policy.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "qinglian.workbench"
    label = "workbench"
    verbose_name = _("Workbench")
