"""Writing cases: intake, handling, deadlines and escalation, closure and rating.

Every change to a case writes an ``AppealEvent`` in the same transaction (the
events are append-only: they are the case's history and its audit trail).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qinglian.appeals import deadlines, sealing, tokens
from qinglian.appeals.models import (
    OPEN_STATES,
    Appeal,
    AppealAttachment,
    AppealEvent,
    AppealNotice,
    Body,
    Category,
    Channel,
    EventKind,
    Kind,
    NoticeKind,
    Outcome,
    PublishedAnswer,
    Rating,
    SealedIdentity,
    SealingKey,
    State,
)
from qinglian.appeals.selectors import cadres_to_name, keys_user_can_open, sealing_keys_for
from qinglian.core.audit import acting_user, audit_record
from qinglian.core.errors import DomainError
from qinglian.core.files import document_accepted
from qinglian.directory.models import Region, RegionLevel
from qinglian.transparency.services import log_append

APPEAL_ANSWER_RECORD = "appeal_answer"
TEXT_MIN, TEXT_MAX = 4, 2000
ATTACHMENTS_MAX = 4
PHONE_PATTERN = re.compile(r"^1\d{10}$")


class SubmissionConflict(DomainError):
    """A submission key used before for a different submission."""


@dataclass(frozen=True)
class Submitted:
    appeal: Appeal
    receipt: str
    secret: str
    created: bool


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def _text(value: str, *, field: str = "text") -> str:
    text = (value or "").strip()
    if len(text) < TEXT_MIN:
        raise DomainError(_("Please write at least a few words."), field=field)
    if len(text) > TEXT_MAX:
        raise DomainError(
            _("Please keep it under %(max)d characters.") % {"max": TEXT_MAX}, field=field
        )
    return text


def _handler_region(village: Region, body: str) -> Region:
    if body == Body.VILLAGE:
        return village
    return village.parent if village.parent is not None else village


def _event(
    appeal: Appeal,
    kind: str,
    *,
    public: bool,
    text: str = "",
    code: str = "",
    actor: Any = None,
    at: datetime | None = None,
) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        at=at or timezone.now(),
        kind=kind,
        public=public,
        text=text,
        code=code,
        actor=acting_user(actor),
        region_id=appeal.assigned_region_id,
    )


def _set_due(
    appeal: Appeal, start: date, days: int, *, rule: deadlines.Deadlines | None = None
) -> None:
    rule = rule or deadlines.deadlines_for(appeal.village, appeal.kind)
    _apply_due(appeal, deadlines.due_after(start, days, rule.very_overdue_days))


def _apply_due(appeal: Appeal, due: deadlines.Due | None) -> None:
    """Put ``due`` on the case; None clears its due dates (nothing is due of the handlers)."""
    if due is None:
        appeal.due_on = appeal.very_overdue_on = None
        appeal.due_estimated = False
    else:
        appeal.due_on, appeal.very_overdue_on = due.due_on, due.very_overdue_on
        appeal.due_estimated = due.estimated


def _first_answer(appeal: Appeal, now: datetime) -> None:
    """Stamp the case's first response (answer, acceptance or closure) and whether in time."""
    if appeal.first_answered_at is None:
        appeal.first_answered_at = now
        appeal.answered_on_time = appeal.due_on is None or timezone.localdate(now) <= appeal.due_on


def appeal_submit(
    *,
    village: Region,
    kind: str,
    text: str,
    category: str = Category.OTHER,
    channel: str = Channel.QR_PORTAL,
    subject_ids: Sequence[int] = (),
    disclosure_id: int | None = None,
    line_key: str = "",
    line_label: str = "",
    name: str = "",
    phone: str = "",
    uploads: Sequence[Upload] = (),
    submission_key: str | None = None,
    now: datetime | None = None,
) -> Submitted:
    """Take a villager's case; answer its receipt and secret (the secret is never stored).

    A ``submission_key`` makes the call idempotent: the same key with the same
    submission answers the same receipt and secret and creates nothing.
    """
    if village.level != RegionLevel.VILLAGE:
        raise DomainError(_("Cases are sent to a village."), field="village")
    if kind not in Kind.values:
        raise DomainError(_("Choose question, complaint, report or suggestion."), field="kind")
    if category not in Category.values:
        raise DomainError(_("Choose what it is about from the list."), field="category")
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    body_text = _text(text)
    name, phone = (name or "").strip(), tokens.digits_only(phone or "")
    if submission_key is not None and not tokens.SUBMISSION_KEY_PATTERN.match(submission_key):
        raise DomainError(
            _("The submission key must be 16 to 100 letters, digits, '-' or '_'."),
            field="submission_key",
        )
    digest = tokens.content_digest(
        village.code, kind, body_text, ",".join(map(str, sorted(set(subject_ids)))), line_key
    )
    # A new submission costs no lookup of its key: a key sent before is found when the
    # database refuses it a second case (the unique submission hash), or when what it
    # names no longer passes the checks (a cadre left office since), and answered then.
    try:
        cadres, documents, keys, disclosure = _submission_checked(
            village=village,
            subject_ids=subject_ids,
            uploads=uploads,
            name=name,
            phone=phone,
            disclosure_id=disclosure_id,
        )
    except DomainError:
        earlier = _earlier_submission(submission_key, digest) if submission_key else None
        if earlier is None:
            raise
        return earlier

    body = Body.COMMISSION if kind == Kind.REPORT or subject_ids else Body.VILLAGE
    now = now or timezone.now()
    secret = tokens.secret_new(submission_key)
    rule = deadlines.deadlines_for(village, kind)
    for _attempt in range(5):
        receipt = tokens.receipt_new()
        try:
            with transaction.atomic():
                appeal = _appeal_create(
                    receipt=receipt,
                    rule=rule,
                    village=village,
                    kind=kind,
                    category=category,
                    channel=channel,
                    text=body_text,
                    body=body,
                    disclosure=disclosure,
                    line_key=line_key[:80],
                    line_label=line_label[:200],
                    real_name=bool(name or phone),
                    submission_key=submission_key,
                    digest=digest,
                    secret=secret,
                    now=now,
                )
                if subject_ids:
                    appeal.subjects.set([cadres[pk] for pk in set(subject_ids)])
                for key in keys:
                    sealed = sealing.seal(key, sealing.Identity(name=name, phone=phone))
                    SealedIdentity.objects.create(appeal=appeal, key=key, sealed=sealed)
                for upload, document in documents:
                    attachment = AppealAttachment(
                        appeal=appeal,
                        content_type=document.content_type,
                        sha256=document.sha256,
                        size=document.size,
                    )
                    attachment.file.save(
                        document.stored_name, ContentFile(upload.content), save=False
                    )
                    attachment.save()
                _event(appeal, EventKind.RECEIVED, public=True, at=now)
        except IntegrityError:
            if submission_key is not None:
                earlier = _earlier_submission(submission_key, digest)
                if earlier is not None:
                    return earlier  # sent before (or at the same moment, a double tap)
            if Appeal.objects.filter(receipt=receipt).exists():
                continue  # the rare receipt already taken: draw another
            raise
        return Submitted(appeal=appeal, receipt=appeal.receipt, secret=secret, created=True)
    raise RuntimeError("no free receipt number after 5 draws")


def _submission_checked(
    *,
    village: Region,
    subject_ids: Sequence[int],
    uploads: Sequence[Upload],
    name: str,
    phone: str,
    disclosure_id: int | None,
) -> tuple[dict[int, Any], list[tuple[Upload, Any]], list[SealingKey], Any]:
    """What a submission names, checked: cadres, files, the sealing keys for a name, the item."""
    cadres = {person.pk: person for person in cadres_to_name(village)} if subject_ids else {}
    unknown = [pk for pk in subject_ids if pk not in cadres]
    if unknown:
        raise DomainError(
            _("Name only cadres from the village's published list."), field="subjects"
        )
    if len(uploads) > ATTACHMENTS_MAX:
        raise DomainError(
            _("Attach at most %(n)d photos or files.") % {"n": ATTACHMENTS_MAX}, field="file"
        )
    documents = [(upload, document_accepted(upload.content)) for upload in uploads]
    keys: list[SealingKey] = []
    if name or phone:
        if phone and not PHONE_PATTERN.match(phone):
            raise DomainError(_("A mobile number has 11 digits and starts with 1."), field="phone")
        if len(name) > 40:
            raise DomainError(_("The name is too long."), field="name")
        keys = sealing_keys_for(village)
        if not keys:
            raise DomainError(
                _(
                    "Names cannot be taken safely for this village yet: please send it "
                    "without your name, or call the 12388 hotline."
                ),
                field="name",
            )
    disclosure = None
    if disclosure_id is not None:
        from qinglian.disclosures.models import Disclosure

        disclosure = Disclosure.objects.filter(
            pk=disclosure_id, village=village, versions_published__gt=0
        ).first()
        if disclosure is None:
            raise DomainError(_("That published item is not in this village."), field="line")
    return cadres, documents, keys, disclosure


def _earlier_submission(submission_key: str, digest: str) -> Submitted | None:
    earlier = Appeal.objects.filter(submission_hash=tokens.submission_hash(submission_key)).first()
    if earlier is None:
        return None
    if earlier.content_digest != digest:
        raise SubmissionConflict(
            _("This submission key was already used for a different submission."),
            field="submission_key",
        )
    return Submitted(
        appeal=earlier,
        receipt=earlier.receipt,
        secret=tokens.secret_new(submission_key),
        created=False,
    )


def _appeal_create(
    *,
    receipt: str,
    rule: deadlines.Deadlines,
    submission_key: str | None,
    digest: str,
    secret: str,
    now: datetime,
    **fields: Any,
) -> Appeal:
    """The case's row, inserted without a savepoint: a refused insert (a receipt drawn
    twice, a submission key sent before) rolls back the whole submission."""
    village: Region = fields["village"]
    appeal = Appeal(
        receipt=receipt,
        secret_hash=tokens.secret_hash(receipt, secret),
        submission_hash=tokens.submission_hash(submission_key) if submission_key else None,
        content_digest=digest,
        village_path=village.path,
        assigned_region=_handler_region(village, fields["body"]),
        state=State.RECEIVED,
        received_at=now,
        **fields,
    )
    _set_due(appeal, timezone.localdate(now), rule.first_response_days, rule=rule)
    appeal.save(force_insert=True)
    return appeal


def appeal_track(receipt: str, secret: str) -> Appeal | None:
    """The case with this receipt if the secret is right; None for any wrong pair."""
    receipt = tokens.digits_only(receipt)
    if len(receipt) != tokens.RECEIPT_DIGITS:
        return None
    appeal = (
        Appeal.objects.filter(receipt=receipt)
        .select_related("village", "village__parent", "assigned_region", "disclosure")
        .first()
    )
    if appeal is None or not tokens.secret_matches(receipt, secret, appeal.secret_hash):
        return None
    return appeal


def _locked(appeal: Appeal) -> Appeal:
    return (
        # Only the case's row is locked: PostgreSQL refuses FOR UPDATE on the nullable
        # side of an outer join (the village's parent, the item asked about).
        Appeal.objects.select_for_update(of=("self",))
        .select_related("village", "village__parent", "assigned_region", "disclosure")
        .get(pk=appeal.pk)
    )


# --- the villager --------------------------------------------------------------------------


@transaction.atomic
def villager_write(*, appeal: Appeal, text: str) -> AppealEvent:
    appeal = _locked(appeal)
    if appeal.state in (State.CLOSED, State.TRANSFERRED):
        raise DomainError(
            _("This case is closed; you can reopen it once if you are not satisfied.")
        )
    return _event(appeal, EventKind.MESSAGE_FROM_VILLAGER, public=True, text=_text(text))


@transaction.atomic
def appeal_rate(*, appeal: Appeal, rating: str, now: datetime | None = None) -> Appeal:
    appeal = _locked(appeal)
    if rating not in Rating.values:
        raise DomainError(
            _("Choose satisfied, basically satisfied or dissatisfied."), field="rating"
        )
    if appeal.first_answered_at is None:
        raise DomainError(_("You can rate the answer once there is one."), field="rating")
    if appeal.rating:
        raise DomainError(_("This answer has been rated already."), field="rating")
    now = now or timezone.now()
    appeal.rating, appeal.rated_at = rating, now
    appeal.save(update_fields=["rating", "rated_at"])
    _event(appeal, EventKind.RATED, public=True, code=rating, at=now)
    return appeal


@transaction.atomic
def appeal_reopen(*, appeal: Appeal, text: str, now: datetime | None = None) -> Appeal:
    """Not satisfied: reopen once; the case goes to the township discipline commission."""
    appeal = _locked(appeal)
    if appeal.reopened_at is not None:
        raise DomainError(_("A case can be reopened only once."))
    if appeal.state not in (State.ANSWERED, State.CLOSED):
        raise DomainError(_("A case can be reopened after it has been answered."))
    reason = _text(text)
    now = now or timezone.now()
    today = timezone.localdate(now)
    appeal.reopened_at = now
    appeal.state = State.RECEIVED
    appeal.outcome = ""
    appeal.closed_at = None
    appeal.rating, appeal.rated_at = "", None
    appeal.body = Body.COMMISSION
    appeal.assigned_region = _handler_region(appeal.village, Body.COMMISSION)
    rule = deadlines.deadlines_for(appeal.village, appeal.kind)
    _set_due(appeal, today, rule.first_response_days, rule=rule)
    appeal.save()
    _event(appeal, EventKind.REOPENED, public=True, text=reason, at=now)
    _notice(appeal, NoticeKind.REOPENED, now=now)
    return appeal


# --- the handlers --------------------------------------------------------------------------


def _require_open(appeal: Appeal) -> None:
    if appeal.state in (State.CLOSED, State.TRANSFERRED):
        raise DomainError(_("This case is closed."))


def acceptable(appeal: Appeal) -> bool:
    """Whether the case may be accepted for handling: a report, or a case with a commission.

    Anything else is answered. (Acceptance sets the longer result deadline, so a
    village must not be able to accept its own question to gain time.)
    """
    return appeal.state == State.RECEIVED and (
        appeal.kind == Kind.REPORT or appeal.body == Body.COMMISSION
    )


@transaction.atomic
def appeal_accept(
    *, actor: Any, appeal: Appeal, text: str = "", now: datetime | None = None
) -> Appeal:
    """Accept a report for handling: the reporter is told; the result is due next."""
    appeal = _locked(appeal)
    if appeal.state != State.RECEIVED:
        raise DomainError(_("Only a newly received case can be accepted."))
    if not acceptable(appeal):
        raise DomainError(
            _("Only reports and cases with a discipline commission are accepted; answer this one.")
        )
    now = now or timezone.now()
    _first_answer(appeal, now)
    appeal.state = State.ACCEPTED
    rule = deadlines.deadlines_for(appeal.village, appeal.kind)
    _set_due(appeal, timezone.localdate(now), rule.result_days, rule=rule)
    appeal.save()
    _event(appeal, EventKind.ACCEPTED, public=True, text=text.strip(), actor=actor, at=now)
    return appeal


@transaction.atomic
def appeal_answer(
    *,
    actor: Any,
    appeal: Appeal,
    text: str,
    public_question: str = "",
    now: datetime | None = None,
) -> Appeal:
    """Answer the villager; a question about a published line has its answer shown beside it."""
    appeal = _locked(appeal)
    _require_open(appeal)
    answer = _text(text)
    now = now or timezone.now()
    _first_answer(appeal, now)
    appeal.state = State.ANSWERED
    _apply_due(appeal, None)
    appeal.save()
    _event(appeal, EventKind.ANSWERED, public=True, text=answer, actor=actor, at=now)
    if appeal.kind == Kind.QUESTION and appeal.disclosure_id and appeal.line_key:
        question = _text(public_question or appeal.text, field="public_question")
        _answer_publish(appeal, question=question, answer=answer, at=now)
    return appeal


def _answer_publish(appeal: Appeal, *, question: str, answer: str, at: datetime) -> None:
    disclosure = appeal.disclosure
    assert disclosure is not None
    version = appeal.published.count() + 1
    record_id = f"{appeal.village.code}/answers/{appeal.pk}/v{version}"
    content = {
        "village": appeal.village.code,
        "item": disclosure.item_code,
        "period": disclosure.period_key,
        "line": appeal.line_key,
        "line_label": appeal.line_label,
        "question": question,
        "answer": answer,
        "version": version,
    }
    entry = log_append(
        record_type=APPEAL_ANSWER_RECORD,
        record_id=record_id,
        region_path=appeal.village.path,
        content=content,
        published_at=at,
    )
    PublishedAnswer.objects.create(
        appeal=appeal,
        version=version,
        village=appeal.village,
        disclosure=disclosure,
        line_key=appeal.line_key,
        line_label=appeal.line_label,
        question=question,
        answer=answer,
        published_at=at,
        record_id=record_id,
        log_index=entry.index,
    )


@transaction.atomic
def handler_write(*, actor: Any, appeal: Appeal, text: str) -> AppealEvent:
    """Write to the villager (a question back, news on the handling) without answering."""
    appeal = _locked(appeal)
    _require_open(appeal)
    return _event(
        appeal, EventKind.MESSAGE_FROM_HANDLER, public=True, text=_text(text), actor=actor
    )


@transaction.atomic
def appeal_close(
    *, actor: Any, appeal: Appeal, outcome: str, text: str, now: datetime | None = None
) -> Appeal:
    appeal = _locked(appeal)
    _require_open(appeal)
    if outcome not in Outcome.values:
        raise DomainError(_("Choose resolved, not resolved or out of scope."), field="outcome")
    explanation = _text(text)
    now = now or timezone.now()
    _first_answer(appeal, now)
    appeal.state, appeal.outcome, appeal.closed_at = State.CLOSED, outcome, now
    _apply_due(appeal, None)
    appeal.save()
    _event(
        appeal,
        EventKind.CLOSED,
        public=True,
        text=explanation,
        code=outcome,
        actor=actor,
        at=now,
    )
    return appeal


@transaction.atomic
def appeal_reassign(
    *, actor: Any, appeal: Appeal, body: str, region: Region, reason: str
) -> Appeal:
    """Give the case to other handlers in the commission's reach; the reason is kept."""
    appeal = _locked(appeal)
    _require_open(appeal)
    why = _text(reason, field="reason")
    if body not in Body.values:
        raise DomainError(_("Choose who handles it."), field="body")
    if body == Body.VILLAGE:
        if appeal.kind == Kind.REPORT or appeal.subjects.exists():
            raise DomainError(
                _("A report, or a case naming a cadre, stays with a discipline commission."),
                field="body",
            )
        if region.pk != appeal.village_id:
            raise DomainError(_("Only the case's own village can handle it."), field="region")
    elif region.level == RegionLevel.VILLAGE or not appeal.village_path.startswith(region.path):
        raise DomainError(
            _("Choose the commission of the village's township or county."), field="region"
        )
    rule = deadlines.deadlines_for(appeal.village, appeal.kind)
    appeal.body, appeal.assigned_region = body, region
    earliest = deadlines.due_after(timezone.localdate(), rule.pass_on_days, rule.very_overdue_days)
    if appeal.due_on is None or appeal.due_on < earliest.due_on:
        _apply_due(appeal, earliest)
    appeal.save()
    _event(appeal, EventKind.REASSIGNED, public=False, text=why, actor=actor)
    return appeal


@transaction.atomic
def appeal_transfer(
    *, actor: Any, appeal: Appeal, to: str, reason: str, now: datetime | None = None
) -> Appeal:
    """Pass the case to a body outside the platform (a bureau, the petitions office)."""
    appeal = _locked(appeal)
    _require_open(appeal)
    destination = (to or "").strip()
    if not destination or len(destination) > 120:
        raise DomainError(_("Name the body it is transferred to."), field="to")
    why = _text(reason, field="reason")
    now = now or timezone.now()
    appeal.state, appeal.transferred_to, appeal.closed_at = State.TRANSFERRED, destination, now
    _apply_due(appeal, None)
    appeal.save()
    _event(appeal, EventKind.TRANSFERRED, public=True, text=destination, actor=actor, at=now)
    _event(appeal, EventKind.TRANSFERRED, public=False, text=why, actor=actor, at=now)
    return appeal


# --- reporters' identities -----------------------------------------------------------------


@transaction.atomic
def sealing_key_create(
    *, actor: Any, region: Region, passphrase: str, kdf: str | None = None
) -> SealingKey:
    """Make the commission's key pair; any earlier key of the region is retired (still opens).

    ``kdf`` overrides ``settings.APPEALS_KDF`` ("moderate" or "min"): only the demo,
    whose passphrase is published anyway, asks for "min".
    """
    if region.level == RegionLevel.VILLAGE:
        raise DomainError(_("Keys belong to a township or county commission."), field="region")
    if len(passphrase) < sealing.MIN_PASSPHRASE_LENGTH:
        raise DomainError(
            _("Use a passphrase of at least %(n)d characters.")
            % {"n": sealing.MIN_PASSPHRASE_LENGTH},
            field="passphrase",
        )
    now = timezone.now()
    SealingKey.objects.filter(region=region, retired_at__isnull=True).update(retired_at=now)
    key = SealingKey.objects.create(
        region=region, created_by=acting_user(actor), **sealing.key_material(passphrase, kdf=kdf)
    )
    audit_record(
        actor=actor,
        verb="appeals.sealing_key_created",
        target=key,
        region_path=region.path,
        data={"fingerprint": key.fingerprint},
    )
    return key


@transaction.atomic
def identity_reveal(
    *, actor: Any, appeal: Appeal, passphrase: str, reason: str
) -> sealing.Identity:
    """The reporter's name and phone, opened with the commission's passphrase; logged."""
    why = _text(reason, field="reason")
    keys = keys_user_can_open(actor, appeal)
    if not keys:
        raise DomainError(_("No identity sealed to a commission you serve on."))
    for key in keys:
        sealed = SealedIdentity.objects.get(appeal=appeal, key=key).sealed
        try:
            identity = sealing.unseal(key, bytes(sealed), passphrase)
        except sealing.WrongPassphrase:
            continue
        _event(appeal, EventKind.IDENTITY_REVEALED, public=False, text=why, actor=actor)
        audit_record(
            actor=actor,
            verb="appeals.identity_revealed",
            target=appeal,
            region_path=key.region.path,
            data={"reason": why, "key": key.fingerprint},
        )
        return identity
    raise DomainError(
        _("The passphrase does not open this case's sealed identity."), field="passphrase"
    )


# --- deadlines ----------------------------------------------------------------------------


def _notice(appeal: Appeal, kind: str, *, now: datetime | None = None) -> bool:
    """A notice to the case's handlers, once per kind, handling region and due date."""
    _notice_row, created = AppealNotice.objects.get_or_create(
        appeal=appeal,
        kind=kind,
        region=appeal.assigned_region,
        due_on=appeal.due_on,
        defaults={"body": appeal.body, "created_at": now or timezone.now()},
    )
    return created


def _escalate(appeal: Appeal, *, very: bool, now: datetime | None = None) -> None:
    target = appeal.assigned_region.parent
    if appeal.body == Body.VILLAGE:
        target = appeal.village.parent  # the village's township commission
    if target is None:
        return
    appeal.body = Body.COMMISSION
    appeal.assigned_region = target
    appeal.escalation_level += 1
    appeal.save(update_fields=["body", "assigned_region", "escalation_level"])
    _event(
        appeal,
        EventKind.ESCALATED,
        public=True,
        code="very_overdue" if very else "overdue",
        at=now,
    )
    _notice(appeal, NoticeKind.VERY_OVERDUE if very else NoticeKind.ESCALATED, now=now)


def appeals_escalate(today: date | None = None, *, now: datetime | None = None) -> int:
    """Escalate overdue cases one level, and very overdue ones again; returns escalations made.

    A case escalates once when past due (``escalation_level`` 0 → 1) and once more
    when past ``very_overdue_on`` (→ 2); reruns change nothing more. ``now`` dates
    the events and notices (the clock by default); ``today`` defaults to its day.
    """
    today = today or timezone.localdate(now)
    made = 0
    overdue = Appeal.objects.filter(state__in=OPEN_STATES, due_on__lt=today, escalation_level__lt=2)
    for pk in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            appeal = _locked(Appeal(pk=pk))
            if appeal.state not in OPEN_STATES or appeal.due_on is None or appeal.due_on >= today:
                continue
            if appeal.escalation_level == 0:
                _escalate(appeal, very=False, now=now)
                made += 1
            if (
                appeal.escalation_level == 1
                and appeal.very_overdue_on is not None
                and appeal.very_overdue_on < today
            ):
                _escalate(appeal, very=True, now=now)
                made += 1
    return made


def appeals_remind(today: date | None = None) -> int:
    """A notice to the handlers of each open case due within its rule's reminder days."""
    from qinglian.core.calendar import working_days_between

    today = today or timezone.localdate()
    rule_for = deadlines.deadlines_lookup()
    made = 0
    for appeal in Appeal.objects.filter(state__in=OPEN_STATES, due_on__gte=today).select_related(
        "village", "assigned_region"
    ):
        assert appeal.due_on is not None
        remind_days = rule_for(appeal.village, appeal.kind).remind_days
        if working_days_between(today, appeal.due_on) <= remind_days:
            made += _notice(appeal, NoticeKind.REMINDER)
    return made


def due_dates_refresh() -> int:
    """Recount estimated due dates once the official holidays of their year are entered."""
    rule_for = deadlines.deadlines_lookup()
    estimated = (
        Appeal.objects.filter(due_estimated=True, state__in=OPEN_STATES)
        .select_related("village")
        .annotate(accepted_at=Max("events__at", filter=Q(events__kind=EventKind.ACCEPTED)))
    )
    changed = 0
    for appeal in estimated:
        rule = rule_for(appeal.village, appeal.kind)
        if appeal.state == State.ACCEPTED:
            start, days = appeal.accepted_at, rule.result_days
        else:
            start, days = appeal.reopened_at or appeal.received_at, rule.first_response_days
        assert start is not None
        due = deadlines.due_after(timezone.localdate(start), days, rule.very_overdue_days)
        if (due.due_on, due.estimated) != (appeal.due_on, appeal.due_estimated):
            _apply_due(appeal, due)
            appeal.save(update_fields=["due_on", "very_overdue_on", "due_estimated"])
            changed += 1
    return changed
