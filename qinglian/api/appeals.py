"""Mailbox endpoints for mini-programs and kiosks: send a case, follow it, write, rate, reopen.

Anonymous, as the village page's form is: no login, no cookie, so no CSRF token
(django-ninja checks CSRF only for cookie authentication). Following a case takes
its receipt and secret in the JSON body, never in the URL (addresses end up in
logs and browser histories). Every endpoint is rate limited per client address
(django-ratelimit on the cache: ``APPEALS_SUBMIT_RATE`` for sending,
``APPEALS_TRACK_RATE`` for the rest, shared so that guessing secrets through one
endpoint or another counts alike) and answers 429 beyond it.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Field, Header, Router, Schema, Status
from ninja.errors import HttpError

from qinglian.appeals import selectors
from qinglian.appeals.models import Appeal, Category, Channel, Kind, Rating
from qinglian.appeals.public_selectors import case_handler
from qinglian.appeals.services import (
    ATTACHMENTS_MAX,
    SubmissionConflict,
    Upload,
    appeal_rate,
    appeal_reopen,
    appeal_submit,
    appeal_track,
    villager_write,
)
from qinglian.core.errors import DomainError
from qinglian.directory.models import Region, RegionLevel
from qinglian.disclosures.selectors import published_line

router = Router(tags=["appeals"])

SUBMIT_GROUP = "appeals-submit"
TRACK_GROUP = "appeals-track"  # track, messages, rate and reopen share one budget
# The services name their inputs; the API's names for the same inputs.
API_FIELDS = {"subjects": "cadres", "file": "photos"}


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class AppealIn(Schema):
    kind: str = Field(..., json_schema_extra={"enum": list(Kind.values)})
    text: str = Field(..., description="What the villager writes (4 to 2,000 characters)")
    category: str = Field(Category.OTHER, json_schema_extra={"enum": list(Category.values)})
    cadres: list[int] = Field(
        default_factory=list,
        description="Ids of cadres named, from the village's published list of cadres in office",
    )
    disclosure: int | None = Field(None, description="A published item of the village asked about")
    line: str = Field("", max_length=80, description="The key of the item's line asked about")
    name: str = Field("", description="Optional; sealed to the discipline commission's key")
    phone: str = Field("", description="Optional mobile number; sealed like the name")
    photos: list[str] = Field(
        default_factory=list,
        description=f"Up to {ATTACHMENTS_MAX} JPEG, PNG or PDF files, base64-encoded",
    )
    submission_key: str | None = Field(
        None,
        description="A random key the client makes (a UUID): the same submission sent again "
        "with it answers the same receipt and makes no second case. The Idempotency-Key "
        "header does the same.",
    )


class SubmittedOut(Schema):
    receipt: str = Field(..., description="12 digits that name the case")
    secret: str = Field(..., description="20 digits; with the receipt, they open the case")
    status: str = Field(..., description="The case's state")
    due_on: date | None


class CaseKey(Schema):
    receipt: str
    secret: str


class MessageIn(CaseKey):
    text: str


class RatingIn(CaseKey):
    rating: str = Field(..., json_schema_extra={"enum": list(Rating.values)})


class EventOut(Schema):
    at: datetime
    kind: str
    code: str
    text: str


class CaseOut(Schema):
    receipt: str
    kind: str
    category: str
    state: str
    outcome: str
    due_on: date | None
    due_estimated: bool
    handled_by: str = Field(..., description="Who handles the case now, by name")
    rating: str
    events: list[EventOut] = Field(..., description="What happened, as the villager may see it")


def _limited(request: HttpRequest, group: str, rate: str) -> None:
    if is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True):
        raise HttpError(429, _("Too many requests from your address: please try again later."))


def _village(code: str) -> Region:
    try:
        return Region.objects.select_related("parent").get(code=code, level=RegionLevel.VILLAGE)
    except Region.DoesNotExist:
        raise HttpError(404, _("No village has this code.")) from None


def _uploads(photos: list[str]) -> list[Upload]:
    if len(photos) > ATTACHMENTS_MAX:
        raise DomainError(
            _("Attach at most %(n)d photos or files.") % {"n": ATTACHMENTS_MAX}, field="photos"
        )
    uploads = []
    for number, photo in enumerate(photos, start=1):
        try:
            content = base64.b64decode(photo, validate=True)
        except (binascii.Error, ValueError):
            raise DomainError(_("A photo is not valid base64."), field="photos") from None
        uploads.append(Upload(name=f"photo-{number}", content=content))
    return uploads


def _submission_key(body_key: str | None, header_key: str | None) -> str | None:
    if body_key and header_key and body_key != header_key:
        raise DomainError(
            _("The Idempotency-Key header and the submission key differ."), field="submission_key"
        )
    return body_key or header_key or None


def _case(appeal: Appeal) -> dict[str, Any]:
    return {
        "receipt": appeal.receipt,
        "kind": appeal.kind,
        "category": appeal.category,
        "state": appeal.state,
        "outcome": appeal.outcome,
        "due_on": appeal.due_on,
        "due_estimated": appeal.due_estimated,
        "handled_by": case_handler(appeal),
        "rating": appeal.rating,
        "events": [
            {"at": event.at, "kind": event.kind, "code": event.code, "text": event.text}
            for event in selectors.events_public(appeal)
        ],
    }


def _opened(request: HttpRequest, key: CaseKey) -> Appeal:
    """The case of a receipt and secret; the same 404 for an unknown receipt or a wrong secret."""
    _limited(request, TRACK_GROUP, settings.APPEALS_TRACK_RATE)
    appeal = appeal_track(key.receipt, key.secret)
    if appeal is None:
        raise HttpError(404, _("No case has this receipt and secret."))
    return appeal


@router.post(
    "/villages/{code}/appeals/",
    response={200: SubmittedOut, 201: SubmittedOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut,
              429: ErrorOut},
    auth=None,
)  # fmt: skip
def appeal_create(
    request: HttpRequest,
    code: str,
    payload: AppealIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[Any]:
    """Send a case to a village: 201 with its receipt and secret (shown once, kept by the
    villager); 200 with the same for a submission sent again with its key; 409 when the
    key was used for a different submission."""
    _limited(request, SUBMIT_GROUP, settings.APPEALS_SUBMIT_RATE)
    village = _village(code)
    line_label = ""
    if payload.line:
        line = published_line(village, payload.disclosure, payload.line)
        if line is None:
            raise DomainError(
                _("That line is not among the village's published lines any more."),
                field="line",
            )
        line_label = line.label
    try:
        submitted = appeal_submit(
            village=village,
            kind=payload.kind,
            text=payload.text,
            category=payload.category,
            channel=Channel.API,
            subject_ids=payload.cadres,
            disclosure_id=payload.disclosure,
            line_key=payload.line,
            line_label=line_label,
            name=payload.name,
            phone=payload.phone,
            uploads=_uploads(payload.photos),
            submission_key=_submission_key(payload.submission_key, idempotency_key),
        )
    except SubmissionConflict as conflict:
        return Status(409, {"detail": conflict.message, "field": "submission_key"})
    except DomainError as refused:
        refused.field = API_FIELDS.get(refused.field or "", refused.field)
        raise
    appeal = submitted.appeal
    return Status(
        201 if submitted.created else 200,
        {
            "receipt": submitted.receipt,
            "secret": submitted.secret,
            "status": appeal.state,
            "due_on": appeal.due_on,
        },
    )


@router.post("/appeals/track", response={200: CaseOut, 404: ErrorOut, 429: ErrorOut}, auth=None)
def appeal_follow(request: HttpRequest, payload: CaseKey) -> dict[str, Any]:
    """A case as its villager sees it: state, due date, who handles it, and its public events."""
    return _case(_opened(request, payload))


@router.post(
    "/appeals/messages",
    response={201: CaseOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
)
def appeal_message(request: HttpRequest, payload: MessageIn) -> Status[dict[str, Any]]:
    """Write to the handlers of an open case (more detail, an answer to their question)."""
    appeal = _opened(request, payload)
    villager_write(appeal=appeal, text=payload.text)
    return Status(201, _case(appeal))


@router.post(
    "/appeals/rate", response={200: CaseOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}, auth=None
)
def appeal_rating(request: HttpRequest, payload: RatingIn) -> dict[str, Any]:
    """Rate the answer once: satisfied, basically satisfied or dissatisfied."""
    return _case(appeal_rate(appeal=_opened(request, payload), rating=payload.rating))


@router.post(
    "/appeals/reopen",
    response={200: CaseOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
)
def appeal_reopening(request: HttpRequest, payload: MessageIn) -> dict[str, Any]:
    """Not satisfied with the answer: reopen the case once; the township commission takes it."""
    return _case(appeal_reopen(appeal=_opened(request, payload), text=payload.text))
