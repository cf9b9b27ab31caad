from __future__ import annotations

import pytest
from django.test import Client

from conftest import client_for
from qinglian.directory.factories import PersonFactory


def people_url(code: str) -> str:
    return f"/api/v1/villages/{code}/people/"


def test_cadre_lists_people_of_own_village(tree, village_cadre):
    PersonFactory.create(region=tree.village_a1, name="李秀英", phone="13912345678")
    response = client_for(village_cadre).get(people_url(tree.village_a1.code))
    assert response.status_code == 200
    names = {item["name"] for item in response.json()["items"]}
    assert "李秀英" in names
    shown = next(item for item in response.json()["items"] if item["name"] == "李秀英")
    assert shown["phone_masked"] == "139****5678"
    assert "*" in shown["id_masked"]


def test_cadre_gets_404_for_other_village(tree, village_cadre, other_village_cadre):
    PersonFactory.create(region=tree.village_a2)
    response = client_for(village_cadre).get(people_url(tree.village_a2.code))
    assert response.status_code == 404


def test_anonymous_gets_401(tree):
    response = Client().get(people_url(tree.village_a1.code))
    assert response.status_code == 401


def test_unknown_village_is_404_not_500(tree, county_officer):
    assert client_for(county_officer).get(people_url("999999999999")).status_code == 404


def test_township_sees_all_its_villages_but_not_other_township(tree, township_commission):
    PersonFactory.create(region=tree.village_a2, name="赵四")
    PersonFactory.create(region=tree.village_b1, name="钱五")
    client = client_for(township_commission)
    assert client.get(people_url(tree.village_a2.code)).status_code == 200
    assert client.get(people_url(tree.village_b1.code)).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_people_api_costs_fixed_queries(tree, village_cadre, rows, django_assert_num_queries):
    PersonFactory.create_batch(rows, region=tree.village_a1)
    client = client_for(village_cadre)
    # session, user, role assignments, region, count, page
    with django_assert_num_queries(6):
        response = client.get(people_url(tree.village_a1.code) + "?limit=100")
    assert response.status_code == 200
    assert response.json()["count"] == rows + 1


def test_public_village_list(tree, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = Client().get("/api/v1/villages/")
    assert response.status_code == 200
    items = response.json()["items"]
    assert {i["code"] for i in items} == {"339901100201", "339901100202", "339901101201"}
    a1 = next(i for i in items if i["code"] == "339901100201")
    assert a1 == {
        "code": "339901100201",
        "name": "上塘村",
        "township": {"code": "339901100000", "name": "青山镇"},
    }
