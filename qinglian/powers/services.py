"""Changing the power list: a region adopts a new version; versions in force never change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qinglian.core.audit import acting_user, audit_record
from qinglian.core.errors import DomainError
from qinglian.core.files import document_accepted
from qinglian.directory.models import Region, RegionLevel
from qinglian.disclosures.services import disclosure_open, draft_submit, draft_write
from qinglian.finance.thresholds import threshold_values
from qinglian.powers.models import (
    ExceptionReview,
    ItemKind,
    LibraryStep,
    Matter,
    Origin,
    PowerItem,
    PowerList,
    StepDocument,
    StepKind,
    StepRecord,
)
from qinglian.powers.procedure import (
    Done,
    Evidence,
    Problem,
    evidence_checked,
    matter_standing,
    needs_publicity,
    required_numbers,
    step_problems,
    vote_passed,
)
from qinglian.powers.selectors import item_in, latest_records, list_for
from qinglian.powers.steps import Step, item_steps


@transaction.atomic
def power_list_adopt(
    *, actor: Any, region: Region, effective_from: date, note: str = ""
) -> PowerList:
    """Start a region's own version of the power list from the one in force for it then.

    The copy (items and step library) is the region's to edit before it takes
    effect; versions already in force are never changed.
    """
    if region.level not in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise DomainError(
            _("A power list is kept by a county, a township or a village."), field="region"
        )
    source = list_for(region, effective_from)
    if source is None:
        raise DomainError(_("No power list is in force to start from."), field="effective_from")
    if PowerList.objects.filter(region=region, effective_from=effective_from).exists():
        raise DomainError(
            _("This region already has a power list version from %(date)s.")
            % {"date": effective_from.isoformat()},
            field="effective_from",
        )
    last = PowerList.objects.filter(region=region).aggregate(last=Max("version"))["last"] or 0
    power_list = PowerList.objects.create(
        region=region, version=last + 1, effective_from=effective_from, note=note.strip()[:200]
    )
    LibraryStep.objects.bulk_create(
        LibraryStep(
            power_list=power_list,
            code=step.code,
            kind=step.kind,
            title_zh=step.title_zh,
            title_en=step.title_en,
            params=step.params,
        )
        for step in source.steps.order_by("code")
    )
    PowerItem.objects.bulk_create(
        PowerItem(
            power_list=power_list,
            code=item.code,
            kind=item.kind,
            category=item.category,
            power_type=item.power_type,
            title_zh=item.title_zh,
            title_en=item.title_en,
            description_zh=item.description_zh,
            description_en=item.description_en,
            basis=item.basis,
            steps=item.steps,
            order=item.order,
        )
        for item in source.items.order_by("order")
    )
    audit_record(
        actor=actor,
        verb="power_list.adopted",
        target=power_list,
        region_path=region.path,
        data={"from": source.pk, "effective_from": effective_from.isoformat()},
    )
    return power_list


# --- matters ----------------------------------------------------------------------------

RESOLUTION_ITEM = "VA06"  # items put to the assembly or representatives: plan, resolution
RESULT_ITEM = "VA07"  # major matters and their progress: the result as carried out


class StepRefused(DomainError):
    """Evidence that breaks the procedure, refused unless recorded as an exception."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            _("This breaks the procedure: %(problems)s")
            % {"problems": " ".join(problem.message for problem in problems)},
            field="exception",
        )
        self.problems = problems


@transaction.atomic
def matter_start(
    *,
    actor: Any,
    village: Region,
    item_code: str,
    title: str,
    origin: str,
    started_on: date,
    amount: Decimal | None = None,
) -> Matter:
    """Open a matter of the village under a power of the list in force on ``started_on``."""
    if not village.is_village:
        raise DomainError(_("Matters are opened by a village."), field="village")
    title = title.strip()
    if not title:
        raise DomainError(_("Name the matter."), field="title")
    if origin not in Origin.values:
        raise DomainError(_("Say where the matter came from."), field="origin")
    if started_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="started_on")
    if amount is not None and amount < 0:
        raise DomainError(_("The amount cannot be negative."), field="amount")
    power_list = list_for(village, started_on)
    item = item_in(power_list, item_code.strip().upper()) if power_list else None
    if item is None or item.kind != ItemKind.POSITIVE or not item.steps:
        raise DomainError(
            _("%(code)s is not a power with a procedure in the village's list.")
            % {"code": item_code},
            field="item",
        )
    _check_tier(village, item, amount, started_on)
    matter = Matter.objects.create(
        village=village,
        item=item,
        title=title[:120],
        amount=amount,
        origin=origin,
        started_on=started_on,
        created_by=acting_user(actor),
    )
    audit_record(
        actor=actor,
        verb="matter.started",
        target=matter,
        region_path=village.path,
        data={"item": item.code, "amount": str(amount) if amount is not None else None},
    )
    return matter


def _check_tier(village: Region, item: PowerItem, amount: Decimal | None, on: date) -> None:
    """From ``power_matter_min`` (50,000 yuan by default) a matter needs the villagers'
    resolution: a power whose procedure has none cannot carry it (domain.md §15.5)."""
    matter_min = threshold_values(village, on).get("power_matter_min")
    if amount is None or matter_min is None or amount < matter_min:
        return
    if any(step.params.get("resolves") for step in item_steps(item)):
        return
    raise DomainError(
        _(
            "%(amount)s yuan is %(minimum)s or more: such a matter is decided by the "
            "villagers' (representatives') meeting. Open it under a power whose procedure "
            "has that resolution, such as P01."
        )
        % {"amount": f"{amount:,.2f}", "minimum": f"{matter_min:,.0f}"},
        field="item",
    )


def _done_of(record: StepRecord) -> Done:
    return Done(
        number=record.number,
        held_on=record.held_on,
        taken=record.taken,
        passed=record.passed,
        publicity_end=record.publicity_end,
    )


@transaction.atomic
def step_record(
    *,
    actor: Any,
    matter: Matter,
    evidence: Evidence,
    content: str = "",
    attendees: str = "",
    publicity_place: str = "",
    documents: Sequence[tuple[str, bytes]] = (),
    as_exception: bool = False,
    explanation: str = "",
) -> StepRecord:
    """Record a step's evidence; a rule broken is refused unless kept as an exception.

    ``StepRefused`` lists the problems; with ``as_exception`` and an
    ``explanation`` the record is kept with its problems, counted on the matter and
    shown to the supervision committee and the township until one of them reviews it.
    """
    matter = (
        Matter.objects.select_for_update(of=("self",))
        .select_related("village", "item__power_list")
        .get(pk=matter.pk)
    )
    steps = item_steps(matter.item)
    step = next((s for s in steps if s.number == evidence.number), None)
    if step is None:
        raise DomainError(_("This matter's procedure has no such step."), field="number")
    if needs_publicity(step) and evidence.taken and evidence.publicity_start is not None:
        evidence = replace(evidence, held_on=evidence.publicity_start)
    evidence_checked(step, evidence, started_on=matter.started_on, today=timezone.localdate())
    limits = threshold_values(matter.village, evidence.held_on)
    required = required_numbers(steps, matter.amount, limits)
    done = {number: _done_of(r) for number, r in latest_records(matter).items()}
    problems = step_problems(
        steps, done, evidence, required=required, amount=matter.amount, limits=limits
    )
    explanation = explanation.strip()
    if problems and not as_exception:
        raise StepRefused(problems)
    if problems and not explanation:
        raise DomainError(
            _("An exception is kept only with the reason it was done so."), field="explanation"
        )
    checked = [
        (name[:100] or _("document"), document_accepted(data), data) for name, data in documents
    ]
    record = StepRecord.objects.create(
        matter=matter,
        number=step.number,
        code=step.code,
        taken=evidence.taken,
        held_on=evidence.held_on,
        content=content.strip(),
        expected=evidence.expected,
        present=evidence.present,
        attendees=attendees.strip(),
        households_expected=evidence.households_expected,
        households_present=evidence.households_present,
        votes_for=evidence.votes_for,
        votes_against=evidence.votes_against,
        votes_abstain=evidence.votes_abstain,
        passed=vote_passed(step, evidence),
        publicity_start=evidence.publicity_start,
        publicity_end=evidence.publicity_end,
        publicity_place=publicity_place.strip()[:100],
        procurement_mode=evidence.procurement_mode,
        quotes=evidence.quotes,
        problems=[{"code": p.code, "message": p.message} for p in problems],
        explanation=explanation,
        recorded_by=acting_user(actor),
        recorded_at=timezone.now(),
    )
    for name, document, data in checked:
        StepDocument.objects.create(
            record=record,
            name=name,
            file=ContentFile(data, name=document.stored_name),
            content_type=document.content_type,
            sha256=document.sha256,
            size=document.size,
        )
    standing = matter_standing(steps, {**done, step.number: _done_of(record)}, required)
    matter.state = standing.state
    matter.decided_on = standing.decided_on
    matter.finished_on = standing.finished_on
    matter.exceptions += 1 if problems else 0
    _disclose(actor, matter, step, record)
    matter.save(
        update_fields=[
            "state",
            "decided_on",
            "finished_on",
            "exceptions",
            "resolution_disclosure_id",
            "result_disclosure_id",
        ]
    )
    audit_record(
        actor=actor,
        verb="matter.exception_recorded" if problems else "matter.step_recorded",
        target=record,
        region_path=matter.village.path,
        data={"matter": matter.pk, "step": step.code, "problems": [p.code for p in problems]},
    )
    return record


def _disclose(actor: Any, matter: Matter, step: Step, record: StepRecord) -> None:
    """The resolution (VA06) and the result (VA07) go to the supervision committee for
    signing as the village's disclosures, written in Chinese like the notice board."""
    if not record.taken:
        return
    if step.params.get("resolves") and record.passed and matter.resolution_disclosure_id is None:
        item, attribute = RESOLUTION_ITEM, "resolution_disclosure_id"
    elif step.kind == StepKind.DISCLOSURE and matter.result_disclosure_id is None:
        item, attribute = RESULT_ITEM, "result_disclosure_id"
    else:
        return
    with translation.override("zh-hans"):
        title, body = disclosure_text(matter, step, record)
    try:
        disclosure = disclosure_open(
            village=matter.village, item_code=item, event_on=record.held_on, title=title
        )
    except DomainError:
        return  # the village's catalog has no such item: nothing to publish it under
    draft = draft_write(actor=actor, disclosure=disclosure, body=body)
    draft_submit(actor=actor, draft=draft)
    setattr(matter, attribute, disclosure.pk)


def disclosure_text(matter: Matter, step: Step, record: StepRecord) -> tuple[str, str]:
    """The disclosure's title and text for a resolution or a result, in the active language."""
    lines = [
        _("Matter: %(title)s") % {"title": matter.title},
        _("Power: %(code)s %(title)s") % {"code": matter.item.code, "title": matter.item.title},
    ]
    if matter.amount is not None:
        lines.append(_("Amount: %(amount)s yuan") % {"amount": f"{matter.amount:,.2f}"})
    if step.kind == StepKind.DISCLOSURE:
        title = _("Result: %(title)s") % {"title": matter.title}
        lines.append(_("Result as carried out (%(date)s):") % {"date": record.held_on.isoformat()})
    else:
        title = _("Resolution: %(title)s") % {"title": matter.title}
        lines.append(
            _("%(step)s on %(date)s.") % {"step": step.title, "date": record.held_on.isoformat()}
        )
        lines.append(
            _(
                "%(expected)d should attend, %(present)d attended; %(for)d in favour, "
                "%(against)d against, %(abstain)d abstaining: passed."
            )
            % {
                "expected": record.expected or 0,
                "present": record.present or 0,
                "for": record.votes_for or 0,
                "against": record.votes_against or 0,
                "abstain": record.votes_abstain or 0,
            }
        )
        lines.append(_("Resolved:"))
    lines.append(record.content or "—")
    return title[:200], "\n".join(lines)


@transaction.atomic
def exception_review(*, actor: Any, record: StepRecord, comment: str) -> ExceptionReview:
    """The supervision committee or the township says what it made of an exception."""
    record = StepRecord.objects.select_related("matter__village").get(pk=record.pk)
    if not record.problems:
        raise DomainError(_("Only an exception is reviewed."))
    if ExceptionReview.objects.filter(record=record).exists():
        raise DomainError(_("This exception has already been reviewed."))
    user = acting_user(actor)
    if user is not None and record.recorded_by_id == user.pk:
        raise DomainError(_("Whoever recorded an exception cannot review it."))
    comment = comment.strip()
    if not comment:
        raise DomainError(_("Say what was found and what the village must do."), field="comment")
    review = ExceptionReview.objects.create(
        record=record, comment=comment, reviewed_by=user, reviewed_at=timezone.now()
    )
    audit_record(
        actor=actor,
        verb="matter.exception_reviewed",
        target=record,
        region_path=record.matter.village.path,
        data={"matter": record.matter_id},
    )
    return review
