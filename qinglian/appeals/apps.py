"""appeals: the mass mailbox (群众信箱).

Villagers ask about a published line, complain, report a cadre or suggest, from
their phone and without an account; each case gets a receipt and a secret to
follow it, is routed to the village or to the township discipline commission,
has deadlines in working days that escalate by themselves, and is answered,
closed and rated. Reporters' names and phones are sealed to the commission's key.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "qinglian.appeals"
    label = "appeals"
    verbose_name = _("Mass mailbox")

    def ready(self) -> None:
        from qinglian.appeals.records import answer_live_content
        from qinglian.appeals.services import APPEAL_ANSWER_RECORD
        from qinglian.transparency import records

        records.register(APPEAL_ANSWER_RECORD, answer_live_content)
