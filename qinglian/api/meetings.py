"""Sunshine report meeting endpoints: the published meetings and scoring (public), and the
staff's reads and writes (scoped by ``accounts.policy``).

Public: a village's published meetings, as its page ``/v/<code>/meetings/`` shows
them, and scoring with a one-use code from a slip, through the phone page's
service (``services.ballot_cast``), anonymous and without a cookie, rate limited
per address with the page's budget (``MEETINGS_SCORE_RATE``, one group for both:
guessing codes through one or the other counts alike). A wrong or used code is a
``DomainError``: 422 naming the field ``code``.

Staff: any role over the village reads (404 outside); changes take one of
``meetings.permissions.WRITERS`` over it (404 otherwise), as the staff pages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from qinglian.accounts import policy
from qinglian.core.errors import DomainError
from qinglian.directory.models import Region
from qinglian.disclosures.selectors import village_public
from qinglian.meetings import selectors, services
from qinglian.meetings.models import Commitment, SunshineMeeting
from qinglian.meetings.permissions import WRITERS

router = Router(tags=["meetings"])

SCORE_GROUP = "meetings.score"  # the scoring page's group: one budget for both


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class GradeCountOut(Schema):
    grade: str
    label: str
    count: int
    percent: int = Field(..., description="Share of the cadre's votes, whole percent")


class ResultOut(Schema):
    cadre_id: int
    cadre: str = Field(..., description="The cadre's name")
    post: str
    report: str
    total: int = Field(..., description="Votes, phones and paper slips together")
    satisfied_percent: int | None = Field(..., description="Competent or better, whole percent")
    counts: list[GradeCountOut]


class InquiryOut(Schema):
    question: str
    answer: str
    answered_by: str | None


class CommitmentOut(Schema):
    id: int
    text: str
    owner: str
    deadline: date
    done_on: date | None
    late: bool = Field(..., description="Not done past its deadline, or done after it")


class StaffCommitmentOut(CommitmentOut):
    evidence: str


class MeetingOut(Schema):
    id: int
    village: str
    quarter: str
    held_on: date
    place: str
    state: str
    published_at: datetime | None


class PublishedMeetingOut(MeetingOut):
    results: list[ResultOut]
    inquiries: list[InquiryOut]
    commitments: list[CommitmentOut]


class TokensOut(Schema):
    issued: int
    used: int


class MeetingDetailOut(MeetingOut):
    results: list[ResultOut]
    inquiries: list[InquiryOut]
    commitments: list[StaffCommitmentOut]
    tokens: TokensOut
    paper_total: int = Field(..., description="Paper slips entered, all cadres together")


class BallotIn(Schema):
    code: str = Field(..., max_length=20, description="The 10 digits on the attendee's slip")
    grades: dict[str, str] = Field(
        ...,
        description="A grade (excellent, competent, basic, incompetent) for every cadre who "
        "reported, by the cadre's id",
    )


class BallotOut(Schema):
    scores: int = Field(..., description="Scores stored, one per cadre")


class MeetingIn(Schema):
    quarter: str = Field(..., max_length=7, description="For example 2026-Q3")
    held_on: date
    place: str = Field(..., max_length=100)


class CommitmentDoneIn(Schema):
    done_on: date
    evidence: str = Field(..., max_length=4000)


class AppraisalOut(Schema):
    year: int
    cadre_id: int
    cadre: str
    rating: str
    source: str


class AlertOut(Schema):
    village: str
    cadre_id: int
    cadre: str
    years: list[int] = Field(..., description="Two consecutive years rated incompetent")


class AppraisalsOut(Schema):
    appraisals: list[AppraisalOut]
    alerts: list[AlertOut]


def _meeting(meeting: SunshineMeeting, village: Region) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "village": village.code,
        "quarter": meeting.quarter,
        "held_on": meeting.held_on,
        "place": meeting.place,
        "state": meeting.state,
        "published_at": meeting.published_at,
    }


def _commitment(commitment: Commitment, late: bool, *, staff: bool) -> dict[str, Any]:
    out = {
        "id": commitment.pk,
        "text": commitment.text,
        "owner": commitment.owner.name,
        "deadline": commitment.deadline,
        "done_on": commitment.done_on,
        "late": late,
    }
    if staff:
        out["evidence"] = commitment.evidence
    return out


def _whole(whole: selectors.MeetingWhole, village: Region, *, staff: bool) -> dict[str, Any]:
    return {
        **_meeting(whole.meeting, village),
        "results": [
            {
                "cadre_id": result.report.cadre_id,
                "cadre": result.report.cadre.name,
                "post": result.report.post,
                "report": result.report.text,
                "total": result.total,
                "satisfied_percent": result.satisfied_percent,
                "counts": [
                    {"grade": c.grade, "label": c.label, "count": c.count, "percent": c.percent}
                    for c in result.lines
                ],
            }
            for result in whole.results
        ],
        "inquiries": [
            {
                "question": inquiry.question,
                "answer": inquiry.answer,
                "answered_by": inquiry.answered_by.name if inquiry.answered_by else None,
            }
            for inquiry in whole.inquiries
        ],
        "commitments": [_commitment(c, late, staff=staff) for c, late in whole.commitments],
    }


def _public_village(code: str) -> Region:
    village = village_public(code)
    if village is None:
        raise HttpError(404, _("No village has this code."))
    return village


def _staff_village(request: HttpRequest, code: str, *, write: bool = False) -> Region:
    region = policy.access_region(request.user, code, roles=WRITERS if write else None)
    if not region.is_village:
        raise Http404
    return region


@router.get(
    "/villages/{code}/meetings/",
    response={200: list[PublishedMeetingOut], 404: ErrorOut},
    auth=None,
    url_name="village_meetings",
)
def village_meetings(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    """The village's latest published meetings, latest first: reports with their scores,
    questions and answers, commitments (late ones flagged). Public."""
    village = _public_village(code)
    shown = selectors.published_pages(village, limit=selectors.PUBLISHED_SHOWN)
    return [_whole(whole, village, staff=False) for whole in shown]


@router.post(
    "/villages/{code}/meetings/{pk}/scores",
    response={201: BallotOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    url_name="meeting_score",
)
def meeting_score(
    request: HttpRequest, code: str, pk: int, payload: BallotIn
) -> Status[dict[str, int]]:
    """Score every cadre who reported with a one-use code from a slip, while scoring is
    open. A wrong or used code: 422; beyond the address's budget: 429."""
    if is_ratelimited(
        request,
        group=SCORE_GROUP,
        key="ip",
        rate=str(settings.MEETINGS_SCORE_RATE),
        method="POST",
        increment=True,
    ):
        raise HttpError(429, _("Too many tries from this connection. Please wait a minute."))
    meeting = selectors.meeting_in_village(_public_village(code), pk)
    if meeting is None:
        raise HttpError(404, _("The village has no meeting with this number."))
    try:
        grades = {int(cadre): grade for cadre, grade in payload.grades.items()}
    except ValueError:
        raise DomainError(_("Score every cadre who reported."), field="grades") from None
    stored = services.ballot_cast(meeting=meeting, code=payload.code, grades=grades)
    return Status(201, {"scores": stored})


@router.get(
    "/work/villages/{code}/meetings/",
    response=list[MeetingOut],
    auth=django_auth,
    url_name="work_village_meetings",
)
def work_village_meetings(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    """Every meeting of the village, latest first, in any state. Staff over the village."""
    village = _staff_village(request, code)
    return [_meeting(meeting, village) for meeting in selectors.meetings_of_village(village)]


@router.get(
    "/work/meetings/{pk}", response=MeetingDetailOut, auth=django_auth, url_name="work_meeting"
)
def work_meeting(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One meeting whole: reports and results, inquiries, commitments with their completion
    and late flags, codes issued and used, paper slips entered. Staff over the village."""
    meeting = policy.access_object(request.user, selectors.meetings_visible(request.user), pk)
    return {
        **_whole(selectors.meeting_whole(meeting), meeting.village, staff=True),
        "tokens": selectors.tokens_summary(meeting),
        "paper_total": selectors.paper_total(meeting),
    }


@router.post(
    "/work/villages/{code}/meetings/",
    response={201: MeetingOut, 404: ErrorOut, 422: ErrorOut},
    auth=django_auth,
    url_name="work_meeting_create",
)
def work_meeting_create(
    request: HttpRequest, code: str, payload: MeetingIn
) -> Status[dict[str, Any]]:
    """Prepare the village's meeting of a quarter (one per quarter). The meetings' writers."""
    village = _staff_village(request, code, write=True)
    meeting = services.meeting_create(
        actor=request.user,
        village=village,
        quarter=payload.quarter,
        held_on=payload.held_on,
        place=payload.place,
    )
    return Status(201, _meeting(meeting, village))


@router.post(
    "/work/commitments/{pk}/done",
    response={200: StaffCommitmentOut, 404: ErrorOut, 422: ErrorOut},
    auth=django_auth,
    url_name="work_commitment_done",
)
def work_commitment_done(
    request: HttpRequest, pk: int, payload: CommitmentDoneIn
) -> dict[str, Any]:
    """Record a commitment as done, on a day and with what shows it (also after the meeting
    is published). The meetings' writers."""
    commitment = policy.access_object(
        request.user,
        Commitment.objects.select_related("meeting", "meeting__village", "owner"),
        pk,
        roles=WRITERS,
    )
    done = services.commitment_complete(
        actor=request.user,
        commitment=commitment,
        done_on=payload.done_on,
        evidence=payload.evidence,
    )
    return _commitment(done, selectors.commitment_is_late(done), staff=True)


@router.get(
    "/work/villages/{code}/appraisals/",
    response=AppraisalsOut,
    auth=django_auth,
    url_name="work_village_appraisals",
)
def work_village_appraisals(request: HttpRequest, code: str) -> dict[str, Any]:
    """The annual appraisals of a village's cadres, and the cadres in the region rated
    incompetent two years running (for a township or county: every village below it)."""
    region = policy.access_region(request.user, code)
    appraisals = selectors.appraisals_of_village(region) if region.is_village else []
    return {
        "appraisals": [
            {
                "year": a.year,
                "cadre_id": a.cadre_id,
                "cadre": a.cadre.name,
                "rating": a.rating,
                "source": a.source,
            }
            for a in appraisals
        ],
        "alerts": [
            {
                "village": alert.village.code,
                "cadre_id": alert.cadre.pk,
                "cadre": alert.cadre.name,
                "years": list(alert.years),
            }
            for alert in selectors.appraisal_alerts_under(request.user, region)
        ],
    }
