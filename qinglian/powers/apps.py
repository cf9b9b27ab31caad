"""powers: the small and micro power list, its procedures and their flowcharts.

The list (38 positive items with their procedures, 30 negative items) and the
step library are shipped as data and versioned per region like the disclosure
catalog; each positive item's procedure is drawn as an SVG flowchart.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    name = "qinglian.powers"
    label = "powers"
    verbose_name = _("Small and micro power list")

    def ready(self) -> None:
        from qinglian.finance.authority import matters_check_register
        from qinglian.powers.selectors import matters_authorising

        matters_check_register(matters_authorising)
