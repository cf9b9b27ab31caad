"""disclosures: what each village makes public, and the public village page /v/<code>/.

So far: the village page with the published cadre roster, each line stamped with
its place in the publication log, and the log's current checkpoint. The
disclosure catalog, drafts, review and publication come with issue 4.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "qinglian.disclosures"
    label = "disclosures"
    verbose_name = _("Village affairs disclosure")
