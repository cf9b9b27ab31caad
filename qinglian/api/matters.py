"""Matter endpoints: a region's matters, one matter's steps, recording a step, exceptions.

Staff only, through the access policy as the pages (``powers.matter_views``):
anyone whose role reaches the village reads; the village's cadres and bookkeeper
record (``MATTER_RECORDERS``); the supervision committee and the township and
county above review exceptions (``EXCEPTION_REVIEWERS``). A step that breaks its
procedure answers 422 with ``problems`` (code and message each); sent again with
``as_exception`` and an ``explanation`` it is kept as an exception.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from qinglian.accounts import policy
from qinglian.finance.thresholds import threshold_values
from qinglian.powers import selectors, services
from qinglian.powers.models import Matter, StepRecord
from qinglian.powers.procedure import Evidence

router = Router(tags=["matters"])


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class ProblemOut(Schema):
    code: str
    message: str


class RefusedOut(ErrorOut):
    problems: list[ProblemOut] = Field(default_factory=list)


class MatterOut(Schema):
    id: int
    village: str
    village_name: str
    item: str
    item_title: str
    title: str
    amount: Decimal | None
    origin: str
    started_on: date
    state: str
    decided_on: date | None
    finished_on: date | None
    exceptions: int


class MatterIn(Schema):
    item: str = Field(..., description="Code of a positive item, e.g. P01")
    title: str
    origin: str = Field(..., description="villagers, cadres or higher_level")
    started_on: date
    amount: Decimal | None = None


class ReviewOut(Schema):
    comment: str
    reviewed_at: datetime


class RecordOut(Schema):
    id: int
    number: int
    code: str
    taken: bool
    held_on: date
    content: str
    expected: int | None
    present: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    passed: bool | None
    publicity_start: date | None
    publicity_end: date | None
    procurement_mode: str
    quotes: int | None
    households_expected: int | None
    households_present: int | None
    problems: list[ProblemOut]
    explanation: str
    recorded_at: datetime
    review: ReviewOut | None


class StepOut(Schema):
    number: int
    code: str
    title: str
    required: bool
    status: str = Field(..., description="pending, done, exception, rejected or not_required")
    rules: list[str]
    records: list[RecordOut]


class MatterDetailOut(MatterOut):
    steps: list[StepOut]


class StepIn(Schema):
    number: int
    held_on: date
    taken: bool = True
    content: str = ""
    expected: int | None = Field(None, ge=0)
    present: int | None = Field(None, ge=0)
    attendees: str = ""
    votes_for: int | None = Field(None, ge=0)
    votes_against: int | None = Field(None, ge=0)
    votes_abstain: int | None = Field(None, ge=0)
    publicity_start: date | None = None
    publicity_end: date | None = None
    publicity_place: str = ""
    procurement_mode: str = ""
    quotes: int | None = Field(None, ge=0)
    households_expected: int | None = Field(None, ge=0)
    households_present: int | None = Field(None, ge=0)
    as_exception: bool = False
    explanation: str = ""


class ExceptionOut(RecordOut):
    matter: int
    matter_title: str
    village: str


class ReviewIn(Schema):
    comment: str


def _matter(matter: Matter) -> dict[str, Any]:
    return {
        "id": matter.pk,
        "village": matter.village.code,
        "village_name": matter.village.name,
        "item": matter.item.code,
        "item_title": matter.item.title,
        "title": matter.title,
        "amount": matter.amount,
        "origin": matter.origin,
        "started_on": matter.started_on,
        "state": matter.state,
        "decided_on": matter.decided_on,
        "finished_on": matter.finished_on,
        "exceptions": matter.exceptions,
    }


def _record(record: StepRecord) -> dict[str, Any]:
    review = getattr(record, "review", None)
    return {
        **{name: getattr(record, name) for name in RecordOut.model_fields if name != "review"},
        "id": record.pk,
        "review": {"comment": review.comment, "reviewed_at": review.reviewed_at}
        if review
        else None,
    }


def _visible_matter(request: HttpRequest, pk: int, *, roles: Any = None) -> Matter:
    queryset = Matter.objects.select_related("village", "item__power_list")
    return policy.access_object(request.user, queryset, pk, roles=roles)


@router.get(
    "/work/regions/{code}/matters/",
    response=list[MatterOut],
    auth=django_auth,
    url_name="work_region_matters",
)
def region_matters(request: HttpRequest, code: str, state: str = "") -> list[dict[str, Any]]:
    """The matters of the region's villages, latest first (at most 500); ``state`` filters."""
    region = policy.access_region(request.user, code)
    rows = selectors.matters_in(policy.visible(request.user, Matter.objects.all()), region)
    if state:
        rows = rows.filter(state=state)
    return [_matter(matter) for matter in rows[:500]]


@router.post(
    "/work/villages/{code}/matters/",
    response={201: MatterOut, 404: ErrorOut, 422: ErrorOut},
    auth=django_auth,
    url_name="work_matter_start",
)
def matter_start(request: HttpRequest, code: str, payload: MatterIn) -> Status[dict[str, Any]]:
    """Open a matter of the village under a positive item of its list. Its cadres."""
    village = policy.access_region(request.user, code, roles=selectors.MATTER_RECORDERS)
    if not village.is_village:
        raise Http404
    matter = services.matter_start(
        actor=request.user,
        village=village,
        item_code=payload.item,
        title=payload.title,
        origin=payload.origin,
        started_on=payload.started_on,
        amount=payload.amount,
    )
    return Status(201, _matter(matter))


@router.get(
    "/work/matters/{pk}", response=MatterDetailOut, auth=django_auth, url_name="work_matter"
)
def matter_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One matter with every step of its procedure, its status and every record kept."""
    matter = _visible_matter(request, pk)
    rows = selectors.matter_steps(matter, threshold_values(matter.village, timezone.localdate()))
    return {
        **_matter(matter),
        "steps": [
            {
                "number": row.step.number,
                "code": row.step.code,
                "title": row.step.title,
                "required": row.required,
                "status": row.status,
                "rules": row.step.notes,
                "records": [_record(record) for record in row.history],
            }
            for row in rows
        ],
    }


@router.post(
    "/work/matters/{pk}/steps",
    response={201: RecordOut, 404: ErrorOut, 422: RefusedOut},
    auth=django_auth,
    url_name="work_matter_step",
)
def matter_step(request: HttpRequest, pk: int, payload: StepIn) -> Status[dict[str, Any]]:
    """Record a step's evidence. A rule broken: 422 with ``problems``, unless sent with
    ``as_exception`` and an ``explanation``. The village's cadres."""
    matter = _visible_matter(request, pk, roles=selectors.MATTER_RECORDERS)
    evidence = Evidence(**{name: getattr(payload, name) for name in Evidence.__dataclass_fields__})
    try:
        record = services.step_record(
            actor=request.user,
            matter=matter,
            evidence=evidence,
            content=payload.content,
            attendees=payload.attendees,
            publicity_place=payload.publicity_place,
            as_exception=payload.as_exception,
            explanation=payload.explanation,
        )
    except services.StepRefused as refused:
        return Status(
            422,
            {
                "detail": refused.message,
                "field": refused.field,
                "problems": [{"code": p.code, "message": p.message} for p in refused.problems],
            },
        )
    return Status(201, _record(record))


@router.get(
    "/work/exceptions/",
    response=list[ExceptionOut],
    auth=django_auth,
    url_name="work_exceptions",
)
def exceptions(request: HttpRequest) -> list[dict[str, Any]]:
    """Exceptions waiting for review in the reviewer's regions, oldest first."""
    records = policy.visible(
        request.user, StepRecord.objects.all(), roles=selectors.EXCEPTION_REVIEWERS
    )
    return [
        {
            **_record(record),
            "matter": record.matter_id,
            "matter_title": record.matter.title,
            "village": record.matter.village.code,
        }
        for record in selectors.open_exceptions(records)[:500]
    ]


@router.post(
    "/work/exceptions/{pk}/review",
    response={201: ReviewOut, 404: ErrorOut, 422: ErrorOut},
    auth=django_auth,
    url_name="work_exception_review",
)
def exception_review(request: HttpRequest, pk: int, payload: ReviewIn) -> Status[dict[str, Any]]:
    """Say what was found and what the village must do. The supervision committee, the
    township and the county; not whoever recorded the step."""
    record = policy.access_object(
        request.user, StepRecord.objects.all(), pk, roles=selectors.EXCEPTION_REVIEWERS
    )
    review = services.exception_review(actor=request.user, record=record, comment=payload.comment)
    return Status(201, {"comment": review.comment, "reviewed_at": review.reviewed_at})
