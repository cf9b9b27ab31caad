"""Every change to a sunshine report meeting: one transaction, one audit event each.

The meeting moves draft → open (scoring) → closed → published. Reports,
inquiries and commitments are written while it is not yet published; tokens are
issued and paper tallies entered until it is closed; scoring is possible only
while it is open. Publication appends the meeting and its results to the
publication log as a ``sunshine_meeting`` record; a commitment's completion is
recorded afterwards too (it is not part of the logged record, which stays true).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinglian.core.audit import audit_record
from qinglian.core.errors import DomainError
from qinglian.directory.models import Person, Region, Term
from qinglian.meetings import tokens
from qinglian.meetings.models import (
    QUARTER_PATTERN,
    AnnualAppraisal,
    AppraisalSource,
    AttendanceToken,
    CadreReport,
    Commitment,
    Grade,
    Inquiry,
    MeetingState,
    PaperTally,
    Score,
    SunshineMeeting,
)
from qinglian.transparency.services import log_append

SUNSHINE_MEETING_RECORD = "sunshine_meeting"
TOKENS_MAX = 500  # per issue: a village assembly, not a county


class MeetingRefused(DomainError):
    """A change the meeting's state or its rules do not allow."""


class TokenRefused(DomainError):
    """A scoring code that is unknown, for another meeting, or already used."""


class TokenUsed(TokenRefused):
    """A scoring code used before (by this attendee or by whoever held the slip)."""


def _audit(actor: Any, verb: str, meeting: SunshineMeeting, **data: Any) -> None:
    audit_record(
        actor=actor, verb=verb, target=meeting, region_path=meeting.village.path, data=data
    )


def cadres_in_office(village: Region, on: date) -> list[tuple[Person, str]]:
    """People holding a term in the village on ``on``, each with their posts."""
    posts: dict[int, list[str]] = {}
    people: dict[int, Person] = {}
    terms = (
        Term.objects.filter(village=village, started_on__lte=on)
        .exclude(ended_on__lt=on)
        .select_related("person")
        .order_by("started_on", "pk")
    )
    for term in terms:
        people.setdefault(term.person_id, term.person)
        label = str(term.get_post_display())
        if label not in posts.setdefault(term.person_id, []):
            posts[term.person_id].append(label)
    return [(people[pk], " · ".join(posts[pk])) for pk in people]


def _cadre_post(meeting: SunshineMeeting, cadre_id: int) -> str:
    for person, post in cadres_in_office(meeting.village, meeting.held_on):
        if person.pk == cadre_id:
            return post
    raise MeetingRefused(
        _("This person held no post in the village on the day of the meeting."), field="cadre"
    )


def _require(meeting: SunshineMeeting, *states: str, message: str) -> None:
    if meeting.state not in states:
        raise MeetingRefused(message)


@transaction.atomic
def meeting_create(
    *, actor: Any, village: Region, quarter: str, held_on: date, place: str
) -> SunshineMeeting:
    match = QUARTER_PATTERN.match(quarter)
    if not match:
        raise MeetingRefused(_("Write the quarter as 2026-Q3."), field="quarter")
    if held_on.year != int(match["year"]):
        raise MeetingRefused(_("The meeting must be held in the quarter's year."), field="held_on")
    if SunshineMeeting.objects.filter(village=village, quarter=quarter).exists():
        raise MeetingRefused(
            _("The village already has a meeting for this quarter."), field="quarter"
        )
    meeting = SunshineMeeting.objects.create(
        village=village, quarter=quarter, held_on=held_on, place=place.strip()
    )
    _audit(actor, "meeting.created", meeting, quarter=quarter)
    return meeting


@transaction.atomic
def report_write(*, actor: Any, meeting: SunshineMeeting, cadre_id: int, text: str) -> CadreReport:
    _require(
        meeting,
        MeetingState.DRAFT,
        MeetingState.OPEN,
        message=_("Reports can no longer be changed once scoring is closed."),
    )
    if not text.strip():
        raise MeetingRefused(_("Write the report."), field="text")
    if (
        meeting.state == MeetingState.OPEN
        and not meeting.reports.filter(cadre_id=cadre_id).exists()
    ):
        # Ballots already cast would lack the new cadre: correct a report, add none.
        raise MeetingRefused(
            _("Scoring has started: reports can be corrected, no cadre added."), field="cadre"
        )
    post = _cadre_post(meeting, cadre_id)
    report, _created = CadreReport.objects.update_or_create(
        meeting=meeting, cadre_id=cadre_id, defaults={"text": text.strip(), "post": post}
    )
    _audit(actor, "meeting.report_written", meeting, cadre=cadre_id)
    return report


@transaction.atomic
def inquiry_record(
    *,
    actor: Any,
    meeting: SunshineMeeting,
    question: str,
    answer: str = "",
    answered_by_id: int | None = None,
) -> Inquiry:
    _require(
        meeting,
        MeetingState.DRAFT,
        MeetingState.OPEN,
        MeetingState.CLOSED,
        message=_("The meeting is published; its inquiries can no longer change."),
    )
    if not question.strip():
        raise MeetingRefused(_("Write the question."), field="question")
    if answer.strip() and answered_by_id is None:
        raise MeetingRefused(_("Say which cadre answered."), field="answered_by")
    if answered_by_id is not None:
        _cadre_post(meeting, answered_by_id)
    inquiry = Inquiry.objects.create(
        meeting=meeting,
        question=question.strip(),
        answer=answer.strip(),
        answered_by_id=answered_by_id,
    )
    _audit(actor, "meeting.inquiry_recorded", meeting, inquiry=inquiry.pk)
    return inquiry


@transaction.atomic
def commitment_make(
    *, actor: Any, meeting: SunshineMeeting, text: str, owner_id: int, deadline: date
) -> Commitment:
    _require(
        meeting,
        MeetingState.DRAFT,
        MeetingState.OPEN,
        MeetingState.CLOSED,
        message=_("The meeting is published; add new commitments to the next one."),
    )
    if not text.strip():
        raise MeetingRefused(_("Write the commitment."), field="text")
    if deadline < meeting.held_on:
        raise MeetingRefused(_("The deadline cannot be before the meeting."), field="deadline")
    _cadre_post(meeting, owner_id)
    commitment = Commitment.objects.create(
        meeting=meeting, text=text.strip(), owner_id=owner_id, deadline=deadline
    )
    _audit(actor, "meeting.commitment_made", meeting, commitment=commitment.pk)
    return commitment


@transaction.atomic
def commitment_complete(
    *, actor: Any, commitment: Commitment, done_on: date, evidence: str
) -> Commitment:
    if commitment.done_on is not None:
        raise MeetingRefused(_("This commitment is already recorded as done."))
    if done_on < commitment.meeting.held_on:
        raise MeetingRefused(_("It cannot be done before the meeting."), field="done_on")
    if done_on > timezone.localdate():
        raise MeetingRefused(_("The date is in the future."), field="done_on")
    if not evidence.strip():
        raise MeetingRefused(
            _("Say what shows it is done (a photo on file, a receipt, a visit)."), field="evidence"
        )
    commitment.done_on = done_on
    commitment.evidence = evidence.strip()
    commitment.save(update_fields=["done_on", "evidence"])
    _audit(
        actor,
        "meeting.commitment_done",
        commitment.meeting,
        commitment=commitment.pk,
        late=done_on > commitment.deadline,
    )
    return commitment


@transaction.atomic
def meeting_open(*, actor: Any, meeting: SunshineMeeting) -> SunshineMeeting:
    _require(meeting, MeetingState.DRAFT, message=_("Only a meeting in preparation can open."))
    if not meeting.reports.exists():
        raise MeetingRefused(_("Add the cadres' reports before opening the scoring."))
    meeting.state = MeetingState.OPEN
    meeting.save(update_fields=["state"])
    _audit(actor, "meeting.opened", meeting)
    return meeting


@transaction.atomic
def tokens_issue(*, actor: Any, meeting: SunshineMeeting, count: int) -> list[str]:
    """``count`` new codes, returned once (only their hashes are kept)."""
    _require(
        meeting,
        MeetingState.DRAFT,
        MeetingState.OPEN,
        message=_("Scoring is closed: no more codes can be issued."),
    )
    if not 1 <= count <= TOKENS_MAX:
        raise MeetingRefused(
            _("Issue between 1 and %(n)d codes at a time.") % {"n": TOKENS_MAX}, field="count"
        )
    codes = [tokens.code_new() for _ in range(count)]
    AttendanceToken.objects.bulk_create(
        AttendanceToken(meeting=meeting, code_hash=tokens.code_hash(meeting.pk, code))
        for code in codes
    )
    _audit(actor, "meeting.tokens_issued", meeting, count=count)
    return codes


@dataclass(frozen=True)
class Ballot:
    meeting: SunshineMeeting
    grades: dict[int, str]  # cadre id → grade


def token_find(meeting: SunshineMeeting, code: str) -> AttendanceToken:
    token = AttendanceToken.objects.filter(
        meeting=meeting, code_hash=tokens.code_hash(meeting.pk, code)
    ).first()
    if token is None:
        raise TokenRefused(
            _("This code is not one of this meeting's codes. Check the digits on your slip."),
            field="code",
        )
    if token.used_at is not None:
        raise TokenUsed(_("This code has already been used to score."), field="code")
    return token


def ballot_cast(*, meeting: SunshineMeeting, code: str, grades: dict[int, str]) -> int:
    """Score each cadre with one code; the code is then used. Returns the scores stored.

    Two guards: the token is claimed by a conditional update, and the unique
    constraint on (token, cadre) refuses a second score even if two requests got
    past the first guard at once.
    """
    if meeting.state != MeetingState.OPEN:
        raise TokenRefused(_("Scoring for this meeting is not open."))
    reported = set(meeting.reports.values_list("cadre_id", flat=True))
    if set(grades) != reported:
        raise TokenRefused(_("Score every cadre who reported."), field="grades")
    if any(grade not in Grade.values for grade in grades.values()):
        raise TokenRefused(_("Choose one of the four grades."), field="grades")
    token = token_find(meeting, code)
    try:
        with transaction.atomic():
            claimed = AttendanceToken.objects.filter(pk=token.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            if not claimed:
                raise TokenUsed(_("This code has already been used to score."), field="code")
            Score.objects.bulk_create(
                Score(meeting=meeting, cadre_id=cadre_id, token=token, grade=grade)
                for cadre_id, grade in sorted(grades.items())
            )
    except IntegrityError:
        raise TokenUsed(_("This code has already been used to score."), field="code") from None
    return len(grades)


@transaction.atomic
def paper_tally_enter(
    *, actor: Any, meeting: SunshineMeeting, cadre_id: int, counts: dict[str, int]
) -> None:
    """Set the paper slips' counts for one cadre (entering again replaces them)."""
    _require(
        meeting,
        MeetingState.DRAFT,
        MeetingState.OPEN,
        MeetingState.CLOSED,
        message=_("The meeting is published; its results can no longer change."),
    )
    if not meeting.reports.filter(cadre_id=cadre_id).exists():
        raise MeetingRefused(_("This cadre did not report at the meeting."), field="cadre")
    if any(n < 0 for n in counts.values()) or set(counts) - set(Grade.values):
        raise MeetingRefused(_("Counts are whole numbers, zero or more."))
    for grade in Grade.values:
        PaperTally.objects.update_or_create(
            meeting=meeting,
            cadre_id=cadre_id,
            grade=grade,
            defaults={"count": counts.get(grade, 0)},
        )
    _audit(actor, "meeting.paper_entered", meeting, cadre=cadre_id, counts=counts)


@transaction.atomic
def meeting_close(*, actor: Any, meeting: SunshineMeeting) -> SunshineMeeting:
    _require(meeting, MeetingState.OPEN, message=_("Only a meeting open for scoring can close."))
    meeting.state = MeetingState.CLOSED
    meeting.save(update_fields=["state"])
    _audit(actor, "meeting.closed", meeting)
    return meeting


@transaction.atomic
def meeting_publish(
    *, actor: Any, meeting: SunshineMeeting, now: datetime | None = None
) -> SunshineMeeting:
    from qinglian.meetings.records import meeting_content

    meeting = (
        SunshineMeeting.objects.select_for_update().select_related("village").get(pk=meeting.pk)
    )
    _require(meeting, MeetingState.CLOSED, message=_("Close the scoring before publishing."))
    at = now or timezone.now()
    meeting.state = MeetingState.PUBLISHED
    meeting.published_at = at
    meeting.save(update_fields=["state", "published_at"])
    log_append(
        record_type=SUNSHINE_MEETING_RECORD,
        record_id=str(meeting.pk),
        region_path=meeting.village.path,
        content=meeting_content(meeting),
        published_at=at,
    )
    _audit(actor, "meeting.published", meeting)
    return meeting


@transaction.atomic
def appraisal_record(
    *,
    actor: Any,
    village: Region,
    year: int,
    cadre_id: int,
    rating: str | None = None,
) -> AnnualAppraisal:
    """The year's rating of a cadre: as given (``rating``), or from the year's
    published meetings when ``rating`` is None."""
    from qinglian.meetings.selectors import year_counts

    source = AppraisalSource.ENTERED
    if rating is None:
        from qinglian.meetings.scoring import rating_from_counts

        rating = rating_from_counts(year_counts(village, year, cadre_id))
        source = AppraisalSource.MEETINGS
        if rating is None:
            raise MeetingRefused(_("No published meeting of that year scored this cadre."))
    if rating not in Grade.values:
        raise MeetingRefused(_("Choose one of the four grades."), field="rating")
    appraisal, _created = AnnualAppraisal.objects.update_or_create(
        village=village, year=year, cadre_id=cadre_id, defaults={"rating": rating, "source": source}
    )
    audit_record(
        actor=actor,
        verb="meeting.appraisal_recorded",
        target=appraisal,
        region_path=village.path,
        data={"year": year, "cadre": cadre_id, "rating": rating, "source": str(source)},
    )
    return appraisal
