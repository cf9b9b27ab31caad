"""Staff pages of sunshine report meetings: a village's meetings, one meeting, its slips
(a page to print or an A4 PDF).

Reading: anyone whose role reaches the village (``accounts.policy``; 404
outside). Writing: the village's cadres and supervision committee, and the
township and county above (``permissions.WRITERS``); others get 404 on a write as well. Every
change posts to its own address and comes back to the meeting's page, with the
service's refusal (``DomainError``) as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from qinglian.accounts import policy
from qinglian.core.errors import DomainError
from qinglian.disclosures.signs import qr_svg
from qinglian.meetings import selectors, services, tokens
from qinglian.meetings.forms import (
    AppraisalForm,
    CommitmentDoneForm,
    CommitmentForm,
    InquiryForm,
    MeetingForm,
    PaperForm,
    ReportForm,
    SlipsOutput,
    TokensForm,
)
from qinglian.meetings.models import Commitment, MeetingState, SunshineMeeting
from qinglian.meetings.permissions import WRITERS
from qinglian.meetings.slips_pdf import SlipSheet, slip_url, slips_pdf


def _meeting(request: HttpRequest, pk: int, *, write: bool = False) -> SunshineMeeting:
    queryset = SunshineMeeting.objects.select_related("village", "village__parent")
    return policy.access_object(request.user, queryset, pk, roles=WRITERS if write else None)


def _cadres(meeting: SunshineMeeting) -> list[tuple[int, str]]:
    return [
        (p.pk, f"{p.name} · {post}")
        for p, post in services.cadres_in_office(meeting.village, meeting.held_on)
    ]


def _reported(meeting: SunshineMeeting) -> list[tuple[int, str]]:
    return [
        (r.cadre_id, f"{r.cadre.name} · {r.post}") for r in meeting.reports.select_related("cadre")
    ]


def _refused(request: HttpRequest, form: Form | None, error: DomainError | None = None) -> None:
    if error is not None:
        messages.error(request, error.message)
    elif form is not None:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(e) for e in errors)
            messages.error(request, f"{label}: {text}" if label else text)


def _back(meeting: SunshineMeeting) -> HttpResponse:
    return redirect("meetings_work:meeting", pk=meeting.pk)


@login_required
def village(request: HttpRequest, code: str) -> HttpResponse:
    region = policy.access_region(request.user, code)
    may_write = policy.can_reach_region(request.user, region, roles=WRITERS)
    alerts = selectors.appraisal_alerts_under(request.user, region)
    context: dict[str, Any] = {
        "village": region,
        "meetings": selectors.meetings_of_village(region) if region.is_village else [],
        "may_write": may_write and region.is_village,
        "form": MeetingForm(),
        "alerts": alerts,
        "appraisals": selectors.appraisals_of_village(region) if region.is_village else [],
        "appraisal_form": AppraisalForm(cadres=_village_cadres(region))
        if region.is_village
        else None,
    }
    return render(request, "meetings/work_village.html", context)


def _village_cadres(region: Any) -> list[tuple[int, str]]:
    return [
        (p.pk, f"{p.name} · {post}")
        for p, post in services.cadres_in_office(region, timezone.localdate())
    ]


@login_required
@require_POST
def create(request: HttpRequest, code: str) -> HttpResponse:
    region = policy.access_region(request.user, code, roles=WRITERS)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, village=region, **form.cleaned_data
            )
        except DomainError as error:
            _refused(request, None, error)
        else:
            return _back(meeting)
    else:
        _refused(request, form)
    return redirect("meetings_work:village", code=region.code)


@login_required
@require_POST
def appraisal(request: HttpRequest, code: str) -> HttpResponse:
    region = policy.access_region(request.user, code, roles=WRITERS)
    form = AppraisalForm(request.POST, cadres=_village_cadres(region))
    if form.is_valid():
        try:
            services.appraisal_record(
                actor=request.user,
                village=region,
                year=form.cleaned_data["year"],
                cadre_id=form.cleaned_data["cadre"],
                rating=form.cleaned_data["rating"] or None,
            )
        except DomainError as error:
            _refused(request, None, error)
        else:
            messages.success(request, _("The appraisal is recorded."))
    else:
        _refused(request, form)
    return redirect("meetings_work:village", code=region.code)


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    m = _meeting(request, pk)
    may_write = policy.can_reach_region(request.user, m.village, roles=WRITERS)
    cadres = _cadres(m)
    reported = _reported(m)
    context: dict[str, Any] = {
        "meeting": m,
        "may_write": may_write,
        "results": selectors.results(m),
        "inquiries": m.inquiries.select_related("answered_by"),
        "commitments": [
            (c, selectors.commitment_is_late(c)) for c in m.commitments.select_related("owner")
        ],
        "tokens": selectors.tokens_summary(m),
        "paper_total": selectors.paper_total(m),
        "report_form": ReportForm(cadres=cadres),
        "inquiry_form": InquiryForm(cadres=cadres),
        "commitment_form": CommitmentForm(cadres=cadres),
        "done_form": CommitmentDoneForm(),
        "tokens_form": TokensForm(),
        "paper_form": PaperForm(cadres=reported),
        "states": MeetingState,
    }
    return render(request, "meetings/work_meeting.html", context)


def _post(
    request: HttpRequest, pk: int, form_class: Any, act: Any, *, cadres: str = "all"
) -> HttpResponse:
    m = _meeting(request, pk, write=True)
    kwargs: dict[str, Any] = {}
    if cadres == "all":
        kwargs["cadres"] = _cadres(m)
    elif cadres == "reported":
        kwargs["cadres"] = _reported(m)
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            act(m, form)
        except DomainError as error:
            _refused(request, None, error)
    else:
        _refused(request, form)
    return _back(m)


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    def act(m: SunshineMeeting, form: ReportForm) -> None:
        services.report_write(
            actor=request.user,
            meeting=m,
            cadre_id=form.cleaned_data["cadre"],
            text=form.cleaned_data["text"],
        )

    return _post(request, pk, ReportForm, act)


@login_required
@require_POST
def inquiry(request: HttpRequest, pk: int) -> HttpResponse:
    def act(m: SunshineMeeting, form: InquiryForm) -> None:
        services.inquiry_record(
            actor=request.user,
            meeting=m,
            question=form.cleaned_data["question"],
            answer=form.cleaned_data["answer"],
            answered_by_id=form.cleaned_data["answered_by"],
        )

    return _post(request, pk, InquiryForm, act)


@login_required
@require_POST
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    def act(m: SunshineMeeting, form: CommitmentForm) -> None:
        services.commitment_make(
            actor=request.user,
            meeting=m,
            text=form.cleaned_data["text"],
            owner_id=form.cleaned_data["owner"],
            deadline=form.cleaned_data["deadline"],
        )

    return _post(request, pk, CommitmentForm, act)


@login_required
@require_POST
def commitment_done(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Commitment.objects.select_related("meeting", "meeting__village")
    c = policy.access_object(request.user, queryset, pk, roles=WRITERS)
    form = CommitmentDoneForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_complete(actor=request.user, commitment=c, **form.cleaned_data)
        except DomainError as error:
            _refused(request, None, error)
    else:
        _refused(request, form)
    return _back(c.meeting)


@login_required
@require_POST
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    def act(m: SunshineMeeting, form: PaperForm) -> None:
        services.paper_tally_enter(
            actor=request.user, meeting=m, cadre_id=form.cleaned_data["cadre"], counts=form.counts()
        )

    return _post(request, pk, PaperForm, act, cadres="reported")


@login_required
@require_POST
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the scoring, close it, or publish, as the button says."""
    m = _meeting(request, pk, write=True)
    steps: dict[str, Callable[..., SunshineMeeting]] = {
        "open": services.meeting_open,
        "close": services.meeting_close,
        "publish": services.meeting_publish,
    }
    step = steps.get(request.POST.get("to", ""))
    if step is None:
        messages.error(request, _("Choose what to do with the meeting."))
        return _back(m)
    try:
        step(actor=request.user, meeting=m)
    except DomainError as error:
        _refused(request, None, error)
    return _back(m)


@never_cache
@login_required
@require_POST
def slips(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue codes and show them once: a printable page of slips with QR codes, or the
    same slips as an A4 PDF to download (8 a page), as the form asks."""
    m = _meeting(request, pk, write=True)
    form = TokensForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return _back(m)
    try:
        codes = services.tokens_issue(
            actor=request.user, meeting=m, count=form.cleaned_data["count"]
        )
    except DomainError as error:
        _refused(request, None, error)
        return _back(m)
    score_url = request.build_absolute_uri(
        reverse("meetings:score", kwargs={"code": m.village.code, "pk": m.pk})
    )
    if form.cleaned_data["output"] == SlipsOutput.PDF:
        return _slips_pdf(m, codes, score_url)
    slips = [
        {
            "code": code,
            "grouped": tokens.grouped(code),
            "qr": qr_svg(slip_url(score_url, code)).decode(),
        }
        for code in codes
    ]
    return render(
        request, "meetings/work_slips.html", {"meeting": m, "slips": slips, "score_url": score_url}
    )


def _slips_pdf(m: SunshineMeeting, codes: list[str], score_url: str) -> HttpResponse:
    """The slips go to the village's attendees: printed in the site's language."""
    sheet = SlipSheet(
        village_name=m.village.name, quarter=m.quarter, score_url=score_url, codes=codes
    )
    with translation.override(settings.LANGUAGE_CODE):
        content = slips_pdf(sheet)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="slips-{m.village.code}-{m.quarter}-{m.pk}.pdf"'
    )
    # The codes are in it: never kept by a browser or a proxy (never_cache adds the rest).
    patch_cache_control(response, no_store=True, private=True)
    return response
