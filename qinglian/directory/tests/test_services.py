"""Directory services: each rule refuses with the field named, writes nothing, audits success."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from stdnum.cn import uscc

from qinglian.core.errors import DomainError
from qinglian.core.models import AuditEvent
from qinglian.directory.factories import PersonFactory, make_id_number
from qinglian.directory.models import Company, Person, Region, RegionLevel, Relation
from qinglian.directory.services import (
    PersonInput,
    company_register,
    household_create,
    person_register,
    region_create,
    relative_declare,
    shareholding_add,
    term_end,
    term_start,
)

pytestmark = pytest.mark.django_db


def valid_id(sequence: int = 7) -> str:
    return make_id_number("339901", date(1968, 8, 8), sequence)


def credit_code(body: str = "91339901MA0000001") -> str:
    return body + uscc.calc_check_digit(body)


def test_person_register_keeps_only_hash_and_mask(tree, village_cadre):
    number = valid_id()
    person = person_register(
        actor=village_cadre,
        region=tree.village_a1,
        data=PersonInput(name=" 陈红梅 ", id_number=number, phone="13812345678"),
    )
    stored = Person.objects.get(pk=person.pk)
    assert stored.name == "陈红梅"
    assert stored.id_masked == number[:6] + "********" + number[14:]
    assert stored.birth_date == date(1968, 8, 8)
    assert stored.region_path == tree.village_a1.path
    assert number not in {str(v) for v in Person.objects.values_list().get(pk=person.pk)}
    event = AuditEvent.objects.get(verb="person.registered")
    assert event.actor == village_cadre
    assert event.target_id == str(person.pk)
    assert event.region_path == tree.village_a1.path


def test_malformed_id_number_names_the_field_and_writes_nothing(tree, village_cadre):
    before = (Person.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as refused:
        person_register(
            actor=village_cadre,
            region=tree.village_a1,
            data=PersonInput(name="陈红梅", id_number=valid_id()[:-1] + "0"),
        )
    assert refused.value.field == "id_number"
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_duplicate_person_is_refused_whatever_the_spelling(tree, village_cadre, english):
    number = valid_id(9)
    person_register(
        actor=village_cadre, region=tree.village_a1, data=PersonInput(name="甲", id_number=number)
    )
    before = (Person.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as refused:
        person_register(
            actor=village_cadre,
            region=tree.village_a2,
            data=PersonInput(name="乙", id_number=f" {number[:6]} {number[6:]} ".lower()),
        )
    assert refused.value.field == "id_number"
    assert "already registered" in refused.value.message
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_people_are_registered_in_villages_only(tree, county_officer):
    with pytest.raises(DomainError) as refused:
        person_register(
            actor=county_officer,
            region=tree.town_a,
            data=PersonInput(name="甲", id_number=valid_id()),
        )
    assert refused.value.field == "region"


def test_bad_phone_is_refused(tree, village_cadre):
    with pytest.raises(DomainError) as refused:
        person_register(
            actor=village_cadre,
            region=tree.village_a1,
            data=PersonInput(name="甲", id_number=valid_id(), phone="110"),
        )
    assert refused.value.field == "phone"
    assert not Person.objects.filter(name="甲").exists()


def test_region_create_checks_parent_and_code(tree, admin_operator):
    village = region_create(
        actor=admin_operator,
        code="339901100203",
        name="中塘村",
        level=RegionLevel.VILLAGE,
        parent=tree.town_a,
    )
    assert village.path == "339901100203"
    assert AuditEvent.objects.filter(verb="region.created", target_id=str(village.pk)).exists()
    with pytest.raises(DomainError) as outside:
        region_create(
            actor=admin_operator,
            code="339901101209",
            name="错村",
            level=RegionLevel.VILLAGE,
            parent=tree.town_a,
        )
    assert outside.value.field == "code"
    with pytest.raises(DomainError) as wrong_parent:
        region_create(
            actor=admin_operator,
            code="339901100204",
            name="错村",
            level=RegionLevel.VILLAGE,
            parent=tree.county,
        )
    assert wrong_parent.value.field == "parent"
    with pytest.raises(DomainError) as duplicate:
        region_create(
            actor=admin_operator,
            code="339901100201",
            name="重复",
            level=RegionLevel.VILLAGE,
            parent=tree.town_a,
        )
    assert duplicate.value.field == "code"
    assert not Region.objects.filter(name__in=["错村", "重复"]).exists()


def test_household_number_unique_per_village(tree, village_cadre):
    household_create(actor=village_cadre, village=tree.village_a1, number="001")
    household_create(actor=village_cadre, village=tree.village_a2, number="001")
    with pytest.raises(DomainError) as refused:
        household_create(actor=village_cadre, village=tree.village_a1, number="001")
    assert refused.value.field == "number"


def test_terms_start_and_end(tree, village_cadre):
    person = PersonFactory.create(region=tree.village_a1)
    term = term_start(
        actor=village_cadre,
        person=person,
        village=tree.village_a1,
        post="bookkeeper",
        started_on=date(2021, 1, 1),
    )
    with pytest.raises(DomainError) as early:
        term_end(actor=village_cadre, term=term, ended_on=date(2020, 1, 1))
    assert early.value.field == "ended_on"
    term_end(actor=village_cadre, term=term, ended_on=date(2024, 1, 1))
    term.refresh_from_db()
    assert term.ended_on == date(2024, 1, 1)
    assert [e.verb for e in AuditEvent.objects.order_by("id")] == ["term.started", "term.ended"]


def test_relative_declaration_gets_degree_and_refuses_self(tree, village_cadre):
    a, b = (
        PersonFactory.create(region=tree.village_a1),
        PersonFactory.create(region=tree.village_a1),
    )
    declaration = relative_declare(
        actor=village_cadre,
        person=a,
        relative=b,
        relation=Relation.COUSIN,
        declared_on=date.today(),
    )
    assert declaration.degree == 4
    with pytest.raises(DomainError):
        relative_declare(
            actor=village_cadre,
            person=a,
            relative=a,
            relation=Relation.SPOUSE,
            declared_on=date.today(),
        )
    with pytest.raises(DomainError):
        relative_declare(
            actor=village_cadre,
            person=a,
            relative=b,
            relation=Relation.SPOUSE,
            declared_on=date.today(),
        )


def test_company_and_shares(tree, admin_operator):
    owner = PersonFactory.create(region=tree.village_a1)
    company = company_register(
        actor=admin_operator,
        name="清河建筑有限公司",
        credit_code=credit_code().lower(),
        region=tree.town_a,
        legal_representative=owner,
        is_contractor=True,
    )
    assert company.credit_code == credit_code()
    shareholding_add(actor=admin_operator, company=company, person=owner, percent=Decimal("60"))
    other = PersonFactory.create(region=tree.village_a2)
    with pytest.raises(DomainError) as over:
        shareholding_add(actor=admin_operator, company=company, person=other, percent=Decimal("41"))
    assert over.value.field == "percent"
    with pytest.raises(DomainError) as duplicate:
        company_register(
            actor=admin_operator, name="另一家", credit_code=credit_code(), region=tree.town_a
        )
    assert duplicate.value.field == "credit_code"
    with pytest.raises(DomainError) as invalid:
        company_register(
            actor=admin_operator,
            name="坏代码",
            credit_code="91339901MA00000019",
            region=tree.town_a,
        )
    assert invalid.value.field == "credit_code"
    assert Company.objects.count() == 1


def test_every_directory_service_writes_its_audit_event(tree, admin_operator):
    a, b = (
        PersonFactory.create(region=tree.village_a1),
        PersonFactory.create(region=tree.village_a1),
    )
    household = household_create(actor=admin_operator, village=tree.village_a1, number="H-9")
    declaration = relative_declare(
        actor=admin_operator,
        person=a,
        relative=b,
        relation=Relation.SPOUSE,
        declared_on=date.today(),
    )
    company = company_register(
        actor=admin_operator, name="审计测试公司", credit_code=credit_code(), region=tree.village_a1
    )
    holding = shareholding_add(
        actor=admin_operator, company=company, person=a, percent=Decimal("10")
    )
    written = {
        (e.verb, e.target_id, e.region_path, e.actor_id)
        for e in AuditEvent.objects.filter(actor=admin_operator)
    }
    village = tree.village_a1.path
    assert written == {
        ("household.created", str(household.pk), village, admin_operator.pk),
        ("relative.declared", str(declaration.pk), village, admin_operator.pk),
        ("company.registered", str(company.pk), village, admin_operator.pk),
        ("shareholding.added", str(holding.pk), village, admin_operator.pk),
    }
