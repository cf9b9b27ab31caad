"""Staff pages. Each view: access through the policy, then a selector or a service."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinglian.accounts.models import DIRECTORY_EDITOR_ROLES, RoleAssignment, User
from qinglian.accounts.policy import (
    access_object,
    access_region,
    can_reach_region,
    is_staff_member,
    visible,
)
from qinglian.appeals.selectors import VILLAGE_CASE_ROLES
from qinglian.core.errors import DomainError
from qinglian.directory import selectors
from qinglian.directory.services import PersonInput, person_register
from qinglian.powers.models import StepRecord
from qinglian.powers.selectors import EXCEPTION_REVIEWERS, open_exceptions
from qinglian.transparency.models import LogAlert
from qinglian.workbench.forms import PersonForm

PEOPLE_PER_PAGE = 50


def _require_staff(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise Http404


@login_required
def home(request: HttpRequest) -> HttpResponse:
    assignments = list(
        RoleAssignment.objects.filter(user=cast(User, request.user))
        .select_related("region", "region__parent")
        .order_by("region__path", "role")
    )
    roles = {assignment.role for assignment in assignments}
    alerts = visible(request.user, LogAlert.objects.all())[:20]
    exceptions = open_exceptions(
        visible(request.user, StepRecord.objects.all(), roles=EXCEPTION_REVIEWERS)
    )
    return render(
        request,
        "workbench/home.html",
        {
            "assignments": assignments,
            "log_alerts": alerts,
            "handles_cases": bool(roles & VILLAGE_CASE_ROLES),
            "procedure_exceptions": exceptions.count(),
        },
    )


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code)
    children = visible(request.user, selectors.region_children(region))
    return render(
        request,
        "workbench/region_detail.html",
        {
            "region": region,
            "children": children,
            "can_register": can_reach_region(request.user, region, roles=DIRECTORY_EDITOR_ROLES),
        },
    )


@login_required
def people_list(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code)
    search = request.GET.get("q", "").strip()[:40]
    people = visible(request.user, selectors.people_in(region, search=search))
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/people_list.html",
        {"region": region, "page": page, "search": search},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_object(request.user, selectors.person_with_relations(), pk)
    return render(request, "workbench/person_detail.html", {"person": person})


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = PersonForm(request.POST or None, initial={"region_code": request.GET.get("region", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = access_region(request.user, data["region_code"], roles=DIRECTORY_EDITOR_ROLES)
        except Http404:
            form.add_error(
                "region_code",
                _("No village or villager group with this code is in your area."),
            )
        else:
            try:
                person = person_register(
                    actor=request.user,
                    region=region,
                    data=PersonInput(
                        name=data["name"],
                        id_number=data["id_number"],
                        phone=data["phone"],
                        is_party_member=data["is_party_member"],
                    ),
                )
            except DomainError as error:
                form.add_error(_form_field(error.field), error.message)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": person.name})
                return redirect("workbench:person_detail", pk=person.pk)
    return render(request, "workbench/person_form.html", {"form": form})


def _form_field(field: str | None) -> str | None:
    return field if field in PersonForm.base_fields else None
