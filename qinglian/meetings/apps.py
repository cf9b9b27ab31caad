"""meetings: quarterly sunshine report meetings (阳光述职) and the annual appraisal.

"One description, two inquiries, three fixes, four reviews": each cadre in office
reports (``CadreReport``), attendees ask and cadres answer (``Inquiry``), the
meeting records commitments with an owner and a deadline, followed until done
(``Commitment``), and attendees score each cadre with one-use attendance tokens
from their phones (``AttendanceToken``, ``Score``) or on paper (``PaperTally``).
A closed meeting's results are published in the publication log as a
``sunshine_meeting`` record. The annual democratic appraisal (``AnnualAppraisal``)
flags a cadre rated incompetent two years running.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "qinglian.meetings"
    label = "meetings"
    verbose_name = _("Sunshine report meetings")

    def ready(self) -> None:
        from qinglian.meetings.records import meeting_live_content
        from qinglian.meetings.services import SUNSHINE_MEETING_RECORD
        from qinglian.transparency import records

        records.register(SUNSHINE_MEETING_RECORD, meeting_live_content)
