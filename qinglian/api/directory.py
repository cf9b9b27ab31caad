"""Directory endpoints: villages (public) and people (staff, scoped)."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from qinglian.accounts.models import DIRECTORY_EDITOR_ROLES
from qinglian.accounts.policy import access_region, visible
from qinglian.core.errors import DomainError
from qinglian.directory import selectors
from qinglian.directory.models import Person, Region
from qinglian.directory.services import PersonInput, person_register

router = Router(tags=["directory"])


class TownshipOut(Schema):
    code: str
    name: str


class VillageOut(Schema):
    code: str
    name: str
    township: TownshipOut = Field(..., alias="parent")


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: date
    id_masked: str = Field(..., description="ID number with its middle digits hidden")
    phone_masked: str
    region_code: str = Field(..., alias="region.code")
    household_number: str | None = Field(None, alias="household.number")
    is_party_member: bool


class PersonIn(Schema):
    region_code: str = Field(..., description="12-digit village or 15-digit villager group code")
    name: str
    id_number: str = Field(..., description="18-character resident ID number")
    phone: str = ""
    is_party_member: bool = False


class ErrorOut(Schema):
    detail: str
    field: str | None = None


@router.get("/villages/", response=list[VillageOut], auth=None)
@paginate(LimitOffsetPagination)
def village_list(request: HttpRequest) -> list[Region]:
    """Every village with its township. Public."""
    return selectors.villages_public()  # type: ignore[return-value]


@router.get("/villages/{code}/people/", response=list[PersonOut], auth=django_auth)
@paginate(LimitOffsetPagination)
def village_people(request: HttpRequest, code: str) -> list[Person]:
    """People registered in a village. Staff only, within their regions (404 outside)."""
    region = access_region(request.user, code)
    return visible(request.user, selectors.people_in(region))  # type: ignore[return-value]


@router.post(
    "/people/",
    response={201: PersonOut, 422: ErrorOut},
    auth=django_auth,
)
def person_create(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    """Register a person. Errors answer 422 and name the field at fault."""
    try:
        region = access_region(request.user, payload.region_code, roles=DIRECTORY_EDITOR_ROLES)
    except Http404:
        raise DomainError(
            _("No village or villager group with this code is in your area."),
            field="region_code",
        ) from None
    person = person_register(
        actor=request.user,
        region=region,
        data=PersonInput(
            name=payload.name,
            id_number=payload.id_number,
            phone=payload.phone,
            is_party_member=payload.is_party_member,
        ),
    )
    return Status(201, person)
