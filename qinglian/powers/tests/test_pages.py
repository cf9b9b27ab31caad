from __future__ import annotations

from conftest import client_for


def test_staff_see_the_list_of_their_region_and_an_item_with_its_chart(tree, village_cadre):
    client = client_for(village_cadre)
    page = client.get("/work/powers/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "村级重大事项决策" in html and "N10" in html
    item = client.get(f"/work/powers/{tree.village_a1.code}/items/P01/")
    assert item.status_code == 200
    body = item.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body
    assert "党员大会审议" in body
    assert client.get(f"/work/powers/{tree.village_b1.code}/").status_code == 404
    assert client.get(f"/work/powers/{tree.village_a1.code}/items/N01/").status_code == 200
    assert client.get(f"/work/powers/{tree.village_a1.code}/items/P99/").status_code == 404


def test_the_public_pages_show_the_village_list_with_flowcharts(tree):
    client = client_for(None)
    code = tree.village_a1.code
    page = client.get(f"/v/{code}/powers/")
    assert page.status_code == 200
    assert f"/v/{code}/powers/P01/" in page.content.decode()
    item = client.get(f"/v/{code}/powers/P26/")
    assert item.status_code == 200
    body = item.content.decode()
    chart = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in chart and "<script" not in chart
    assert "民主评议" in body
    assert client.get(f"/v/{tree.town_a.code}/powers/").status_code == 404  # not a village


def test_the_village_page_links_to_the_power_list(tree):
    code = tree.village_a1.code
    assert f"/v/{code}/powers/" in client_for(None).get(f"/v/{code}/").content.decode()


def test_the_public_pages_cost_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    client = client_for(None)
    code = tree.village_a1.code
    with django_assert_max_num_queries(4):
        assert client.get(f"/v/{code}/powers/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(f"/v/{code}/powers/P25/").status_code == 200


def test_the_admin_edits_a_version_only_until_it_takes_effect(tree, admin_operator, rf):
    from datetime import date, timedelta

    from django.contrib import admin
    from django.utils import timezone

    from qinglian.powers.models import PowerList
    from qinglian.powers.services import power_list_adopt

    today = timezone.localdate()
    in_force = power_list_adopt(actor=None, region=tree.town_a, effective_from=date(2025, 1, 1))
    coming = power_list_adopt(
        actor=None, region=tree.town_a, effective_from=today + timedelta(days=30)
    )
    model_admin = admin.site._registry[PowerList]
    request = rf.get("/admin/")
    request.user = admin_operator
    assert not model_admin.has_change_permission(request, in_force)
    assert not model_admin.has_delete_permission(request, in_force)
    assert model_admin.has_change_permission(request, coming)
    assert model_admin.has_delete_permission(request, coming)
