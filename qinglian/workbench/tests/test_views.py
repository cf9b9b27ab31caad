"""Staff pages: scoped lists with fixed query counts, and person registration."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from conftest import client_for
from qinglian.core.models import AuditEvent
from qinglian.directory.factories import PersonFactory, make_id_number
from qinglian.directory.models import Person


def test_workbench_lists_only_the_users_regions(tree, village_cadre):
    response = client_for(village_cadre).get("/work/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "上塘村" in text
    assert "下塘村" not in text and "溪口村" not in text


def test_workbench_needs_login(tree):
    response = Client().get("/work/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_people_list_shows_masked_data_only(tree, village_cadre):
    person = PersonFactory.create(region=tree.village_a1, name="刘洋", phone="13700001111")
    response = client_for(village_cadre).get(f"/work/regions/{tree.village_a1.code}/people/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "刘洋" in text
    assert "137****1111" in text and "13700001111" not in text
    assert person.id_masked in text


def test_people_list_outside_scope_is_404(tree, village_cadre):
    response = client_for(village_cadre).get(f"/work/regions/{tree.village_a2.code}/people/")
    assert response.status_code == 404


def test_people_list_search(tree, village_cadre):
    PersonFactory.create(region=tree.village_a1, name="孙悟空")
    PersonFactory.create(region=tree.village_a1, name="猪八戒")
    text = (
        client_for(village_cadre)
        .get(f"/work/regions/{tree.village_a1.code}/people/", {"q": "悟空"})
        .content.decode()
    )
    assert "孙悟空" in text and "猪八戒" not in text


@pytest.mark.parametrize("rows", [5, 60])
def test_people_list_costs_fixed_queries(
    tree, township_commission, rows, django_assert_num_queries
):
    PersonFactory.create_batch(rows, region=tree.village_a1)
    client = client_for(township_commission)
    # session, user, assignments, region, count, page
    with django_assert_num_queries(6):
        response = client.get(f"/work/regions/{tree.town_a.code}/people/")
    assert response.status_code == 200


@pytest.mark.parametrize("villages", [1, 3])
def test_region_page_costs_fixed_queries(
    tree, county_officer, villages, django_assert_num_queries, admin_operator
):
    from qinglian.directory.factories import region

    for n in range(villages):
        region(f"3399011002{50 + n}", f"新村{n}", "village", tree.town_a)
    client = client_for(county_officer)
    with django_assert_num_queries(5):  # session, user, assignments, region, children
        response = client.get(f"/work/regions/{tree.town_a.code}/")
    assert response.status_code == 200


def test_person_detail_scoped(tree, village_cadre):
    own = PersonFactory.create(region=tree.village_a1)
    foreign = PersonFactory.create(region=tree.village_a2)
    client = client_for(village_cadre)
    assert client.get(f"/work/people/{own.pk}/").status_code == 200
    assert client.get(f"/work/people/{foreign.pk}/").status_code == 404


def _form(tree, **overrides):
    data = {
        "region_code": tree.village_a1.code,
        "name": "周敏",
        "id_number": make_id_number("339901", date(1988, 2, 29), 31),
        "phone": "13600002222",
    }
    data.update(overrides)
    return data


def test_person_form_registers_and_audits(tree, village_cadre):
    response = client_for(village_cadre).post("/work/people/new/", _form(tree))
    person = Person.objects.get(name="周敏")
    assert response.status_code == 302
    assert response["Location"] == f"/work/people/{person.pk}/"
    assert AuditEvent.objects.filter(verb="person.registered", actor=village_cadre).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": "339901198802290311"}, "id_number"),
        ({"region_code": "339901100299"}, "region_code"),
        ({"region_code": "339901100202"}, "region_code"),  # exists, but not the cadre's
        ({"phone": "12345"}, "phone"),
    ],
)
def test_person_form_bad_input_names_the_field(tree, village_cadre, overrides, field):
    response = client_for(village_cadre).post("/work/people/new/", _form(tree, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Person.objects.filter(name="周敏").exists()
    assert not AuditEvent.objects.exists()


def test_person_form_duplicate_names_id_number(tree, village_cadre):
    client = client_for(village_cadre)
    client.post("/work/people/new/", _form(tree))
    response = client.post("/work/people/new/", _form(tree, name="周敏二"))
    assert "id_number" in response.context["form"].errors
    assert Person.objects.filter(name__startswith="周敏").count() == 1


def test_supervisor_cannot_register_people(tree, supervisor):
    response = client_for(supervisor).post("/work/people/new/", _form(tree))
    assert "region_code" in response.context["form"].errors
    assert not Person.objects.filter(name="周敏").exists()
