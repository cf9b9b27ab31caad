"""demo: a deterministic synthetic county for the demo, the tests and the benchmarks.

Owns no tables; builds regions, people, cadres, relatives and companies through
the directory (in bulk where the counts are large), with a few planted
irregularities such as cadres' relatives among company owners.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "qinglian.demo"
    label = "demo"
    verbose_name = _("Demo county")
