"""Staff pages of disclosures: the village's calendar, drafts, the committee's review.

Each view: access through the policy, then a selector or a service; a
``DomainError`` becomes a message the person can act on.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinglian.accounts.models import Role
from qinglian.accounts.policy import access_object, access_region, can_reach_region
from qinglian.core.errors import DomainError
from qinglian.disclosures import calendar, reminders, selectors, services
from qinglian.disclosures.forms import (
    AttachmentForm,
    DraftForm,
    ReviewForm,
    RewriteForm,
    parse_table,
)
from qinglian.disclosures.models import DisclosureAttachment, DisclosureDraft, DraftState

# Roles that prepare and publish a village's disclosures.
EDITOR_ROLES = frozenset(
    {Role.VILLAGE_CADRE, Role.VILLAGE_ACCOUNTANT, Role.INFO_OFFICER, Role.ADMIN}
)
# Roles that review and sign them.
REVIEWER_ROLES = frozenset({Role.SUPERVISION_COMMITTEE})


@login_required
def village(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code)
    if not region.is_village:
        raise Http404
    today = timezone.localdate()
    lines = calendar.calendar([region], selectors.calendar_start(today), today)
    return render(
        request,
        "disclosures/work/village.html",
        {
            "region": region,
            "drafts": selectors.drafts_open(region),
            "overdue": calendar.overdue_by_item(lines),
            "reminders": reminders.reminders_for_village(region),
            "published": selectors.published_recently(region),
            "can_edit": can_reach_region(request.user, region, roles=EDITOR_ROLES),
        },
    )


@login_required
def draft_new(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code, roles=EDITOR_ROLES)
    if not region.is_village:
        raise Http404
    form = DraftForm(
        request.POST or None, items=selectors.items_written_by_hand(region, timezone.localdate())
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        table = parse_table(data["table"])
        try:
            disclosure = services.disclosure_open(
                village=region,
                item_code=data["item"],
                period_key=data["period"].strip(),
                event_on=data["event_on"],
                title=data["title"],
            )
            draft = services.draft_write(
                actor=request.user,
                disclosure=disclosure,
                body=data["body"],
                columns=table[0] if table else None,
                rows=table[1] if table else None,
                change_reason=data["change_reason"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("disclosures_work:draft", pk=draft.pk)
    return render(request, "disclosures/work/draft_new.html", {"region": region, "form": form})


def _draft(request: HttpRequest, pk: int, roles: frozenset[str] | None = None) -> DisclosureDraft:
    queryset = DisclosureDraft.objects.select_related("disclosure__village__parent")
    return access_object(request.user, queryset, pk, roles=roles)


@login_required
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    village = draft.disclosure.village
    editable = draft.state in (DraftState.DRAFT, DraftState.RETURNED)
    can_edit = can_reach_region(request.user, village, roles=EDITOR_ROLES)
    return render(
        request,
        "disclosures/work/draft.html",
        {
            "draft": draft,
            "region": village,
            "can_edit": can_edit and editable and draft.kind != "statement",
            "can_submit": can_edit and editable,
            "can_review": draft.state == DraftState.SUBMITTED
            and can_reach_region(request.user, village, roles=REVIEWER_ROLES),
            "can_publish": can_edit and draft.state == DraftState.SIGNED,
            "rewrite_form": RewriteForm(
                initial={"body": draft.body, "change_reason": draft.change_reason}
            ),
            "review_form": ReviewForm(),
            "attachment_form": AttachmentForm(),
        },
    )


def _act(
    request: HttpRequest,
    draft: DisclosureDraft,
    action: Callable[[DisclosureDraft], object],
    success: str,
) -> HttpResponse:
    try:
        action(draft)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("disclosures_work:draft", pk=draft.pk)


@login_required
@require_POST
def draft_rewrite(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk, roles=EDITOR_ROLES)
    form = RewriteForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    table = parse_table(data.get("table", ""))
    return _act(
        request,
        draft,
        lambda draft: services.draft_write(
            actor=request.user,
            disclosure=draft.disclosure,
            body=data.get("body", ""),
            columns=table[0] if table else None,
            rows=table[1] if table else None,
            change_reason=data.get("change_reason", ""),
        ),
        _("The draft is saved."),
    )


@login_required
@require_POST
def draft_attach(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk, roles=EDITOR_ROLES)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a PDF, JPEG or PNG file."))
        return redirect("disclosures_work:draft", pk=pk)
    upload = form.cleaned_data["file"]
    return _act(
        request,
        draft,
        lambda draft: services.draft_attach(
            actor=request.user, draft=draft, file_name=upload.name, content=upload.read()
        ),
        _("The file is attached."),
    )


@login_required
@require_POST
def draft_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        _draft(request, pk, roles=EDITOR_ROLES),
        lambda draft: services.draft_submit(actor=request.user, draft=draft),
        _("Sent to the supervision committee for review."),
    )


@login_required
@require_POST
def draft_review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk, roles=REVIEWER_ROLES)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to sign or to send it back."))
        return redirect("disclosures_work:draft", pk=pk)
    approve = form.cleaned_data["decision"] == "sign"
    return _act(
        request,
        draft,
        lambda draft: services.draft_review(
            actor=request.user, draft=draft, approve=approve, comment=form.cleaned_data["comment"]
        ),
        _("Signed: it may now be published.") if approve else _("Sent back with your comment."),
    )


@login_required
@require_POST
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        _draft(request, pk, roles=EDITOR_ROLES),
        lambda draft: services.draft_publish(actor=request.user, draft=draft),
        _("Published on the village page and entered in the public log."),
    )


@login_required
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    attachment = access_object(request.user, DisclosureAttachment.objects.all(), pk)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
