"""disclosures: what each village makes public, and the public village page /v/<code>/.

The disclosure catalog (versions per region, due dates), drafts reviewed by the
supervision committee, published versions frozen and entered in the publication
log, corrections as new versions with a public reason, and the village page.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "qinglian.disclosures"
    label = "disclosures"
    verbose_name = _("Village affairs disclosure")

    def ready(self) -> None:
        from qinglian.disclosures.records import disclosure_live_content
        from qinglian.disclosures.services import DISCLOSURE_RECORD
        from qinglian.transparency import records

        records.register(DISCLOSURE_RECORD, disclosure_live_content)
