from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from conftest import client_for
from qinglian.core.models import AuditEvent
from qinglian.directory.factories import PersonFactory, make_id_number
from qinglian.directory.models import Person


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


def _register(client, **overrides):
    body = {
        "region_code": "339901100201",
        "name": "吴桂兰",
        "id_number": make_id_number("339901", date(1979, 12, 3), 55, female=True),
        "phone": "13955556666",
    }
    body.update(overrides)
    return client.post("/api/v1/people/", json.dumps(body), content_type="application/json")


def test_api_registers_a_person(tree, village_cadre):
    response = _register(client_for(village_cadre))
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "吴桂兰"
    assert body["gender"] == "female"
    assert body["phone_masked"] == "139****6666"
    assert Person.objects.filter(pk=body["id"], region=tree.village_a1).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": "339901197912030551"}, "id_number"),
        ({"region_code": "339901100299"}, "region_code"),
        ({"region_code": "339901100202"}, "region_code"),
        ({"name": "  "}, "name"),
    ],
)
def test_api_bad_input_is_422_naming_the_field(tree, village_cadre, overrides, field):
    response = _register(client_for(village_cadre), **overrides)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["detail"]
    assert not Person.objects.filter(name="吴桂兰").exists()
    assert not AuditEvent.objects.exists()


def test_api_duplicate_person_is_422(tree, village_cadre):
    client = client_for(village_cadre)
    assert _register(client).status_code == 201
    response = _register(client, name="另一个名字")
    assert response.status_code == 422
    assert response.json()["field"] == "id_number"
    assert Person.objects.filter(region=tree.village_a1).count() == 2  # the cadre and 吴桂兰


def test_api_malformed_json_is_a_clear_error(tree, village_cadre):
    response = client_for(village_cadre).post(
        "/api/v1/people/", "{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)


def test_openapi_document_lists_the_endpoints(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/villages/", "/api/v1/villages/{code}/people/", "/api/v1/people/"} <= set(paths)
