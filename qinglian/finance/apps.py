"""finance: the "three capitals" (三资) of each village.

Collective fund accounts and the ledger (vouchers with balanced lines, numbered
per month, joint sign-off, attachments), month close and corrections with a
reason, the chart of accounts of village collective economic organisations as
shipped data, thresholds per region and effective date, Excel and CSV import,
the monthly statement, contracts with their payment schedules, and the registers
of assets and resources.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "qinglian.finance"
    label = "finance"
    verbose_name = _("Collective finance")

    def ready(self) -> None:
        from qinglian.finance.records import statement_live_content
        from qinglian.finance.services import STATEMENT_RECORD
        from qinglian.transparency import records

        records.register(STATEMENT_RECORD, statement_live_content)
