"""The power list API: a village's list in force and an item's steps, public, in its language."""

from __future__ import annotations

from datetime import date

from django.test import Client

from qinglian.powers import shipped
from qinglian.powers.models import PowerItem
from qinglian.powers.services import power_list_adopt


def powers(code: str, item: str = "", **headers: str):
    url = f"/api/v1/villages/{code}/powers/" + (f"{item}/" if item else "")
    return Client(enforce_csrf_checks=True).get(url, headers=headers)


def test_the_village_list_shows_38_powers_and_30_prohibitions_without_login(tree):
    answer = powers(tree.village_a1.code)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["village"], body["version"], body["region"]) == (tree.village_a1.code, 1, None)
    assert body["effective_from"] == "2000-01-01"
    assert len(body["positive"]) == 38 and len(body["negative"]) == 30
    assert {i["code"] for i in body["positive"]} == {f"P{n:02d}" for n in range(1, 39)}
    assert {i["code"] for i in body["negative"]} == {f"N{n:02d}" for n in range(1, 31)}
    major = next(i for i in body["positive"] if i["code"] == "P01")
    assert major["title"] == "村级重大事项决策"
    assert major["category"] == "collective_decision"
    assert major["step_codes"] == [s["step"] for s in shipped.positive_rows()[0]["steps"]]
    prohibited = body["negative"][0]
    assert prohibited["basis"] and "step_codes" not in prohibited


def test_an_items_steps_come_in_the_catalogs_order_with_their_rules(tree):
    answer = powers(tree.village_a1.code, "P01", **{"Accept-Language": "en"})
    assert answer.status_code == 200
    item = answer.json()
    catalog = next(row for row in shipped.positive_rows() if row["code"] == "P01")
    steps = item["steps"]
    assert [s["code"] for s in steps] == [s["step"] for s in catalog["steps"]]
    assert [s["number"] for s in steps] == list(range(1, len(steps) + 1))
    by_code = {s["code"]: s for s in steps}
    assert by_code["VR"]["optional"] and "when required" in by_code["VR"]["notes"]
    assert by_code["PM"]["params"]["quorum"] == "two_thirds_members"
    assert "at least 2/3 of members present" in by_code["PM"]["notes"]
    assert by_code["PP"]["params"]["days"] == 15 and "15 days" in by_code["PP"]["notes"]
    assert by_code["PM"]["kind"] == "meeting"


def test_titles_follow_the_request_language(tree):
    code = tree.village_a1.code
    national = PowerItem.objects.get(power_list__region__isnull=True, code="P01")
    chinese = powers(code, "P01").json()
    english = powers(code, "P01", **{"Accept-Language": "en"}).json()
    assert chinese["title"] == national.title_zh
    assert english["title"] == national.title_en != national.title_zh
    assert chinese["steps"][0]["title"] != english["steps"][0]["title"]
    listed = powers(code, **{"Accept-Language": "en"}).json()
    assert listed["positive"][0]["title"] == national.title_en


def test_a_negative_item_has_its_basis_and_no_steps(tree):
    item = powers(tree.village_a1.code, "N01").json()
    assert item["kind"] == "negative" and item["basis"] and item["steps"] == []


def test_a_version_the_village_adopted_is_the_one_served(tree):
    power_list_adopt(actor=None, region=tree.town_a, effective_from=date(2025, 1, 1))
    mine = powers(tree.village_a1.code).json()
    other = powers(tree.village_b1.code).json()
    assert (mine["version"], mine["region"]) == (1, tree.town_a.code)
    assert other["region"] is None


def test_unknown_villages_items_and_non_villages_are_404(tree, english):
    assert powers("000000000000").status_code == 404
    assert powers(tree.town_a.code).status_code == 404  # a township has no village page
    missing = powers(tree.village_a1.code, "P99")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_the_list_and_an_item_cost_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert powers(tree.village_a1.code).status_code == 200
    with django_assert_max_num_queries(5):
        assert powers(tree.village_a1.code, "P25").status_code == 200


def test_the_openapi_document_lists_the_power_list(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/villages/{code}/powers/",
        "/api/v1/villages/{code}/powers/{item_code}/",
    } <= set(paths)
