"""Staff pages of the mailbox: the queue, a case and its handling, the commission's keys.

Every read of a case goes through ``selectors.appeals_visible`` (404 outside it);
an action on a case the user sees but may not take answers 403. A refused
change (``DomainError``) comes back on its form, with what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from qinglian.accounts import policy
from qinglian.appeals import selectors, services, work_selectors
from qinglian.appeals.models import Appeal, Body, Kind, State
from qinglian.appeals.public_selectors import handler_name
from qinglian.appeals.work_forms import (
    AcceptForm,
    AnswerForm,
    CloseForm,
    QueueFilterForm,
    ReassignForm,
    RevealForm,
    SealingKeyForm,
    TransferForm,
    WriteForm,
)
from qinglian.core.errors import DomainError
from qinglian.directory.models import Region

CASES_PER_PAGE = 50
# Fields a service names that the reassignment form shows as its one choice.
REASSIGN_FIELDS = {"body": "to", "region": "to"}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not work_selectors.handles_cases(request.user):
        raise Http404
    villages = list(work_selectors.villages_in_reach(request.user))
    form = QueueFilterForm(request.GET, villages=villages)
    cases = work_selectors.queue(request.user, form.filters())
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"form": form, "page": page}
    htmx = request.htmx  # type: ignore[attr-defined]
    if htmx and not htmx.history_restore_request:  # a restore after "back" wants the page
        response = render(request, "appeals/work_queue_table.html", context)
    else:
        context["notices"] = work_selectors.notices_recent(request.user)
        context["serves_commission"] = work_selectors.serves_commission(request.user)
        response = render(request, "appeals/work_queue.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, selectors.appeal_for_staff(request.user, pk))


def _answer_is_public(appeal: Appeal) -> bool:
    return appeal.kind == Kind.QUESTION and bool(appeal.disclosure_id and appeal.line_key)


def _reassign_choices(user: Any, appeal: Appeal) -> list[tuple[str, str]]:
    choices = [("village", handler_name(appeal.village))]
    for region in work_selectors.commissions_over(user, appeal):
        choices.append((f"commission:{region.code}", handler_name(region)))
    return choices


def _case_page(request: HttpRequest, appeal: Appeal, **bound: Form) -> HttpResponse:
    user = request.user
    handling = appeal.state not in (State.CLOSED, State.TRANSFERRED)
    may_answer = selectors.may_answer(user, appeal)
    may_direct = selectors.may_direct(user, appeal)
    public = _answer_is_public(appeal)
    question = appeal.public_question or appeal.text
    context = {
        "appeal": appeal,
        "overdue": appeal.is_open
        and appeal.due_on is not None
        and appeal.due_on < timezone.localdate(),
        "events": work_selectors.case_events(appeal),
        "subjects": list(appeal.subjects.order_by("name", "pk")),
        "attachments": list(appeal.attachments.order_by("pk")),
        "published": appeal.published.order_by("-version").first(),
        "answer_is_public": public,
        "can_accept": may_answer and services.acceptable(appeal),
        "can_answer": may_answer and handling,
        "can_direct": may_direct and handling,
        "can_reveal": appeal.real_name and bool(selectors.keys_user_can_open(user, appeal)),
        "accept_form": bound.get("accept") or AcceptForm(),
        "answer_form": bound.get("answer")
        or AnswerForm(public=public, initial={"public_question": question}),
        "write_form": bound.get("write") or WriteForm(),
        "close_form": bound.get("close") or CloseForm(),
        "reassign_form": bound.get("reassign")
        or ReassignForm(choices=_reassign_choices(user, appeal) if may_direct else []),
        "transfer_form": bound.get("transfer") or TransferForm(),
        "reveal_form": bound.get("reveal") or RevealForm(),
    }
    return render(request, "appeals/work_case.html", context)


def _case_for(request: HttpRequest, pk: int, allowed: Callable[[Any, Appeal], bool]) -> Appeal:
    """The case (404 if the user may not see it), if the user may act on it (else 403)."""
    appeal = selectors.appeal_for_staff(request.user, pk)
    if not allowed(request.user, appeal):
        raise PermissionDenied
    return appeal


def _refused(
    request: HttpRequest, form: Form, error: DomainError, fields: dict[str, str] | None = None
) -> None:
    """A refusal on the field it names; one about the case itself as a message at the top
    (the form may not be on the page any more: a closed case shows none)."""
    field = (fields or {}).get(error.field or "", error.field)
    if field in form.fields:
        form.add_error(field, error.message)
    else:
        messages.error(request, error.message)


def _act(
    request: HttpRequest,
    appeal: Appeal,
    name: str,
    form: Form,
    action: Callable[[dict[str, Any]], object],
    success: str,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    """Validate, call the service, then back to the case with a message, or the form again."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except DomainError as error:
            _refused(request, form, error, fields)
        else:
            messages.success(request, success)
            if not selectors.appeals_visible(request.user).filter(pk=appeal.pk).exists():
                return redirect("appeals_work:queue")  # handed on beyond the user's reach
            return redirect("appeals_work:case", pk=appeal.pk)
    return _case_page(request, appeal, **{name: form})


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _case_for(request, pk, selectors.may_answer)
    return _act(
        request,
        appeal,
        "accept",
        AcceptForm(request.POST),
        lambda data: services.appeal_accept(actor=request.user, appeal=appeal, text=data["text"]),
        _("Accepted for handling: the villager is told, and the result is now due."),
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _case_for(request, pk, selectors.may_answer)
    form = AnswerForm(request.POST, public=_answer_is_public(appeal))
    return _act(
        request,
        appeal,
        "answer",
        form,
        lambda data: services.appeal_answer(
            actor=request.user,
            appeal=appeal,
            text=data["text"],
            public_question=data.get("public_question", ""),
        ),
        _("Answered: the answer is published beside the line.")
        if _answer_is_public(appeal)
        else _("Answered: the villager can read it with the receipt."),
    )


@login_required
@require_POST
def write(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _case_for(request, pk, selectors.may_answer)
    return _act(
        request,
        appeal,
        "write",
        WriteForm(request.POST),
        lambda data: services.handler_write(actor=request.user, appeal=appeal, text=data["text"]),
        _("Your message is added to the case: the villager sees it."),
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _case_for(request, pk, selectors.may_answer)
    return _act(
        request,
        appeal,
        "close",
        CloseForm(request.POST),
        lambda data: services.appeal_close(
            actor=request.user, appeal=appeal, outcome=data["outcome"], text=data["text"]
        ),
        _("The case is closed."),
    )


@login_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _case_for(request, pk, selectors.may_direct)
    form = ReassignForm(request.POST, choices=_reassign_choices(request.user, appeal))
    return _act(
        request,
        appeal,
        "reassign",
        form,
        lambda data: services.appeal_reassign(
            actor=request.user,
            appeal=appeal,
            **_destination(request.user, appeal, data["to"]),
            reason=data["reason"],
        ),
        _("The case is given to its new handlers; your reason is kept with it."),
        fields=REASSIGN_FIELDS,
    )


def _destination(user: Any, appeal: Appeal, choice: str) -> dict[str, Any]:
    if choice == "village":
        return {"body": Body.VILLAGE, "region": appeal.village}
    code = choice.removeprefix("commission:")
    regions = work_selectors.commissions_over(user, appeal)
    region: Region = next(r for r in regions if r.code == code)
    return {"body": Body.COMMISSION, "region": region}


@login_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _case_for(request, pk, selectors.may_direct)
    return _act(
        request,
        appeal,
        "transfer",
        TransferForm(request.POST),
        lambda data: services.appeal_transfer(
            actor=request.user, appeal=appeal, to=data["to"], reason=data["reason"]
        ),
        _("The case is transferred; the villager is told where it went."),
    )


def _may_reveal(user: Any, appeal: Appeal) -> bool:
    """A commission officer over the case's village (the service checks the key itself)."""
    return policy.can_reach_region(user, appeal.village, roles=selectors.COMMISSION_ROLES)


@sensitive_variables("identity")
@sensitive_post_parameters("passphrase")
@never_cache
@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter's name and phone, shown once in this answer: never stored, never cached."""
    appeal = _case_for(request, pk, _may_reveal)
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            identity = services.identity_reveal(
                actor=request.user,
                appeal=appeal,
                passphrase=form.cleaned_data["passphrase"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _refused(request, form, error)
        else:
            return render(
                request, "appeals/work_reveal.html", {"appeal": appeal, "identity": identity}
            )
    return _case_page(request, appeal, reveal=form)


@never_cache
@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    found = work_selectors.attachment_for_staff(request.user, pk)
    return FileResponse(found.file.open("rb"), content_type=found.content_type)


def _commission_regions(request: HttpRequest) -> list[Region]:
    regions = work_selectors.commission_regions(request.user)
    if not regions:
        raise Http404
    return regions


def _keys_page(request: HttpRequest, regions: list[Region], form: SealingKeyForm) -> HttpResponse:
    in_use = work_selectors.sealing_keys_in_use(request.user, regions)
    rows = [(region, in_use.get(region.pk)) for region in regions]
    return render(request, "appeals/work_keys.html", {"rows": rows, "form": form})


@never_cache
@login_required
def keys(request: HttpRequest) -> HttpResponse:
    regions = _commission_regions(request)
    return _keys_page(request, regions, SealingKeyForm(regions=regions))


@sensitive_post_parameters("passphrase", "passphrase_again")
@never_cache
@login_required
@require_POST
def key_create(request: HttpRequest) -> HttpResponse:
    regions = _commission_regions(request)
    form = SealingKeyForm(request.POST, regions=regions)
    if form.is_valid():
        region = next(r for r in regions if r.code == form.cleaned_data["region"])
        try:
            key = services.sealing_key_create(
                actor=request.user, region=region, passphrase=form.cleaned_data["passphrase"]
            )
        except DomainError as error:
            _refused(request, form, error)
        else:
            messages.success(
                request,
                _("The new key of %(region)s is in use: fingerprint %(fingerprint)s.")
                % {"region": region.name, "fingerprint": key.fingerprint},
            )
            return redirect("appeals_work:keys")
    return _keys_page(request, regions, form)
