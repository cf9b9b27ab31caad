"""Reads of sunshine report meetings: results, late commitments, appraisal alerts.

Staff reads go through ``accounts.policy`` (``meetings_visible``); public reads
only ever return published meetings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from qinglian.accounts import policy
from qinglian.directory.models import Person, Region
from qinglian.meetings.models import (
    AnnualAppraisal,
    CadreReport,
    Commitment,
    Grade,
    MeetingState,
    PaperTally,
    Score,
    SunshineMeeting,
)
from qinglian.meetings.scoring import GradeCount, counts_with_shares, satisfied_percent


def meetings_visible(user: Any) -> QuerySet[SunshineMeeting]:
    return policy.visible(user, SunshineMeeting.objects.select_related("village"))


def meetings_of_village(village: Region) -> QuerySet[SunshineMeeting]:
    return SunshineMeeting.objects.filter(village=village).order_by("-quarter")


def meetings_published(village: Region) -> QuerySet[SunshineMeeting]:
    return meetings_of_village(village).filter(state=MeetingState.PUBLISHED)


def counts_by_cadre(meeting: SunshineMeeting) -> dict[int, dict[str, int]]:
    """Votes per cadre and grade: the phones' scores plus the paper tallies."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Grade.values, 0))
    for row in (
        Score.objects.filter(meeting=meeting).values("cadre_id", "grade").annotate(n=Count("pk"))
    ):
        counts[row["cadre_id"]][row["grade"]] += row["n"]
    paper = PaperTally.objects.filter(meeting=meeting).values_list("cadre_id", "grade", "count")
    for cadre_id, grade, n in paper:
        counts[cadre_id][grade] += n
    return counts


@dataclass(frozen=True)
class CadreResult:
    report: CadreReport
    total: int
    lines: list[GradeCount]
    satisfied_percent: int | None


def results(meeting: SunshineMeeting) -> list[CadreResult]:
    counts = counts_by_cadre(meeting)
    out = []
    for report in meeting.reports.select_related("cadre").order_by("pk"):
        by_grade = counts.get(report.cadre_id, {})
        out.append(
            CadreResult(
                report=report,
                total=sum(by_grade.values()),
                lines=counts_with_shares(by_grade),
                satisfied_percent=satisfied_percent(by_grade),
            )
        )
    return out


def year_counts(village: Region, year: int, cadre_id: int) -> dict[str, int]:
    """A cadre's votes over the year's published meetings in the village."""
    total = dict.fromkeys(Grade.values, 0)
    meetings = meetings_published(village).filter(quarter__startswith=f"{year}-")
    for meeting in meetings:
        for grade, n in counts_by_cadre(meeting).get(cadre_id, {}).items():
            total[grade] += n
    return total


def commitment_is_late(commitment: Commitment, today: date | None = None) -> bool:
    """Not done and past its deadline, or done after it."""
    today = today or timezone.localdate()
    if commitment.done_on is None:
        return today > commitment.deadline
    return commitment.done_on > commitment.deadline


def commitments_late(
    commitments: QuerySet[Commitment], today: date | None = None
) -> QuerySet[Commitment]:
    today = today or timezone.localdate()
    return commitments.filter(
        Q(done_on__isnull=True, deadline__lt=today) | Q(done_on__gt=F("deadline"))
    )


def tokens_summary(meeting: SunshineMeeting) -> dict[str, int]:
    row = meeting.tokens.aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False))
    )
    return {"issued": row["issued"], "used": row["used"]}


def paper_total(meeting: SunshineMeeting) -> int:
    return int(PaperTally.objects.filter(meeting=meeting).aggregate(n=Sum("count"))["n"] or 0)


@dataclass(frozen=True)
class AppraisalAlert:
    village: Region
    cadre: Person
    years: tuple[int, int]


def incompetent_twice(appraisals: Iterable[AnnualAppraisal]) -> list[AppraisalAlert]:
    """Cadres rated incompetent in two consecutive years (domain.md §9.3: it ends the office)."""
    bad: dict[tuple[int, int], set[int]] = defaultdict(set)
    seen: dict[tuple[int, int], AnnualAppraisal] = {}
    for appraisal in appraisals:
        if appraisal.rating == Grade.INCOMPETENT:
            key = (appraisal.village_id, appraisal.cadre_id)
            bad[key].add(appraisal.year)
            seen[key] = appraisal
    alerts = []
    for key, years in bad.items():
        for year in sorted(years):
            if year + 1 in years:
                first = seen[key]
                alerts.append(AppraisalAlert(first.village, first.cadre, (year, year + 1)))
    return alerts


def appraisal_alerts_for_user(user: Any) -> list[AppraisalAlert]:
    """The alerts in the user's reach (a township sees all its villages')."""
    appraisals = policy.visible(
        user,
        AnnualAppraisal.objects.filter(rating=Grade.INCOMPETENT).select_related("village", "cadre"),
        subject="cadre",
    )
    return incompetent_twice(appraisals)


def appraisals_of_village(village: Region) -> QuerySet[AnnualAppraisal]:
    return AnnualAppraisal.objects.filter(village=village).select_related("cadre")
