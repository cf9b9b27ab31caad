"""Writes to the directory. Each service is one transaction with one audit event.

Services check the domain's rules; whether the actor may touch the region is the
access policy's question, asked by the caller (view, API, command) beforehand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qinglian.core.audit import audit_record
from qinglian.core.errors import DomainError
from qinglian.directory.codes import (
    normalise_credit_code,
    normalise_phone,
    parse_id_number,
    region_path,
)
from qinglian.directory.models import (
    RELATION_DEGREE,
    Company,
    Household,
    Person,
    Post,
    Region,
    RegionLevel,
    Relation,
    RelativeDeclaration,
    Shareholding,
    Term,
)

_PARENT_LEVEL = {
    RegionLevel.TOWNSHIP: RegionLevel.COUNTY,
    RegionLevel.VILLAGE: RegionLevel.TOWNSHIP,
    RegionLevel.VILLAGER_GROUP: RegionLevel.VILLAGE,
}


@transaction.atomic
def region_create(
    *, actor: Any, code: str, name: str, level: str, parent: Region | None = None
) -> Region:
    if level not in RegionLevel.values:
        raise DomainError(_("Unknown region level."), field="level")
    if not name.strip():
        raise DomainError(_("A region needs a name."), field="name")
    path = region_path(code, level)
    expected_parent = _PARENT_LEVEL.get(RegionLevel(level))
    if expected_parent is None:
        if parent is not None:
            raise DomainError(_("A county has no parent region."), field="parent")
    else:
        if parent is None or parent.level != expected_parent:
            raise DomainError(
                _("A %(level)s must belong to a %(parent)s.")
                % {
                    "level": RegionLevel(level).label,
                    "parent": RegionLevel(expected_parent).label,
                },
                field="parent",
            )
        if not path.startswith(parent.path):
            raise DomainError(
                _("The code %(code)s does not lie under %(parent)s (%(parent_code)s).")
                % {"code": code, "parent": parent.name, "parent_code": parent.code},
                field="code",
            )
    if Region.objects.filter(code=code).exists():
        raise DomainError(
            _("A region with code %(code)s already exists.") % {"code": code}, field="code"
        )
    region = Region.objects.create(
        code=code, path=path, level=level, name=name.strip(), parent=parent
    )
    audit_record(actor=actor, verb="region.created", target=region, region_path=path)
    return region


@transaction.atomic
def household_create(
    *, actor: Any, village: Region, number: str, address: str = "", group: Region | None = None
) -> Household:
    if not village.is_village:
        raise DomainError(_("A household belongs to a village."), field="village")
    if group is not None and group.parent_id != village.pk:
        raise DomainError(_("That villager group is not in this village."), field="group")
    if not number.strip():
        raise DomainError(_("A household needs a number."), field="number")
    if Household.objects.filter(village=village, number=number.strip()).exists():
        raise DomainError(
            _("Household number %(number)s is already used in this village.") % {"number": number},
            field="number",
        )
    household = Household.objects.create(
        village=village, group=group, number=number.strip(), address=address.strip()
    )
    audit_record(actor=actor, verb="household.created", target=household, region_path=village.path)
    return household


@dataclass(frozen=True)
class PersonInput:
    name: str
    id_number: str
    phone: str = ""
    household: Household | None = None
    is_household_head: bool = False
    is_party_member: bool = False


@transaction.atomic
def person_register(*, actor: Any, region: Region, data: PersonInput) -> Person:
    """Register a person in a village (or villager group).

    The ID number is validated (GB 11643 check digit), then only its keyed hash
    and masked form are kept; gender and birth date are read from it.
    """
    if region.level not in (RegionLevel.VILLAGE, RegionLevel.VILLAGER_GROUP):
        raise DomainError(
            _("People are registered in a village or villager group."), field="region"
        )
    name = data.name.strip()
    if not name:
        raise DomainError(_("Please enter the person's name."), field="name")
    if len(name) > 40:
        raise DomainError(_("A name has at most 40 characters."), field="name")
    identity = parse_id_number(data.id_number, key=settings.PII_HASH_KEY)
    phone = normalise_phone(data.phone)
    if data.household is not None and data.household.village_id not in (
        region.pk,
        region.parent_id,
    ):
        raise DomainError(_("That household is not in this village."), field="household")
    if Person.objects.filter(id_hash=identity.keyed_hash).exists():
        raise DomainError(
            _("A person with this ID number is already registered."), field="id_number"
        )
    try:
        with transaction.atomic():
            person = Person.objects.create(
                region=region,
                region_path=region.path,
                household=data.household,
                is_household_head=data.is_household_head,
                name=name,
                gender=identity.gender,
                birth_date=date.fromisoformat(identity.birth_date_iso),
                id_hash=identity.keyed_hash,
                id_masked=identity.masked,
                phone=phone,
                is_party_member=data.is_party_member,
            )
    except IntegrityError:
        raise DomainError(
            _("A person with this ID number is already registered."), field="id_number"
        ) from None
    audit_record(actor=actor, verb="person.registered", target=person, region_path=region.path)
    return person


@transaction.atomic
def term_start(*, actor: Any, person: Person, village: Region, post: str, started_on: date) -> Term:
    if post not in Post.values:
        raise DomainError(_("Unknown post."), field="post")
    if not village.is_village:
        raise DomainError(_("Posts are held in a village."), field="village")
    term = Term.objects.create(person=person, village=village, post=post, started_on=started_on)
    audit_record(actor=actor, verb="term.started", target=term, region_path=village.path)
    return term


@transaction.atomic
def term_end(*, actor: Any, term: Term, ended_on: date) -> Term:
    if term.ended_on is not None:
        raise DomainError(_("This term has already ended."), field="ended_on")
    if ended_on < term.started_on:
        raise DomainError(_("A term cannot end before it started."), field="ended_on")
    term.ended_on = ended_on
    term.save(update_fields=["ended_on"])
    audit_record(actor=actor, verb="term.ended", target=term, region_path=term.village.path)
    return term


@transaction.atomic
def relative_declare(
    *, actor: Any, person: Person, relative: Person, relation: str, declared_on: date
) -> RelativeDeclaration:
    if relation not in Relation.values:
        raise DomainError(_("Unknown relation."), field="relation")
    if person.pk == relative.pk:
        raise DomainError(_("A person cannot be their own relative."), field="relative")
    if RelativeDeclaration.objects.filter(person=person, relative=relative).exists():
        raise DomainError(_("This relative is already declared."), field="relative")
    declaration = RelativeDeclaration.objects.create(
        person=person,
        relative=relative,
        relation=relation,
        degree=RELATION_DEGREE[relation],
        declared_on=declared_on,
    )
    audit_record(
        actor=actor,
        verb="relative.declared",
        target=declaration,
        region_path=person.region_path,
        data={"relation": relation},
    )
    return declaration


@transaction.atomic
def company_register(
    *,
    actor: Any,
    name: str,
    credit_code: str,
    region: Region,
    legal_representative: Person | None = None,
    is_contractor: bool = False,
) -> Company:
    if not name.strip():
        raise DomainError(_("Please enter the company's name."), field="name")
    code = normalise_credit_code(credit_code)
    if Company.objects.filter(credit_code=code).exists():
        raise DomainError(
            _("A company with this credit code is already registered."), field="credit_code"
        )
    company = Company.objects.create(
        name=name.strip(),
        credit_code=code,
        region=region,
        region_path=region.path,
        legal_representative=legal_representative,
        is_contractor=is_contractor,
    )
    audit_record(actor=actor, verb="company.registered", target=company, region_path=region.path)
    return company


@transaction.atomic
def shareholding_add(
    *, actor: Any, company: Company, person: Person, percent: Decimal
) -> Shareholding:
    if not Decimal(0) < percent <= Decimal(100):
        raise DomainError(_("A share lies between 0 and 100 per cent."), field="percent")
    held = sum(h.percent for h in company.shareholdings.all())
    if held + percent > Decimal(100):
        raise DomainError(
            _("Shares would add up to more than 100 per cent (already %(held)s%%).")
            % {"held": held},
            field="percent",
        )
    if company.shareholdings.filter(person=person).exists():
        raise DomainError(_("This person already holds shares in the company."), field="person")
    holding = Shareholding.objects.create(company=company, person=person, percent=percent)
    audit_record(
        actor=actor,
        verb="shareholding.added",
        target=holding,
        region_path=company.region_path,
        data={"percent": str(percent)},
    )
    return holding
