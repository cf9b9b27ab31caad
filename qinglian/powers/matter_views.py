"""Staff pages of matters: a region's matters, one matter walking its chart, the exceptions.

Reading: anyone whose role reaches the village (``accounts.policy``; 404 outside).
Recording steps: the village's cadres and bookkeeper (``RECORDERS``). Reviewing an
exception: the supervision committee and supervisors, the township and the county
(``REVIEWERS``). A refused step comes back with what was typed and the rules it
broke, so it can be corrected or kept as an exception with its reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinglian.accounts import policy
from qinglian.core.errors import DomainError
from qinglian.finance.thresholds import threshold_values
from qinglian.powers import selectors, services
from qinglian.powers.flowchart import flowchart_svg
from qinglian.powers.forms import MatterForm, ReviewForm, StepForm
from qinglian.powers.marks import marks
from qinglian.powers.models import Matter, MatterState, StepRecord
from qinglian.powers.steps import Step

RECORDERS = selectors.MATTER_RECORDERS
REVIEWERS = selectors.EXCEPTION_REVIEWERS
STATE_FILTERS = {"exceptions", *MatterState.values}


def _items(region: Any) -> list[tuple[str, str]]:
    power_list = selectors.list_for(region, timezone.localdate())
    if power_list is None:
        return []
    return [
        (item.code, f"{item.code} {item.title}")
        for group in selectors.items_by_category(power_list, selectors.POSITIVE)
        for item in group.items
    ]


@login_required
def matters(request: HttpRequest, code: str) -> HttpResponse:
    region = policy.access_region(request.user, code)
    shown = request.GET.get("state", "")
    rows = selectors.matters_in(policy.visible(request.user, Matter.objects.all()), region)
    if shown == "exceptions":
        rows = rows.filter(exceptions__gt=0)
    elif shown in STATE_FILTERS:
        rows = rows.filter(state=shown)
    may_start = region.is_village and policy.can_reach_region(request.user, region, roles=RECORDERS)
    form = MatterForm(items=_items(region)) if may_start else None
    return render(
        request,
        "powers/work/matters.html",
        {
            "region": region,
            "matters": rows[:200],
            "shown": shown,
            "states": MatterState.choices,
            "form": form,
        },
    )


@login_required
@require_POST
def matter_new(request: HttpRequest, code: str) -> HttpResponse:
    region = policy.access_region(request.user, code, roles=RECORDERS)
    form = MatterForm(request.POST, items=_items(region))
    if form.is_valid():
        try:
            matter = services.matter_start(
                actor=request.user,
                village=region,
                item_code=form.cleaned_data["item"],
                title=form.cleaned_data["title"],
                amount=form.cleaned_data["amount"],
                origin=form.cleaned_data["origin"],
                started_on=form.cleaned_data["started_on"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            return redirect("powers_work:matter", pk=matter.pk)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("powers_work:matters", code=region.code)


def _matter(request: HttpRequest, pk: int, *, roles: Any = None) -> Matter:
    queryset = Matter.objects.select_related("village", "village__parent", "item__power_list")
    return policy.access_object(request.user, queryset, pk, roles=roles)


def _step_choices(steps: list[Step]) -> list[tuple[int, str]]:
    return [(step.number, f"{step.number}. {step.title}") for step in steps]


def _matter_page(
    request: HttpRequest,
    matter: Matter,
    form: StepForm | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    limits = threshold_values(matter.village, timezone.localdate())
    rows = selectors.matter_steps(matter, limits)
    may_record = policy.can_reach_region(request.user, matter.village, roles=RECORDERS)
    may_review = policy.can_reach_region(request.user, matter.village, roles=REVIEWERS)
    following = selectors.next_step(rows)
    if form is None and may_record:
        form = StepForm(
            steps=_step_choices([row.step for row in rows]),
            initial={"number": following.step.number if following else None},
        )
    steps = [row.step for row in rows]
    return render(
        request,
        "powers/work/matter.html",
        {
            "matter": matter,
            "rows": rows,
            # Every text in the SVG is escaped by the generator.
            "flowchart": mark_safe(  # noqa: S308
                flowchart_svg(matter.item.title, steps, ident=f"m{matter.pk}", marks=marks(rows))
            ),
            "form": form if may_record else None,
            "problems": problems or [],
            "may_review": may_review,
            "review_form": ReviewForm(),
        },
        status=status,
    )


@login_required
def matter(request: HttpRequest, pk: int) -> HttpResponse:
    return _matter_page(request, _matter(request, pk))


@login_required
@require_POST
def step_new(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk, roles=RECORDERS)
    form = StepForm(
        request.POST, request.FILES, steps=_step_choices(selectors.item_steps(matter.item))
    )
    if not form.is_valid():
        return _matter_page(request, matter, form, status=422)
    data = form.cleaned_data
    upload = data["document"]
    try:
        services.step_record(
            actor=request.user,
            matter=matter,
            evidence=form.evidence(),
            content=data["content"],
            attendees=data["attendees"],
            publicity_place=data["publicity_place"],
            documents=[(upload.name, upload.read())] if upload else [],
            as_exception=data["as_exception"],
            explanation=data["explanation"],
        )
    except services.StepRefused as refused:
        form.add_error(
            "as_exception", _("Correct the step, or keep it as an exception and say why.")
        )
        return _matter_page(
            request, matter, form, [p.message for p in refused.problems], status=422
        )
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _matter_page(request, matter, form, status=422)
    messages.success(request, _("The step is recorded."))
    return redirect("powers_work:matter", pk=matter.pk)


@login_required
def exceptions(request: HttpRequest) -> HttpResponse:
    records = policy.visible(request.user, StepRecord.objects.all(), roles=REVIEWERS)
    return render(
        request,
        "powers/work/exceptions.html",
        {
            "open": selectors.open_exceptions(records)[:200],
            "reviewed": selectors.reviewed_exceptions(records)[:50],
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_POST
def exception_review(request: HttpRequest, pk: int) -> HttpResponse:
    record = policy.access_object(
        request.user, StepRecord.objects.select_related("matter"), pk, roles=REVIEWERS
    )
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.exception_review(
                actor=request.user, record=record, comment=form.cleaned_data["comment"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The review is recorded."))
    else:
        messages.error(request, _("Say what was found and what the village must do."))
    if request.POST.get("back") == "matter":
        return redirect("powers_work:matter", pk=record.matter_id)
    return redirect("powers_work:exceptions")
