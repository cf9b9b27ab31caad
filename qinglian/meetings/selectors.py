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

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from qinglian.accounts import policy
from qinglian.directory.models import Person, Region
from qinglian.meetings.models import (
    AnnualAppraisal,
    CadreReport,
    Commitment,
    Grade,
    Inquiry,
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


def counts_by_meeting_and_cadre(
    meeting_ids: Iterable[int],
) -> dict[int, dict[int, dict[str, int]]]:
    """Votes per meeting, cadre and grade: the phones' scores plus the paper tallies
    (two queries however many meetings)."""
    counts: dict[int, dict[int, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: dict.fromkeys(Grade.values, 0))
    )
    ids = list(meeting_ids)
    scores = (
        Score.objects.filter(meeting_id__in=ids)
        .values_list("meeting_id", "cadre_id", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for meeting_id, cadre_id, grade, n in scores:
        counts[meeting_id][cadre_id][grade] += n
    paper = PaperTally.objects.filter(meeting_id__in=ids).values_list(
        "meeting_id", "cadre_id", "grade", "count"
    )
    for meeting_id, cadre_id, grade, n in paper:
        counts[meeting_id][cadre_id][grade] += n
    return counts


def counts_by_cadre(meeting: SunshineMeeting) -> dict[int, dict[str, int]]:
    return counts_by_meeting_and_cadre([meeting.pk]).get(meeting.pk, {})


@dataclass(frozen=True)
class CadreResult:
    report: CadreReport
    total: int
    lines: list[GradeCount]
    satisfied_percent: int | None


def _results(
    reports: Iterable[CadreReport], counts: dict[int, dict[str, int]]
) -> list[CadreResult]:
    out = []
    for report in reports:
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


def results(meeting: SunshineMeeting) -> list[CadreResult]:
    reports = meeting.reports.select_related("cadre").order_by("pk")
    return _results(reports, counts_by_cadre(meeting))


@dataclass(frozen=True)
class MeetingWhole:
    """A meeting with its four parts: reports with results, inquiries, commitments."""

    meeting: SunshineMeeting
    results: list[CadreResult]
    inquiries: list[Inquiry]
    commitments: list[tuple[Commitment, bool]]  # with "late"


def meeting_in_village(village: Region, pk: int) -> SunshineMeeting | None:
    """One meeting of the village, whatever its state (public scoring checks the state)."""
    return SunshineMeeting.objects.filter(pk=pk, village=village).select_related("village").first()


def meeting_whole(meeting: SunshineMeeting) -> MeetingWhole:
    """One meeting, whole, in any state (staff reads): five queries."""
    today = timezone.localdate()
    return MeetingWhole(
        meeting=meeting,
        results=results(meeting),
        inquiries=list(meeting.inquiries.select_related("answered_by").order_by("pk")),
        commitments=[
            (c, commitment_is_late(c, today)) for c in meeting.commitments.select_related("owner")
        ],
    )


PUBLISHED_SHOWN = 8  # published meetings on the village's page and in the API


def published_pages(village: Region, *, limit: int) -> list[MeetingWhole]:
    """The village's latest published meetings, whole: six queries however many."""
    meetings = list(
        meetings_published(village).prefetch_related(
            Prefetch("reports", CadreReport.objects.select_related("cadre").order_by("pk")),
            Prefetch("inquiries", Inquiry.objects.select_related("answered_by").order_by("pk")),
            Prefetch("commitments", Commitment.objects.select_related("owner")),
        )[:limit]
    )
    counts = counts_by_meeting_and_cadre(m.pk for m in meetings)
    today = timezone.localdate()
    return [
        MeetingWhole(
            meeting=m,
            results=_results(m.reports.all(), counts.get(m.pk, {})),
            inquiries=list(m.inquiries.all()),
            commitments=[(c, commitment_is_late(c, today)) for c in m.commitments.all()],
        )
        for m in meetings
    ]


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


def appraisal_alerts_under(user: Any, region: Region) -> list[AppraisalAlert]:
    """The user's alerts in ``region``'s subtree (a village's own, or a township's)."""
    return [
        alert
        for alert in appraisal_alerts_for_user(user)
        if alert.village.path.startswith(region.path)
    ]


def appraisals_of_village(village: Region) -> QuerySet[AnnualAppraisal]:
    return AnnualAppraisal.objects.filter(village=village).select_related("cadre")
