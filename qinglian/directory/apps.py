"""directory: who and where.

The region tree (county → township → village → villager group) keyed by official
division codes; households and people (ID-card numbers kept only as a keyed hash
and a masked form); posts and terms of office; declared close relatives;
companies, their legal representatives and shareholders.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "qinglian.directory"
    label = "directory"
    verbose_name = _("Directory")
