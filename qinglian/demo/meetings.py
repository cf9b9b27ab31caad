"""The demo county's sunshine report meetings: two in the first village.

- 2026-Q3, held 25 September and published: every cadre in office reported, two
  inquiries answered, three commitments (one done on time, one done late, one
  still open past its deadline, so two are flagged late), and paper votes only
  (counts drawn from the seeded generator), in the log as a ``sunshine_meeting``.
- 2026-Q4, held 20 November (the demo's "today") and open for scoring, with the
  cadres' reports and no codes issued: whoever tries the demo (and the browser
  test) issues slips from the staff page as the ``village`` account and scores
  from a phone.

Everything goes through the services, dated by the demo's calendar; nothing when
the village has meetings already (a second run adds nothing).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import transaction

from qinglian.directory.models import Region, RegionLevel, subtree_q
from qinglian.meetings import services
from qinglian.meetings.models import Grade, SunshineMeeting

Q3_HELD_ON = date(2026, 9, 25)
Q4_HELD_ON = date(2026, 11, 20)  # the demo's "today" (demo.appeals, demo.finance)
CADRES_MAX = 4
REPORTS = (
    "本季度组织完成村道硬化验收，按月公开财务，落实“四议两公开”议事两次。",
    "本季度走访困难户二十户，协调解决灌溉用水纠纷三起。",
    "本季度做好村级财务记账和票据审核，按时公开月度收支。",
    "本季度开展村务监督，列席村两委会议四次，审核大额支出两笔。",
)


@dataclass
class MeetingsBuild:
    published: int = 0
    open: int = 0


def _first_village(county: Region) -> Region | None:
    return (
        Region.objects.filter(subtree_q("path", [county.path]), level=RegionLevel.VILLAGE)
        .order_by("path")
        .first()
    )


def _reports(meeting: SunshineMeeting) -> list[int]:
    cadres = services.cadres_in_office(meeting.village, meeting.held_on)[:CADRES_MAX]
    for index, (person, _post) in enumerate(cadres):
        services.report_write(
            actor=None, meeting=meeting, cadre_id=person.pk, text=REPORTS[index % len(REPORTS)]
        )
    return [person.pk for person, _post in cadres]


@transaction.atomic
def demo_meetings_build(*, county: Region, seed: int) -> MeetingsBuild:
    build = MeetingsBuild()
    village = _first_village(county)
    if village is None or SunshineMeeting.objects.filter(village=village).exists():
        return build
    rng = random.Random(f"qinglian-demo:{seed}:meetings")
    q3 = services.meeting_create(
        actor=None, village=village, quarter="2026-Q3", held_on=Q3_HELD_ON, place="村委会议室"
    )
    cadres = _reports(q3)
    if not cadres:
        return build
    services.inquiry_record(
        actor=None,
        meeting=q3,
        question="村口的路灯坏了两个月，什么时候修？",
        answer="已报镇里，十月底前修好。",
        answered_by_id=cadres[0],
    )
    services.inquiry_record(
        actor=None,
        meeting=q3,
        question="今年的低保名单在哪里看？",
        answer="在村务公开栏和村级页面的“村务”一栏。",
        answered_by_id=cadres[-1],
    )
    fixes = (
        ("修好村口两盏路灯", date(2026, 10, 31), date(2026, 10, 20)),
        ("清理三组的灌溉水渠", date(2026, 10, 15), date(2026, 11, 2)),
        ("在公开栏贴出第三季度的工程合同", date(2026, 11, 10), None),
    )
    for index, (text, deadline, done_on) in enumerate(fixes):
        commitment = services.commitment_make(
            actor=None,
            meeting=q3,
            text=text,
            owner_id=cadres[index % len(cadres)],
            deadline=deadline,
        )
        if done_on is not None:
            services.commitment_complete(
                actor=None, commitment=commitment, done_on=done_on, evidence="照片和验收单存村部"
            )
    services.meeting_open(actor=None, meeting=q3)
    for cadre_id in cadres:
        counts = {
            Grade.EXCELLENT: rng.randint(8, 20),
            Grade.COMPETENT: rng.randint(10, 25),
            Grade.BASIC: rng.randint(0, 6),
            Grade.INCOMPETENT: rng.randint(0, 3),
        }
        services.paper_tally_enter(
            actor=None, meeting=q3, cadre_id=cadre_id, counts={str(g): n for g, n in counts.items()}
        )
    services.meeting_close(actor=None, meeting=q3)
    published_at = datetime.combine(Q3_HELD_ON + timedelta(days=3), datetime.min.time(), UTC)
    services.meeting_publish(actor=None, meeting=q3, now=published_at)
    build.published += 1
    q4 = services.meeting_create(
        actor=None, village=village, quarter="2026-Q4", held_on=Q4_HELD_ON, place="村文化礼堂"
    )
    _reports(q4)
    services.meeting_open(actor=None, meeting=q4)
    build.open += 1
    return build
